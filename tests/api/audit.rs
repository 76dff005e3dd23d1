//! The audit log as auditors use it: `dingwarden audit verify` catches an
//! edited, deleted, reordered or rewritten entry and names it;
//! `dingwarden audit export` writes JSON lines that re-hash to the chain.

use dingwarden::domain::audit::{chain_hash, payload_hash};
use serde_json::Value;

use crate::dual_backend;
use crate::helpers::TestApp;

/// Fills the log from chat: 2 role grants at start-up, then 6 entries.
async fn busy_log(app: &TestApp) -> i64 {
    app.say("alice", "上报 收到可疑邮件").await;
    app.say("alice", "反馈 很好用").await;
    app.say("alice", "incidents").await; // refused, audited
    app.say("admin1", "incidents").await;
    app.say("admin1", "incident close 1 已处理").await;
    app.say("admin1", "feedback list").await;
    let n = app.count("audit_log").await;
    assert_eq!(n, 8);
    let ok = app.cli(&["audit", "verify"], &[]).await;
    assert!(ok.ok, "{ok:?}");
    assert!(
        ok.stdout.starts_with("audit log intact: 8 entries"),
        "{}",
        ok.stdout
    );
    n
}

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(app.store.pool()).await.unwrap();
}

async fn verify_fails_with(app: &TestApp, needle: &str) {
    let run = app.cli(&["audit", "verify"], &[]).await;
    assert!(!run.ok, "verify passed a tampered log: {run:?}");
    assert!(
        run.stderr.contains(needle),
        "{needle} not in {}",
        run.stderr
    );
}

