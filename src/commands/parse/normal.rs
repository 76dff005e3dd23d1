//! What the parser reads: the typed text in Unicode NFKC (full-width digits,
//! letters, spaces and `＃` become ASCII), each line without its trailing
//! sentence punctuation (`。！？.!?~～…`), runs of spaces (ASCII, tab,
//! ideographic, no-break) collapsed to one. A map back to the typed text
//! lets the parser take free text (reports, feedback, notice titles and
//! bodies, reasons, notes) exactly as it was typed.

use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::canonical_combining_class;

/// Sentence punctuation dropped from the end of a line.
const TRAILING: &[char] = &[
    '。', '｡', '.', '．', '!', '！', '?', '？', '~', '～', '〜', '…',
];

/// The normalised text and where its pieces came from.
#[derive(Debug)]
pub(super) struct Normalised<'a> {
    /// What the parser reads.
    pub text: String,
    typed: &'a str,
    /// `(offset in text, offset in typed)` where each typed character (with
    /// its combining marks) starts; both ascending.
    starts: Vec<(usize, usize)>,
}

impl<'a> Normalised<'a> {
    pub fn new(typed: &'a str) -> Self {
        let mut n = Self {
            text: String::with_capacity(typed.len()),
            typed,
            starts: Vec::new(),
        };
        let mut at = 0;
        for line in typed.split_inclusive('\n') {
            let body = line.strip_suffix('\n').unwrap_or(line);
            let body = body.strip_suffix('\r').unwrap_or(body);
            n.push_line(at, &body[..content_end(body)]);
            if line.ends_with('\n') {
                n.starts.push((n.text.len(), at + line.len() - 1));
                n.text.push('\n');
            }
            at += line.len();
        }
        n
    }

    /// Appends one line (starting at `at` in the typed text), normalised.
    fn push_line(&mut self, at: usize, line: &str) {
        let mut cluster_start = 0;
        for (i, ch) in line.char_indices().skip(1) {
            if canonical_combining_class(ch) == 0 {
                self.push_cluster(at + cluster_start, &line[cluster_start..i]);
                cluster_start = i;
            }
        }
        if cluster_start < line.len() {
            self.push_cluster(at + cluster_start, &line[cluster_start..]);
        }
    }

    fn push_cluster(&mut self, typed_at: usize, cluster: &str) {
        self.starts.push((self.text.len(), typed_at));
        for ch in cluster.nfkc() {
            if ch.is_whitespace() {
                if !self.text.ends_with(' ') {
                    self.text.push(' ');
                }
            } else {
                self.text.push(ch);
            }
        }
    }

    /// The typed text from normalised offset `pos` (a word's start) to the
    /// end, as typed.
    pub fn typed_from(&self, pos: usize) -> &'a str {
        // The last piece starting at or before `pos` (spaces collapsed
        // into one start where the next word does).
        let i = self.starts.partition_point(|(n, _)| *n <= pos);
        let at = match i.checked_sub(1).map(|j| self.starts[j]) {
            Some((n, t)) if n == pos => t,
            _ if pos >= self.text.len() => self.typed.len(),
            // Inside a character that became several: from its start.
            Some((_, t)) => t,
            None => 0,
        };
        &self.typed[at..]
    }
}

/// Where a line's content ends: before trailing spaces and sentence
/// punctuation, unless the line is nothing but punctuation (`？` asks for help).
fn content_end(line: &str) -> usize {
    let trimmed = line.trim_end();
    let content = trimmed.trim_end_matches(|c: char| c.is_whitespace() || TRAILING.contains(&c));
    if content.is_empty() {
        trimmed.len()
    } else {
        content.len()
    }
}

#[cfg(test)]
mod tests {
    use super::Normalised;

    #[test]
    fn normalises_what_people_type() {
        let table = [
            ("确认 １", "确认 1"),
            ("完成　１　２", "完成 1 2"),
            ("我的。", "我的"),
            ("帮助！", "帮助"),
            ("确认 1。", "确认 1"),
            ("ack  #3 ?!", "ack #3"),
            ("ＡＣＫ　＃３", "ACK #3"),
            ("？", "?"),
            ("。。", "。。"),
            ("a\t\u{a0} b~～", "a b"),
            ("line one。\r\nline two!", "line one\nline two"),
            ("e\u{301}", "é"),
            ("", ""),
        ];
        for (typed, want) in table {
            assert_eq!(Normalised::new(typed).text, want, "{typed:?}");
        }
    }

    #[test]
    fn maps_word_starts_back_to_the_typed_text() {
        let n = Normalised::new("上报　　收到可疑邮件！！\n第二行。");
        let pos = n.text.find('收').unwrap();
        assert_eq!(n.typed_from(pos), "收到可疑邮件！！\n第二行。");
        let n = Normalised::new("ｒｅｐｏｒｔ ｘ。");
        assert_eq!(n.text, "report x");
        assert_eq!(n.typed_from(7), "ｘ。");
        assert_eq!(n.typed_from(n.text.len()), "");
        let n = Normalised::new("上报。");
        assert_eq!(n.typed_from(n.text.len()), "");
    }
}
