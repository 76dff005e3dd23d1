//! Supervised ingress (issue 13): a claim waits at most the claim timeout,
//! then the callback answers 503 (a Stream message is left unacked) and
//! nothing was written for it; a failed dedupe writer is restarted and
//! `/readyz` follows it; every request has a time limit, and a client that
//! does not finish its headers is disconnected. A replica holding
//! `DINGWARDEN_MAX_QUEUED` unfinished messages makes the next callback wait
//! for room, then answers 503 without storing it.

use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode};
use dingwarden::dingtalk::signature::sign;
use dingwarden::store::{Backend, WriteTx};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::dual_backend;
use crate::helpers::{SECRET, TestApp, message_text};
use crate::stream::{ACK_WITHIN, streaming};

const CLAIM: Duration = Duration::from_millis(400);
/// What a loaded two-core machine may add to a bound.
const SLACK: Duration = Duration::from_millis(4000);

/// Holds up every claim: SQLite's writer lock, or on PostgreSQL a lock on
/// the dedupe table that its INSERT waits for.
async fn hold_claims(app: &TestApp) -> WriteTx {
    let mut tx = app.store.begin_write().await.unwrap();
    if app.store.backend() == Backend::Postgres {
        sqlx::query("LOCK TABLE inbound_messages IN EXCLUSIVE MODE")
            .execute(tx.conn())
            .await
            .unwrap();
    }
    tx
}

/// Awaits `answer` and checks it is a 503 with `error`, given after `limit`
/// and not long after.
async fn answered_503_after(
    answer: impl std::future::Future<Output = (StatusCode, Value)>,
    error: &str,
    limit: Duration,
) {
    let start = Instant::now();
    let (status, json) = answer.await;
    let waited = start.elapsed();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{json}");
    assert_eq!(json["error"], error);
    assert!(waited >= limit && waited < limit + SLACK, "{waited:?}");
}

async fn rows_for(app: &TestApp, body: &Value) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM inbound_messages WHERE msg_id = $1")
        .bind(body["msgId"].as_str().unwrap())
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

async fn metric(app: &TestApp, line_start: &str) -> String {
    let (_, text) = app.get_text("/metrics").await;
    text.lines()
        .find(|l| l.starts_with(line_start))
        .unwrap_or_else(|| panic!("no {line_start} in\n{text}"))
        .to_owned()
}

async fn a_held_up_claim_answers_503_within_the_claim_timeout(app: TestApp) {
    let app = app.reconfigure(|c| c.timeouts.claim = CLAIM).await;
    let body = app.direct("alice", "help");
    let hold = hold_claims(&app).await;
    answered_503_after(app.post(&body), "unavailable", CLAIM).await;
    // PostgreSQL cancels the waiting INSERT itself (the writer connection's
    // statement_timeout): give it the moment, then let writes through.
    tokio::time::sleep(CLAIM).await;
    hold.commit().await.unwrap();
    assert_eq!(rows_for(&app, &body).await, 0, "a 503 left a claim behind");
    assert_eq!(
        metric(&app, "dingwarden_claim_timeouts_total").await,
        "dingwarden_claim_timeouts_total 1"
    );
    // DingTalk's redelivery is new, and handled.
    let (status, _) = app.post(&body).await;
    assert_eq!(status, StatusCode::OK);
    app.state.settle().await;
    let replies = app.webhook_posts("cid-alice").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    assert!(!message_text(&replies[0]).contains("(ref "), "{replies:?}");
}

async fn a_held_up_stream_message_is_left_unacked(app: TestApp) {
    let app = app.reconfigure(|c| c.timeouts.claim = CLAIM).await;
    let s = streaming(app, |_| {}).await;
    let mut conn = s.connection().await;
    let body = s.app.direct("alice", "help");
    let hold = hold_claims(&s.app).await;
    conn.message(&body).await;
    let acks = conn.other_acks(CLAIM + SLACK).await;
    assert_eq!(acks, Vec::<Value>::new(), "acked while not durable");
    tokio::time::sleep(CLAIM).await;
    hold.commit().await.unwrap();
    assert_eq!(rows_for(&s.app, &body).await, 0);
    // The redelivery (a new frame, the same msgId) is acked and handled.
    let id = conn.message(&body).await;
    assert_eq!(conn.ack(&id, ACK_WITHIN).await["code"], 200);
    s.app.state.settle().await;
    assert_eq!(s.app.webhook_posts("cid-alice").await.len(), 1);
    s.stop().await;
}

