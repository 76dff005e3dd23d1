//! The scheduler's leader (issue 13): a lease row its holder renews and
//! another replica takes over only once it has ended (judged by the
//! database's clock on PostgreSQL), given up on a graceful stop, held by no
//! database session (so a transaction-pooling PgBouncer cannot break it).

use std::sync::Arc;
use std::time::Duration;

use dingwarden::AppState;
use dingwarden::clock::ManualClock;
use dingwarden::store::Backend;
use dingwarden::store::leader::{self, Leadership, SCHEDULER};
use tokio_util::sync::CancellationToken;

use crate::helpers::TestApp;
use crate::{dual_backend, postgres_only};

const LEASE: Duration = Duration::from_secs(30);

/// Lets `by` pass on the lease clock: the test clock on SQLite (returned,
/// to pass on); on PostgreSQL the database's clock, which a test cannot
/// move, so the lease row is moved back by as much instead.
async fn lease_time_passes(app: &TestApp, now_ms: i64, by: Duration) -> i64 {
    let by_ms = i64::try_from(by.as_millis()).unwrap();
    if app.store.backend() == Backend::Postgres {
        sqlx::query("UPDATE leader_leases SET lease_until = lease_until - $1")
            .bind(by_ms)
            .execute(app.store.pool())
            .await
            .unwrap();
    }
    now_ms + by_ms
}

async fn a_leader_lease_is_renewed_by_its_holder_and_taken_over_once_it_has_ended(app: TestApp) {
    let s = &app.store;
    let now = app.now().timestamp_millis();
    assert!(
        leader::try_hold(s, SCHEDULER, "a", LEASE, now)
            .await
            .unwrap()
    );
    assert!(
        !leader::try_hold(s, SCHEDULER, "b", LEASE, now)
            .await
            .unwrap()
    );
    let now = lease_time_passes(&app, now, LEASE - Duration::from_secs(1)).await;
    assert!(
        !leader::try_hold(s, SCHEDULER, "b", LEASE, now)
            .await
            .unwrap()
    );
    // Renewed: another whole lease from now.
    assert!(
        leader::try_hold(s, SCHEDULER, "a", LEASE, now)
            .await
            .unwrap()
    );
    let now = lease_time_passes(&app, now, LEASE - Duration::from_secs(1)).await;
    assert!(
        !leader::try_hold(s, SCHEDULER, "b", LEASE, now)
            .await
            .unwrap()
    );
    assert_eq!(
        leader::holder(s, SCHEDULER).await.unwrap().as_deref(),
        Some("a")
    );
    // Not renewed in time: taken over, and the old holder is out.
    let now = lease_time_passes(&app, now, Duration::from_secs(2)).await;
    assert!(
        leader::try_hold(s, SCHEDULER, "b", LEASE, now)
            .await
            .unwrap()
    );
    assert!(
        !leader::try_hold(s, SCHEDULER, "a", LEASE, now)
            .await
            .unwrap()
    );
    // Only the holder gives it up; then it is free at once.
    leader::release(s, SCHEDULER, "a").await.unwrap();
    assert_eq!(
        leader::holder(s, SCHEDULER).await.unwrap().as_deref(),
        Some("b")
    );
    leader::release(s, SCHEDULER, "b").await.unwrap();
    assert!(
        leader::try_hold(s, SCHEDULER, "a", LEASE, now)
            .await
            .unwrap()
    );
}

/// SQLite has one process per file: it always leads, whatever the row says.
async fn leadership_on_sqlite_needs_no_lease_and_on_postgres_one_holder(app: TestApp) {
    let now = app.now().timestamp_millis();
    let mut a = Leadership::new(LEASE);
    let mut b = Leadership::new(LEASE);
    assert!(a.check(&app.store, now).await);
    let sqlite = app.store.backend() == Backend::Sqlite;
    assert_eq!(b.check(&app.store, now).await, sqlite);
    let holder = leader::holder(&app.store, SCHEDULER).await.unwrap();
    assert_eq!(holder.as_deref(), (!sqlite).then_some(a.holder()));
    a.step_down(&app.store).await;
    assert!(b.check(&app.store, now).await);
}

dual_backend!(
    a_leader_lease_is_renewed_by_its_holder_and_taken_over_once_it_has_ended,
    leadership_on_sqlite_needs_no_lease_and_on_postgres_one_holder,
);

