//! Text the bot did not write — what people typed, names and departments
//! from a roster or a DingTalk profile — made inert before any message shows
//! it: it cannot form a markdown link, image, autolink, HTML tag, heading or
//! quote, nor a `dtmd://` / `dingtalk://` action, whatever tricks it uses
//! (zero-width characters, full-width colons, upper case, CRLF, nested
//! brackets). URLs are defanged as security teams do
//! (`https://evil.example/x` → `hxxps://evil[.]example/x`): an admin reads
//! the address but cannot tap it. Only the bot's own buttons carry links.
//!
//! Markdown metacharacters become their full-width look-alikes (`[` → `［`),
//! which no markdown renderer treats as syntax; backslash escapes are not
//! used because DingTalk does not document them.

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory as _};

/// Schemes that act even without `//` (DingTalk client actions, scripts,
/// phone and mail handlers).
const ACTION_SCHEMES: &[&str] = &[
    "dtmd",
    "dingtalk",
    "javascript",
    "vbscript",
    "data",
    "file",
    "mailto",
    "tel",
    "sms",
    "intent",
    "http",
    "https",
    "ftp",
];

/// Schemes whose colon is broken even before a space (`dtmd: x`).
const ALWAYS_BROKEN: &[&str] = &[
    "dtmd",
    "dingtalk",
    "javascript",
    "vbscript",
    "http",
    "https",
];

/// A name, department, id or short text on one line: line breaks become
/// spaces, markdown cannot act, and URLs with a scheme (or starting with
/// `www.`) are defanged. Bare `host.name` words are kept as written, so a
/// staff id such as `zhang.san` still reads as typed.
pub fn inert(text: &str) -> String {
    one_line(text, Mode::Names)
}

/// Reported text (incidents, feedback, notes) on one line: as [`inert`], and
/// every host name, IP address and e-mail domain is defanged too
/// (`evil.example` → `evil[.]example`).
pub fn defanged(text: &str) -> String {
    one_line(text, Mode::Reported)
}

/// Reported text as a markdown block quote (`> ` before every line), its
/// line breaks kept, defanged as [`defanged`]: it reads as a quotation, and
/// no line can become a heading, list or rule that mimics the bot.
pub fn quote(text: &str) -> String {
    let lines: Vec<String> = visible(text)
        .split('\n')
        .map(|line| {
            let line = neutral_line(line.trim(), Mode::Reported);
            if line.is_empty() {
                ">".to_owned()
            } else {
                format!("> {line}")
            }
        })
        .collect();
    let mut lines: &[String] = &lines;
    while let [rest @ .., last] = lines {
        if last != ">" {
            break;
        }
        lines = rest;
    }
    lines.join("\n")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Names and ids: only URLs with a scheme or `www.` are defanged.
    Names,
    /// Reported text: every host name is defanged as well.
    Reported,
}

fn one_line(text: &str, mode: Mode) -> String {
    let flat = visible(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    neutral_line(&flat, mode)
}

/// Drops what a reader cannot see (zero-width joiners, bidi overrides, other
/// format and control characters) and turns every kind of line break into `\n`.
fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\n' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            '\t' => out.push(' '),
            c if invisible(c) => {}
            c => out.push(c),
        }
    }
    out
}

fn invisible(c: char) -> bool {
    matches!(
        c.general_category(),
        GeneralCategory::Control
            | GeneralCategory::Format
            | GeneralCategory::PrivateUse
            | GeneralCategory::Unassigned
            | GeneralCategory::Surrogate
    ) || matches!(
        c,
        '\u{34f}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}' | '\u{3164}' | '\u{ffa0}'
    ) || ('\u{180b}'..='\u{180f}').contains(&c)
}

/// The markdown-neutral stand-in for a character, if it needs one.
fn neutral(c: char) -> Option<char> {
    Some(match c {
        '[' => '［',
        ']' => '］',
        '(' => '（',
        ')' => '）',
        '<' => '＜',
        '>' => '＞',
        '#' => '＃',
        '*' => '＊',
        '`' => '｀',
        '|' => '｜',
        '\\' => '＼',
        '&' => '＆',
        _ => return None,
    })
}

/// ASCII for full-width forms (`ｈｔｔｐ：／／` reads as `http://` to some
/// clients), lower case, for recognising schemes and host names.
fn fold(c: char) -> char {
    let c = match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

fn is_host_char(c: char) -> bool {
    let f = fold(c);
    f.is_ascii_alphanumeric() || f == '-' || f == '_'
}

/// What happens to one character of a line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// Its markdown-neutral stand-in, if it has one.
    Keep,
    /// The `t` of `http` (or the `t` of `ftp`): becomes `x`.
    Swap,
    /// A scheme's colon: becomes `[:]`.
    Colon,
    /// A dot in a host name: becomes `[.]`.
    Dot,
}

