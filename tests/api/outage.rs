//! A PostgreSQL outage (issue 13), through a TCP proxy the test cuts and
//! restores: callbacks answer 503 within the claim timeout (never hang,
//! never 200 without the claim's row), `/readyz` is 503, and once the
//! database is back the service recovers by itself (the pool and the dedupe
//! writer's own connection reconnect) and takes DingTalk's redeliveries.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::proxy::{Cut, PgProxy};
use crate::helpers::{TestApp, drop_pg_database, message_text};

const CLAIM: Duration = Duration::from_millis(500);
/// What a loaded two-core machine may add to a bound.
const SLACK: Duration = Duration::from_millis(4000);
/// Callers sending all the time during the load.
const SENDERS: usize = 6;

/// An app on PostgreSQL through a proxy the test cuts, whose claims wait
/// at most `claim`.
async fn behind_proxy(claim: Duration) -> (TestApp, PgProxy) {
    let (app, proxy) = TestApp::postgres_behind_proxy().await;
    let app = app.reconfigure(|c| c.timeouts.claim = claim).await;
    (app, proxy)
}

/// One callback sent, as its sender saw it.
struct Sent {
    body: Value,
    status: StatusCode,
    took: Duration,
}

async fn send(app: &TestApp, body: Value) -> Sent {
    let start = Instant::now();
    let (status, _) = app.post(&body).await;
    Sent {
        body,
        status,
        took: start.elapsed(),
    }
}

/// Senders posting `help` until `stop` is set; everything they sent.
fn load(app: &Arc<TestApp>, stop: &Arc<AtomicBool>) -> Vec<tokio::task::JoinHandle<Vec<Sent>>> {
    (0..SENDERS)
        .map(|n| {
            let (app, stop) = (app.clone(), stop.clone());
            tokio::spawn(async move {
                let mut sent = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let body = app.direct(&format!("u{n}"), "help");
                    sent.push(send(&app, body).await);
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                sent
            })
        })
        .collect()
}

/// `/readyz` answers within the claim timeout (and slack); its status.
async fn readiness(app: &TestApp) -> StatusCode {
    let start = Instant::now();
    let (status, _) = app.get_text("/readyz").await;
    assert!(start.elapsed() < CLAIM + SLACK, "/readyz hung");
    status
}

async fn until_ready(app: &TestApp) {
    let start = Instant::now();
    while readiness(app).await != StatusCode::OK {
        assert!(start.elapsed() < Duration::from_secs(20), "no recovery");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn rows_for(app: &TestApp, body: &Value) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM inbound_messages WHERE msg_id = $1")
        .bind(body["msgId"].as_str().unwrap())
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(any(pg_tests, feature = "pg-tests")),
    ignore = "needs PostgreSQL: set DINGWARDEN_TEST_PG_URL"
)]
async fn an_outage_under_load_answers_503_in_time_and_recovers() {
    let (app, proxy) = behind_proxy(CLAIM).await;
    let app = Arc::new(app);
    let stop = Arc::new(AtomicBool::new(false));
    let senders = load(&app, &stop);
    tokio::time::sleep(Duration::from_millis(800)).await;
    proxy.cut(Cut::Reset);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(readiness(&app).await, StatusCode::SERVICE_UNAVAILABLE);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    proxy.restore();
    until_ready(&app).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    stop.store(true, Ordering::Relaxed);
    let mut sent = Vec::new();
    let mut recovered = true;
    for s in senders {
        let mine = s.await.unwrap();
        // Each sender's last callbacks, sent after the recovery, succeed.
        recovered &= mine
            .iter()
            .rev()
            .take(3)
            .all(|s| s.status == StatusCode::OK);
        sent.extend(mine);
    }
    assert!(recovered, "a sender still got errors after the recovery");
    check_answers(&app, &sent).await;
    redeliver_the_refused(&app, &sent).await;
    // The service is whole: a command is answered as before the outage.
    let reply = app.say_text("u0", "help").await;
    assert!(!reply.is_empty() && !reply.contains("(ref "), "{reply}");
    drop_pg_database(&app.db.url()).await;
}