/// A replica with its own pool, and its clock `ahead` of the test clock.
async fn replica(app: &TestApp, ahead: chrono::Duration, tick: Duration) -> AppState {
    let mut config = (*app.state.config).clone();
    config.scheduler_tick = tick;
    let clock = Arc::new(ManualClock::new(app.now() + ahead));
    let store = dingwarden::Store::open(&app.db.url()).await.unwrap();
    AppState::new(config, store, clock).unwrap()
}

/// Leadership is the lease row, not a database session: when every
/// connection to the database is cut (as a transaction-pooling PgBouncer
/// hands server connections around, or a network blip closes them), the
/// leader still leads and the other replica, whose clock runs a day ahead,
/// still does not (a session advisory lock would have passed to it).
async fn leadership_outlives_its_connections_and_ignores_replica_clocks(app: TestApp) {
    let a = replica(&app, chrono::Duration::zero(), Duration::from_secs(1)).await;
    let b = replica(&app, chrono::Duration::days(1), Duration::from_secs(1)).await;
    let ms = |s: &AppState| s.clock.now().timestamp_millis();
    let mut lead_a = Leadership::new(Duration::from_secs(4));
    let mut lead_b = Leadership::new(Duration::from_secs(4));
    assert!(lead_a.check(&a.store, ms(&a)).await);
    assert!(!lead_b.check(&b.store, ms(&b)).await);
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .execute(app.store.pool())
    .await
    .unwrap();
    assert!(!lead_b.check(&b.store, ms(&b)).await);
    assert!(lead_a.check(&a.store, ms(&a)).await);
    // Once the database's clock says the lease has ended, it moves.
    tokio::time::sleep(Duration::from_millis(4500)).await;
    assert!(lead_b.check(&b.store, ms(&b)).await);
    assert!(!lead_a.check(&a.store, ms(&a)).await);
}

/// Waits until exactly `state` says it runs the scheduler; false on timeout.
async fn leads_alone(app: &TestApp, state: &AppState, other: &AppState, within: Duration) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < within {
        let holder = leader::holder(&app.store, SCHEDULER).await.unwrap();
        if state.metrics.scheduler_leader.get() == 1
            && other.metrics.scheduler_leader.get() == 0
            && holder.is_some()
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

/// Two schedulers on one PostgreSQL: one leads; a graceful stop hands over
/// at the next tick, a crash (no stop) after the lease of three ticks.
async fn two_schedulers_one_leader_handed_over_on_stop_and_taken_over_after_a_crash(app: TestApp) {
    let tick = Duration::from_secs(1);
    let a = replica(&app, chrono::Duration::zero(), tick).await;
    let b = replica(&app, chrono::Duration::hours(1), tick).await;
    let stop_a = CancellationToken::new();
    let run_a = tokio::spawn(dingwarden::scheduler::run(a.clone(), stop_a.clone()));
    assert!(leads_alone(&app, &a, &b, Duration::from_secs(10)).await);
    let run_b = tokio::spawn(dingwarden::scheduler::run(
        b.clone(),
        CancellationToken::new(),
    ));
    tokio::time::sleep(tick * 3).await;
    assert!(
        leads_alone(&app, &a, &b, Duration::from_secs(1)).await,
        "a keeps it"
    );
    // A graceful stop gives the lease up: b takes it at its next tick.
    stop_a.cancel();
    run_a.await.unwrap();
    a.metrics.scheduler_leader.set(0);
    assert!(leads_alone(&app, &b, &a, tick * 2 + Duration::from_secs(1)).await);
    // A crash gives nothing up: a new replica takes over once the lease ends.
    let c = replica(&app, chrono::Duration::zero(), tick).await;
    let run_c = tokio::spawn(dingwarden::scheduler::run(
        c.clone(),
        CancellationToken::new(),
    ));
    tokio::time::sleep(tick * 2).await;
    assert_eq!(c.metrics.scheduler_leader.get(), 0, "b still holds it");
    run_b.abort();
    let _ = run_b.await;
    b.metrics.scheduler_leader.set(0);
    assert!(leads_alone(&app, &c, &b, Duration::from_secs(10)).await);
    run_c.abort();
}

// PostgreSQL only: SQLite has one `serve` per file, which always leads.
postgres_only!(
    leadership_outlives_its_connections_and_ignores_replica_clocks,
    two_schedulers_one_leader_handed_over_on_stop_and_taken_over_after_a_crash,
);
