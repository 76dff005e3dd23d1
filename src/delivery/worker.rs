//! The delivery worker of `serve`: drains the outbox in rounds, sleeping
//! when nothing is due (until a rate-limited API frees up, something is
//! enqueued, or the idle poll), and keeps the outbox gauges current.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio_util::sync::CancellationToken;

use super::drain_once;
use std::sync::Arc;

use super::Delivery;
use crate::store::Backend;

/// How often an idle worker looks for due rows (rows enqueued by a handler's
/// transaction become due without a wake-up call).
const IDLE_POLL: Duration = Duration::from_millis(500);

/// Shortest pause between rounds that made no progress.
const MIN_PAUSE: Duration = Duration::from_millis(5);

/// Pause after a round failed (e.g. the database is unreachable).
const ERROR_PAUSE: Duration = Duration::from_secs(2);

/// How often the outbox gauges are refreshed.
const GAUGE_EVERY: Duration = Duration::from_secs(5);

/// Drains the outbox until shutdown.
pub async fn run(state: Arc<Delivery>, shutdown: CancellationToken) {
    take_back_leases(&state).await;
    let mut gauges_at = tokio::time::Instant::now();
    while !shutdown.is_cancelled() {
        let now = state.clock.now();
        let pause = match drain_once(&state, now).await {
            Ok(r) if r.progressed() => Duration::ZERO,
            Ok(r) => r
                .next_wake
                .and_then(|t| (t - now).to_std().ok())
                .map_or(IDLE_POLL, |d| d.min(IDLE_POLL))
                .max(MIN_PAUSE),
            Err(e) => {
                tracing::error!(error = ?e, "delivery round failed");
                ERROR_PAUSE
            }
        };
        if gauges_at.elapsed() >= GAUGE_EVERY {
            gauges_at = tokio::time::Instant::now();
            if let Err(e) = refresh_gauges(&state, now).await {
                tracing::warn!(error = ?e, "outbox gauges not refreshed");
            }
        }
        if pause.is_zero() {
            tokio::task::yield_now().await;
            continue;
        }
        tokio::select! {
            () = shutdown.cancelled() => break,
            () = tokio::time::sleep(pause) => {}
            () = state.wake.notified() => {}
        }
    }
    tracing::debug!("delivery worker stopped");
}

/// On SQLite this worker is the only claimer (one instance per database),
/// so rows still leased at start-up were held by a process that crashed:
/// they are sent now rather than when the lease ends. On PostgreSQL other
/// replicas may be sending them, so their leases stand.
async fn take_back_leases(state: &Delivery) {
    if state.store.backend() != Backend::Sqlite {
        return;
    }
    let released = async {
        let mut tx = state.store.begin_write().await?;
        let n = crate::store::delivery::release_all(tx.conn()).await?;
        tx.commit().await?;
        anyhow::Ok(n)
    };
    match released.await {
        Ok(0) => {}
        Ok(rows) => tracing::info!(rows, "outbox rows leased before a restart taken back"),
        Err(e) => tracing::warn!(error = ?e, "leased outbox rows not taken back"),
    }
}

/// Sets the outbox depth, dead-letter and oldest-due-age gauges.
pub async fn refresh_gauges(state: &Delivery, now: DateTime<Utc>) -> anyhow::Result<()> {
    let now_ms = now.timestamp_millis();
    let (pending, dead, oldest) = crate::store::delivery::depth(state.store.pool(), now_ms).await?;
    let m = &state.metrics.delivery;
    m.depth.set(pending);
    m.dead.set(dead);
    let age_ms = oldest.map_or(0, |t| (now_ms - t).max(0));
    m.oldest_due_age.set(age_ms as f64 / 1000.0);
    Ok(())
}
