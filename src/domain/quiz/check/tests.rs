//! Bank validation: every kind of problem, with its line.

use super::*;

const GOOD: &str = r#"# A small bank.
id = "basics"
title = { zh = "基础", en = "Basics" }
pass_percent = 60
questions_per_attempt = 2

[topics]
phishing = { zh = "钓鱼", en = "Phishing" }

[[questions]]
id = "q1"
topic = "phishing"
prompt = { zh = "问题一？", en = "Question one?" }
options = [
  { zh = "甲", en = "one" },
  { zh = "乙", en = "two" },
]
correct = "B"
explanation = { zh = "因为乙。", en = "Because two." }
source = "NIST SP 800-63B"

[[questions]]
id = "q2"
topic = "phishing"
prompt = { zh = "问题二？", en = "Question two?" }
options = [{ zh = "甲", en = "one" }, { zh = "乙", en = "two" }, { zh = "丙", en = "three" }]
correct = "a"
explanation = { zh = "因为甲。", en = "Because one." }
"#;

fn problems(src: &str) -> Vec<String> {
    match parse_bank(src) {
        Ok(_) => Vec::new(),
        Err(p) => p.iter().map(|p| p.display("b.toml").to_string()).collect(),
    }
}

/// GOOD with `from` replaced by `to` (which must occur).
fn edit(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "{from}");
    GOOD.replacen(from, to, 1)
}

#[test]
fn a_good_bank_parses() {
    let bank = parse_bank(GOOD).unwrap();
    assert_eq!(bank.id, "basics");
    assert_eq!(bank.per_attempt, 2);
    assert_eq!(bank.followup, 2);
    assert_eq!(bank.questions[0].correct, 1);
    assert_eq!(bank.questions[1].correct, 0);
    assert_eq!(
        bank.questions[0].source.as_ref().unwrap().zh,
        "NIST SP 800-63B"
    );
    assert_eq!(bank.topics[0].name.en, "Phishing");
}

#[test]
fn the_content_hash_ignores_layout_but_not_content() {
    let a = parse_bank(GOOD).unwrap().content_hash();
    let b = parse_bank(&edit("# A small bank.", "# Edited comment.")).unwrap();
    assert_eq!(a, b.content_hash());
    let c = parse_bank(&edit("Because two.", "Because of two.")).unwrap();
    assert_ne!(a, c.content_hash());
}

#[test]
fn missing_translations_name_the_line_and_language() {
    assert_eq!(
        problems(&edit(
            r#"{ zh = "问题一？", en = "Question one?" }"#,
            r#"{ zh = "问题一？" }"#
        )),
        ["b.toml:13: question 'q1': prompt is missing its English (en) text"]
    );
    assert_eq!(
        problems(&edit(
            r#"{ zh = "乙", en = "two" },"#,
            r#"{ zh = "", en = "two" },"#
        )),
        ["b.toml:16: question 'q1': option B is missing its Chinese (zh) text"]
    );
    assert_eq!(
        problems(&edit(
            r#"title = { zh = "基础", en = "Basics" }"#,
            r#"title = { en = "Basics" }"#
        )),
        ["b.toml:3: title is missing its Chinese (zh) text"]
    );
    assert_eq!(
        problems(&edit(
            r#"explanation = { zh = "因为甲。", en = "Because one." }"#,
            ""
        )),
        ["b.toml:22: question 'q2': explanation is missing (give zh and en)"]
    );
}

#[test]
fn correct_options_must_exist_and_be_single() {
    assert_eq!(
        problems(&edit("correct = \"B\"\n", "")),
        ["b.toml:10: question 'q1' has no correct option (add correct = \"A\"…)"]
    );
    assert_eq!(
        problems(&edit("correct = \"B\"", "correct = \"G\"")),
        ["b.toml:18: question 'q1': unknown correct letter 'G' (use A–F)"]
    );
    assert_eq!(
        problems(&edit("correct = \"B\"", "correct = \"D\"")),
        ["b.toml:18: question 'q1': correct option D does not exist (the question has 2 options)"]
    );
    let multi = problems(&edit("correct = \"B\"", "correct = [\"A\", \"B\"]"));
    assert!(
        multi[0].starts_with("b.toml:18: question 'q1': only one correct option"),
        "{multi:?}"
    );
    assert!(problems(&edit("correct = \"B\"", "correct = [\"B\"]")).is_empty());
}

