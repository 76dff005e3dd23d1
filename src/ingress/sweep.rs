//! Keeping the inbox moving: while the service runs, the leases of the rows
//! this replica holds are renewed and rows whose lease has passed (their
//! replica died, or their run failed and gave them back) are taken and run
//! again — on PostgreSQL by whichever replica gets there first (`SKIP
//! LOCKED`). At start, SQLite (one process owns the file) re-runs every row
//! not handled at once; PostgreSQL takes only rows whose lease has passed,
//! as another replica may be running the rest.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::inbox::dispatch;
use crate::state::AppState;
use crate::store::Backend;
use crate::store::inbox::{self, Take};

/// Most rows one recovery pass takes at a time.
const RECOVERY_BATCH: i64 = 1000;

/// How often leases are renewed and the sweep runs: a third of the lease,
/// at least a second.
pub fn interval(lease: Duration) -> Duration {
    (lease / 3).max(Duration::from_secs(1))
}

/// Renews and sweeps every [`interval`] until shutdown, after recovering.
pub async fn run(state: AppState, shutdown: CancellationToken) {
    match recover(&state).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            messages = n,
            "inbox: re-running messages not handled before"
        ),
        Err(e) => tracing::error!(error = ?e, "inbox recovery failed; the sweep will retry"),
    }
    let every = interval(state.config.inbox.lease);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => break,
            () = tokio::time::sleep(every) => {}
        }
        if let Err(e) = renew(&state).await {
            tracing::warn!(error = ?e, "inbox leases not renewed");
        }
        match sweep(&state).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(messages = n, "inbox: running messages again"),
            Err(e) => tracing::warn!(error = ?e, "inbox sweep failed"),
        }
    }
}

/// At start: SQLite takes every row not handled, PostgreSQL the rows whose
/// lease has passed; each is queued in arrival order. Returns how many.
pub async fn recover(state: &AppState) -> anyhow::Result<usize> {
    if state.store.backend() == Backend::Postgres {
        return sweep(state).await;
    }
    let mut total = 0;
    loop {
        let now_ms = state.clock.now().timestamp_millis();
        let held = inbox::take(
            &state.store,
            &state.inbox_lease,
            Take::Every,
            now_ms,
            RECOVERY_BATCH,
        )
        .await?;
        let n = held.len();
        total += n;
        state.metrics.inbox_taken.inc_by(n as u64);
        held.into_iter().for_each(|h| dispatch(state, h, None));
        if n < RECOVERY_BATCH as usize {
            return Ok(total);
        }
    }
}

/// Takes rows whose lease has passed (as many as this replica runs at once)
/// and queues them in arrival order. Returns how many.
pub async fn sweep(state: &AppState) -> anyhow::Result<usize> {
    let now_ms = state.clock.now().timestamp_millis();
    let limit = i64::try_from(state.config.inbox.max_handlers).unwrap_or(i64::MAX);
    let held = inbox::take(
        &state.store,
        &state.inbox_lease,
        Take::Due,
        now_ms,
        limit.max(1),
    )
    .await?;
    let n = held.len();
    state.metrics.inbox_taken.inc_by(n as u64);
    held.into_iter().for_each(|h| dispatch(state, h, None));
    Ok(n)
}

/// Renews the leases of the rows this replica has queued or running.
pub async fn renew(state: &AppState) -> anyhow::Result<u64> {
    let ids = state.holding.ids();
    if ids.is_empty() {
        return Ok(0);
    }
    let now_ms = state.clock.now().timestamp_millis();
    inbox::renew(&state.store, &state.inbox_lease, &ids, now_ms).await
}
