//! The inbox run a chat command's actions belong to: the first transaction
//! an action commits under a [`Ctx`] carrying an [`InboxRun`] also marks the
//! message's inbox row handled (and erases its text), so a committed effect
//! means the message is done and a re-run after a crash cannot repeat it. A
//! run that no longer holds its row (another replica took it over) commits
//! nothing: its transaction fails with [`InboxLost`] and rolls back.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::Ctx;
use crate::store::inbox::{self, RunKey};

/// One run of one inbox row, shared by the actions a command calls.
#[derive(Debug)]
pub struct InboxRun {
    key: RunKey,
    done: AtomicBool,
    lost: AtomicBool,
}

/// The run's inbox row was taken over by another run: nothing was committed.
#[derive(Clone, Copy, Debug, thiserror::Error)]
#[error("the inbox row is held by another run")]
pub struct InboxLost;

impl InboxRun {
    pub fn new(key: RunKey) -> Self {
        Self {
            key,
            done: AtomicBool::new(false),
            lost: AtomicBool::new(false),
        }
    }

    pub fn key(&self) -> &RunKey {
        &self.key
    }

    /// Whether the row has been marked handled by this run.
    pub fn is_done(&self) -> bool {
        self.done.load(Ordering::Acquire)
    }

    /// Whether this run found its row taken over.
    pub fn is_lost(&self) -> bool {
        self.lost.load(Ordering::Acquire)
    }

    pub(super) fn set_done(&self) {
        self.done.store(true, Ordering::Release);
    }

    pub(super) fn set_lost(&self) {
        self.lost.store(true, Ordering::Release);
    }
}

/// Marks the run's row handled in a transaction of its own (a command that
/// changed nothing, a refusal, a final failure); `Ok(false)` when the run
/// no longer holds the row.
pub async fn finish(ctx: &Ctx<'_>) -> anyhow::Result<bool> {
    let Some(run) = ctx.inbox else {
        return Ok(true);
    };
    if run.is_done() {
        return Ok(true);
    }
    match ctx.begin().await?.commit().await {
        Ok(()) => Ok(true),
        Err(e) if e.is::<InboxLost>() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Gives the run's row back after a failure, for another run `retry_in`
/// after `clock_ms` (the present, not the handler's `now`, which is when
/// the message arrived); `Ok(false)` when the run no longer held it.
pub async fn give_back(ctx: &Ctx<'_>, retry_in: Duration, clock_ms: i64) -> anyhow::Result<bool> {
    let Some(run) = ctx.inbox else {
        return Ok(true);
    };
    inbox::release(ctx.store, run.key(), retry_in, clock_ms).await
}
