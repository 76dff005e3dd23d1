//! Stream mode (issue 14) against the fake gateway: messages acked once
//! durable and answered, duplicates under new frame ids, pings, unknown and
//! invalid frames, disconnects, abrupt closes, zombies, refused
//! credentials, events, a slow handler, shutdown. Socket-level timings are
//! real but short: keepalive 200 ms, backoff from 20 ms.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use dingwarden::config::{Ingress, StreamSettings};
use serde_json::{Value, json};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::dual_backend;
use crate::fake_gateway::{Conn, FakeGateway};
use crate::helpers::TestApp;

const SOON: Duration = Duration::from_secs(3);
/// DingTalk wants an ack within seconds; the issue asks for 1 s.
pub const ACK_WITHIN: Duration = Duration::from_secs(1);

pub struct Streaming {
    pub app: TestApp,
    pub gw: FakeGateway,
    stop: CancellationToken,
    task: JoinHandle<()>,
}

/// Settings that make the socket-level behaviour quick to observe.
fn quick(ingress: Ingress) -> StreamSettings {
    StreamSettings {
        ingress,
        keepalive: Duration::from_millis(200),
        backoff_base: Duration::from_millis(20),
        backoff_max: Duration::from_millis(200),
        healthy_after: Duration::from_secs(60),
        drain: Duration::from_secs(2),
    }
}

/// The app in stream mode with its Stream client running (the gateway set
/// up by `before` first).
pub async fn streaming(app: TestApp, before: impl FnOnce(&FakeGateway)) -> Streaming {
    let gw = FakeGateway::start(&app.fake).await;
    before(&gw);
    let app = app.reconfigure(|c| c.stream = quick(Ingress::Stream)).await;
    let stop = CancellationToken::new();
    let task = tokio::spawn(dingwarden::stream::run(app.state.clone(), stop.clone()));
    Streaming {
        app,
        gw,
        stop,
        task,
    }
}

impl Streaming {
    pub async fn connection(&self) -> Conn {
        self.gw.connection(SOON).await
    }

    pub async fn stop(self) -> TestApp {
        self.stop.cancel();
        tokio::time::timeout(SOON, self.task)
            .await
            .expect("the Stream client stops on shutdown")
            .unwrap();
        assert_eq!(self.gw.violations(), Vec::<String>::new());
        assert_eq!(
            self.gw.bad_handshakes(),
            0,
            "a ticket was reused or invalid"
        );
        self.app
    }

    pub async fn metric(&self, line_start: &str) -> f64 {
        let (_, text) = self.app.get_text("/metrics").await;
        text.lines()
            .filter(|l| l.starts_with(line_start))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum()
    }
}

fn assert_robot_ack(ack: &Value, id: &str) {
    assert_eq!(
        ack,
        &json!({"code": 200, "headers": {"contentType": "application/json", "messageId": id},
                "message": "OK", "data": "{\"response\":null}"})
    );
}