/// One line of text made inert.
fn neutral_line(line: &str, mode: Mode) -> String {
    let cs: Vec<char> = line.chars().collect();
    if is_rule_line(&cs) {
        // `===` or `---` under a line would make that line a heading.
        return cs
            .iter()
            .map(|&c| match c {
                '=' => '＝',
                '-' => '－',
                c => c,
            })
            .collect();
    }
    let mut marks = vec![Mark::Keep; cs.len()];
    mark_schemes(&cs, &mut marks);
    mark_hosts(&cs, &mut marks, mode);
    let mut out = String::with_capacity(line.len() + 8);
    for (k, (&c, &m)) in cs.iter().zip(&marks).enumerate() {
        match m {
            Mark::Swap if c.is_uppercase() => out.push('X'),
            Mark::Swap => out.push('x'),
            Mark::Colon => out.push_str("[:]"),
            Mark::Dot => out.push_str("[.]"),
            // A leading list marker is harmless but reads as the bot's own list.
            Mark::Keep if k == 0 && matches!(c, '-' | '+' | '=') => {
                out.push(match c {
                    '-' => '－',
                    '+' => '＋',
                    _ => '＝',
                });
            }
            Mark::Keep => out.push(neutral(c).unwrap_or(c)),
        }
    }
    out
}

fn is_rule_line(cs: &[char]) -> bool {
    let marks: Vec<char> = cs.iter().copied().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 2 && (marks.iter().all(|&c| c == '=') || marks.iter().all(|&c| c == '-'))
}

/// Breaks every URL scheme: each `:` followed by `//`, and each `:` after a
/// word ending in an action scheme (`dtmd:`, `xdtmd:`, `javascript:` …).
/// `http`, `https` and `ftp` become `hxxp`, `hxxps` and `fxp`; every other
/// scheme keeps its name and loses its colon to `[:]`.
fn mark_schemes(cs: &[char], marks: &mut [Mark]) {
    for colon in (0..cs.len()).filter(|&k| fold(cs[k]) == ':') {
        let mut start = colon;
        while start > 0 && is_scheme_char(cs[start - 1]) {
            start -= 1;
        }
        let word: String = cs[start..colon].iter().map(|&c| fold(c)).collect();
        let slashes = cs.len() > colon + 2 && is_slash(cs[colon + 1]) && is_slash(cs[colon + 2]);
        let action = ACTION_SCHEMES
            .iter()
            .filter(|s| word.ends_with(*s))
            .max_by_key(|s| s.len());
        // `data: the numbers` is prose; `data:text/html,…` is a URI. A
        // scheme at the very end, and the client's and the web's schemes
        // whatever follows, are broken too: the text shown next to them
        // (another name, the bot's own words) could complete them.
        let bare = cs.get(colon + 1).is_none_or(|c| !c.is_whitespace());
        let action = action.filter(|s| slashes || bare || ALWAYS_BROKEN.contains(*s));
        match action {
            Some(&s) if matches!(s, "http" | "https" | "ftp") => {
                let at = colon - s.chars().count();
                let swap: &[usize] = if s == "ftp" { &[1] } else { &[1, 2] };
                for k in swap {
                    marks[at + k] = Mark::Swap;
                }
            }
            Some(_) => marks[colon] = Mark::Colon,
            None if slashes => marks[colon] = Mark::Colon,
            None => {}
        }
    }
}

fn is_scheme_char(c: char) -> bool {
    let f = fold(c);
    f.is_ascii_alphanumeric() || matches!(f, '+' | '.' | '-')
}

fn is_slash(c: char) -> bool {
    matches!(fold(c), '/' | '\\')
}

/// Marks the dots of host names: the one after a scheme's `//`, any word
/// starting with `www.`, and in reported text every host-like word that is
/// not part of a path.
fn mark_hosts(cs: &[char], marks: &mut [Mark], mode: Mode) {
    let mut i = 0;
    while i < cs.len() {
        let starts =
            is_host_char(cs[i]) && (i == 0 || !(is_host_char(cs[i - 1]) || fold(cs[i - 1]) == '.'));
        if !starts {
            i += 1;
            continue;
        }
        let end = token_end(cs, i);
        let after_slashes = i >= 2 && is_slash(cs[i - 1]) && is_slash(cs[i - 2]);
        let in_path = i > 0 && is_slash(cs[i - 1]) && !after_slashes;
        let www = cs[i..end].len() > 4
            && cs[i..end]
                .iter()
                .zip("www.".chars())
                .all(|(&c, e)| fold(c) == e);
        if (after_slashes || www || (mode == Mode::Reported && !in_path)) && is_host(&cs[i..end]) {
            for k in i..end {
                if fold(cs[k]) == '.' {
                    marks[k] = Mark::Dot;
                }
            }
        }
        i = end.max(i + 1);
    }
}

/// The end of the dotted word starting at `i` (trailing dots excluded).
fn token_end(cs: &[char], i: usize) -> usize {
    let mut end = i;
    while end < cs.len() && (is_host_char(cs[end]) || fold(cs[end]) == '.') {
        end += 1;
    }
    while end > i && fold(cs[end - 1]) == '.' {
        end -= 1;
    }
    end
}

/// A dotted word that looks like a host name: a letter TLD of two or more,
/// or four numbers (an IPv4 address).
fn is_host(cs: &[char]) -> bool {
    let labels: Vec<&[char]> = cs.split(|&c| fold(c) == '.').collect();
    let tld = labels.last().copied().unwrap_or_default();
    let numeric = |l: &&[char]| l.iter().all(|&c| fold(c).is_ascii_digit());
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty())
        && ((tld.len() >= 2 && tld.iter().all(|&c| fold(c).is_ascii_alphabetic()))
            || (labels.len() == 4 && labels.iter().all(numeric)))
}

#[cfg(test)]
mod tests;