async fn an_edited_entry_is_named(app: TestApp) {
    busy_log(&app).await;
    exec(&app, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 4").await;
    verify_fails_with(
        &app,
        "audit log broken at entry #4: entry #4 was edited (its contents no longer match its hash)",
    )
    .await;
}

async fn a_deleted_entry_is_named(app: TestApp) {
    busy_log(&app).await;
    exec(&app, "DELETE FROM audit_log WHERE seq = 5").await;
    verify_fails_with(&app, "entry #5 was deleted (the log jumps from #4 to #6)").await;
    // Deleting the first entry shows too.
    exec(&app, "DELETE FROM audit_log WHERE seq = 1").await;
    verify_fails_with(&app, "entry #1 was deleted (the log starts at #2)").await;
}

async fn reordered_entries_are_named(app: TestApp) {
    busy_log(&app).await;
    exec(&app, "UPDATE audit_log SET seq = -1 WHERE seq = 3").await;
    exec(&app, "UPDATE audit_log SET seq = 3 WHERE seq = 6").await;
    exec(&app, "UPDATE audit_log SET seq = 6 WHERE seq = -1").await;
    verify_fails_with(
        &app,
        "entry #3 was reordered (it was written after entry #5)",
    )
    .await;
}

async fn an_entry_rewritten_with_a_fresh_hash_is_named(app: TestApp) {
    busy_log(&app).await;
    let (at, action, subject, details, prev, salt): (i64, String, String, String, String, String) =
        sqlx::query_as(
            "SELECT at, action, subject, details, prev_hash, payload_salt FROM audit_log WHERE seq = 3",
        )
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    // A careful forger recomputes the entry's own hashes...
    let payload = payload_hash(&salt, "someone", &subject, &details);
    let forged = chain_hash(3, at, &action, &payload, &prev);
    sqlx::query(
        "UPDATE audit_log SET actor = 'someone', payload_hash = $1, hash = $2 WHERE seq = 3",
    )
    .bind(&payload)
    .bind(&forged)
    .execute(app.store.pool())
    .await
    .unwrap();
    // ...but the next entry still links to the original.
    verify_fails_with(
        &app,
        "audit log broken at entry #3: entry #3 was edited and its hash recomputed",
    )
    .await;
}

async fn entries_deleted_and_renumbered_are_found(app: TestApp) {
    busy_log(&app).await;
    exec(&app, "DELETE FROM audit_log WHERE seq = 4").await;
    for seq in 5..=8 {
        exec(
            &app,
            &format!("UPDATE audit_log SET seq = {} WHERE seq = {seq}", seq - 1),
        )
        .await;
    }
    verify_fails_with(&app, "audit log broken at entry #4").await;
}

async fn export_writes_json_lines_that_rehash(app: TestApp) {
    let n = busy_log(&app).await;
    let run = app.cli(&["audit", "export"], &[]).await;
    assert!(run.ok, "{run:?}");
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len() as i64, n);
    for l in &lines {
        let payload = payload_hash(
            l["payload_salt"].as_str().unwrap(),
            l["actor"].as_str().unwrap(),
            l["subject"].as_str().unwrap(),
            &l["details"].to_string(),
        );
        assert_eq!(l["payload_hash"], Value::String(payload.clone()));
        let hash = chain_hash(
            l["seq"].as_i64().unwrap(),
            l["at_ms"].as_i64().unwrap(),
            l["action"].as_str().unwrap(),
            &payload,
            l["prev_hash"].as_str().unwrap(),
        );
        assert_eq!(l["hash"], Value::String(hash));
    }
    assert_eq!(lines[2]["action"], "incident.report");
    assert_eq!(lines[2]["actor"], "alice");
    assert!(
        lines[2]["at"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-30T10:00:00+08:00")
    );
    // No message text in the log: only ids.
    assert!(!run.stdout.contains("可疑邮件") && !run.stdout.contains("很好用"));
    // --since is a local date: t0's day includes everything, the next day nothing.
    let since = app
        .cli(&["audit", "export", "--since", "2026-11-30"], &[])
        .await;
    assert_eq!(since.stdout.lines().count() as i64, n);
    let none = app
        .cli(&["audit", "export", "--since", "2026-12-01"], &[])
        .await;
    assert!(none.ok && none.stdout.is_empty(), "{none:?}");
    let bad = app
        .cli(&["audit", "export", "--since", "yesterday"], &[])
        .await;
    assert!(!bad.ok);
}

async fn truncation_is_caught_against_a_recorded_head(app: TestApp) {
    busy_log(&app).await;
    let ok = app.cli(&["audit", "verify"], &[]).await;
    let head = ok.stdout.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(head.starts_with("8:"), "{head}");
    app.say("bob", "feedback later entry").await;
    let run = app.cli(&["audit", "verify", "--anchor", &head], &[]).await;
    assert!(run.ok && run.stdout.contains("9 entries"), "{run:?}");
    // Dropping the newest entries leaves a valid, shorter chain...
    exec(&app, "DELETE FROM audit_log WHERE seq >= 8").await;
    assert!(app.cli(&["audit", "verify"], &[]).await.ok);
    // ...which the recorded head exposes.
    let run = app.cli(&["audit", "verify", "--anchor", &head], &[]).await;
    assert!(!run.ok);
    assert!(
        run.stderr
            .contains("entry #8 no longer has the hash recorded for it"),
        "{run:?}"
    );
    let bad = app
        .cli(&["audit", "verify", "--anchor", "8:xyz"], &[])
        .await;
    assert!(!bad.ok && bad.stderr.contains("64 hex digits"), "{bad:?}");
}

/// Two replicas (two pools on one database; on SQLite, one process's
/// writers) append at once: the chain never forks.
async fn concurrent_appends_keep_one_chain(app: TestApp) {
    use dingwarden::store::Backend;
    use dingwarden::store::audit::{self, AuditEntry};
    let other = match app.store.backend() {
        Backend::Postgres => dingwarden::Store::open(&app.db.url()).await.unwrap(),
        Backend::Sqlite => app.store.clone(),
    };
    let writers = [app.store.clone(), other].map(|store| {
        tokio::spawn(async move {
            for i in 0..25 {
                let mut tx = store.begin_write().await.unwrap();
                let entry = AuditEntry {
                    actor: "replica",
                    action: "test.append",
                    subject: "",
                    details: serde_json::json!({"i": i}),
                };
                audit::append(tx.conn(), &entry, i).await.unwrap();
                tx.commit().await.unwrap();
            }
        })
    });
    for w in writers {
        w.await.unwrap();
    }
    let intact = dingwarden::cli::audit::verify_chain(app.store.pool())
        .await
        .unwrap()
        .expect("intact chain");
    assert_eq!(intact.entries, 52);
}

dual_backend!(
    truncation_is_caught_against_a_recorded_head,
    concurrent_appends_keep_one_chain,
    an_edited_entry_is_named,
    a_deleted_entry_is_named,
    reordered_entries_are_named,
    an_entry_rewritten_with_a_fresh_hash_is_named,
    entries_deleted_and_renumbered_are_found,
    export_writes_json_lines_that_rehash,
);
