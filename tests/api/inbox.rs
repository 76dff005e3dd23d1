//! The durable inbox (issue 13.1): a message's command is stored with its
//! msgId claim (a password-looking text without its text), run from there,
//! marked handled in the transaction of its effects (its text erased then),
//! run again by the sweep after a failure or when its replica's lease has
//! passed, re-run at start with its original received time, once only, and
//! in arrival order per sender.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use dingwarden::AppState;
use dingwarden::dingtalk::signature::sign;
use dingwarden::ingress::sweep;
use dingwarden::store::Backend;
use serde_json::Value;
use tower::ServiceExt as _;

use crate::dual_backend;
use crate::helpers::{SECRET, TestApp, message_text};

/// The inbox row of a message: (sender, command, handled_at, attempts).
type Row = (String, Option<String>, Option<i64>, i64);

async fn row(app: &TestApp, body: &Value) -> Row {
    sqlx::query_as(
        "SELECT sender, command, handled_at, attempts FROM inbound_messages WHERE msg_id = $1",
    )
    .bind(body["msgId"].as_str().unwrap())
    .fetch_one(app.store.pool())
    .await
    .unwrap()
}

/// Another replica of the app whose handlers never get a slot: what it
/// admits stays in the inbox, leased to it, as if it had died.
async fn stalled_replica(app: &TestApp) -> AppState {
    app.replica(|c| c.inbox.max_handlers = 0).await
}

/// Posts a signed callback to `state`'s router.
async fn post_to(app: &TestApp, state: &AppState, body: &Value) -> StatusCode {
    let ts = app.now().timestamp_millis().to_string();
    let req = Request::post("/dingtalk/robot")
        .header("content-type", "application/json")
        .header("timestamp", &ts)
        .header("sign", sign(SECRET, &ts))
        .body(Body::from(body.to_string()))
        .unwrap();
    let router = dingwarden::http::router(state.clone());
    router.oneshot(req).await.unwrap().status()
}

/// Lets `by` pass on the inbox's lease clock: the test clock (SQLite), or
/// the leases moved back by as much (PostgreSQL judges by its own clock).
async fn lease_time_passes(app: &TestApp, by: Duration) {
    app.advance(chrono::Duration::from_std(by).unwrap());
    if app.store.backend() == Backend::Postgres {
        sqlx::query("UPDATE inbound_messages SET lease_until = lease_until - $1")
            .bind(i64::try_from(by.as_millis()).unwrap())
            .execute(app.store.pool())
            .await
            .unwrap();
    }
}

async fn replies(app: &TestApp, staff_id: &str) -> Vec<String> {
    app.webhook_posts(&format!("cid-{staff_id}"))
        .await
        .iter()
        .map(message_text)
        .collect()
}

async fn incidents(app: &TestApp) -> Vec<(i64, String, String, i64)> {
    sqlx::query_as("SELECT id, reporter, text, created_at FROM incidents ORDER BY id")
        .fetch_all(app.store.pool())
        .await
        .unwrap()
}

/// Makes every new incident fail (a trigger), or stops it.
async fn fail_incident_inserts(app: &TestApp, on: bool) {
    let pg = app.store.backend() == Backend::Postgres;
    let statements: &[&str] = match (pg, on) {
        (false, true) => &["CREATE TRIGGER fail_incidents BEFORE INSERT ON incidents \
            BEGIN SELECT RAISE(ABORT, 'incidents are broken'); END"],
        (false, false) => &["DROP TRIGGER fail_incidents"],
        (true, true) => &[
            "CREATE FUNCTION fail_incidents() RETURNS trigger AS $$ \
             BEGIN RAISE EXCEPTION 'incidents are broken'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER fail_incidents BEFORE INSERT ON incidents \
             FOR EACH ROW EXECUTE FUNCTION fail_incidents()",
        ],
        (true, false) => &[
            "DROP TRIGGER fail_incidents ON incidents",
            "DROP FUNCTION fail_incidents()",
        ],
    };
    for sql in statements {
        sqlx::query(sql).execute(app.store.pool()).await.unwrap();
    }
}