async fn a_message_is_acked_once_durable_then_answered(app: TestApp) {
    let s = streaming(app, |_| {}).await;
    let mut conn = s.connection().await;
    let body = s.app.direct("alice", "help");
    let id = conn.message(&body).await;
    let ack = conn.ack(&id, ACK_WITHIN).await;
    assert_robot_ack(&ack, &id);
    // Acked means claimed: the msgId is durable.
    let claimed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM inbound_messages WHERE msg_id = $1")
            .bind(body["msgId"].as_str().unwrap())
            .fetch_one(s.app.store.pool())
            .await
            .unwrap();
    assert_eq!(claimed, 1);
    s.app.state.settle().await;
    let replies = s.app.webhook_posts("cid-alice").await;
    assert_eq!(replies.len(), 1, "{replies:?}");
    // Ready while connected; the HTTP callback routes are gone.
    let (status, ready) = s.app.call(get("/readyz")).await;
    assert_eq!(
        (status, ready["stream"].as_str()),
        (StatusCode::OK, Some("connected"))
    );
    let (status, _) = s.app.post(&s.app.direct("alice", "help")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(s.metric("dingwarden_stream_connected ").await, 1.0);
    assert_eq!(
        s.metric("dingwarden_stream_frames_total{frame_type=\"CALLBACK\"")
            .await,
        1.0
    );
    assert!(s.metric("dingwarden_stream_ack_seconds_count").await >= 1.0);
    s.stop().await;
}

async fn a_duplicate_under_a_new_frame_id_is_acked_and_ignored(app: TestApp) {
    let s = streaming(app, |_| {}).await;
    let mut conn = s.connection().await;
    let body = s.app.direct("bob", "我的");
    let first = conn.message(&body).await;
    let second = conn.message(&body).await;
    assert_ne!(first, second);
    assert_robot_ack(&conn.ack(&first, ACK_WITHIN).await, &first);
    assert_robot_ack(&conn.ack(&second, ACK_WITHIN).await, &second);
    s.app.state.settle().await;
    assert_eq!(s.app.webhook_posts("cid-bob").await.len(), 1);
    assert_eq!(s.metric("dingwarden_dedupe_hits_total").await, 1.0);
    s.stop().await;
}

async fn pings_unknown_topics_and_invalid_frames(app: TestApp) {
    let s = streaming(app, |_| {}).await;
    let mut conn = s.connection().await;
    conn.send_raw("this is not json".into()).await;
    conn.send_raw("{\"type\":\"CALLBACK\"".into()).await;
    let ping = conn.system("ping", &json!({"opaque": "123-dsfs"})).await;
    let ack = conn.ack(&ping, ACK_WITHIN).await;
    assert_eq!(ack["code"], 200);
    assert_eq!(ack["data"], json!({"opaque": "123-dsfs"}).to_string());
    let headers = json!({"messageId": "card-1", "topic": "/v1.0/card/instances/callback", "contentType": "application/json"});
    conn.send("CALLBACK", headers, "{}").await;
    assert_eq!(conn.ack("card-1", ACK_WITHIN).await["code"], 404);
    let headers =
        json!({"messageId": "sys-1", "topic": "CONNECTED", "contentType": "application/json"});
    conn.send("SYSTEM", headers, "{}").await;
    assert_eq!(conn.ack("sys-1", ACK_WITHIN).await["code"], 404);
    assert_eq!(
        s.metric("dingwarden_stream_frames_total{frame_type=\"invalid\"")
            .await,
        2.0
    );
    // Still the same connection, still answering.
    assert!(s.gw.no_connection(Duration::from_millis(100)).await);
    let again = conn.system("ping", &json!({"opaque": "2"})).await;
    conn.ack(&again, ACK_WITHIN).await;
    s.stop().await;
}

async fn a_disconnect_acks_what_is_in_flight_and_reconnects_with_a_new_ticket(app: TestApp) {
    let s = streaming(app, |_| {}).await;
    let mut old = s.connection().await;
    let body = s.app.direct("carol", "help");
    let msg = old.message(&body).await;
    let bye = old
        .system("disconnect", &json!({"reason": "connection is expired"}))
        .await;
    assert_eq!(old.ack(&bye, ACK_WITHIN).await["code"], 200);
    assert_robot_ack(&old.ack(&msg, ACK_WITHIN).await, &msg);
    assert!(
        old.closed_by_client(SOON).await,
        "the client closes after a disconnect"
    );
    let mut new = s.connection().await;
    assert_ne!(new.ticket, old.ticket);
    assert_eq!(s.gw.opens(), 2);
    let next = new.message(&s.app.direct("carol", "我的")).await;
    assert_robot_ack(&new.ack(&next, ACK_WITHIN).await, &next);
    s.app.state.settle().await;
    assert_eq!(s.app.webhook_posts("cid-carol").await.len(), 2);
    s.stop().await;
}

async fn an_abrupt_close_and_a_silent_gateway_both_reconnect(app: TestApp) {
    let s = streaming(app, |gw| gw.zombie_next()).await;
    // The first connection is a zombie: it never reads, never pongs.
    let started = Instant::now();
    let _zombie = s.connection().await;
    let second = s.connection().await;
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(380),
        "dropped too early: {waited:?}"
    );
    second.abort().await;
    let mut third = s.connection().await;
    let id = third.message(&s.app.direct("dave", "help")).await;
    assert_robot_ack(&third.ack(&id, ACK_WITHIN).await, &id);
    assert_eq!(s.gw.opens(), 3);
    assert_eq!(s.metric("dingwarden_stream_reconnects_total").await, 2.0);
    s.stop().await;
}

