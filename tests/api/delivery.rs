//! The delivery engine against the fake DingTalk, and the helpers its tests
//! share: retries after server errors and timeouts, token refresh, flow
//! control, unknown recipients, dead letters and the admin `outbox`
//! commands. `delivery_pacing` has the rate limits, `delivery_leases` the
//! leases, crashes and workers.

use chrono::Duration;
use dingwarden::domain::Message;
use dingwarden::store::outbox::{self, Channel, Outbound, Priority};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::dual_backend;
use crate::helpers::TestApp;

pub const BATCH: &str = "/v1.0/robot/oToMessages/batchSend";

/// Enqueues one message to `users` (one row per 20); returns the first row id.
pub async fn enqueue(
    app: &TestApp,
    channel: Channel,
    users: &[&str],
    text: &str,
    p: Priority,
) -> i64 {
    let users: Vec<String> = users.iter().map(|u| (*u).to_owned()).collect();
    let msg = Message::text(text);
    let out = Outbound {
        channel,
        ..Outbound::direct(&users, &msg)
    }
    .priority(p);
    let mut tx = app.store.begin_write().await.unwrap();
    let ids = outbox::enqueue(tx.conn(), &out, app.now().timestamp_millis())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    ids[0]
}

pub async fn dm(app: &TestApp, users: &[&str], text: &str) -> i64 {
    enqueue(app, Channel::Direct, users, text, Priority::Normal).await
}

/// `(status, attempts, last_error)` of a row.
pub async fn row_state(app: &TestApp, id: i64) -> (String, i64, String) {
    let (status, attempts, error): (String, i64, Option<String>) =
        sqlx::query_as("SELECT status, attempts, last_error FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    (status, attempts, error.unwrap_or_default())
}

/// The `userIds` of every batchSend request the fake received, in order.
pub(crate) async fn batch_user_ids(app: &TestApp) -> Vec<Vec<String>> {
    app.requests_to(BATCH)
        .await
        .iter()
        .map(|r| {
            let body: Value = r.body_json().unwrap();
            serde_json::from_value(body["userIds"].clone()).unwrap()
        })
        .collect()
}

async fn metrics(app: &TestApp) -> String {
    dingwarden::delivery::refresh_gauges(&app.state.delivery, app.now())
        .await
        .unwrap();
    app.get_text("/metrics").await.1
}

async fn server_error_then_success_is_delivered_once(app: TestApp) {
    Mock::given(method("POST"))
        .and(path(BATCH))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .mount(&app.fake)
        .await;
    let id = dm(&app, &["alice"], "hello").await;
    let r = app.drain().await;
    assert_eq!((r.sent, r.retried), (0, 1));
    let (status, attempts, error) = row_state(&app, id).await;
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert!(error.contains("500"), "{error}");
    // Not before its backoff.
    assert_eq!(app.drain().await.claimed, 0);
    let text = metrics(&app).await;
    assert!(text.contains("dingwarden_outbox_depth 1"), "{text}");
    app.advance(Duration::seconds(5));
    assert_eq!(app.drain().await.sent, 1);
    app.advance(Duration::hours(1));
    assert_eq!(app.drain().await.claimed, 0);
    assert_eq!(app.dm_texts("alice"), vec!["hello"]);
    assert_eq!(app.requests_to(BATCH).await.len(), 2);
    assert_eq!(row_state(&app, id).await.0, "sent");
    let text = metrics(&app).await;
    for line in [
        "dingwarden_outbox_sends_total{api=\"batch_send\",result=\"transient\"} 1",
        "dingwarden_outbox_sends_total{api=\"batch_send\",result=\"ok\"} 1",
        "dingwarden_outbox_retries_total 1",
        "dingwarden_outbox_dead_letters_total 0",
        "dingwarden_dingtalk_token_refreshes_total 1",
        "dingwarden_outbox_depth 0",
        "dingwarden_outbox_oldest_due_age_seconds 0",
        "dingwarden_outbox_send_seconds_count{api=\"batch_send\"} 2",
    ] {
        assert!(text.contains(line), "missing {line} in\n{text}");
    }
}

async fn timeouts_are_retried(app: TestApp) {
    let app = app
        .reconfigure(|c| c.delivery.openapi_timeout = std::time::Duration::from_millis(300))
        .await;
    Mock::given(method("POST"))
        .and(path(BATCH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"processQueryKey": "slow"}))
                .set_delay(std::time::Duration::from_secs(3)),
        )
        .up_to_n_times(1)
        .mount(&app.fake)
        .await;
    let id = dm(&app, &["alice"], "hello").await;
    assert_eq!(app.drain().await.retried, 1);
    let (status, _, error) = row_state(&app, id).await;
    assert_eq!(status, "pending");
    assert!(error.contains("timed out"), "{error}");
    app.advance(Duration::seconds(5));
    assert_eq!(app.drain().await.sent, 1);
    assert_eq!(app.dm_texts("alice"), vec!["hello"]);
}

