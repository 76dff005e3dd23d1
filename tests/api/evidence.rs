//! The evidence bundle as an auditor gets it: a history (a notice with acks
//! and a ticked item, a quiz, a password policy change and confirmation, an
//! incident, feedback, a leaver) exported into one signed ZIP, verified
//! offline by the binary with no database and no configuration, and then
//! tampered with: one byte in one file, a re-ordered audit line, a removed
//! file, an added file, an edited audit line under a rewritten manifest,
//! and the wrong public key. The helpers here are shared by `retention`.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::dual_backend;
use crate::helpers::{CliRun, TestApp};
use crate::notices::{EXIT, roster};
use crate::quiz::answer_all;

/// The signing key of these tests (a 32-byte seed, base64) and its public key.
pub(crate) const KEY: &str = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=";

pub(crate) fn public_key() -> String {
    dingwarden::evidence::key::EvidenceKey::parse(KEY)
        .unwrap()
        .public_pem()
}

/// Someone else's key.
fn other_public_key() -> String {
    dingwarden::evidence::key::EvidenceKey::from_seed([9; 32]).public_base64()
}

/// Everything an audit looks for, on the roster of `notices::roster`: an
/// exit notice (#1); u2 (李四) is offboarded (notices #2–#4: theirs, the
/// admins', their manager's), reports an
/// incident, gives feedback, confirms a password change, and leaves; the
/// outbox is delivered.
pub(crate) async fn history(app: &TestApp) {
    roster(app).await;
    app.say("admin1", EXIT).await;
    app.say("admin1", "通知 发送 #1 给 全员").await;
    app.say_confirmed("admin1", "离职 u2").await;
    app.say("u1", "确认 #1").await;
    app.say("u1", "完成 #1 1").await;
    app.say("u2", "确认 #1").await;
    app.say("u1", "测验").await;
    answer_all(app, "u1", |_| true).await;
    app.say("admin1", "密码 策略 60 提醒 5,2").await;
    app.say("u2", "已改密").await;
    app.say("u2", "上报 收到可疑邮件，发件人冒充张三").await;
    app.say("u2", "反馈 很好用").await;
    let now = app.now().timestamp_millis();
    let left = dingwarden::domain::org_event::OrgEvent {
        key: "event:evidence-u2-left".to_owned(),
        event_type: "user_leave_org".to_owned(),
        change: dingwarden::domain::org_event::OrgChange::Left,
        user_ids: vec!["u2".to_owned()],
    };
    let ctx = dingwarden::actions::Ctx::new(
        &app.store,
        &app.state.config,
        dingwarden::clock::from_ms(now),
        dingwarden::actions::Actor::System("dingtalk"),
    );
    dingwarden::actions::roster::apply_org_event(&ctx, &left)
        .await
        .unwrap();
    app.drain().await;
}

/// Where a test keeps its bundles.
pub(crate) fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// `dingwarden evidence export --out DIR/name` (signed with [`KEY`]).
pub(crate) async fn export(app: &TestApp, dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut args = vec!["evidence", "export", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let run = app.cli(&args, &[("DINGWARDEN_EVIDENCE_KEY", KEY)]).await;
    assert!(run.ok, "{run:?}");
    assert!(run.stdout.contains("signed with"), "{run:?}");
    out
}

/// `dingwarden evidence verify` with an empty environment: no database URL,
/// no secrets, no configuration file.
pub(crate) fn verify(file: &Path, pubkey: Option<&str>) -> CliRun {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dingwarden"));
    cmd.env_clear()
        .args(["evidence", "verify", file.to_str().unwrap()]);
    if let Some(k) = pubkey {
        cmd.args(["--pubkey", k]);
    }
    let out = cmd.output().expect("run dingwarden");
    CliRun {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every file of a bundle, in order.
pub(crate) fn entries(file: &Path) -> Vec<(String, Vec<u8>)> {
    let bytes = std::fs::read(file).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (f.name().to_owned(), data)
        })
        .collect()
}

fn file<'a>(all: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    &all.iter().find(|(n, _)| n == name).unwrap().1
}

