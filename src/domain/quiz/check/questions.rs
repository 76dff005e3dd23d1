//! Checks of one bank's questions: ids, topics, translations, options and
//! the correct letter.

use std::collections::HashMap;

use toml::Spanned;

use super::{Checker, RawQuestion, RawSource, RawText};
use crate::domain::quiz::bank::{
    MAX_OPTIONS, MIN_OPTIONS, Question, Text, Topic, letter, letter_index, valid_key,
};

pub(super) fn questions(
    c: &mut Checker<'_>,
    raw: &[Spanned<RawQuestion>],
    topics: &[Topic],
) -> Vec<Question> {
    if raw.is_empty() {
        c.at(0, "the bank has no questions (add [[questions]] tables)");
    }
    let mut first_line: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(raw.len());
    for (n, q) in raw.iter().enumerate() {
        let start = q.span().start;
        let q = q.get_ref();
        let label = match &q.id {
            Some(id) => format!("question '{}'", id.get_ref()),
            None => format!("question #{}", n + 1),
        };
        let id = question_id(c, q.id.as_ref(), start, n, &mut first_line);
        let topic = topic(c, q.topic.as_ref(), start, &label, topics);
        let prompt = c.required_text(q.prompt.as_ref(), start, &format!("{label}: prompt"));
        let options = options(c, q.options.as_ref(), start, &label);
        let correct = correct(c, q.correct.as_ref(), start, &label, options.len());
        let explanation = c.required_text(
            q.explanation.as_ref(),
            start,
            &format!("{label}: explanation"),
        );
        let source = q.source.as_ref().map(|s| source(c, s, &label));
        out.push(Question {
            id,
            topic,
            prompt,
            options,
            correct,
            explanation,
            source,
        });
    }
    out
}

/// The question's topic, which must be declared under `[topics]`.
fn topic(
    c: &mut Checker<'_>,
    raw: Option<&Spanned<String>>,
    start: usize,
    label: &str,
    topics: &[Topic],
) -> String {
    match raw {
        None => {
            c.at(start, format!("{label} has no topic"));
            String::new()
        }
        Some(t) if !topics.iter().any(|x| &x.key == t.get_ref()) => {
            let key = t.get_ref();
            c.at(
                t.span().start,
                format!("{label}: unknown topic '{key}' (declare it under [topics])"),
            );
            String::new()
        }
        Some(t) => t.get_ref().clone(),
    }
}

/// A source given as one string for both languages or as `{ zh, en }`.
fn source(c: &mut Checker<'_>, raw: &Spanned<RawSource>, label: &str) -> Text {
    match raw.get_ref() {
        RawSource::Same(text) if !text.trim().is_empty() => Text::new(text.trim(), text.trim()),
        RawSource::Same(_) => {
            c.at(raw.span().start, format!("{label}: source is empty"));
            Text::default()
        }
        RawSource::Both(t) => c.text(t, raw.span().start, &format!("{label}: source")),
    }
}

fn question_id(
    c: &mut Checker<'_>,
    raw: Option<&Spanned<String>>,
    start: usize,
    n: usize,
    first_line: &mut HashMap<String, usize>,
) -> String {
    let Some(id) = raw else {
        c.at(start, format!("question #{} has no id", n + 1));
        return String::new();
    };
    let line = c.line(id.span().start);
    let value = id.get_ref().clone();
    if !valid_key(&value) {
        c.at(
            id.span().start,
            format!("invalid question id '{value}': use lowercase letters, digits, '-' and '_'"),
        );
    }
    if let Some(first) = first_line.get(&value) {
        c.at(
            id.span().start,
            format!("duplicate question id '{value}' (first used on line {first})"),
        );
    } else {
        first_line.insert(value.clone(), line);
    }
    value
}

fn options(
    c: &mut Checker<'_>,
    raw: Option<&Spanned<Vec<Spanned<RawText>>>>,
    start: usize,
    label: &str,
) -> Vec<Text> {
    let Some(raw) = raw else {
        c.at(
            start,
            format!("{label} has no options (give {MIN_OPTIONS} to {MAX_OPTIONS})"),
        );
        return Vec::new();
    };
    let n = raw.get_ref().len();
    if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&n) {
        c.at(
            raw.span().start,
            format!("{label} has {n} option(s); a question needs {MIN_OPTIONS} to {MAX_OPTIONS}"),
        );
    }
    let texts: Vec<Text> = raw
        .get_ref()
        .iter()
        .enumerate()
        .map(|(i, o)| {
            c.text(
                o.get_ref(),
                o.span().start,
                &format!("{label}: option {}", letter(i)),
            )
        })
        .collect();
    for (i, a) in texts.iter().enumerate() {
        for (j, b) in texts.iter().enumerate().skip(i + 1) {
            let same = (!a.zh.is_empty() && a.zh == b.zh) || (!a.en.is_empty() && a.en == b.en);
            if same {
                let at = raw.get_ref()[j].span().start;
                c.at(
                    at,
                    format!(
                        "{label}: options {} and {} are the same",
                        letter(i),
                        letter(j)
                    ),
                );
            }
        }
    }
    texts
}

/// The letter written as `correct`: a string, or a list of one.
fn correct_text(c: &mut Checker<'_>, raw: &Spanned<toml::Value>, label: &str) -> Option<String> {
    let at = raw.span().start;
    match raw.get_ref() {
        toml::Value::String(s) => Some(s.trim().to_owned()),
        toml::Value::Array(items) if items.len() == 1 && items[0].is_str() => {
            Some(items[0].as_str().unwrap_or_default().trim().to_owned())
        }
        toml::Value::Array(items) if items.len() > 1 => {
            c.at(
                at,
                format!(
                    "{label}: only one correct option is supported; for \"select all that \
                     apply\" add an option such as \"all of the above\""
                ),
            );
            None
        }
        _ => {
            c.at(
                at,
                format!("{label}: correct must be one letter such as \"B\""),
            );
            None
        }
    }
}

/// The index of the correct option, which must exist.
fn correct(
    c: &mut Checker<'_>,
    raw: Option<&Spanned<toml::Value>>,
    start: usize,
    label: &str,
    n_options: usize,
) -> usize {
    let Some(raw) = raw else {
        c.at(
            start,
            format!("{label} has no correct option (add correct = \"A\"…)"),
        );
        return 0;
    };
    let at = raw.span().start;
    let Some(text) = correct_text(c, raw, label) else {
        return 0;
    };
    let mut chars = text.chars();
    let index = match (chars.next(), chars.next()) {
        (Some(ch), None) => letter_index(ch),
        _ => None,
    };
    match index {
        None => {
            c.at(
                at,
                format!("{label}: unknown correct letter '{text}' (use A–F)"),
            );
            0
        }
        Some(i) if i >= n_options && n_options > 0 => {
            c.at(
                at,
                format!(
                    "{label}: correct option {} does not exist (the question has {n_options} options)",
                    letter(i)
                ),
            );
            0
        }
        Some(i) => i,
    }
}