/// Every answer was a 200 or a 503, in time; each 200 has its claim.
async fn check_answers(app: &TestApp, sent: &[Sent]) {
    let count = |s: StatusCode| sent.iter().filter(|x| x.status == s).count();
    let (ok, refused) = (
        count(StatusCode::OK),
        count(StatusCode::SERVICE_UNAVAILABLE),
    );
    assert_eq!(ok + refused, sent.len(), "answers other than 200 and 503");
    assert!(refused > 0, "the outage was not felt");
    assert!(ok > 2 * SENDERS, "too little got through: {ok}");
    let slowest = sent.iter().map(|s| s.took).max().unwrap();
    eprintln!("outage: {ok} answered 200, {refused} answered 503, slowest {slowest:?}");
    assert!(slowest < CLAIM + SLACK, "a callback waited {slowest:?}");
    for s in sent.iter().filter(|s| s.status == StatusCode::OK) {
        assert_eq!(rows_for(app, &s.body).await, 1, "200 without its claim");
    }
}

/// DingTalk redelivers what was refused: each redelivery is answered 200;
/// one that left no claim behind is new and handled.
async fn redeliver_the_refused(app: &TestApp, sent: &[Sent]) {
    app.state.settle().await;
    let before = replies(app).await;
    let mut fresh = 0;
    for s in sent.iter().filter(|s| s.status != StatusCode::OK) {
        let had_claim = rows_for(app, &s.body).await == 1;
        let again = send(app, s.body.clone()).await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(rows_for(app, &s.body).await, 1);
        fresh += usize::from(!had_claim);
    }
    app.state.settle().await;
    eprintln!(
        "redelivered: {fresh} new, {} had their claim",
        refused_count(sent) - fresh
    );
    let replies = replies(app).await - before;
    assert_eq!(replies, fresh, "one reply per redelivery that was new");
}

fn refused_count(sent: &[Sent]) -> usize {
    sent.iter().filter(|s| s.status != StatusCode::OK).count()
}

/// Replies posted to any conversation so far.
async fn replies(app: &TestApp) -> usize {
    let all = app.fake.received_requests().await.unwrap_or_default();
    all.iter()
        .filter(|r| r.url.path() == "/robot/sendBySession")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(any(pg_tests, feature = "pg-tests")),
    ignore = "needs PostgreSQL: set DINGWARDEN_TEST_PG_URL"
)]
async fn a_partition_answers_503_within_the_claim_timeout_and_heals() {
    let (app, proxy) = behind_proxy(CLAIM).await;
    assert!(!app.say("u1", "help").await.is_empty());
    // Nothing comes back from the database, and nothing is closed.
    proxy.cut(Cut::Blackhole);
    for _ in 0..2 {
        let s = send(&app, app.direct("u1", "help")).await;
        assert_eq!(s.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(s.took < CLAIM + SLACK, "waited {:?}", s.took);
    }
    assert_eq!(readiness(&app).await, StatusCode::SERVICE_UNAVAILABLE);
    proxy.restore();
    until_ready(&app).await;
    let replies = app.say("u1", "help").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(!message_text(&replies[0]).contains("(ref "), "{replies:?}");
    drop_pg_database(&app.db.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[cfg_attr(
    not(any(pg_tests, feature = "pg-tests")),
    ignore = "needs PostgreSQL: set DINGWARDEN_TEST_PG_URL"
)]
async fn connections_lost_while_idle_cost_no_callback() {
    // What is proven is that no callback meets a dead connection, not how
    // fast a fresh one opens: a loaded machine gets the whole slack.
    let (app, proxy) = behind_proxy(CLAIM + SLACK).await;
    assert_eq!(app.say("u1", "help").await.len(), 1);
    // The database restarts while nothing is sent: every connection the
    // service keeps (the pool's, the dedupe writer's own) is dead.
    proxy.cut(Cut::Reset);
    tokio::time::sleep(Duration::from_millis(200)).await;
    proxy.restore();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    // The first callback afterwards is claimed on a fresh connection.
    let s = send(&app, app.direct("u1", "help")).await;
    assert_eq!(s.status, StatusCode::OK);
    app.state.settle().await;
    assert_eq!(app.webhook_posts("cid-u1").await.len(), 2);
    drop_pg_database(&app.db.url()).await;
}
