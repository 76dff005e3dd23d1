//! The quiz bank loader and checker (`domain::quiz::parse_bank`): any file
//! is a bank that keeps every promise the quiz relies on (questions with
//! 2–6 distinct options and an existing correct one, declared topics, sane
//! numbers) and renders, or a list of problems sorted by line, each naming
//! a line of the file and a one-line reason.

use std::collections::HashSet;

use dingwarden::commands::{Command, parse};
use dingwarden::domain::Message;
use dingwarden::domain::quiz::bank::{MAX_OPTIONS, MIN_OPTIONS, valid_bank_id, valid_key};
use dingwarden::domain::quiz::render::{feedback, question_card};
use dingwarden::domain::quiz::{Asked, Bank, Question, Text, parse_bank};
use dingwarden::i18n::Lang;

/// Checks one file's bytes (a file that is not UTF-8 is refused before parsing).
pub fn check(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let lines = src.matches('\n').count() + 1;
    match parse_bank(src) {
        Ok(bank) => {
            valid(&bank);
            assert_eq!(parse_bank(src).as_ref(), Ok(&bank), "not deterministic");
            let hash = bank.content_hash();
            assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
            for q in &bank.questions {
                render(&bank, q);
            }
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "refused without a problem");
            assert!(problems.is_sorted_by_key(|p| p.line), "not sorted by line");
            for p in &problems {
                assert!((1..=lines).contains(&p.line), "line {} of {lines}", p.line);
                assert!(super::one_line(&p.reason), "reason {:?}", p.reason);
                let shown = p.display("bank.toml").to_string();
                assert!(shown.starts_with(&format!("bank.toml:{}: ", p.line)));
            }
        }
    }
}

fn text(t: &Text) {
    for s in [&t.zh, &t.en] {
        assert!(!s.is_empty() && s.trim() == s, "{t:?}");
    }
}

fn valid(bank: &Bank) {
    assert!(valid_bank_id(&bank.id), "{:?}", bank.id);
    text(&bank.title);
    assert!((1..=100).contains(&bank.pass_percent));
    assert!(!bank.questions.is_empty());
    assert!(bank.per_attempt >= 1 && bank.per_attempt <= bank.questions.len());
    assert!(bank.followup >= 1 && bank.followup <= bank.per_attempt);
    for t in &bank.topics {
        assert!(valid_key(&t.key), "{:?}", t.key);
        text(&t.name);
    }
    let mut ids = HashSet::new();
    for q in &bank.questions {
        assert!(valid_key(&q.id) && ids.insert(&q.id), "{:?}", q.id);
        assert!(bank.topic(&q.topic).is_some(), "{:?}", q.topic);
        assert!((MIN_OPTIONS..=MAX_OPTIONS).contains(&q.options.len()));
        assert!(q.correct < q.options.len());
        for t in q
            .options
            .iter()
            .chain([&q.prompt, &q.explanation])
            .chain(&q.source)
        {
            text(t);
        }
        let zh: HashSet<_> = q.options.iter().map(|o| &o.zh).collect();
        let en: HashSet<_> = q.options.iter().map(|o| &o.en).collect();
        assert!(zh.len() == q.options.len() && en.len() == q.options.len());
    }
}

/// Renders the question and its feedback in both languages; every button
/// answers with a text the command parser reads back as that answer.
fn render(bank: &Bank, q: &Question) {
    let topic = bank.topic(&q.topic).expect("checked").name.clone();
    let asked = Asked {
        id: 42,
        attempt_id: 1,
        position: 1,
        total: 1,
        bank_title: bank.title.clone(),
        question_key: q.id.clone(),
        topic,
        prompt: q.prompt.clone(),
        options: q.options.clone(),
        correct: q.correct,
        explanation: q.explanation.clone(),
        source: q.source.clone(),
        order: (0..q.options.len()).rev().collect(),
        answer: Some(0),
    };
    for lang in [Lang::Zh, Lang::En] {
        let Message::ActionCard { buttons, .. } = question_card(&asked, lang, None) else {
            panic!("a question is a card");
        };
        assert_eq!(buttons.len(), q.options.len());
        for b in &buttons {
            let choice = b.title.chars().next().expect("a letter");
            let want = Command::Answer {
                choice,
                question: Some(42),
            };
            assert_eq!(parse(&b.reply), Ok(want), "button {:?}", b.reply);
        }
        feedback(&asked, lang);
    }
}
