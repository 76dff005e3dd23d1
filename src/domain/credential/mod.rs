//! Spotting a password or secret pasted into chat, so the bot can warn
//! instead of processing (or keeping) the message. Two signals: a password
//! keyword (zh or en) right next to a secret-looking token, and a token that
//! looks like a credential on its own (known key formats, private-key
//! headers, URLs with a password, high-entropy mixed-class strings). Tuned
//! against false positives on ordinary sentences, commands, URLs, dates and
//! staff ids (see `tests.rs`). Credential-shaped tokens are
//! recognised in `formats.rs`.

mod formats;
#[cfg(test)]
mod tests;

pub use formats::contains_credential_token;

/// English password keywords (whole words, any case), space-separated.
const KEYWORDS_EN: &str = "password passwords passwd pwd pass passcode passphrase secret token";
/// Chinese password keywords (substrings of a run of Chinese text).
const KEYWORDS_ZH: &[&str] = &["密码", "口令", "密碼", "密钥", "秘钥"];
/// Words that may stand between an English keyword and the secret.
const FILLERS_EN: &[&str] = &[
    "is", "was", "are", ":", "=", "-", "->", "=>", "now", "new", "set", "changed", "to", "be",
    "will", "my", "the",
];
/// What may follow a Chinese keyword in the same run before the secret.
const MARKERS_ZH: &[&str] = &[
    "",
    "是",
    "为",
    "為",
    "改成",
    "改为",
    "改成了",
    "改为了",
    "换成",
    "换成了",
    "设为",
    "设成",
    "设置为",
    "变成",
    "变成了",
    "就是",
    "都是",
];
/// Words that look like tokens after a keyword but are not secrets, space-separated.
const NOT_SECRETS: &str = "dingtalk wechat weixin windows office outlook exchange email gmail \
    github gitlab google apple iphone android linux macos wifi wi-fi ldap \
    okta policy status reset-required remind expired required";

/// Whether `text` looks like it contains a password or other credential.
pub fn looks_like_credential(text: &str) -> bool {
    contains_credential_token(text) || password_next_to_secret(text)
}

/// A password keyword (密码/口令/password/passwd/pwd/pass…) right next to a
/// secret-looking token: "密码是 Abc12345", "password: hunter2",
/// "Hunter2! is my password".
pub fn password_next_to_secret(text: &str) -> bool {
    let text = normalise(text);
    let toks = tokenize(&text);
    (0..toks.len()).any(|i| match toks[i] {
        Tok::Word(w) if is_keyword_en(w) => {
            secret_after(&toks[i + 1..], false, false) || secret_before_en(&toks[..i])
        }
        Tok::Cjk(run) => cjk_keyword(run, &toks[i + 1..]) || secret_before_zh(&toks[..i], run),
        _ => false,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok<'a> {
    /// A run of non-space, non-Chinese characters.
    Word(&'a str),
    /// A run of Chinese characters.
    Cjk(&'a str),
    /// Sentence punctuation: nothing on either side belongs together.
    Break,
}

/// Full-width ASCII (Ａｂｃ１２３, ：) as ASCII, so IME input reads the same;
/// Chinese sentence punctuation stays.
pub(super) fn normalise(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' if !matches!(c, '，' | '！' | '？' | '；') => {
                char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
            }
            c => c,
        })
        .collect()
}

pub(super) fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}')
}

/// Chinese sentence punctuation ends a phrase.
fn is_break(c: char) -> bool {
    matches!(c, '，' | '。' | '！' | '？' | '；' | '、' | '…')
}

/// Punctuation that separates tokens.
pub(super) fn is_separator(c: char) -> bool {
    matches!(
        c,
        '「' | '」' | '“' | '”' | '‘' | '’' | '《' | '》' | '【' | '】'
    ) || is_break(c)
}

