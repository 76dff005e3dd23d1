//! The inert-text renderer (`domain::inert`): whatever a person typed, the
//! text shown for it can form no link, image, HTML tag, heading, nested
//! quote or client action: no `(` or `<` at all (so no `](`), no `dtmd:`,
//! `dingtalk:`, `javascript:`, `http:` or `https:` in any case or in
//! full-width letters, no invisible characters; `inert` and `defanged` are
//! one line, and every line of `quote` is a quoted line.

use dingwarden::domain::inert::{defanged, inert, quote};

/// Checks one text (bytes that are not UTF-8 are read lossily).
pub fn check(data: &[u8]) {
    text(&String::from_utf8_lossy(data));
}

/// Checks one text.
pub fn text(input: &str) {
    for out in [inert(input), defanged(input)] {
        harmless(&out, input);
        assert!(
            !out.contains('\n'),
            "{out:?} from {input:?} is not one line"
        );
        assert_eq!(out.trim(), out, "{out:?} from {input:?}");
    }
    let quoted = quote(input);
    harmless(&quoted, input);
    for line in quoted.lines() {
        assert!(
            line == ">" || line.starts_with("> "),
            "{line:?} in {quoted:?}"
        );
    }
}

/// ASCII for full-width forms, lower case: how a client might read it.
fn fold(c: char) -> char {
    let c = match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Zero-width, joiner and direction characters: they hide what a reader sees.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

fn harmless(out: &str, input: &str) {
    assert!(!out.contains(['(', '<', '\r']), "{out:?} from {input:?}");
    assert!(
        !out.contains("&#"),
        "an HTML entity in {out:?} from {input:?}"
    );
    let folded: String = out.chars().map(fold).collect();
    for bad in [
        "dtmd:",
        "dingtalk:",
        "javascript:",
        "vbscript:",
        "http:",
        "https:",
    ] {
        assert!(!folded.contains(bad), "{bad:?} in {out:?} from {input:?}");
    }
    assert!(
        !out.chars()
            .any(|c| (c.is_control() && c != '\n') || invisible(c)),
        "an invisible character in {out:?} from {input:?}"
    );
    for line in out.lines() {
        let body = line.strip_prefix('>').unwrap_or(line).trim_start();
        assert!(
            !body.starts_with(['#', '>']),
            "{line:?} poses as the bot: {input:?}"
        );
    }
}