/// Writes `files` as a new bundle next to `like`.
fn write_zip(like: &Path, name: &str, files: &[(String, Vec<u8>)]) -> PathBuf {
    let out = like.with_file_name(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&out).unwrap());
    for (n, data) in files {
        zip.start_file(n.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
    out
}

fn sha256(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn a_bundle_holds_the_history_and_verifies_offline(app: TestApp) {
    history(&app).await;
    let dir = scratch();
    let bundle = export(&app, dir.path(), "evidence.zip", &[]).await;
    let ok = verify(&bundle, Some(&public_key()));
    assert!(ok.ok, "{ok:?}");
    assert!(ok.stdout.contains("evidence bundle intact"), "{ok:?}");
    assert!(ok.stdout.contains("signature checked"), "{ok:?}");
    let all = entries(&bundle);
    let manifest: Value = serde_json::from_slice(file(&all, "manifest.json")).unwrap();
    assert_eq!(manifest["generated_by"], "cli");
    assert_eq!(manifest["counts"]["notices"], 4);
    assert_eq!(manifest["counts"]["notice_recipients"], 10);
    assert_eq!(manifest["counts"]["notice_acknowledged"], 2);
    assert_eq!(manifest["counts"]["quiz_attempts"], 1);
    assert_eq!(manifest["counts"]["password_policy_changes"], 1);
    assert_eq!(manifest["counts"]["password_confirmations"], 1);
    assert_eq!(manifest["counts"]["incidents"], 1);
    assert_eq!(manifest["counts"]["feedback"], 1);
    assert_eq!(manifest["counts"]["users_active"], 6);
    // Every other file is listed with its hash and size.
    let listed = manifest["files"].as_array().unwrap();
    assert_eq!(
        listed.len() + 2,
        all.len(),
        "all but manifest.json and .sig"
    );
    for f in listed {
        let data = file(&all, f["path"].as_str().unwrap());
        assert_eq!(f["sha256"], sha256(data));
        assert_eq!(f["size"], data.len() as u64);
    }
    // Today's acknowledgement export, as CSV with BOM and as JSON.
    let acks = String::from_utf8(file(&all, "notices/notice-1-acks.csv").to_vec()).unwrap();
    assert!(acks.starts_with('\u{feff}'), "{acks}");
    assert!(acks.contains("1,u1,张三,总部/研发部"), "{acks}");
    assert!(acks.contains(",acked,张三,总部/研发部\r\n"), "{acks}");
    let acks: Value = serde_json::from_slice(file(&all, "notices/notice-1-acks.json")).unwrap();
    assert_eq!(acks.as_array().unwrap().len(), 7);
    let notices: Value = serde_json::from_slice(file(&all, "notices/notices.json")).unwrap();
    assert_eq!(notices[0]["checklist"][0]["ticked_by"], 1);
    let policy: Value =
        serde_json::from_slice(file(&all, "passwords/policy-changes.json")).unwrap();
    assert_eq!(policy[0]["by"], "admin1");
    let incidents: Value = serde_json::from_slice(file(&all, "incidents/incidents.json")).unwrap();
    assert_eq!(incidents[0]["category"], "incident");
    assert_eq!(incidents[0]["status"], "open");
    let roster = String::from_utf8(file(&all, "roster/users.csv").to_vec()).unwrap();
    assert!(
        roster.contains("u2,李四,总部/研发部,m1,,false,"),
        "{roster}"
    );
    let readme = String::from_utf8(file(&all, "README.txt").to_vec()).unwrap();
    assert!(readme.contains("如何核验") && readme.contains("How to check it"));
    // The audit log is all there, and the export itself is audited with
    // the manifest's hash (it shows in the next bundle).
    let lines = file(&all, "audit/audit.jsonl").split(|b| *b == b'\n');
    let n = lines.filter(|l| !l.is_empty()).count() as i64;
    assert_eq!(n + 1, app.count("audit_log").await);
    assert_eq!(manifest["audit"]["entries"], n);
    let exported = app.audit_details("evidence.export").await;
    assert_eq!(
        exported[0]["manifest_sha256"],
        sha256(file(&all, "manifest.json"))
    );
    // An unknown notice is refused, and nothing is written or audited.
    let out = dir.path().join("none.zip");
    let refused = app
        .cli(
            &[
                "evidence",
                "export",
                "--out",
                out.to_str().unwrap(),
                "--notice",
                "9",
            ],
            &[],
        )
        .await;
    assert!(!refused.ok && refused.stderr.contains("there is no notice #9"));
    assert!(std::fs::read_dir(dir.path()).unwrap().count() == 1);
    assert_eq!(app.audit_details("evidence.export").await.len(), 1);
}

async fn tampering_is_named_file_by_file(app: TestApp) {
    history(&app).await;
    let dir = scratch();
    let bundle = export(&app, dir.path(), "evidence.zip", &["--notice", "#1"]).await;
    let all = entries(&bundle);
    let key = public_key();
    // One byte changed in one file.
    let mut edited = all.clone();
    let acks = edited
        .iter_mut()
        .find(|(n, _)| n == "notices/notice-1-acks.csv")
        .unwrap();
    let at = acks.1.len() - 10;
    acks.1[at] ^= 0x01;
    let run = verify(&write_zip(&bundle, "byte.zip", &edited), Some(&key));
    assert!(!run.ok);
    assert_eq!(run.stdout.lines().count(), 1, "{run:?}");
    assert!(
        run.stdout
            .starts_with("notices/notice-1-acks.csv: SHA-256 "),
        "{run:?}"
    );
    // Two audit lines swapped: the file and the seq are named.
    let mut swapped = all.clone();
    let log = swapped
        .iter_mut()
        .find(|(n, _)| n == "audit/audit.jsonl")
        .unwrap();
    let text = String::from_utf8(log.1.clone()).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.swap(3, 4);
    log.1 = format!("{}\n", lines.join("\n")).into_bytes();
    let run = verify(&write_zip(&bundle, "swap.zip", &swapped), Some(&key));
    assert!(!run.ok);
    assert!(
        run.stdout
            .contains("audit/audit.jsonl: seq 4: line 5 is out of order (it follows seq 5)"),
        "{run:?}"
    );
    assert!(run.stdout.contains("audit/audit.jsonl: SHA-256"), "{run:?}");
    // A removed file, and an added one.
    let mut fewer = all.clone();
    fewer.retain(|(n, _)| n != "quiz/attempts.csv");
    fewer.push(("extra.txt".into(), b"x".to_vec()));
    let run = verify(&write_zip(&bundle, "fewer.zip", &fewer), Some(&key));
    assert!(!run.ok);
    assert!(
        run.stdout
            .contains("quiz/attempts.csv: missing (listed in manifest.json)"),
        "{run:?}"
    );
    assert!(
        run.stdout
            .contains("extra.txt: not listed in manifest.json"),
        "{run:?}"
    );
    // The wrong key.
    let run = verify(&bundle, Some(&other_public_key()));
    assert!(!run.ok);
    assert!(
        run.stdout
            .starts_with("manifest.sig: the signature does not match this public key"),
        "{run:?}"
    );
    // Without --pubkey the signature is not checked (and it says so).
    let run = verify(&bundle, None);
    assert!(
        run.ok && run.stdout.contains("signature not checked"),
        "{run:?}"
    );
    forged_manifest_still_fails_on_the_chain(&bundle, &all);
}

/// Someone without the key edits an audit entry, then rewrites the
/// manifest's hashes and drops the signature: the files agree with the
/// manifest, but the chain names the entry (and --pubkey the signature).
fn forged_manifest_still_fails_on_the_chain(bundle: &Path, all: &[(String, Vec<u8>)]) {
    let mut forged: Vec<(String, Vec<u8>)> = all
        .iter()
        .filter(|(n, _)| n != "manifest.sig")
        .cloned()
        .collect();
    let log = forged
        .iter_mut()
        .find(|(n, _)| n == "audit/audit.jsonl")
        .unwrap();
    let text = String::from_utf8(log.1.clone()).unwrap();
    let mut lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    lines[2]["actor"] = Value::String("mallory".into());
    let rewritten: String = lines.iter().map(|l| format!("{l}\n")).collect();
    log.1 = rewritten.into_bytes();
    let (sha, size) = (sha256(&log.1), log.1.len());
    let m = forged
        .iter_mut()
        .find(|(n, _)| n == "manifest.json")
        .unwrap();
    let mut manifest: Value = serde_json::from_slice(&m.1).unwrap();
    for f in manifest["files"].as_array_mut().unwrap() {
        if f["path"] == "audit/audit.jsonl" {
            f["sha256"] = Value::String(sha.clone());
            f["size"] = size.into();
        }
    }
    m.1 = serde_json::to_vec_pretty(&manifest).unwrap();
    let path = write_zip(bundle, "forged.zip", &forged);
    let run = verify(&path, None);
    assert!(!run.ok);
    assert_eq!(
        run.stdout.trim(),
        "audit/audit.jsonl: seq 3: entry #3 was edited (its contents no longer match its hash)",
        "{run:?}"
    );
    let run = verify(&path, Some(&public_key()));
    assert!(run.stdout.contains("manifest.sig: missing"), "{run:?}");
}

async fn the_public_key_is_printed_for_auditors(app: TestApp) {
    let run = app
        .cli(&["evidence", "pubkey"], &[("DINGWARDEN_EVIDENCE_KEY", KEY)])
        .await;
    assert!(run.ok, "{run:?}");
    assert_eq!(run.stdout, public_key());
    let none = app.cli(&["evidence", "pubkey"], &[]).await;
    assert!(!none.ok && none.stderr.contains("DINGWARDEN_EVIDENCE_KEY is not set"));
    let bad = app
        .cli(
            &["evidence", "pubkey"],
            &[("DINGWARDEN_EVIDENCE_KEY", "c2VjcmV0")],
        )
        .await;
    assert!(
        !bad.ok && bad.stderr.contains("DINGWARDEN_EVIDENCE_KEY:"),
        "{bad:?}"
    );
    assert!(
        !bad.stderr.contains("c2VjcmV0"),
        "the value is never echoed"
    );
    // The bundle written in memory, for the console (an admin acting): the
    // same checks hold.
    use dingwarden::actions::{Actor, Ctx, evidence};
    let key = dingwarden::evidence::key::EvidenceKey::parse(KEY).unwrap();
    let mut config = (*app.state.config).clone();
    config.evidence_key = Some(key.clone());
    app.seed_user("admin1", "管理员", None, None).await;
    let admin = app.store.user("admin1").await.unwrap().unwrap();
    let ctx = Ctx::new(&app.store, &config, app.now(), Actor::Person(&admin));
    let req = evidence::ExportRequest::default();
    let (bytes, done) = evidence::export(&ctx, &req, Cursor::new(Vec::new()))
        .await
        .unwrap();
    let report = dingwarden::evidence::verify::verify(
        Cursor::new(bytes.into_inner()),
        "memory",
        Some(&key.public()),
    );
    assert!(report.ok(), "{report:?}");
    let entries = app.audit_entries().await;
    let last = entries.last().unwrap();
    assert_eq!(
        (last.0.as_str(), last.1.as_str()),
        ("admin1", "evidence.export")
    );
    assert_eq!(done.audit_seq, entries.len() as i64);
}

dual_backend!(
    a_bundle_holds_the_history_and_verifies_offline,
    tampering_is_named_file_by_file,
    the_public_key_is_printed_for_auditors,
);
