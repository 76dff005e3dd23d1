//! Reasons shown to operators as one `file:line: reason` line: a value
//! quoted from a file has its control characters escaped, so it can neither
//! break the line nor drive the terminal.

/// `text` with every control character (line breaks, escape sequences)
/// written as its Rust escape (`\n`, `\u{1b}`); everything else as it is.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_the_rest_kept() {
        assert_eq!(one_line("张三 a'b"), "张三 a'b");
        assert_eq!(
            one_line("a\nb\r\u{1b}[31m\u{85}"),
            "a\\nb\\r\\u{1b}[31m\\u{85}"
        );
    }
}