async fn expired_tokens_are_refreshed_once(app: TestApp) {
    for i in 0..6 {
        dm(&app, &[&format!("u{i}")], "one").await;
    }
    assert_eq!(app.drain().await.sent, 6);
    assert_eq!(
        app.dingtalk.tokens_issued(),
        1,
        "one token for concurrent sends"
    );
    // DingTalk stops accepting the token mid-run: six sends in flight see
    // 401, one refresh serves them all.
    app.dingtalk.revoke_tokens();
    for i in 0..6 {
        dm(&app, &[&format!("v{i}")], "two").await;
    }
    assert_eq!(app.drain().await.sent, 6);
    assert_eq!(app.dingtalk.tokens_issued(), 2);
    // The cached token expires with time: refreshed before use, no 401 needed.
    let before = app.requests_to(BATCH).await.len();
    app.advance(Duration::hours(2));
    for i in 0..3 {
        dm(&app, &[&format!("w{i}")], "three").await;
    }
    assert_eq!(app.drain().await.sent, 3);
    assert_eq!(app.dingtalk.tokens_issued(), 3);
    assert_eq!(app.requests_to(BATCH).await.len(), before + 3);
    for u in ["u0", "v5", "w2"] {
        assert_eq!(app.dm_texts(u).len(), 1, "{u}");
    }
}

