//! The delivery engine against the fake DingTalk: retries, token refresh,
//! flow control, rate limits with moved time, leases, dead letters and the
//! admin `outbox` commands, the dev sink, and two workers on one PostgreSQL.

use chrono::Duration;
use dingwarden::domain::Message;
use dingwarden::store::delivery as sql;
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
async fn batch_user_ids(app: &TestApp) -> Vec<Vec<String>> {
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
    dingwarden::delivery::refresh_gauges(&app.state, app.now())
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

async fn a_custom_robot_sends_twenty_a_minute(app: TestApp) {
    let secret = "SEC9d1c6a4f2e8b7a0c3d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8";
    let app = app
        .reconfigure(|c| {
            // Claim four rows at a time: blocked robot rows must not hold others back.
            c.delivery.concurrency = 1;
            c.delivery.custom_robots = vec![dingwarden::config::CustomRobot {
                name: "ops".into(),
                access_token: "robot-token".to_owned().into(),
                secret: Some(secret.to_owned().into()),
            }];
        })
        .await;
    app.dingtalk.add_robot("robot-token", Some(secret));
    for i in 0..25 {
        enqueue(
            &app,
            Channel::CustomRobot,
            &["ops"],
            &format!("alert {i}"),
            Priority::Normal,
        )
        .await;
    }
    let unknown = enqueue(
        &app,
        Channel::CustomRobot,
        &["nobody"],
        "x",
        Priority::Normal,
    )
    .await;
    let r = app.drain().await;
    assert_eq!((r.sent, r.dead), (20, 1));
    assert!(
        row_state(&app, unknown)
            .await
            .2
            .contains("no custom robot named")
    );
    app.advance(Duration::seconds(30));
    assert_eq!(app.drain().await.sent, 0);
    app.advance(Duration::seconds(30));
    assert_eq!(app.drain().await.sent, 5);
    let sent = app.requests_to("/robot/send").await;
    assert_eq!(sent.len(), 25, "the fake never had to refuse one");
    assert_eq!(app.dingtalk.accepted().len(), 25);
    for r in &sent {
        let q = r.url.query().unwrap();
        assert!(q.contains("timestamp=") && q.contains("&sign="), "{q}");
        let body: Value = r.body_json().unwrap();
        assert!(
            body["msgUuid"]
                .as_str()
                .unwrap()
                .starts_with("dingwarden-outbox-")
        );
    }
}

async fn openapi_sends_are_spread_and_replies_go_first(app: TestApp) {
    let app = app.reconfigure(|c| c.delivery.openapi_qps = 5).await;
    for i in 0..12 {
        enqueue(
            &app,
            Channel::Direct,
            &[&format!("b{i}")],
            "bulk",
            Priority::Bulk,
        )
        .await;
    }
    enqueue(
        &app,
        Channel::Direct,
        &["chatter"],
        "reply",
        Priority::Reply,
    )
    .await;
    assert_eq!(app.drain().await.sent, 5);
    assert_eq!(app.dm_texts("chatter"), vec!["reply"]);
    assert_eq!(app.drain().await.sent, 0);
    app.advance(Duration::seconds(1));
    assert_eq!(app.drain().await.sent, 5);
    app.advance(Duration::seconds(1));
    assert_eq!(app.drain().await.sent, 3);
    assert_eq!(app.requests_to(BATCH).await.len(), 13);
}

async fn a_claimed_but_unfinished_row_is_sent_after_its_lease(app: TestApp) {
    let id = dm(&app, &["alice"], "hello").await;
    // A worker claims the row and dies before sending or recording anything.
    let now_ms = app.now().timestamp_millis();
    let mut tx = app.store.begin_write().await.unwrap();
    let backend = app.store.backend();
    let rows = sql::claim(
        tx.conn(),
        backend,
        now_ms,
        now_ms + 120_000,
        "dead-worker",
        10,
        sql::Skip::default(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(app.drain().await.claimed, 0);
    app.advance(Duration::seconds(119));
    assert_eq!(app.drain().await.claimed, 0);
    assert!(app.requests_to(BATCH).await.is_empty());
    app.advance(Duration::seconds(2));
    assert_eq!(app.drain().await.sent, 1);
    assert_eq!(app.dm_texts("alice"), vec!["hello"]);
    // The dead worker's claim no longer counts.
    let mut tx = app.store.begin_write().await.unwrap();
    let late = sql::Finish {
        status: "dead",
        attempts: 9,
        ..sql::Finish::default()
    };
    assert!(
        !sql::finish(tx.conn(), id, "dead-worker", &late)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    assert_eq!(row_state(&app, id).await.0, "sent");
}

async fn slow_sends_give_rows_back_before_their_lease_ends(app: TestApp) {
    let app = app
        .reconfigure(|c| {
            c.delivery.concurrency = 1;
            c.delivery.lease = std::time::Duration::from_millis(600);
        })
        .await;
    Mock::given(method("POST"))
        .and(path(BATCH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"processQueryKey": "slow"}))
                .set_delay(std::time::Duration::from_millis(400)),
        )
        .mount(&app.fake)
        .await;
    for i in 0..4 {
        dm(&app, &[&format!("u{i}")], "hello").await;
    }
    let r = dingwarden::delivery::drain_once(&app.state, app.now())
        .await
        .unwrap();
    assert_eq!((r.claimed, r.sent, r.deferred), (4, 1, 3));
    // Given back, not left leased: the next round takes them at once.
    let r = dingwarden::delivery::drain_once(&app.state, app.now())
        .await
        .unwrap();
    assert_eq!((r.claimed, r.sent), (3, 1));
}

/// A crash repeats only the sends in flight: a row whose send has returned
/// is recorded as sent while a slower sibling of the same round is still
/// waiting for DingTalk.
async fn each_outcome_is_recorded_as_soon_as_its_send_returns(app: TestApp) {
    Mock::given(method("POST"))
        .and(path(BATCH))
        .and(wiremock::matchers::body_string_contains("slowpoke"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"processQueryKey": "slow"}))
                .set_delay(std::time::Duration::from_millis(1500)),
        )
        .mount(&app.fake)
        .await;
    let fast = dm(&app, &["alice"], "hello").await;
    let slow = dm(&app, &["slowpoke"], "hello").await;
    let state = app.state.clone();
    let now = app.now();
    let round = tokio::spawn(async move { dingwarden::delivery::drain_once(&state, now).await });
    let mut recorded = false;
    for _ in 0..100 {
        if row_state(&app, fast).await.0 == "sent" {
            recorded = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(
        recorded,
        "the fast row was not recorded while the slow one was in flight"
    );
    assert!(!round.is_finished());
    assert_eq!(row_state(&app, slow).await.0, "pending");
    let r = round.await.unwrap().unwrap();
    assert_eq!((r.claimed, r.sent), (2, 2));
    assert_eq!(row_state(&app, slow).await.0, "sent");
}

/// After a crash, `serve` on SQLite (one process, one claimer) takes back
/// the rows the dead process had leased at once instead of waiting for
/// the lease; on PostgreSQL another replica may hold them, so they wait.
async fn a_restarted_worker_takes_back_a_crashed_processes_leases_on_sqlite(app: TestApp) {
    let id = dm(&app, &["alice"], "hello").await;
    let mut tx = app.store.begin_write().await.unwrap();
    let claimed = sql::claim(
        tx.conn(),
        app.store.backend(),
        app.now().timestamp_millis(),
        app.now().timestamp_millis() + 120_000,
        "crashed-process",
        10,
        sql::Skip::default(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(claimed.len(), 1);
    let shutdown = tokio_util::sync::CancellationToken::new();
    let worker = tokio::spawn(dingwarden::delivery::run(
        app.state.clone(),
        shutdown.clone(),
    ));
    let sqlite = app.store.backend() == dingwarden::store::Backend::Sqlite;
    for _ in 0..100 {
        if !app.dm_texts("alice").is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    shutdown.cancel();
    worker.await.unwrap();
    if sqlite {
        assert_eq!(app.dm_texts("alice"), vec!["hello"]);
        assert_eq!(row_state(&app, id).await.0, "sent");
    } else {
        assert!(app.dm_texts("alice").is_empty());
        assert_eq!(row_state(&app, id).await.0, "pending");
    }
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

async fn the_dev_sink_gets_openapi_sends_through_the_governor(app: TestApp) {
    let app = app
        .reconfigure(|c| {
            c.dev = true;
            c.delivery.openapi_qps = 2;
        })
        .await;
    for i in 0..3 {
        dm(&app, &["alice"], &format!("hi {i}")).await;
    }
    assert_eq!(app.drain().await.sent, 2);
    app.advance(Duration::seconds(1));
    assert_eq!(app.drain().await.sent, 1);
    let sink = app.state.dev_sink.as_ref().unwrap();
    let got = sink.since(0, Some("alice"));
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].channel, "direct");
    assert!(app.fake.received_requests().await.unwrap().is_empty());
}

async fn the_worker_loop_delivers_and_stops_on_shutdown(app: TestApp) {
    let shutdown = tokio_util::sync::CancellationToken::new();
    let worker = tokio::spawn(dingwarden::delivery::run(
        app.state.clone(),
        shutdown.clone(),
    ));
    dm(&app, &["alice"], "hello").await;
    app.state.delivery.wake();
    for _ in 0..500 {
        if !app.dm_texts("alice").is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(app.dm_texts("alice"), vec!["hello"]);
    shutdown.cancel();
    tokio::time::timeout(std::time::Duration::from_secs(5), worker)
        .await
        .expect("worker stops")
        .unwrap();
}

dual_backend!(
    server_error_then_success_is_delivered_once,
    timeouts_are_retried,
    expired_tokens_are_refreshed_once,
    token_failures_are_retried_without_a_fetch_per_message,
    flow_controlled_users_are_retried_alone,
    unknown_users_are_recorded_undeliverable,
    a_custom_robot_sends_twenty_a_minute,
    openapi_sends_are_spread_and_replies_go_first,
    a_claimed_but_unfinished_row_is_sent_after_its_lease,
    slow_sends_give_rows_back_before_their_lease_ends,
    each_outcome_is_recorded_as_soon_as_its_send_returns,
    a_restarted_worker_takes_back_a_crashed_processes_leases_on_sqlite,
    permanent_errors_dead_letter_and_admins_retry_them,
    transient_failures_dead_letter_after_the_last_attempt,
    the_dev_sink_gets_openapi_sends_through_the_governor,
    the_worker_loop_delivers_and_stops_on_shutdown,
);

/// Two replicas (own pools and governors) drain 5,000 rows from one
/// PostgreSQL: every row is sent once and the fake sees each user once.
async fn two_workers_drain_5000_rows_each_seen_once(app: TestApp) {
    let app = app
        .reconfigure(|c| {
            c.delivery.openapi_qps = 100_000;
            c.delivery.concurrency = 16;
        })
        .await;
    let now = app.now();
    let message = serde_json::to_string(&Message::text("scale")).unwrap();
    sqlx::query(
        "INSERT INTO outbox (channel, recipients, message, priority, next_attempt_at, created_at) \
         SELECT 'direct', '[\"u' || g || '\"]', $1, 10, $2, $2 FROM generate_series(1, 5000) g",
    )
    .bind(&message)
    .bind(now.timestamp_millis())
    .execute(app.store.pool())
    .await
    .unwrap();
    let replica = dingwarden::AppState::new(
        (*app.state.config).clone(),
        dingwarden::Store::open(&app.db.url()).await.unwrap(),
        app.clock.clone(),
    )
    .unwrap();
    let work = |state: dingwarden::AppState| async move {
        let mut sent = 0;
        loop {
            let r = dingwarden::delivery::drain_once(&state, now).await.unwrap();
            sent += r.sent;
            if r.claimed == 0 {
                break sent;
            }
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(work(app.state.clone())),
        tokio::spawn(work(replica))
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a + b, 5000);
    assert!(a > 0 && b > 0, "both workers took part: {a} + {b}");
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for ids in batch_user_ids(&app).await {
        for u in ids {
            *seen.entry(u).or_default() += 1;
        }
    }
    assert_eq!(seen.len(), 5000);
    assert!(seen.values().all(|&n| n == 1), "a user was sent twice");
    let sent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(sent, 5000);
}

/// PostgreSQL only: SQLite has one writer and one replica by design.
mod two_workers_share_one_postgres {
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    #[cfg_attr(
        not(any(pg_tests, feature = "pg-tests")),
        ignore = "needs PostgreSQL: set DINGWARDEN_TEST_PG_URL"
    )]
    async fn postgres() {
        super::two_workers_drain_5000_rows_each_seen_once(
            crate::helpers::TestApp::postgres().await,
        )
        .await;
    }
}
