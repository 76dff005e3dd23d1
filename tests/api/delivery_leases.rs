//! Delivery leases and workers: a claimed row whose worker died is sent after
//! its lease, slow rounds give rows back, each outcome is recorded as soon
//! as its send returns, a restart on SQLite takes back a crashed process's
//! leases, the worker loop stops on shutdown, and two workers share one
//! PostgreSQL.

use chrono::Duration;
use dingwarden::domain::Message;
use dingwarden::store::delivery as sql;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::delivery::{BATCH, batch_user_ids, dm, row_state};
use crate::dual_backend;
use crate::helpers::TestApp;

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
    let r = dingwarden::delivery::drain_once(&app.state.delivery, app.now())
        .await
        .unwrap();
    assert_eq!((r.claimed, r.sent, r.deferred), (4, 1, 3));
    // Given back, not left leased: the next round takes them at once.
    let r = dingwarden::delivery::drain_once(&app.state.delivery, app.now())
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
    let round =
        tokio::spawn(async move { dingwarden::delivery::drain_once(&state.delivery, now).await });
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
        app.state.delivery.clone(),
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

async fn the_worker_loop_delivers_and_stops_on_shutdown(app: TestApp) {
    let shutdown = tokio_util::sync::CancellationToken::new();
    let worker = tokio::spawn(dingwarden::delivery::run(
        app.state.delivery.clone(),
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
    a_claimed_but_unfinished_row_is_sent_after_its_lease,
    slow_sends_give_rows_back_before_their_lease_ends,
    each_outcome_is_recorded_as_soon_as_its_send_returns,
    a_restarted_worker_takes_back_a_crashed_processes_leases_on_sqlite,
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
            let r = dingwarden::delivery::drain_once(&state.delivery, now)
                .await
                .unwrap();
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