async fn refused_credentials_are_retried_with_backoff_and_not_ready(app: TestApp) {
    let s = streaming(app, |gw| gw.refuse(true)).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let refused = s.gw.refused();
    // Backoff from 20 ms to 200 ms with full jitter: a few attempts, never a storm.
    assert!((2..=60).contains(&refused), "{refused} attempts in 600 ms");
    let (status, body) = s.app.call(get("/readyz")).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::SERVICE_UNAVAILABLE, Some("stream_disconnected"))
    );
    // Attempts go on while the test looks: the counter lies between the
    // gateway's count before (less the one it may be counting right now)
    // and after.
    let counted = s
        .metric("dingwarden_stream_open_failures_total{reason=\"refused\"}")
        .await;
    let after = s.gw.refused();
    assert!(
        (refused.saturating_sub(1) as f64..=after as f64).contains(&counted),
        "{counted} refusals counted, gateway saw {refused}..{after}"
    );
    s.gw.refuse(false);
    let mut conn = s.connection().await;
    let ping = conn.system("ping", &json!({})).await;
    conn.ack(&ping, ACK_WITHIN).await;
    let (status, _) = s.app.call(get("/readyz")).await;
    assert_eq!(status, StatusCode::OK);
    s.stop().await;
}

async fn a_slow_handler_is_still_acked_fast(app: TestApp) {
    Mock::given(method("POST"))
        .and(path("/robot/sendBySession"))
        .and(query_param("session", "cid-slowpoke"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"errcode": 0, "errmsg": "ok"}))
                .set_delay(Duration::from_secs(2)),
        )
        .with_priority(1)
        .mount(&app.fake)
        .await;
    let s = streaming(app, |_| {}).await;
    let mut conn = s.connection().await;
    let sent = Instant::now();
    let id = conn.message(&s.app.direct("slowpoke", "help")).await;
    assert_robot_ack(&conn.ack(&id, ACK_WITHIN).await, &id);
    assert!(sent.elapsed() < ACK_WITHIN);
    s.app.state.settle().await;
    assert!(
        sent.elapsed() >= Duration::from_secs(2),
        "the reply took its time"
    );
    assert_eq!(s.app.webhook_posts("cid-slowpoke").await.len(), 1);
    s.stop().await;
}

async fn shutdown_acks_what_is_durable_and_closes(app: TestApp) {
    let s = streaming(app, |_| {}).await;
    let mut conn = s.connection().await;
    let bodies: Vec<Value> = (0..5)
        .map(|i| s.app.direct(&format!("e{i}"), "help"))
        .collect();
    for body in &bodies {
        conn.message(body).await;
    }
    s.stop.cancel();
    assert!(conn.closed_by_client(SOON).await, "closed on shutdown");
    let acked = conn.other_acks(Duration::from_millis(50)).await;
    let s_app = s.stop().await;
    assert!(s_app.state.metrics.stream.connected.get() == 0);
    // Nothing acked is lost: every acked message is claimed.
    let claimed: Vec<String> = sqlx::query_scalar("SELECT msg_id FROM inbound_messages")
        .fetch_all(s_app.store.pool())
        .await
        .unwrap();
    for ack in &acked {
        assert_eq!(ack["code"], 200, "{ack}");
    }
    assert!(claimed.len() >= acked.len(), "{claimed:?} vs {acked:?}");
}

async fn ingress_setting_decides_which_routes_serve(app: TestApp) {
    let app = app.reconfigure(|c| c.stream = quick(Ingress::Both)).await;
    assert_eq!(app.say("alice", "help").await.len(), 1);
    let (status, ready) = app.call(get("/readyz")).await;
    // In `both`, HTTP still works: ready, and it says the Stream is down.
    assert_eq!(
        (status, ready["stream"].as_str()),
        (StatusCode::OK, Some("disconnected"))
    );
    let app = app.reconfigure(|c| c.stream = quick(Ingress::Stream)).await;
    let (status, _) = app.post(&app.direct("alice", "help")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.call(post_empty("/dingtalk/events")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.call(get("/readyz")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
}

fn get(path: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::get(path)
        .body(axum::body::Body::empty())
        .unwrap()
}

fn post_empty(path: &str) -> axum::http::Request<axum::body::Body> {
    axum::http::Request::post(path)
        .body(axum::body::Body::from("{}"))
        .unwrap()
}

dual_backend!(
    a_message_is_acked_once_durable_then_answered,
    a_duplicate_under_a_new_frame_id_is_acked_and_ignored,
    pings_unknown_topics_and_invalid_frames,
    a_disconnect_acks_what_is_in_flight_and_reconnects_with_a_new_ticket,
    an_abrupt_close_and_a_silent_gateway_both_reconnect,
    refused_credentials_are_retried_with_backoff_and_not_ready,
    a_slow_handler_is_still_acked_fast,
    shutdown_acks_what_is_durable_and_closes,
    ingress_setting_decides_which_routes_serve,
);
