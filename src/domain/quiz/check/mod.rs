//! Reading a bank's TOML: syntax and type errors come from the `toml`
//! crate with their position; everything else (missing translations, no or
//! unknown correct option, duplicate ids, option counts, ranges) is checked
//! here, and every problem is reported with its line.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use toml::Spanned;

mod questions;

use crate::domain::printable::one_line;

use super::bank::{
    Bank, DEFAULT_FOLLOWUP, DEFAULT_PER_ATTEMPT, Text, Topic, valid_bank_id, valid_key,
};

/// Most questions one attempt may ask.
const MAX_PER_ATTEMPT: i64 = 20;

/// One thing wrong with a bank file, at a 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub reason: String,
}

impl Problem {
    /// `file:line: reason`.
    pub fn display<'a>(&'a self, file: &'a str) -> impl fmt::Display + 'a {
        struct D<'a>(&'a str, &'a Problem);
        impl fmt::Display for D<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}:{}: {}", self.0, self.1.line, self.1.reason)
            }
        }
        D(file, self)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBank {
    id: Option<Spanned<String>>,
    title: Option<Spanned<RawText>>,
    pass_percent: Option<Spanned<i64>>,
    questions_per_attempt: Option<Spanned<i64>>,
    followup_questions: Option<Spanned<i64>>,
    topics: Option<BTreeMap<String, Spanned<RawText>>>,
    questions: Option<Vec<Spanned<RawQuestion>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    zh: Option<String>,
    en: Option<String>,
}

/// A source may be one string for both languages or a `{ zh, en }` table.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawSource {
    Same(String),
    Both(RawText),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Option<Spanned<String>>,
    topic: Option<Spanned<String>>,
    prompt: Option<Spanned<RawText>>,
    options: Option<Spanned<Vec<Spanned<RawText>>>>,
    correct: Option<Spanned<toml::Value>>,
    explanation: Option<Spanned<RawText>>,
    source: Option<Spanned<RawSource>>,
}

/// Collects problems against line numbers of one file.
struct Checker<'a> {
    src: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.src.len());
        self.src.as_bytes()[..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1
    }

    /// Records a problem; values it quotes from the file keep to one line.
    fn at(&mut self, offset: usize, reason: impl Into<String>) {
        let line = self.line(offset);
        self.problems.push(Problem {
            line,
            reason: one_line(&reason.into()),
        });
    }

    /// Both translations of `what`, or problems naming the missing ones.
    fn text(&mut self, raw: &RawText, at: usize, what: &str) -> Text {
        let zh = raw.zh.as_deref().map(str::trim).unwrap_or_default();
        let en = raw.en.as_deref().map(str::trim).unwrap_or_default();
        if zh.is_empty() {
            self.at(at, format!("{what} is missing its Chinese (zh) text"));
        }
        if en.is_empty() {
            self.at(at, format!("{what} is missing its English (en) text"));
        }
        Text::new(zh, en)
    }

    fn required_text(&mut self, raw: Option<&Spanned<RawText>>, at: usize, what: &str) -> Text {
        match raw {
            Some(raw) => self.text(raw.get_ref(), raw.span().start, what),
            None => {
                self.at(at, format!("{what} is missing (give zh and en)"));
                Text::default()
            }
        }
    }

    /// An integer setting within `range`, or `default` when absent.
    fn number(
        &mut self,
        raw: Option<&Spanned<i64>>,
        name: &str,
        range: std::ops::RangeInclusive<i64>,
        default: Option<i64>,
    ) -> i64 {
        match (raw, default) {
            (Some(v), _) if range.contains(v.get_ref()) => *v.get_ref(),
            (Some(v), _) => {
                let (lo, hi) = (range.start(), range.end());
                let got = v.get_ref();
                self.at(
                    v.span().start,
                    format!("{name} must be between {lo} and {hi} (got {got})"),
                );
                *range.start()
            }
            (None, Some(d)) => d,
            (None, None) => {
                self.at(0, format!("missing {name}"));
                *range.start()
            }
        }
    }
}

