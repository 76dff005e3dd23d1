//! The parser's reading position over the normalised text: words of the
//! first line, glued heads split, free text taken as typed, and the
//! phrasings of the catalogue recognised.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::kw;
use super::normal::Normalised;
use crate::commands::catalogue::{CATALOGUE, CommandSpec};

/// Whether `tok` is one of `words` (ASCII case-insensitive).
pub(super) fn is(tok: Option<&str>, words: &[&str]) -> bool {
    tok.is_some_and(|t| words.iter().any(|w| t.eq_ignore_ascii_case(w)))
}

/// A position in the normalised text; words are read from the first line only.
#[derive(Clone)]
pub(super) struct Cursor<'a> {
    norm: &'a Normalised<'a>,
    text: &'a str,
    pos: usize,
    /// Words split off a glued head (`测验列表` → `测验` `列表`), the next
    /// one last; they are keywords, read before anything else.
    queued: Vec<&'a str>,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of the command, after any preamble.
    pub(super) fn start(norm: &'a Normalised<'a>) -> Self {
        let mut c = Cursor {
            norm,
            text: &norm.text,
            pos: 0,
            queued: Vec::new(),
        };
        c.skip_preamble();
        c
    }

    fn skip_spaces(&mut self) {
        let rest = &self.text[self.pos..];
        let trimmed = rest.trim_start_matches(' ');
        self.pos += rest.len() - trimmed.len();
    }

    /// The next word on the current line, without consuming it.
    pub(super) fn peek(&mut self) -> Option<&'a str> {
        if let Some(w) = self.queued.last() {
            return Some(w);
        }
        self.skip_spaces();
        let rest = &self.text[self.pos..];
        let end = rest.find([' ', '\n']).unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    }

    pub(super) fn next(&mut self) -> Option<&'a str> {
        if let Some(w) = self.queued.pop() {
            return Some(w);
        }
        let w = self.peek()?;
        self.pos += w.len();
        Some(w)
    }

    /// Consumes the next word if it is one of `words`.
    pub(super) fn eat(&mut self, words: &[&str]) -> bool {
        let hit = is(self.peek(), words);
        if hit {
            self.next();
        }
        hit
    }

    /// The rest of the current line, normalised and trimmed (audiences).
    pub(super) fn rest_of_line(&mut self) -> &'a str {
        let rest = &self.text[self.pos..];
        let end = rest.find('\n').unwrap_or(rest.len());
        self.pos += end;
        rest[..end].trim()
    }

    /// Free text: everything left, all lines, as typed (trimmed).
    pub(super) fn free_rest(&mut self) -> &'a str {
        self.skip_spaces();
        let typed = self.norm.typed_from(self.pos);
        self.pos = self.text.len();
        typed.trim()
    }

    /// Free text: the rest of the current line, as typed (trimmed).
    pub(super) fn free_rest_of_line(&mut self) -> &'a str {
        self.skip_spaces();
        let typed = self.norm.typed_from(self.pos);
        self.rest_of_line();
        typed[..typed.find('\n').unwrap_or(typed.len())].trim()
    }

    /// Free text: the lines after the current one, as typed.
    pub(super) fn following_lines(&mut self) -> &'a str {
        let rest = &self.text[self.pos..];
        let Some(nl) = rest.find('\n') else {
            self.pos = self.text.len();
            return "";
        };
        let typed = self.norm.typed_from(self.pos + nl);
        self.pos = self.text.len();
        typed[1..].trim_end().trim_start_matches(['\n', '\r'])
    }

    pub(super) fn at_line_end(&mut self) -> bool {
        self.peek().is_none()
    }

    /// Drops what chat clients add in front of a command: leading @mentions
    /// and a leading `/`.
    fn skip_preamble(&mut self) {
        self.skip_spaces();
        while self.text[self.pos..].starts_with('@') {
            self.next();
            self.skip_spaces();
        }
        if self.text[self.pos..].starts_with('/') {
            self.pos += 1;
            self.skip_spaces();
        }
    }

    /// Splits a glued head: a Chinese command and its subcommand written as
    /// one word (`通知状态3` → `通知` `状态` `3`, from the catalogue's
    /// aliases), or a Chinese keyword glued to its number (`确认3`).
    pub(super) fn split_head(&mut self) {
        let rest = &self.text[self.pos..];
        let glued =
            |after: &str| after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '#');
        for (joined, words) in compound_aliases() {
            if let Some(after) = rest.strip_prefix(joined.as_str()) {
                if after.is_empty() || after.starts_with([' ', '\n']) || glued(after) {
                    self.queued = words.iter().rev().copied().collect();
                    self.pos += joined.len();
                    return;
                }
            }
        }
        for word in kw::GLUEABLE {
            if rest.strip_prefix(word).is_some_and(glued) {
                self.queued = vec![*word];
                self.pos += word.len();
                return;
            }
        }
    }

    /// The rest of the text (normalised) when it is one of the catalogue's
    /// phrasings: the command it stands for.
    pub(super) fn phrasing(&self) -> Option<&'static CommandSpec> {
        phrasings().get(&squash(&self.text[self.pos..])).copied()
    }
}

/// Every phrasing of the catalogue, squashed, and the command it stands
/// for (the first in the catalogue where two share one); built once, so a
/// message costs one lookup instead of squashing every phrasing.
fn phrasings() -> &'static HashMap<String, &'static CommandSpec> {
    static PHRASINGS: LazyLock<HashMap<String, &'static CommandSpec>> = LazyLock::new(|| {
        let mut all = HashMap::new();
        for spec in CATALOGUE.iter() {
            for p in spec.phrasings() {
                all.entry(squash(p)).or_insert(spec);
            }
        }
        all
    });
    &PHRASINGS
}

/// Lower case without spaces: how phrasings are compared.
pub(crate) fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every multi-word Chinese alias of the catalogue, written without its
/// spaces, with its words; longest first.
fn compound_aliases() -> &'static [(String, Vec<&'static str>)] {
    static COMPOUNDS: LazyLock<Vec<(String, Vec<&'static str>)>> = LazyLock::new(|| {
        let mut all: Vec<(String, Vec<&'static str>)> = CATALOGUE
            .iter()
            .flat_map(|s| s.aliases.iter())
            .filter(|a| a.contains(' ') && !a.is_ascii())
            .map(|a| (a.replace(' ', ""), a.split(' ').collect()))
            .collect();
        all.sort_by_key(|(joined, _)| std::cmp::Reverse(joined.len()));
        all.dedup();
        all
    });
    &COMPOUNDS
}