async fn token_failures_are_retried_without_a_fetch_per_message(app: TestApp) {
    Mock::given(method("POST"))
        .and(path("/v1.0/oauth2/accessToken"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&app.fake)
        .await;
    for i in 0..5 {
        dm(&app, &[&format!("u{i}")], "hello").await;
    }
    assert_eq!(app.drain().await.retried, 5);
    assert_eq!(app.requests_to("/v1.0/oauth2/accessToken").await.len(), 1);
    assert!(app.requests_to(BATCH).await.is_empty());
    app.advance(Duration::minutes(1));
    assert_eq!(app.drain().await.sent, 5);
    assert_eq!(app.dingtalk.tokens_issued(), 1);
}

async fn flow_controlled_users_are_retried_alone(app: TestApp) {
    app.dingtalk.flow_control_once(&["u2", "u3"]);
    let id = dm(&app, &["u1", "u2", "u3", "u4", "u5"], "notice").await;
    assert_eq!(app.drain().await.retried, 1);
    assert_eq!(app.dm_texts("u1").len(), 1);
    assert!(app.dm_texts("u2").is_empty());
    let (delivered, flow, key): (String, String, Option<String>) = sqlx::query_as(
        "SELECT delivered, flow_controlled, process_query_key FROM outbox_deliveries WHERE outbox_id = $1",
    )
    .bind(id)
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(delivered, r#"["u1","u4","u5"]"#);
    assert_eq!(flow, r#"["u2","u3"]"#);
    assert!(key.is_some());
    app.advance(Duration::seconds(5));
    assert_eq!(app.drain().await.sent, 1);
    let batches = batch_user_ids(&app).await;
    assert_eq!(batches.len(), 2);
    assert_eq!(batches[1], vec!["u2", "u3"]);
    for u in ["u1", "u2", "u3", "u4", "u5"] {
        assert_eq!(app.dm_texts(u), vec!["notice"], "{u}");
    }
    assert_eq!(row_state(&app, id).await.0, "sent");
    assert_eq!(app.count("outbox_deliveries").await, 2);
}

async fn unknown_users_are_recorded_undeliverable(app: TestApp) {
    app.dingtalk.unknown_users(&["ghost"]);
    let some = dm(&app, &["alice", "ghost"], "hi").await;
    let none = dm(&app, &["ghost"], "hi").await;
    let r = app.drain().await;
    assert_eq!((r.sent, r.dead), (1, 1));
    assert_eq!(row_state(&app, some).await.0, "sent");
    let (status, _, error) = row_state(&app, none).await;
    assert_eq!(status, "dead");
    assert!(error.contains("none of the recipients"), "{error}");
    let undeliverable: String =
        sqlx::query_scalar("SELECT undeliverable FROM outbox_deliveries WHERE outbox_id = $1")
            .bind(some)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(undeliverable, r#"["ghost"]"#);
    assert_eq!(app.dm_texts("alice"), vec!["hi"]);
}

async fn permanent_errors_dead_letter_and_admins_retry_them(app: TestApp) {
    Mock::given(method("POST"))
        .and(path(BATCH))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"code": "invalidParameter.msgParam.invalid", "message": "bad", "requestid": "r"}),
        ))
        .up_to_n_times(1)
        .mount(&app.fake)
        .await;
    let id = dm(&app, &["alice"], "notice text").await;
    assert_eq!(app.drain().await.dead, 1);
    let (status, attempts, error) = row_state(&app, id).await;
    assert_eq!((status.as_str(), attempts), ("dead", 1));
    assert!(error.contains("invalidParameter.msgParam.invalid"));
    let view = app.say_text("admin1", "outbox").await;
    assert!(view.contains("已放弃（1）"), "{view}");
    assert!(view.contains(&format!("#{id} 单聊 1 人")), "{view}");
    assert!(view.contains("invalidParameter.msgParam.invalid"), "{view}");
    assert!(app.say_text("alice", "outbox").await.contains("管理员"));
    assert!(
        app.say_text("admin1", "outbox retry 999")
            .await
            .contains("没有编号为 #999")
    );
    let done = app.say_text("admin1", &format!("outbox retry #{id}")).await;
    assert!(done.contains(&format!("#{id} 已重新排队")), "{done}");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'outbox.retry' AND actor = 'admin1'",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1);
    assert_eq!(app.drain().await.sent, 1);
    assert_eq!(app.dm_texts("alice"), vec!["notice text"]);
    let again = app.say_text("admin1", &format!("发件箱 重试 {id}")).await;
    assert!(again.contains("不是已放弃的消息"), "{again}");
    app.say_text("admin1", "lang en").await;
    let view = app.say_text("admin1", "outbox").await;
    assert!(view.contains("Dead letters (0)"), "{view}");
}

async fn transient_failures_dead_letter_after_the_last_attempt(app: TestApp) {
    let app = app.reconfigure(|c| c.delivery.max_attempts = 3).await;
    Mock::given(method("POST"))
        .and(path(BATCH))
        .respond_with(ResponseTemplate::new(503))
        .mount(&app.fake)
        .await;
    let id = dm(&app, &["alice"], "hello").await;
    for _ in 0..2 {
        assert_eq!(app.drain().await.retried, 1);
        let view = app.say_text("admin1", "outbox").await;
        assert!(
            view.contains(&format!("#{id}")) && view.contains("503"),
            "{view}"
        );
        app.advance(Duration::minutes(10));
    }
    assert_eq!(app.drain().await.dead, 1);
    let (status, attempts, error) = row_state(&app, id).await;
    assert_eq!((status.as_str(), attempts), ("dead", 3));
    assert!(error.starts_with("gave up after 3 attempts"), "{error}");
    let text = metrics(&app).await;
    assert!(
        text.contains("dingwarden_outbox_dead_letters_total 1"),
        "{text}"
    );
    assert!(text.contains("dingwarden_outbox_dead 1"), "{text}");
}

dual_backend!(
    server_error_then_success_is_delivered_once,
    timeouts_are_retried,
    expired_tokens_are_refreshed_once,
    token_failures_are_retried_without_a_fetch_per_message,
    flow_controlled_users_are_retried_alone,
    unknown_users_are_recorded_undeliverable,
    permanent_errors_dead_letter_and_admins_retry_them,
    transient_failures_dead_letter_after_the_last_attempt,
);
