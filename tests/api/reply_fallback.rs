//! Replies whose sessionWebhook cannot be used go through the outbox: 1:1
//! chats by batchSend to the sender, groups by group send.

use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::dual_backend;
use crate::helpers::TestApp;

/// `(channel, recipients, priority)` of every outbox row.
async fn queued(app: &TestApp) -> Vec<(String, String, i64)> {
    sqlx::query_as("SELECT channel, recipients, priority FROM outbox ORDER BY id")
        .fetch_all(app.store.pool())
        .await
        .unwrap()
}

async fn session_webhook_answers(app: &TestApp, session: &str, response: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/robot/sendBySession"))
        .and(query_param("session", session))
        .respond_with(response)
        .mount(&app.fake)
        .await;
}

async fn expired_webhook_in_direct_chat_falls_back_to_batch_send(app: TestApp) {
    let mut body = app.direct("alice", "help");
    body["sessionWebhookExpiredTime"] = json!(app.now().timestamp_millis() - 1000);
    app.post(&body).await;
    app.state.settle().await;
    assert!(app.webhook_posts("cid-alice").await.is_empty());
    assert_eq!(
        queued(&app).await,
        vec![("direct".into(), r#"["alice"]"#.into(), 0)]
    );
    assert_eq!(app.drain().await.sent, 1);
    let texts = app.dm_texts("alice");
    assert_eq!(texts.len(), 1);
    assert!(texts[0].contains("帮助"), "{texts:?}");
    let (_, metrics) = app.get_text("/metrics").await;
    for line in [
        "dingwarden_reply_failures_total{reason=\"expired\"} 1",
        "dingwarden_reply_fallbacks_total{channel=\"direct\"} 1",
    ] {
        assert!(metrics.contains(line), "missing {line} in\n{metrics}");
    }
}

async fn failing_webhook_in_direct_chat_falls_back_to_batch_send(app: TestApp) {
    session_webhook_answers(&app, "cid-alice", ResponseTemplate::new(500)).await;
    let expired = json!({"errcode": 300001, "errmsg": "session 不存在"});
    session_webhook_answers(
        &app,
        "cid-bob",
        ResponseTemplate::new(200).set_body_json(expired),
    )
    .await;
    app.say("alice", "help").await;
    app.say("bob", "lang en").await;
    // A 5xx is retried once; DingTalk's "expired" is not.
    assert_eq!(app.webhook_posts("cid-alice").await.len(), 2);
    assert_eq!(app.webhook_posts("cid-bob").await.len(), 1);
    assert_eq!(app.drain().await.sent, 2);
    assert!(app.dm_texts("alice")[0].contains("帮助"));
    assert_eq!(
        app.dm_texts("bob"),
        vec!["OK, I will answer you in English from now on."]
    );
    // The fallback carried a valid token (the fake checks it) and robotCode.
    assert_eq!(app.dingtalk.tokens_issued(), 1);
}

async fn group_replies_fall_back_to_group_send(app: TestApp) {
    let mut body = app.group("alice", "cidGroupOne", "help");
    body["sessionWebhookExpiredTime"] = json!(app.now().timestamp_millis() - 1);
    app.post(&body).await;
    session_webhook_answers(&app, "cidGroupTwo", ResponseTemplate::new(502)).await;
    app.post(&app.group("bob", "cidGroupTwo", "help")).await;
    app.state.settle().await;
    assert_eq!(app.drain().await.sent, 2);
    for group in ["cidGroupOne", "cidGroupTwo"] {
        let texts = app.group_texts(group);
        assert_eq!(texts.len(), 1, "{group}");
        assert!(texts[0].contains("帮助"));
    }
    assert!(app.dm_texts("alice").is_empty() && app.dm_texts("bob").is_empty());
    let keys: Vec<Option<String>> = sqlx::query_scalar("SELECT process_query_key FROM outbox")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    assert!(
        keys.iter()
            .all(|k| k.as_deref().is_some_and(|k| k.starts_with("gpqk-")))
    );
}

async fn a_callback_without_webhook_is_answered_by_batch_send(app: TestApp) {
    let mut body = app.direct("alice", "help");
    body.as_object_mut().unwrap().remove("sessionWebhook");
    app.post(&body).await;
    app.state.settle().await;
    assert_eq!(app.drain().await.sent, 1);
    assert_eq!(app.dm_texts("alice").len(), 1);
    let (_, metrics) = app.get_text("/metrics").await;
    let line = "dingwarden_reply_failures_total{reason=\"missing\"} 1";
    assert!(metrics.contains(line), "missing {line} in\n{metrics}");
}

dual_backend!(
    a_callback_without_webhook_is_answered_by_batch_send,
    expired_webhook_in_direct_chat_falls_back_to_batch_send,
    failing_webhook_in_direct_chat_falls_back_to_batch_send,
    group_replies_fall_back_to_group_send,
);