fn tokenize(text: &str) -> Vec<Tok<'_>> {
    let mut toks = Vec::new();
    let mut start: Option<(usize, bool)> = None; // (byte offset, is_cjk)
    for (i, c) in text.char_indices() {
        let kind = if c.is_whitespace() || is_separator(c) {
            None
        } else {
            Some(is_cjk(c))
        };
        match (start, kind) {
            (Some((_, a)), Some(b)) if a == b => {}
            (_, kind) => {
                push_run(text, start, i, &mut toks);
                start = kind.map(|k| (i, k));
            }
        }
        if is_break(c) {
            toks.push(Tok::Break);
        }
    }
    push_run(text, start, text.len(), &mut toks);
    toks
}

fn push_run<'a>(text: &'a str, from: Option<(usize, bool)>, to: usize, toks: &mut Vec<Tok<'a>>) {
    match from {
        Some((s, true)) => toks.push(Tok::Cjk(&text[s..to])),
        Some((s, false)) => split_assignment(&text[s..to], toks),
        None => {}
    }
}

/// `:abc` → `:` and `abc`; `password:Hunter2` / `pwd=abc` → keyword, `:`
/// and value as separate words.
fn split_assignment<'a>(word: &'a str, toks: &mut Vec<Tok<'a>>) {
    let rest = word.trim_start_matches([':', '=']);
    if rest.len() < word.len() {
        toks.push(Tok::Word(":"));
        if rest.is_empty() {
            return;
        }
    }
    if let Some(i) = rest.find([':', '=']) {
        let (head, tail) = (&rest[..i], &rest[i + 1..]);
        if is_keyword_en(head) {
            toks.push(Tok::Word(head));
            toks.push(Tok::Word(":"));
            let tail = tail.trim_start_matches([':', '=']);
            if !tail.is_empty() {
                toks.push(Tok::Word(tail));
            }
            return;
        }
    }
    toks.push(Tok::Word(rest));
}

fn is_keyword_en(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    KEYWORDS_EN
        .split_whitespace()
        .any(|k| w.eq_ignore_ascii_case(k))
}

fn is_filler_en(word: &str) -> bool {
    FILLERS_EN.iter().any(|f| word.eq_ignore_ascii_case(f))
}