async fn a_failed_dedupe_writer_is_restarted(app: TestApp) {
    app.say("alice", "help").await;
    app.state.deduper.fail_next_batch();
    let (status, json) = app.post(&app.direct("alice", "help")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{json}");
    let restarts = &app.state.metrics.dedupe.writer_restarts;
    let start = Instant::now();
    while restarts.get() == 0 || !app.state.deduper.is_up() {
        assert!(start.elapsed() < Duration::from_secs(5), "not restarted");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        metric(&app, "dingwarden_dedupe_writer_restarts_total").await,
        "dingwarden_dedupe_writer_restarts_total 1"
    );
    assert_eq!(app.get_text("/readyz").await.0, StatusCode::OK);
    let replies = app.say("alice", "help").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
}

async fn readiness_follows_the_dedupe_writer(app: TestApp) {
    assert_eq!(app.get_text("/readyz").await.0, StatusCode::OK);
    // What the supervisor shows between a failure and the restart.
    let up = &app.state.metrics.dedupe.writer_up;
    up.set(0);
    let (status, body) = app.get_text("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("\"error\":\"dedupe_writer_down\""), "{body}");
    up.set(1);
    assert_eq!(app.get_text("/readyz").await.0, StatusCode::OK);
}

async fn a_request_has_a_time_limit(app: TestApp) {
    let limit = Duration::from_millis(300);
    let app = app.reconfigure(|c| c.timeouts.request = limit).await;
    // A signed callback whose body never finishes arriving.
    let ts = app.now().timestamp_millis().to_string();
    let stalled = futures_util::stream::pending::<Result<Bytes, std::io::Error>>();
    let req = Request::post("/dingtalk/robot")
        .header("content-type", "application/json")
        .header("timestamp", &ts)
        .header("sign", sign(SECRET, &ts))
        .body(Body::from_stream(stalled))
        .unwrap();
    answered_503_after(app.call(req), "timeout", limit).await;
    assert_eq!(app.count("inbound_messages").await, 0);
}

async fn a_full_inbox_answers_busy_and_stores_nothing(app: TestApp) {
    // No handler slot: what is admitted stays queued, as in a long burst.
    let app = app
        .reconfigure(|c| {
            c.timeouts.claim = CLAIM;
            c.inbox.max_queued = 2;
            c.inbox.max_handlers = 0;
        })
        .await;
    for who in ["alice", "bob"] {
        let (status, json) = app.post(&app.direct(who, "help")).await;
        assert_eq!(status, StatusCode::OK, "{json}");
    }
    let body = app.direct("carol", "report phishing call");
    answered_503_after(app.post(&body), "busy", CLAIM).await;
    assert_eq!(rows_for(&app, &body).await, 0, "a 503 left a claim behind");
    assert_eq!(app.count("inbound_messages").await, 2);
    assert_eq!(
        metric(&app, "dingwarden_callbacks_total{outcome=\"busy\"}").await,
        "dingwarden_callbacks_total{outcome=\"busy\"} 1"
    );
}

async fn room_in_the_inbox_comes_back_when_a_message_is_finished(app: TestApp) {
    let app = app
        .reconfigure(|c| {
            c.timeouts.claim = CLAIM;
            c.inbox.max_queued = 1;
        })
        .await;
    for who in ["alice", "bob", "carol"] {
        let (status, json) = app.post(&app.direct(who, "help")).await;
        assert_eq!(status, StatusCode::OK, "{who}: {json}");
        app.state.settle().await;
        let replies = app.webhook_posts(&format!("cid-{who}")).await;
        assert_eq!(replies.len(), 1, "{who}: {replies:?}");
    }
}

dual_backend!(
    a_full_inbox_answers_busy_and_stores_nothing,
    room_in_the_inbox_comes_back_when_a_message_is_finished,
    a_held_up_claim_answers_503_within_the_claim_timeout,
    a_held_up_stream_message_is_left_unacked,
    a_failed_dedupe_writer_is_restarted,
    readiness_follows_the_dedupe_writer,
    a_request_has_a_time_limit,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_does_not_finish_its_headers_is_disconnected() {
    let app = TestApp::sqlite().await;
    let limit = Duration::from_millis(300);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app.router.clone();
    let server = std::future::pending();
    tokio::spawn(dingwarden::http::server::serve(
        listener, router, limit, server,
    ));
    // A whole request is answered.
    let ok = reqwest::get(format!("http://{addr}/healthz"))
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    // Half a request is not waited for.
    let mut slow = tokio::net::TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let start = Instant::now();
    let mut got = Vec::new();
    let read = tokio::time::timeout(limit + SLACK, slow.read_to_end(&mut got)).await;
    let waited = start.elapsed();
    assert!(read.is_ok(), "the connection stayed open");
    assert!(waited >= limit - Duration::from_millis(50), "{waited:?}");
    let answer = String::from_utf8_lossy(&got);
    assert!(!answer.contains("200 OK"), "{answer}");
}
