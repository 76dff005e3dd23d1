//! Security training quizzes, the rules without storage: the bank model and
//! its TOML validation ([`check`]), the built-in default bank, sampling and
//! grading ([`pick`]), campaign reminder days and deadlines ([`campaign`]),
//! stored statuses and kinds ([`status`]) and what the bot says ([`render`],
//! [`intro`]).

pub mod bank;
pub mod campaign;
pub mod check;
pub mod intro;
pub mod pick;
pub mod render;
pub mod status;

use std::sync::OnceLock;

pub use bank::{Bank, Question, Text, Topic};
pub use check::{Problem, parse_bank};
pub use status::{AttemptKind, AttemptStatus, CampaignStatus, Nudge};

/// The default bank's TOML, compiled into the binary.
pub const DEFAULT_BANK_TOML: &str = include_str!("../../../quizzes/default.toml");

/// The default bank, parsed once. The unit tests prove it is valid, so a
/// failure here is a build defect, reported as an error rather than a panic.
pub fn default_bank() -> anyhow::Result<&'static Bank> {
    static BANK: OnceLock<Result<Bank, String>> = OnceLock::new();
    BANK.get_or_init(|| {
        parse_bank(DEFAULT_BANK_TOML).map_err(|problems| {
            problems
                .iter()
                .map(|p| p.display("quizzes/default.toml").to_string())
                .collect::<Vec<_>>()
                .join("; ")
        })
    })
    .as_ref()
    .map_err(|e| anyhow::anyhow!("built-in quiz bank is invalid: {e}"))
}

/// The default bank's content hash, computed once.
pub fn default_bank_hash() -> anyhow::Result<&'static str> {
    static HASH: OnceLock<String> = OnceLock::new();
    let bank = default_bank()?;
    Ok(HASH.get_or_init(|| bank.content_hash()).as_str())
}

/// One question of an attempt, as asked: the bank version's copy of the
/// question, its shuffled option order and the answer given so far.
#[derive(Clone, Debug)]
pub struct Asked {
    /// The attempt question's id: buttons carry it as `#id`.
    pub id: i64,
    pub attempt_id: i64,
    /// 1-based position in the attempt, and the attempt's length.
    pub position: i64,
    pub total: i64,
    pub bank_title: Text,
    pub question_key: String,
    pub topic: Text,
    pub prompt: Text,
    /// Options in file order.
    pub options: Vec<Text>,
    /// Index of the correct option in file order.
    pub correct: usize,
    pub explanation: Text,
    pub source: Option<Text>,
    /// Shown letter `k` is option `order[k]`.
    pub order: Vec<usize>,
    /// The option chosen (file order), once answered.
    pub answer: Option<usize>,
}

impl Asked {
    /// The letter under which the correct option is shown.
    pub fn correct_letter(&self) -> char {
        bank::letter(pick::shown_index(&self.order, self.correct))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn default_bank_is_valid_large_and_bilingual() {
        let bank = match parse_bank(DEFAULT_BANK_TOML) {
            Ok(bank) => bank,
            Err(problems) => panic!("{problems:#?}"),
        };
        assert_eq!(bank.id, bank::DEFAULT_BANK);
        assert!(bank.questions.len() >= 60, "{}", bank.questions.len());
        let topics: HashSet<&str> = bank.questions.iter().map(|q| q.topic.as_str()).collect();
        assert!(topics.len() >= 8, "{topics:?}");
        for key in [
            "phishing",
            "passwords",
            "data",
            "law",
            "devices",
            "incidents",
            "leaving",
            "dingtalk",
        ] {
            let n = bank.questions.iter().filter(|q| q.topic == key).count();
            assert!(n >= 6, "topic {key} has only {n} questions");
        }
        let has_cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        for q in &bank.questions {
            for o in &q.options {
                // A language-neutral option (say, an example password) may read the same in both.
                assert!(o.zh == o.en || has_cjk(&o.zh), "{}: {:?}", q.id, o.zh);
                assert!(!has_cjk(&o.en), "{}: {:?}", q.id, o.en);
            }
        }
        let texts = bank.questions.iter().flat_map(|q| {
            let mut v = vec![&q.prompt, &q.explanation];
            v.extend(q.source.iter());
            v
        });
        for t in texts.chain(bank.topics.iter().map(|t| &t.name)) {
            assert!(has_cjk(&t.zh), "not Chinese: {:?}", t.zh);
            assert!(!has_cjk(&t.en), "Chinese in English text: {:?}", t.en);
            assert!(t.en.chars().any(|c| c.is_ascii_alphabetic()), "{:?}", t.en);
        }
        assert!(default_bank().is_ok());
    }

    #[test]
    fn the_right_answer_is_not_given_away_by_its_length() {
        let bank = default_bank().unwrap();
        for lang in [crate::i18n::Lang::Zh, crate::i18n::Lang::En] {
            let longest = bank
                .questions
                .iter()
                .filter(|q| {
                    let len = |t: &Text| t.get(lang).chars().count();
                    let max = q.options.iter().map(len).max().unwrap_or(0);
                    len(&q.options[q.correct]) == max
                })
                .count();
            assert!(longest * 2 <= bank.questions.len(), "{lang}: {longest}");
        }
    }

    #[test]
    fn default_bank_answers_are_not_all_in_one_place() {
        let bank = default_bank().unwrap();
        let mut by_letter = [0usize; 6];
        for q in &bank.questions {
            by_letter[q.correct] += 1;
        }
        // File order is shuffled when asked, but a lopsided file hints at careless writing.
        assert!(by_letter[..4].iter().all(|n| *n >= 8), "{by_letter:?}");
    }
}