/// Parses and validates a bank. On failure every problem found is returned,
/// sorted by line.
pub fn parse_bank(src: &str) -> Result<Bank, Vec<Problem>> {
    let mut c = Checker {
        src,
        problems: Vec::new(),
    };
    let raw: RawBank = match toml::from_str(src) {
        Ok(raw) => raw,
        Err(e) => {
            let offset = e.span().map_or(0, |s| s.start);
            c.at(offset, syntax_reason(&e, offset >= src.trim_end().len()));
            return Err(c.problems);
        }
    };
    let bank = build(&mut c, raw);
    if c.problems.is_empty() {
        Ok(bank)
    } else {
        c.problems.sort_by_key(|p| p.line);
        Err(c.problems)
    }
}

/// What `toml` says about a file it cannot read, on one line; `at_end`:
/// the error is at the end of the file.
fn syntax_reason(e: &toml::de::Error, at_end: bool) -> String {
    // `toml` may explain on several lines ("invalid array\nexpected `]`"),
    // and says nothing about a file that ends after `key =`.
    let lines: Vec<&str> = e
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let reason = lines.join(": ");
    if reason.contains("expected a borrowed string") {
        // What `toml` says about dotted keys (`prompt.zh = …`) under a span.
        "write texts as inline tables on one line, e.g. \
         prompt = { zh = \"…\", en = \"…\" } (dotted keys are not supported)"
            .to_owned()
    } else if reason.is_empty() && at_end {
        "the file ends where a value was expected".to_owned()
    } else if reason.is_empty() {
        "invalid TOML".to_owned()
    } else {
        reason
    }
}

fn build(c: &mut Checker<'_>, raw: RawBank) -> Bank {
    let id = match &raw.id {
        Some(id) if valid_bank_id(id.get_ref()) => id.get_ref().clone(),
        Some(id) => {
            c.at(
                id.span().start,
                format!(
                    "invalid bank id '{}': use lowercase letters, digits, '-' and '_' \
                     (not review, list, quit, assign or stats)",
                    id.get_ref()
                ),
            );
            String::new()
        }
        None => {
            c.at(0, "missing id (the bank's name, e.g. id = \"default\")");
            String::new()
        }
    };
    let title = c.required_text(raw.title.as_ref(), 0, "title");
    let pass_percent = c.number(raw.pass_percent.as_ref(), "pass_percent", 1..=100, None);
    let topics = topics(c, raw.topics.unwrap_or_default());
    let questions = questions::questions(c, &raw.questions.unwrap_or_default(), &topics);
    let per_attempt = c.number(
        raw.questions_per_attempt.as_ref(),
        "questions_per_attempt",
        1..=MAX_PER_ATTEMPT,
        Some(DEFAULT_PER_ATTEMPT as i64),
    );
    if !questions.is_empty() && per_attempt as usize > questions.len() {
        let at = raw
            .questions_per_attempt
            .as_ref()
            .map_or(0, |v| v.span().start);
        c.at(
            at,
            format!(
                "questions_per_attempt is {per_attempt} but the bank has only {} questions",
                questions.len()
            ),
        );
    }
    let followup = c.number(
        raw.followup_questions.as_ref(),
        "followup_questions",
        1..=per_attempt.max(1),
        Some((DEFAULT_FOLLOWUP as i64).min(per_attempt)),
    );
    Bank {
        id,
        title,
        pass_percent: u32::try_from(pass_percent).unwrap_or(100),
        per_attempt: usize::try_from(per_attempt).unwrap_or(1),
        followup: usize::try_from(followup).unwrap_or(1),
        topics,
        questions,
    }
}

fn topics(c: &mut Checker<'_>, raw: BTreeMap<String, Spanned<RawText>>) -> Vec<Topic> {
    let mut out = Vec::with_capacity(raw.len());
    for (key, name) in raw {
        if !valid_key(&key) {
            c.at(
                name.span().start,
                format!("invalid topic key '{key}': use lowercase letters, digits, '-' and '_'"),
            );
        }
        let name = c.text(name.get_ref(), name.span().start, &format!("topic '{key}'"));
        out.push(Topic { key, name });
    }
    out
}

#[cfg(test)]
mod tests;