/// The first token after a keyword, past fillers, is secret-looking. In
/// Chinese (`zh`), an assignment (`marker` like 是/改成, or `:`/`=`) makes
/// even a plain word count.
fn secret_after(toks: &[Tok<'_>], zh: bool, marker: bool) -> bool {
    let mut explicit = zh && marker;
    for t in toks.iter().take(4) {
        match t {
            Tok::Word(w) if is_filler_en(w) => explicit |= zh && matches!(*w, ":" | "="),
            Tok::Word(w) => return secretish(trim_token(w), explicit),
            Tok::Cjk(_) | Tok::Break => return false,
        }
    }
    false
}

/// "Hunter2! is my password": token, then is/was, optional my/the, then the keyword.
fn secret_before_en(before: &[Tok<'_>]) -> bool {
    let words: Vec<&str> = before
        .iter()
        .rev()
        .take(3)
        .map_while(|t| match t {
            Tok::Word(w) => Some(*w),
            _ => None,
        })
        .collect();
    let (cand, link) = match words.as_slice() {
        [p, l, c, ..] if is_possessive(p) => (*c, *l),
        [l, c, ..] => (*c, *l),
        _ => return false,
    };
    ["is", "was"].iter().any(|x| link.eq_ignore_ascii_case(x)) && secretish(trim_token(cand), false)
}

fn is_possessive(w: &str) -> bool {
    ["my", "the", "our", "your", "new"]
        .iter()
        .any(|x| w.eq_ignore_ascii_case(x))
}

/// A Chinese run containing a keyword, followed (after an assignment marker
/// in the same run, like 是/为/改成, or nothing) by a secret-looking token.
fn cjk_keyword(run: &str, after: &[Tok<'_>]) -> bool {
    KEYWORDS_ZH.iter().any(|k| {
        run.match_indices(k).any(|(i, _)| {
            let suffix = &run[i + k.len()..];
            MARKERS_ZH.contains(&suffix) && secret_after(after, true, !suffix.is_empty())
        })
    })
}

/// "Abc12345 是我的密码": a token right before a run that starts with 是/就是
/// and names the password soon after.
fn secret_before_zh(before: &[Tok<'_>], run: &str) -> bool {
    let Some(Tok::Word(cand)) = before.last() else {
        return false;
    };
    let starts = ["是", "就是", "为"].iter().any(|p| run.starts_with(p));
    let near = KEYWORDS_ZH
        .iter()
        .any(|k| run.find(k).is_some_and(|i| run[..i].chars().count() <= 4));
    starts && near && secretish(trim_token(cand), true)
}

/// Strips quotes, brackets and trailing sentence punctuation.
pub(super) fn trim_token(t: &str) -> &str {
    t.trim_matches(|c: char| {
        matches!(
            c,
            '"' | '\'' | '`' | '(' | ')' | '[' | ']' | '<' | '>' | '{' | '}'
        )
    })
    .trim_end_matches(['.', ',', ';', ':', '!', '?'])
}

/// Could this token (next to a password keyword) be the password?
/// `explicit` is a Chinese assignment (密码是 …), where even a plain word counts.
fn secretish(t: &str, explicit: bool) -> bool {
    let len = t.chars().count();
    if !(6..=128).contains(&len) || is_benign(t) {
        return false;
    }
    if NOT_SECRETS
        .split_whitespace()
        .any(|w| t.eq_ignore_ascii_case(w))
    {
        return false;
    }
    let c = Classes::of(t);
    if c.digit && !c.lower && !c.upper && !c.other {
        return true; // numeric password or PIN
    }
    if wordlike(t) {
        return explicit;
    }
    c.count() >= 2
}

/// URLs, e-mail addresses, paths, numbers and dates, mentions and ids, UUIDs.
pub(super) fn is_benign(t: &str) -> bool {
    let lower = t.to_ascii_lowercase();
    lower.contains("://")
        || lower.starts_with("www.")
        || is_email(t)
        || t.starts_with(['/', '~', '#', '@', '\\'])
        || t.starts_with("./")
        || t.contains('\\')
        || is_numberish(t)
        || is_uuid(t)
        || !t.is_ascii()
}

fn is_email(t: &str) -> bool {
    match t.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && domain
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        }
        None => false,
    }
}

/// Digits with separators: dates, times, versions, amounts, phone formats.
fn is_numberish(t: &str) -> bool {
    let sep = |c: char| matches!(c, '-' | '/' | '.' | ':' | ',' | '+');
    t.chars().any(sep) && t.chars().all(|c| c.is_ascii_digit() || sep(c) || c == 'T')
}

fn is_uuid(t: &str) -> bool {
    let parts: Vec<&str> = t.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Letters (one case, or Capitalised) joined by - _ . ' only: an ordinary word.
pub(super) fn wordlike(t: &str) -> bool {
    let letters_ok = t
        .chars()
        .all(|c| c.is_ascii_alphabetic() || matches!(c, '-' | '_' | '.' | '\''));
    let tail_upper = t.chars().skip(1).any(|c| c.is_ascii_uppercase());
    let tail_lower = t.chars().any(|c| c.is_ascii_lowercase());
    letters_ok && !(tail_upper && tail_lower)
}

#[derive(Default)]
pub(super) struct Classes {
    pub(super) lower: bool,
    pub(super) upper: bool,
    pub(super) digit: bool,
    /// Any other character.
    pub(super) other: bool,
    /// Punctuation typical of passwords (not `-_./:` found in names and versions).
    pub(super) special: bool,
}

impl Classes {
    pub(super) fn of(t: &str) -> Self {
        let mut c = Classes::default();
        for ch in t.chars() {
            match ch {
                'a'..='z' => c.lower = true,
                'A'..='Z' => c.upper = true,
                '0'..='9' => c.digit = true,
                '-' | '_' | '.' | '/' | ':' => c.other = true,
                _ => {
                    c.other = true;
                    c.special = true;
                }
            }
        }
        c
    }

    pub(super) fn count(&self) -> usize {
        [self.lower, self.upper, self.digit, self.other]
            .iter()
            .filter(|x| **x)
            .count()
    }
}