#[test]
fn option_counts_are_two_to_six() {
    let one = edit(
        r#"options = [{ zh = "甲", en = "one" }, { zh = "乙", en = "two" }, { zh = "丙", en = "three" }]"#,
        r#"options = [{ zh = "甲", en = "one" }]"#,
    );
    assert_eq!(
        problems(&one),
        ["b.toml:26: question 'q2' has 1 option(s); a question needs 2 to 6"]
    );
    let seven: Vec<String> = (1..=7)
        .map(|i| format!("{{ zh = \"项{i}\", en = \"o{i}\" }}"))
        .collect();
    let seven = edit(
        r#"options = [{ zh = "甲", en = "one" }, { zh = "乙", en = "two" }, { zh = "丙", en = "three" }]"#,
        &format!("options = [{}]", seven.join(", ")),
    );
    assert_eq!(
        problems(&seven),
        ["b.toml:26: question 'q2' has 7 option(s); a question needs 2 to 6"]
    );
    let same = edit(
        r#"{ zh = "乙", en = "two" },"#,
        r#"{ zh = "甲", en = "two" },"#,
    );
    assert_eq!(
        problems(&same),
        ["b.toml:16: question 'q1': options A and B are the same"]
    );
}

#[test]
fn duplicate_and_missing_ids_are_reported() {
    assert_eq!(
        problems(&edit("id = \"q2\"", "id = \"q1\"")),
        ["b.toml:23: duplicate question id 'q1' (first used on line 11)"]
    );
    assert_eq!(
        problems(&edit("id = \"q2\"\n", "")),
        ["b.toml:22: question #2 has no id"]
    );
    assert_eq!(
        problems(&edit("id = \"basics\"", "id = \"Review\"")),
        [
            "b.toml:2: invalid bank id 'Review': use lowercase letters, digits, '-' and '_' (not review, list, quit, assign or stats)"
        ]
    );
    assert_eq!(
        problems(&edit("id = \"basics\"\n", "")),
        ["b.toml:1: missing id (the bank's name, e.g. id = \"default\")"]
    );
}

#[test]
fn settings_are_range_checked() {
    assert_eq!(
        problems(&edit("pass_percent = 60", "pass_percent = 120")),
        ["b.toml:4: pass_percent must be between 1 and 100 (got 120)"]
    );
    assert_eq!(
        problems(&edit("pass_percent = 60\n", "")),
        ["b.toml:1: missing pass_percent"]
    );
    assert_eq!(
        problems(&edit(
            "questions_per_attempt = 2",
            "questions_per_attempt = 3"
        )),
        ["b.toml:5: questions_per_attempt is 3 but the bank has only 2 questions"]
    );
}

#[test]
fn topics_must_be_declared_and_translated() {
    assert_eq!(
        problems(&edit("topic = \"phishing\"", "topic = \"wifi\"")),
        ["b.toml:12: question 'q1': unknown topic 'wifi' (declare it under [topics])"]
    );
    assert_eq!(
        problems(&edit(
            r#"{ zh = "钓鱼", en = "Phishing" }"#,
            r#"{ en = "Phishing" }"#
        )),
        ["b.toml:8: topic 'phishing' is missing its Chinese (zh) text"]
    );
}

#[test]
fn syntax_type_and_unknown_field_errors_have_lines() {
    let p = problems(&edit("correct = \"a\"", "correct = \"a"));
    assert_eq!(p.len(), 1);
    assert!(p[0].starts_with("b.toml:27: "), "{p:?}");
    let p = problems(&edit("pass_percent = 60", "pass_percent = \"sixty\""));
    assert!(p[0].starts_with("b.toml:4: invalid type"), "{p:?}");
    let p = problems(&edit(
        "explanation = { zh = \"因为甲。\"",
        "explaination = { zh = \"因为甲。\"",
    ));
    assert!(
        p[0].starts_with("b.toml:28: unknown field `explaination`"),
        "{p:?}"
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let src =
        edit("correct = \"B\"", "correct = \"Z\"").replace("en = \"Question two?\"", "en = \"\"");
    let p = problems(&src.replacen("id = \"q2\"", "id = \"q1\"", 1));
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(p.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn every_problem_is_one_line() {
    // `toml` explains an unclosed array on two lines.
    let p = problems(&edit(
        "{ zh = \"丙\", en = \"three\" }]",
        "{ zh = \"丙\", en = \"three\" }",
    ));
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(!p[0].contains('\n'), "{p:?}");
    // Values quoted from the file have their control characters escaped.
    let p = problems(&edit("id = \"q2\"", "id = \"q\\n2\\u001b[2J\""));
    assert_eq!(
        p,
        [
            "b.toml:23: invalid question id 'q\\n2\\u{1b}[2J': use lowercase letters, digits, '-' and '_'"
        ]
    );
}

#[test]
fn a_file_ending_after_an_equals_sign_has_a_reason() {
    // `toml` itself gives no message for this one.
    assert_eq!(
        problems(&format!("{GOOD}source =")),
        ["b.toml:29: the file ends where a value was expected"]
    );
}
