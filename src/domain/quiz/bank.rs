//! A validated quiz bank: bilingual texts, topics and questions with exactly
//! one correct option each. Built only by [`super::check::parse_bank`].

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::i18n::Lang;

/// Most options a question may have (`A`–`F`).
pub const MAX_OPTIONS: usize = 6;
/// Fewest options a question may have.
pub const MIN_OPTIONS: usize = 2;
/// Questions per attempt when a bank does not say.
pub const DEFAULT_PER_ATTEMPT: usize = 5;
/// Questions in a follow-up quiz when a bank does not say.
pub const DEFAULT_FOLLOWUP: usize = 3;
/// The id of the bank compiled into the binary.
pub const DEFAULT_BANK: &str = "default";
/// Words that start a follow-up quiz (`quiz review`) and so cannot name a bank;
/// the others are subcommands of `quiz`.
pub const RESERVED_IDS: &[&str] = &["review", "list", "quit", "assign", "stats"];

/// A text in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// A topic questions are grouped by (for follow-ups and statistics).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Topic {
    pub key: String,
    pub name: Text,
}

/// One question; `correct` indexes `options` in file order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: String,
    pub topic: String,
    pub prompt: Text,
    pub options: Vec<Text>,
    pub correct: usize,
    pub explanation: Text,
    /// The law, standard or guideline the answer rests on.
    pub source: Option<Text>,
}

/// A bank as imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Bank {
    pub id: String,
    pub title: Text,
    pub pass_percent: u32,
    pub per_attempt: usize,
    pub followup: usize,
    pub topics: Vec<Topic>,
    pub questions: Vec<Question>,
}

impl Bank {
    /// SHA-256 over the bank's canonical JSON: comments and layout of the
    /// file do not matter, any change of content does.
    pub fn content_hash(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        Sha256::digest(json.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    pub fn topic(&self, key: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.key == key)
    }
}

/// The letter shown for option `i` (0 → `A`).
pub fn letter(i: usize) -> char {
    u8::try_from(i)
        .ok()
        .filter(|i| usize::from(*i) < MAX_OPTIONS)
        .map_or('?', |i| char::from(b'A' + i))
}

/// The option index of a letter `A`–`F` (case-insensitive).
pub fn letter_index(c: char) -> Option<usize> {
    let c = c.to_ascii_uppercase();
    ('A'..='F')
        .contains(&c)
        .then(|| usize::from(c as u8 - b'A'))
}

/// Whether `id` may name a bank: lowercase ASCII letters, digits, `-` and
/// `_`, starting with a letter or digit, not a reserved word.
pub fn valid_bank_id(id: &str) -> bool {
    valid_key(id) && id.len() <= 40 && !RESERVED_IDS.contains(&id)
}

/// Whether `key` may name a question or topic.
pub fn valid_key(key: &str) -> bool {
    key.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_round_trip() {
        assert_eq!(letter(0), 'A');
        assert_eq!(letter(5), 'F');
        assert_eq!(letter(6), '?');
        assert_eq!(letter_index('c'), Some(2));
        assert_eq!(letter_index('G'), None);
    }

    #[test]
    fn bank_ids_are_plain_and_not_subcommands() {
        assert!(valid_bank_id("default"));
        assert!(valid_bank_id("finance-2026"));
        assert!(!valid_bank_id("Review"));
        assert!(!valid_bank_id("review"));
        assert!(!valid_bank_id("stats"));
        assert!(!valid_bank_id("-x"));
        assert!(!valid_bank_id("题库"));
        assert!(!valid_bank_id(""));
    }
}
