//! The scheduler: each tick derives due work from the database (never from
//! in-memory timers), so restarts and extra replicas are safe. With
//! PostgreSQL only the replica holding the leader lease ticks (renewed each
//! tick, taken over by another replica [`LEADER_LEASE_TICKS`] ticks after
//! its holder stopped renewing it); every job is idempotent anyway, keyed
//! by what it is due for.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::time::MissedTickBehavior;
use tokio_util::sync::CancellationToken;

use crate::state::AppState;
use crate::store::leader::Leadership;

/// How many ticks a leader lease lasts: a replica that stops renewing it
/// (crashed, cut off) is replaced by another within this many ticks.
pub const LEADER_LEASE_TICKS: u32 = 3;

/// How long handled msgIds are kept beyond the signature window.
const INBOUND_RETENTION_MS: i64 = 24 * 3600 * 1000;

/// One pass over everything that may be due at `now`. A failing job does
/// not hold the others back: every job runs, and the error names each that
/// failed.
#[tracing::instrument(name = "scheduler_tick", skip_all, fields(now = %now))]
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<()> {
    let results = [
        timed("inbound pruning", prune_inbound(state, now)).await,
        timed("passwords", crate::jobs::passwords::tick(state, now)).await,
        timed("quiz", crate::jobs::quiz::tick(state, now)).await,
        timed("notices", crate::jobs::notices::tick(state, now)).await,
        timed("retention", crate::jobs::retention::tick(state, now)).await,
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

/// A job that runs longer than this is logged: on SQLite its writes hold
/// the one write lock, and callbacks wait for their claims meanwhile.
const SLOW_JOB: Duration = Duration::from_millis(250);

/// Runs one job of the tick, named, logging it (a warning) when it was slow.
async fn timed<T>(job: &'static str, run: impl Future<Output = T>) -> (&'static str, T) {
    let start = Instant::now();
    let out = run.await;
    let took = start.elapsed();
    if took >= SLOW_JOB {
        tracing::warn!(job, ms = took.as_millis() as u64, "scheduler job was slow");
    }
    (job, out)
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
    let mut leader = Leadership::new(state.config.scheduler_tick * LEADER_LEASE_TICKS);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            _ = interval.tick() => {}
        }
        let now = state.clock.now();
        let leads = leader.check(&state.store, now.timestamp_millis()).await;
        state.metrics.scheduler_leader.set(i64::from(leads));
        if !leads {
            continue;
        }
        if let Err(e) = tick(&state, now).await {
            tracing::error!(error = ?e, "scheduler tick failed");
        }
    }
    leader.step_down(&state.store).await;
}
