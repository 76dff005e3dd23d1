//! The scheduler: each tick derives due work from the database (never from
//! in-memory timers), so restarts and extra replicas are safe. With
//! PostgreSQL only the replica holding an advisory lock ticks; every job is
//! idempotent anyway, keyed by what it is due for.

use chrono::{DateTime, Utc};
use sqlx::pool::PoolConnection;
use sqlx::{Any, Connection as _};
use tokio::time::MissedTickBehavior;
use tokio_util::sync::CancellationToken;

use crate::state::AppState;
use crate::store::Backend;

/// Advisory-lock key of the scheduler leader on PostgreSQL.
const LEADER_LOCK_KEY: i64 = 0x6469_6e67_7363_6864; // "dingschd"

/// How long handled msgIds are kept beyond the signature window.
const INBOUND_RETENTION_MS: i64 = 24 * 3600 * 1000;

/// One pass over everything that may be due at `now`. A failing job does
/// not hold the others back: every job runs, and the error names each that
/// failed.
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<()> {
    let results = [
        ("inbound pruning", prune_inbound(state, now).await),
        ("passwords", crate::jobs::passwords::tick(state, now).await),
        ("quiz", crate::jobs::quiz::tick(state, now).await),
        ("notices", crate::jobs::notices::tick(state, now).await),
        ("retention", crate::jobs::retention::tick(state, now).await),
    ];
    let failures: Vec<String> = results
        .into_iter()
        .filter_map(|(job, r)| r.err().map(|e| format!("{job}: {e:#}")))
        .collect();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(anyhow::anyhow!(failures.join("; ")))
    }
}

/// Forgets handled msgIds that can no longer pass the signature window.
async fn prune_inbound(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<()> {
    let window_ms =
        i64::try_from(state.config.signature_window.as_millis()).unwrap_or(i64::MAX / 4);
    let keep = (2 * window_ms).max(INBOUND_RETENTION_MS);
    let pruned = state
        .store
        .prune_inbound(now.timestamp_millis() - keep)
        .await?;
    if pruned > 0 {
        tracing::debug!(pruned, "pruned handled msgIds");
    }
    Ok(())
}

/// Ticks every `DINGWARDEN_SCHEDULER_TICK_SECS` until shutdown.
pub async fn run(state: AppState, shutdown: CancellationToken) {
    let mut interval = tokio::time::interval(state.config.scheduler_tick);
    interval.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut leader: Option<PoolConnection<Any>> = None;
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            _ = interval.tick() => {}
        }
        if !is_leader(&state, &mut leader).await {
            continue;
        }
        let now = state.clock.now();
        if let Err(e) = tick(&state, now).await {
            tracing::error!(error = ?e, "scheduler tick failed");
        }
    }
}

/// SQLite has one process by construction; PostgreSQL elects a leader with a
/// session advisory lock held on a dedicated connection.
async fn is_leader(state: &AppState, held: &mut Option<PoolConnection<Any>>) -> bool {
    if state.store.backend() == Backend::Sqlite {
        return true;
    }
    if let Some(conn) = held.as_mut() {
        if conn.ping().await.is_ok() {
            return true;
        }
        *held = None;
    }
    let Ok(mut conn) = state.store.pool().acquire().await else {
        return false;
    };
    let got: Result<bool, _> = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
        .bind(LEADER_LOCK_KEY)
        .fetch_one(&mut *conn)
        .await;
    match got {
        Ok(true) => {
            tracing::info!("this replica now runs the scheduler");
            *held = Some(conn);
            true
        }
        Ok(false) => false,
        Err(e) => {
            tracing::warn!(error = ?e, "scheduler leader check failed");
            false
        }
    }
}
