//! Outbox leases against skewed clocks and failing writes (issue 13): on
//! PostgreSQL a lease is judged by the database's clock, so a replica whose
//! clock runs ahead cannot take a row another is sending; and a send
//! DingTalk accepted is recorded even when the first tries at writing that
//! down fail, instead of being sent again after the lease.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::Duration;
use dingwarden::clock::{Clock as _, ManualClock};
use dingwarden::store::Backend;
use dingwarden::store::delivery as sql;

use crate::delivery::{BATCH, dm, row_state};
use crate::delivery_leases::lease_time_passes;
use crate::dual_backend;
use crate::helpers::TestApp;

/// Claims every due row for a worker that then goes quiet, for `lease`.
async fn claim_for(app: &TestApp, token: &str, lease: StdDuration) -> usize {
    let mut tx = app.store.begin_write().await.unwrap();
    let rows = sql::claim(
        tx.conn(),
        app.store.backend(),
        app.now().timestamp_millis(),
        lease,
        token,
        10,
        sql::Skip::default(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    rows.len()
}

/// Two replicas on one PostgreSQL, the second's clock days ahead: it can
/// claim no row the first holds until the database's clock says the lease
/// has ended, whatever either replica's clock says.
async fn a_replica_whose_clock_runs_ahead_cannot_take_a_row_in_flight(app: TestApp) {
    dm(&app, &["alice"], "hello").await;
    assert_eq!(
        claim_for(&app, "replica-a", StdDuration::from_secs(120)).await,
        1
    );
    let ahead = Arc::new(ManualClock::new(app.now() + Duration::days(3)));
    let b = dingwarden::AppState::new(
        (*app.state.config).clone(),
        dingwarden::Store::open(&app.db.url()).await.unwrap(),
        ahead.clone(),
    )
    .unwrap();
    let drain_b = || dingwarden::delivery::drain_once(&b.delivery, ahead.now());
    assert_eq!(drain_b().await.unwrap().claimed, 0);
    // The first replica's own clock jumping ahead frees nothing either.
    app.advance(Duration::days(2));
    assert_eq!(app.drain().await.claimed, 0);
    assert!(app.requests_to(BATCH).await.is_empty());

    // A short lease ends by the database's clock, and only then is taken.
    let bob = dm(&app, &["bob"], "hi").await;
    assert_eq!(
        claim_for(&app, "replica-a", StdDuration::from_millis(1500)).await,
        1
    );
    assert_eq!(drain_b().await.unwrap().claimed, 0);
    tokio::time::sleep(StdDuration::from_millis(2000)).await;
    let r = drain_b().await.unwrap();
    assert_eq!((r.claimed, r.sent), (1, 1));
    assert_eq!(row_state(&app, bob).await.0, "sent");
    assert_eq!(app.dm_texts("bob"), vec!["hi"]);
    assert!(app.dm_texts("alice").is_empty());
}

/// PostgreSQL only: on SQLite one process is the only claimer (a second
/// `serve` on the file refuses to start), and its clock is the lease clock
/// (`delivery_leases::a_claimed_but_unfinished_row_is_sent_after_its_lease`).
mod a_replica_whose_clock_runs_ahead_cannot_take_a_row_in_flight {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[cfg_attr(
        not(any(pg_tests, feature = "pg-tests")),
        ignore = "needs PostgreSQL: set DINGWARDEN_TEST_PG_URL"
    )]
    async fn postgres() {
        let app = crate::helpers::TestApp::postgres().await;
        let url = app.db.url();
        super::a_replica_whose_clock_runs_ahead_cannot_take_a_row_in_flight(app).await;
        crate::helpers::drop_pg_database(&url).await;
    }
}

/// Makes every write to `outbox_deliveries` fail while `fail_deliveries`
/// has a row (recording an accepted send writes one).
async fn break_recording(app: &TestApp) {
    let statements: &[&str] = match app.store.backend() {
        Backend::Sqlite => &[
            "CREATE TABLE fail_deliveries (n BIGINT)",
            "CREATE TRIGGER fail_delivery BEFORE INSERT ON outbox_deliveries \
             WHEN EXISTS (SELECT 1 FROM fail_deliveries) \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
        ],
        Backend::Postgres => &[
            "CREATE TABLE fail_deliveries (n BIGINT)",
            "CREATE FUNCTION fail_delivery() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF EXISTS (SELECT 1 FROM fail_deliveries) THEN RAISE EXCEPTION 'injected failure'; \
             END IF; RETURN NEW; END $$",
            "CREATE TRIGGER fail_delivery BEFORE INSERT ON outbox_deliveries \
             FOR EACH ROW EXECUTE FUNCTION fail_delivery()",
        ],
    };
    for s in statements {
        sqlx::query(s).execute(app.store.pool()).await.unwrap();
    }
    set_failing(app, true).await;
}

async fn set_failing(app: &TestApp, failing: bool) {
    let sql = if failing {
        "INSERT INTO fail_deliveries (n) VALUES (1)"
    } else {
        "DELETE FROM fail_deliveries"
    };
    sqlx::query(sql).execute(app.store.pool()).await.unwrap();
}

async fn deliveries(app: &TestApp, id: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox_deliveries WHERE outbox_id = $1")
        .bind(id)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

fn record_retries(app: &TestApp) -> u64 {
    app.state.metrics.delivery.record_retries.get()
}

/// DingTalk accepts a send, then writing that down fails for a moment: the
/// worker tries again, the row ends sent, and nobody gets it twice.
async fn a_send_whose_recording_fails_for_a_moment_is_recorded_not_sent_again(app: TestApp) {
    break_recording(&app).await;
    let id = dm(&app, &["alice"], "hello").await;
    let state = app.state.clone();
    let now = app.now();
    let round =
        tokio::spawn(async move { dingwarden::delivery::drain_once(&state.delivery, now).await });
    let start = std::time::Instant::now();
    while record_retries(&app) == 0 {
        assert!(
            start.elapsed() < StdDuration::from_secs(10),
            "no failed try"
        );
        tokio::time::sleep(StdDuration::from_millis(5)).await;
    }
    set_failing(&app, false).await;
    let r = round.await.unwrap().unwrap();
    assert_eq!((r.claimed, r.sent), (1, 1));
    assert_eq!(row_state(&app, id).await.0, "sent");
    assert_eq!(deliveries(&app, id).await, 1);
    lease_time_passes(&app, Duration::minutes(10)).await;
    assert_eq!(app.drain().await.claimed, 0);
    assert_eq!(app.requests_to(BATCH).await.len(), 1);
    assert_eq!(app.dm_texts("alice"), vec!["hello"]);
}

/// When recording keeps failing, the worker gives up after a few short
/// tries and leaves the row leased; it is sent again only once the lease
/// has ended (the one batch a crash may repeat), and then recorded.
async fn a_send_that_cannot_be_recorded_waits_for_its_lease(app: TestApp) {
    break_recording(&app).await;
    let id = dm(&app, &["alice"], "hello").await;
    let r = app.drain().await;
    assert_eq!((r.claimed, r.sent), (1, 0));
    assert_eq!(record_retries(&app), 4);
    assert_eq!(row_state(&app, id).await.0, "pending");
    assert_eq!(deliveries(&app, id).await, 0);
    assert_eq!(app.drain().await.claimed, 0, "the lease still holds");
    set_failing(&app, false).await;
    lease_time_passes(&app, Duration::seconds(121)).await;
    assert_eq!(app.drain().await.sent, 1);
    assert_eq!(row_state(&app, id).await.0, "sent");
    assert_eq!(app.requests_to(BATCH).await.len(), 2);
}

dual_backend!(
    a_send_whose_recording_fails_for_a_moment_is_recorded_not_sent_again,
    a_send_that_cannot_be_recorded_waits_for_its_lease,
);
