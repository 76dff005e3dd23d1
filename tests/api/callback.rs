//! `POST /dingtalk/robot`: signatures, limits, dedupe and replay.

use axum::http::StatusCode;
use chrono::Duration;
use dingwarden::dingtalk::signature::sign;
use serde_json::json;

use crate::dual_backend;
use crate::helpers::{SECRET, TestApp};

fn signed(ts: &str) -> Vec<(&'static str, String)> {
    vec![("timestamp", ts.to_owned()), ("sign", sign(SECRET, ts))]
}

/// Nothing was recorded: no msgId, no user, no reply.
async fn nothing_changed(app: &TestApp) {
    app.state.settle().await;
    assert_eq!(app.count("inbound_messages").await, 0);
    assert_eq!(app.count("users").await, 0);
    let requests = app.fake.received_requests().await.unwrap();
    assert!(requests.is_empty(), "unexpected requests: {requests:?}");
}

async fn valid_callback_is_answered_empty_and_replied_at_the_webhook(app: TestApp) {
    let replies = app.say("alice", "help").await;
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0]["msgtype"], "markdown");
    assert!(
        replies[0]["markdown"]["text"]
            .as_str()
            .unwrap()
            .contains("帮助")
    );
    assert_eq!(app.count("inbound_messages").await, 1);
    assert_eq!(app.count("users").await, 1);
}

async fn bad_signatures_are_401_and_change_nothing(app: TestApp) {
    let body = app.direct("alice", "help").to_string().into_bytes();
    let now = app.now().timestamp_millis();
    let ts = now.to_string();
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (
            vec![
                ("timestamp", ts.clone()),
                ("sign", sign("wrong-secret", &ts)),
            ],
            "bad_signature",
        ),
        (vec![("timestamp", ts.clone())], "missing_signature"),
        (vec![("sign", sign(SECRET, &ts))], "missing_signature"),
        (
            vec![("timestamp", "soon".into()), ("sign", sign(SECRET, "soon"))],
            "bad_timestamp",
        ),
        (
            vec![
                ("timestamp", format!("{ts}.0")),
                ("sign", sign(SECRET, &ts)),
            ],
            "bad_timestamp",
        ),
        (signed(&(now - 3_600_001).to_string()), "stale_timestamp"),
        (signed(&(now + 3_600_001).to_string()), "stale_timestamp"),
        (
            vec![("timestamp", ts.clone()), ("sign", "not base64!".into())],
            "bad_signature",
        ),
    ];
    for (headers, code) in cases {
        let (status, body) = app.post_raw(&headers, body.clone()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{code}: {body}");
        assert_eq!(body["error"], code);
        assert!(body["message"].is_string());
    }
    nothing_changed(&app).await;
    // The window's edges are inside it.
    let edge = (now - 3_600_000).to_string();
    let (status, _) = app.post_raw(&signed(&edge), body).await;
    assert_eq!(status, StatusCode::OK);
    app.state.settle().await;
}

async fn malformed_and_oversized_bodies_are_rejected(app: TestApp) {
    let ts = app.now().timestamp_millis().to_string();
    let cases: Vec<(Vec<u8>, StatusCode, &str)> = vec![
        (b"{not json".to_vec(), StatusCode::BAD_REQUEST, "malformed"),
        (
            br#"{"msgtype":"text","text":{"content":"help"}}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (
            br#"{"msgtype":"text","msgId":"m1"}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "malformed",
        ),
        (br#"[1,2,3]"#.to_vec(), StatusCode::BAD_REQUEST, "malformed"),
    ];
    for (body, status, code) in cases {
        let (got, json) = app.post_raw(&signed(&ts), body).await;
        assert_eq!(
            (got, json["error"].as_str().unwrap()),
            (status, code),
            "{json}"
        );
    }
    let mut big = app.direct("alice", "help");
    big["text"]["content"] = json!("x".repeat(70 * 1024));
    let (status, json) = app
        .post_raw(&signed(&ts), big.to_string().into_bytes())
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(json["error"], "payload_too_large");
    nothing_changed(&app).await;
}

async fn redelivered_msg_id_causes_nothing_even_after_restart(app: TestApp) {
    let body = app.direct("alice", "help");
    assert_eq!(app.post(&body).await.0, StatusCode::OK);
    app.state.settle().await;
    // DingTalk redelivers with a fresh timestamp and sign.
    app.advance(Duration::seconds(61));
    let (status, json) = app.post(&body).await;
    assert_eq!(
        (status, json),
        (StatusCode::OK, json!({"msgtype": "empty"}))
    );
    let app = app.restart().await;
    app.advance(Duration::seconds(5));
    assert_eq!(app.post(&body).await.0, StatusCode::OK);
    app.state.settle().await;
    assert_eq!(
        app.webhook_posts("cid-alice").await.len(),
        1,
        "one reply only"
    );
    assert_eq!(app.count("inbound_messages").await, 1);
}

async fn reused_signature_with_a_new_msg_id_is_a_replay_after_a_minute(app: TestApp) {
    let ts = app.now().timestamp_millis().to_string();
    let headers = signed(&ts);
    let first = app.direct("alice", "help").to_string().into_bytes();
    assert_eq!(app.post_raw(&headers, first).await.0, StatusCode::OK);
    // Within a minute another message may carry the same pair.
    app.advance(Duration::seconds(30));
    let second = app.direct("alice", "lang").to_string().into_bytes();
    assert_eq!(app.post_raw(&headers, second).await.0, StatusCode::OK);
    app.advance(Duration::seconds(31));
    let third = app.direct("alice", "lang en").to_string().into_bytes();
    let (status, json) = app.post_raw(&headers, third).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(json["error"], "replay");
    app.state.settle().await;
    assert_eq!(app.count("inbound_messages").await, 2);
    assert_eq!(app.webhook_posts("cid-alice").await.len(), 2);
    // The replayed `lang en` changed nothing.
    assert!(app.say_text("alice", "lang").await.contains("中文"));
}

async fn foreign_session_webhook_is_never_posted_to(app: TestApp) {
    let elsewhere = wiremock::MockServer::start().await;
    let mut body = app.direct("alice", "help");
    body["sessionWebhook"] = json!(format!("{}/robot/sendBySession?session=x", elsewhere.uri()));
    assert_eq!(app.post(&body).await.0, StatusCode::OK);
    app.state.settle().await;
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
    let (_, metrics) = app.get_text("/metrics").await;
    assert!(
        metrics.contains("dingwarden_reply_failures_total{reason=\"forbidden\"} 1"),
        "{metrics}"
    );
    // The reply reaches alice through the OpenAPI instead, never via that host.
    assert_eq!(app.drain().await.sent, 1);
    assert_eq!(app.dm_texts("alice").len(), 1);
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

dual_backend!(
    valid_callback_is_answered_empty_and_replied_at_the_webhook,
    bad_signatures_are_401_and_change_nothing,
    malformed_and_oversized_bodies_are_rejected,
    redelivered_msg_id_causes_nothing_even_after_restart,
    reused_signature_with_a_new_msg_id_is_a_replay_after_a_minute,
    foreign_session_webhook_is_never_posted_to,
);