async fn a_handled_message_is_marked_in_its_own_transaction_and_its_text_erased(app: TestApp) {
    let report = app.direct("alice", "report lost my badge");
    assert_eq!(app.post(&report).await.0, StatusCode::OK);
    app.state.settle().await;
    let (sender, command, handled_at, attempts) = row(&app, &report).await;
    assert_eq!(sender, "", "the sender is forgotten too");
    assert_eq!(command, None, "text erased once handled");
    assert_eq!(handled_at, Some(app.now().timestamp_millis()));
    assert_eq!(attempts, 1);
    assert_eq!(incidents(&app).await.len(), 1);
    // A command that changes nothing is marked in a small transaction of its own.
    let help = app.direct("alice", "help");
    app.post(&help).await;
    app.state.settle().await;
    let (_, command, handled_at, _) = row(&app, &help).await;
    assert_eq!((command, handled_at.is_some()), (None, true));
    assert_eq!(replies(&app, "alice").await.len(), 2);
    assert_eq!(sweep::sweep(&app.state).await.unwrap(), 0, "nothing left");
}

async fn a_password_looking_text_is_never_stored(app: TestApp) {
    let stalled = stalled_replica(&app).await;
    let pasted = app.direct("alice", "我的密码是 Hunter2!xyz，帮我记一下");
    assert_eq!(post_to(&app, &stalled, &pasted).await, StatusCode::OK);
    let (_, command, handled_at, _) = row(&app, &pasted).await;
    let command = command.expect("kept until handled");
    assert!(!command.contains("Hunter2"), "{command}");
    assert!(command.contains("Withheld"), "only the fact: {command}");
    assert_eq!(handled_at, None);
    // Run by the sweep once the stalled replica's lease has passed: the
    // sender is warned as always, and the fact audited.
    lease_time_passes(&app, Duration::from_secs(31)).await;
    assert_eq!(sweep::sweep(&app.state).await.unwrap(), 1);
    app.state.settle().await;
    let texts = replies(&app, "alice").await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains("密码"), "{texts:?}");
    assert_eq!(app.audit_details("password.pasted").await.len(), 1);
    let (_, command, handled_at, attempts) = row(&app, &pasted).await;
    assert_eq!((command, handled_at.is_some(), attempts), (None, true, 2));
}

async fn a_failed_handler_leaves_its_message_for_the_sweep(app: TestApp) {
    fail_incident_inserts(&app, true).await;
    let report = app.direct("alice", "report phishing mail");
    assert_eq!(app.post(&report).await.0, StatusCode::OK);
    app.state.settle().await;
    assert!(replies(&app, "alice").await.is_empty(), "no reply yet");
    let (_, command, handled_at, attempts) = row(&app, &report).await;
    assert!(command.is_some() && handled_at.is_none() && attempts == 1);
    fail_incident_inserts(&app, false).await;
    assert_eq!(
        sweep::sweep(&app.state).await.unwrap(),
        0,
        "given back with a pause"
    );
    lease_time_passes(&app, Duration::from_secs(6)).await;
    assert_eq!(sweep::sweep(&app.state).await.unwrap(), 1);
    app.state.settle().await;
    let texts = replies(&app, "alice").await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    let all = incidents(&app).await;
    assert_eq!(all.len(), 1);
    // (PostgreSQL's sequence moved on at the failed insert: the id is not 1.)
    assert!(texts[0].contains(&format!("#{}", all[0].0)), "{texts:?}");
    assert_eq!(app.audit_details("incident.report").await.len(), 1);
    let (_, command, handled_at, attempts) = row(&app, &report).await;
    assert_eq!((command, handled_at.is_some(), attempts), (None, true, 2));
}

async fn a_message_failing_every_run_is_answered_with_an_apology_once(app: TestApp) {
    fail_incident_inserts(&app, true).await;
    let report = app.direct("alice", "report it never works");
    app.post(&report).await;
    app.state.settle().await;
    for _ in 1..dingwarden::ingress::inbox::MAX_ATTEMPTS {
        lease_time_passes(&app, Duration::from_secs(6)).await;
        assert_eq!(sweep::sweep(&app.state).await.unwrap(), 1);
        app.state.settle().await;
    }
    let texts = replies(&app, "alice").await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains("出了点问题"), "{texts:?}");
    let (_, command, handled_at, _) = row(&app, &report).await;
    assert_eq!((command, handled_at.is_some()), (None, true));
    lease_time_passes(&app, Duration::from_secs(60)).await;
    assert_eq!(sweep::sweep(&app.state).await.unwrap(), 0);
    assert!(incidents(&app).await.is_empty());
}

