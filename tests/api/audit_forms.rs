//! The two forms of audit entry (issue 17 point 4): a log written before
//! migration 0007 keeps verifying after it, with new entries in the
//! redactable form after the recorded seq; a payload redacted under
//! retention still verifies and is counted, in the database and in a
//! bundle, while any other change to that entry still fails.

use dingwarden::domain::audit::{GENESIS_HASH, legacy_entry_hash};
use dingwarden::store::audit;
use serde_json::Value;

use crate::dual_backend;
use crate::evidence::{entries, export, public_key, scratch, verify};
use crate::helpers::TestApp;

async fn exec(app: &TestApp, sql: &str) {
    sqlx::query(sql).execute(app.store.pool()).await.unwrap();
}

async fn verify_ok(app: &TestApp) -> String {
    let run = app.cli(&["audit", "verify"], &[]).await;
    assert!(run.ok, "{run:?}");
    run.stdout
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

/// Puts the database back to schema 6 with three entries in the old form,
/// as an installation from before this change has it.
async fn an_old_installation(app: &TestApp) {
    exec(app, "DELETE FROM audit_log").await;
    exec(
        app,
        "DELETE FROM settings WHERE key = 'audit.current_form_from'",
    )
    .await;
    exec(app, "ALTER TABLE audit_log DROP COLUMN payload_hash").await;
    exec(app, "ALTER TABLE audit_log DROP COLUMN payload_salt").await;
    exec(app, "DELETE FROM _sqlx_migrations WHERE version = 7").await;
    let mut prev = GENESIS_HASH.to_owned();
    for seq in 1..=3_i64 {
        let (actor, details) = ("admin1", format!("{{\"n\":{seq}}}"));
        let hash = legacy_entry_hash(seq, seq * 1000, actor, "old.entry", "s", &details, &prev);
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) \
             VALUES ($1, $2, $3, 'old.entry', 's', $4, $5, $6)",
        )
        .bind(seq)
        .bind(seq * 1000)
        .bind(actor)
        .bind(&details)
        .bind(&prev)
        .bind(&hash)
        .execute(app.store.pool())
        .await
        .unwrap();
        prev = hash;
    }
}

async fn an_old_chain_keeps_verifying_after_the_migration(app: TestApp) {
    an_old_installation(&app).await;
    app.store.migrate().await.unwrap();
    let from = audit::current_form_from(app.store.pool()).await.unwrap();
    assert_eq!(from, 4, "the first seq of the new form is recorded");
    app.say("alice", "反馈 很好用").await;
    app.say("alice", "上报 可疑邮件").await;
    let out = verify_ok(&app).await;
    assert!(
        out.starts_with("audit log intact: 5 entries (0 entries redacted"),
        "{out}"
    );
    // Old entries cannot be redacted (their hash covers the payload)...
    let mut tx = app.store.begin_write().await.unwrap();
    assert!(!audit::redact(tx.conn(), 2, "x", "y", 9).await.unwrap());
    assert!(audit::redact(tx.conn(), 4, "x", "y", 9).await.unwrap());
    tx.commit().await.unwrap();
    let out = verify_ok(&app).await;
    assert!(
        out.contains("(1 entries redacted under retention)"),
        "{out}"
    );
    // ...and a bundle of the mixed chain verifies offline.
    let dir = scratch();
    let bundle = export(&app, dir.path(), "mixed.zip", &[]).await;
    let run = verify(&bundle, Some(&public_key()));
    assert!(run.ok, "{run:?}");
    assert!(
        run.stdout.contains("(1 entries redacted under retention)"),
        "{run:?}"
    );
    // Moving the recorded seq either way breaks the chain.
    exec(
        &app,
        "UPDATE settings SET value = '2' WHERE key = 'audit.current_form_from'",
    )
    .await;
    verify_fails_with(&app, "audit log broken at entry #2: entry #2 was edited").await;
    exec(
        &app,
        "UPDATE settings SET value = '9' WHERE key = 'audit.current_form_from'",
    )
    .await;
    verify_fails_with(&app, "audit log broken at entry #4: entry #4 was edited").await;
    exec(
        &app,
        "UPDATE settings SET value = '4' WHERE key = 'audit.current_form_from'",
    )
    .await;
    verify_ok(&app).await;
    // An old entry given a redaction marker is an edit.
    let marker = dingwarden::domain::audit::redaction(5);
    sqlx::query("UPDATE audit_log SET details = $1 WHERE seq = 2")
        .bind(&marker)
        .execute(app.store.pool())
        .await
        .unwrap();
    verify_fails_with(&app, "audit log broken at entry #2: entry #2 was edited").await;
}

async fn a_redacted_payload_still_verifies_and_is_counted(app: TestApp) {
    app.say("alice", "上报 收到可疑邮件").await;
    app.say("alice", "反馈 很好用").await;
    app.say("admin1", "incident close 1 已处理").await;
    let mut tx = app.store.begin_write().await.unwrap();
    let at = app.now().timestamp_millis();
    assert!(
        audit::redact(tx.conn(), 3, "p-1234", "p-1234", at)
            .await
            .unwrap()
    );
    assert!(
        !audit::redact(tx.conn(), 3, "p-1234", "p-1234", at)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    let (actor, details, salt): (String, String, Option<String>) =
        sqlx::query_as("SELECT actor, details, payload_salt FROM audit_log WHERE seq = 3")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(actor, "p-1234");
    let details: Value = serde_json::from_str(&details).unwrap();
    assert_eq!(
        details,
        serde_json::json!({"redacted": "retention", "at": at})
    );
    assert_eq!(
        salt, None,
        "the salt goes, so the payload cannot be guessed back"
    );
    let out = verify_ok(&app).await;
    assert!(
        out.contains("(1 entries redacted under retention)"),
        "{out}"
    );
    // In a bundle too.
    let dir = scratch();
    let bundle = export(&app, dir.path(), "redacted.zip", &[]).await;
    let run = verify(&bundle, Some(&public_key()));
    assert!(run.ok, "{run:?}");
    assert!(
        run.stdout.contains("(1 entries redacted under retention)"),
        "{run:?}"
    );
    let all = entries(&bundle);
    let manifest: Value =
        serde_json::from_slice(&all.iter().find(|(n, _)| n == "manifest.json").unwrap().1).unwrap();
    assert_eq!(manifest["audit"]["redacted"], 1);
    // Anything else about a redacted entry is still covered by the chain.
    exec(&app, "UPDATE audit_log SET at = at + 1 WHERE seq = 3").await;
    verify_fails_with(&app, "audit log broken at entry #3: entry #3 was edited").await;
    exec(
        &app,
        "UPDATE audit_log SET at = at - 1, action = 'x' WHERE seq = 3",
    )
    .await;
    verify_fails_with(&app, "audit log broken at entry #3: entry #3 was edited").await;
}

dual_backend!(
    an_old_chain_keeps_verifying_after_the_migration,
    a_redacted_payload_still_verifies_and_is_counted,
);
