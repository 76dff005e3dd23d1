//! The quiz command line, run as the built binary: `quiz check` reports
//! every problem as `file:line: reason` and fails; `quiz import` versions
//! banks; `export quiz` writes CSV or JSON.

use std::path::Path;
use std::process::{Command, Output};

const GOOD: &str = r#"id = "phishing-drill"
title = { zh = "钓鱼演练", en = "Phishing drill" }
pass_percent = 50
questions_per_attempt = 2

[topics]
phishing = { zh = "钓鱼", en = "Phishing" }

[[questions]]
id = "q1"
topic = "phishing"
prompt = { zh = "可疑邮件怎么办？", en = "What do you do with a suspicious email?" }
options = [
  { zh = "上报", en = "Report it" },
  { zh = "转发给同事", en = "Forward it to colleagues" },
]
correct = "A"
explanation = { zh = "上报能保护大家。", en = "Reporting protects everyone." }

[[questions]]
id = "q2"
topic = "phishing"
prompt = { zh = "能点陌生链接吗？", en = "Should you click unknown links?" }
options = [{ zh = "不能", en = "No" }, { zh = "能", en = "Yes" }]
correct = "A"
explanation = { zh = "先核实。", en = "Check first." }
"#;

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dingwarden"))
        .args(args)
        .current_dir(dir)
        .env(
            "DINGWARDEN_DATABASE_URL",
            format!("sqlite://{}?mode=rwc", dir.join("cli.db").display()),
        )
        .env("RUST_LOG", "warn")
        .output()
        .expect("run dingwarden")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_reports_every_problem_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let broken = GOOD
        .replace("en = \"Should you click unknown links?\"", "en = \"\"")
        .replace(
            "correct = \"A\"\nexplanation = { zh = \"先核实。\"",
            "correct = \"C\"\nexplanation = { zh = \"先核实。\"",
        )
        .replace("id = \"q2\"", "id = \"q1\"")
        .replace(
            "{ zh = \"转发给同事\", en = \"Forward it to colleagues\" },\n",
            "",
        );
    std::fs::write(dir.path().join("broken.toml"), broken).unwrap();
    std::fs::write(dir.path().join("good.toml"), GOOD).unwrap();
    let out = run(dir.path(), &["quiz", "check", "good.toml", "broken.toml"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("good.toml: ok (bank phishing-drill, 2 questions over 1 topics"),
        "{stdout}"
    );
    for expected in [
        "broken.toml:13: question 'q1' has 1 option(s); a question needs 2 to 6",
        "broken.toml:20: duplicate question id 'q1' (first used on line 10)",
        "broken.toml:22: question 'q1': prompt is missing its English (en) text",
        "broken.toml:24: question 'q1': correct option C does not exist (the question has 2 options)",
        "dingwarden: 4 problem(s) in 1 of 2 file(s)",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in:\n{stderr}"
        );
    }
}

#[test]
fn check_accepts_the_shipped_default_bank_and_reports_syntax_errors() {
    let dir = tempfile::tempdir().unwrap();
    let default = Path::new(env!("CARGO_MANIFEST_DIR")).join("quizzes/default.toml");
    let out = run(dir.path(), &["quiz", "check", default.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("66 questions over 8 topics"),
        "{}",
        text(&out.stdout)
    );
    std::fs::write(dir.path().join("bad.toml"), "id = \"x\"\ntitle = {\n").unwrap();
    let out = run(dir.path(), &["quiz", "check", "bad.toml", "missing.toml"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("bad.toml:2: "), "{stderr}");
    assert!(stderr.contains("missing.toml: cannot read"), "{stderr}");
}

#[test]
fn import_versions_a_bank_and_export_writes_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("drill.toml");
    std::fs::write(&file, GOOD).unwrap();
    let out = run(dir.path(), &["quiz", "import", "drill.toml"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("bank phishing-drill: imported version 1 (2 questions)"));
    let out = run(dir.path(), &["quiz", "import", "drill.toml"]);
    assert!(text(&out.stdout).contains("bank phishing-drill: unchanged (version 1)"));
    std::fs::write(
        &file,
        GOOD.replace("Check first.", "Check the sender first."),
    )
    .unwrap();
    let out = run(dir.path(), &["quiz", "import", "drill.toml"]);
    assert!(
        text(&out.stdout).contains("imported version 2"),
        "{}",
        text(&out.stdout)
    );
    std::fs::write(&file, GOOD.replace("phishing-drill", "default")).unwrap();
    let out = run(dir.path(), &["quiz", "import", "drill.toml"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("reserved for the built-in bank"));
    std::fs::write(&file, GOOD.replace("pass_percent = 50", "pass_percent = 0")).unwrap();
    let out = run(dir.path(), &["quiz", "import", "drill.toml"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("drill.toml:3: pass_percent must be between 1 and 100"));

    let out = run(dir.path(), &["export", "quiz", "phishing-drill"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert!(
        csv.starts_with("\u{feff}attempt_id,bank,bank_version,staff_id,name,department,kind"),
        "{csv}"
    );
    let out = run(
        dir.path(),
        &["export", "quiz", "phishing-drill", "--format", "json"],
    );
    assert_eq!(text(&out.stdout).trim(), "[]");
    let out = run(dir.path(), &["export", "quiz", "nosuch"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("dingwarden: no quiz bank called 'nosuch'"));
    // Both exports are on record, with who, what and how, never the rows.
    let out = run(dir.path(), &["audit", "export"]);
    let exports: Vec<String> = text(&out.stdout)
        .lines()
        .filter(|l| l.contains("\"quiz.export\""))
        .map(str::to_owned)
        .collect();
    assert_eq!(exports.len(), 2, "{exports:?}");
    assert!(
        exports[0].contains("\"actor\":\"cli\"") && exports[0].contains("quiz_bank:phishing-drill")
    );
}