async fn a_passed_lease_is_taken_over_and_the_late_run_changes_nothing(app: TestApp) {
    let stalled = stalled_replica(&app).await;
    let report = app.direct("alice", "report stolen laptop");
    assert_eq!(post_to(&app, &stalled, &report).await, StatusCode::OK);
    assert_eq!(
        sweep::sweep(&app.state).await.unwrap(),
        0,
        "leased to the replica"
    );
    lease_time_passes(&app, Duration::from_secs(29)).await;
    assert_eq!(sweep::sweep(&app.state).await.unwrap(), 0);
    lease_time_passes(&app, Duration::from_secs(2)).await;
    assert_eq!(sweep::sweep(&app.state).await.unwrap(), 1);
    app.state.settle().await;
    assert_eq!(incidents(&app).await.len(), 1);
    assert_eq!(replies(&app, "alice").await.len(), 1);
    // The stalled replica's run finally gets its slot: its commit is fenced
    // out, so nothing is created twice and it stays silent.
    stalled.handlers.add_permits(1);
    stalled.settle().await;
    assert_eq!(incidents(&app).await.len(), 1);
    assert_eq!(app.audit_details("incident.report").await.len(), 1);
    assert_eq!(replies(&app, "alice").await.len(), 1);
    // A redelivery of the msgId is a duplicate.
    assert_eq!(app.post(&report).await.0, StatusCode::OK);
    app.state.settle().await;
    assert_eq!(incidents(&app).await.len(), 1);
}

async fn recovery_runs_a_message_at_its_original_received_time(app: TestApp) {
    let received = app.now().timestamp_millis();
    let stalled = stalled_replica(&app).await;
    let report = app.direct("alice", "report USB stick found in the lobby");
    assert_eq!(post_to(&app, &stalled, &report).await, StatusCode::OK);
    // Two hours later: past the lease, and the sessionWebhook has expired.
    lease_time_passes(&app, Duration::from_secs(2 * 3600)).await;
    let app = app.restart().await;
    assert_eq!(sweep::recover(&app.state).await.unwrap(), 1);
    app.state.settle().await;
    let all = incidents(&app).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].3, received, "recorded at its received time");
    // The reply goes through the outbox, 1:1 to the sender.
    assert!(replies(&app, "alice").await.is_empty());
    let queued: Vec<_> = app
        .outbox()
        .await
        .into_iter()
        .filter(|r| r.recipients == ["alice"])
        .collect();
    assert_eq!(queued.len(), 1, "{queued:?}");
    assert!(queued[0].text().contains("#1"), "{}", queued[0].text());
}

async fn per_sender_order_holds_across_recovery(app: TestApp) {
    let stalled = stalled_replica(&app).await;
    for text in ["one", "two", "three"] {
        let body = app.direct("alice", &format!("report {text}"));
        assert_eq!(post_to(&app, &stalled, &body).await, StatusCode::OK);
        let bob = app.direct("bob", &format!("report bob {text}"));
        assert_eq!(post_to(&app, &stalled, &bob).await, StatusCode::OK);
        app.advance(chrono::Duration::milliseconds(1));
    }
    let app = if app.store.backend() == Backend::Sqlite {
        // SQLite: one process owns the file, so at start every row not
        // handled runs at once, leased or not.
        app.restart().await
    } else {
        lease_time_passes(&app, Duration::from_secs(31)).await;
        app
    };
    assert_eq!(sweep::recover(&app.state).await.unwrap(), 6);
    app.state.settle().await;
    let texts: Vec<String> = incidents(&app)
        .await
        .into_iter()
        .filter(|i| i.1 == "alice")
        .map(|i| i.2)
        .collect();
    assert_eq!(texts, ["one", "two", "three"]);
    let ids: Vec<String> = replies(&app, "alice").await;
    assert_eq!(ids.len(), 3, "{ids:?}");
    let pos = |n: &str| ids.iter().position(|t| t.contains(n));
    let all = incidents(&app).await;
    let alice: Vec<String> = all
        .iter()
        .filter(|i| i.1 == "alice")
        .map(|i| format!("#{}", i.0))
        .collect();
    assert!(pos(&alice[0]) < pos(&alice[1]) && pos(&alice[1]) < pos(&alice[2]));
}

dual_backend!(
    a_handled_message_is_marked_in_its_own_transaction_and_its_text_erased,
    a_password_looking_text_is_never_stored,
    a_failed_handler_leaves_its_message_for_the_sweep,
    a_message_failing_every_run_is_answered_with_an_apology_once,
    a_passed_lease_is_taken_over_and_the_late_run_changes_nothing,
    recovery_runs_a_message_at_its_original_received_time,
    per_sender_order_holds_across_recovery,
);
