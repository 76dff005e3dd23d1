//! Outbox health: how many rows wait, fail and are dead, how long the
//! oldest due row has waited, and the failing rows and dead letters.

use crate::store::Store;
use crate::store::delivery::{self, ListedRow, Shelf};

/// A due row waiting longer than this makes the outbox "slow".
pub const SLOW_AFTER_MS: i64 = 5 * 60 * 1000;

/// How the outbox is doing, at a glance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Nothing failing, nothing dead, nothing waiting long.
    Healthy,
    /// Rows are being retried or a due row has waited over [`SLOW_AFTER_MS`].
    Degraded,
    /// Dead letters exist: someone did not get a message.
    Failing,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Healthy => "healthy",
            Level::Degraded => "degraded",
            Level::Failing => "failing",
        }
    }
}

/// The outbox at `now_ms`.
#[derive(Clone, Debug)]
pub struct Health {
    /// Rows waiting to be sent (including retries).
    pub pending: i64,
    /// Pending rows that failed at least once.
    pub failing: i64,
    pub dead: i64,
    /// When the longest-waiting due row became due.
    pub oldest_due_ms: Option<i64>,
    pub now_ms: i64,
    pub failing_rows: Vec<ListedRow>,
    /// Newest first.
    pub dead_rows: Vec<ListedRow>,
}

impl Health {
    /// How long the oldest due row has waited, in seconds.
    pub fn oldest_wait_secs(&self) -> Option<i64> {
        self.oldest_due_ms.map(|t| (self.now_ms - t).max(0) / 1000)
    }

    pub fn level(&self) -> Level {
        let slow = self
            .oldest_due_ms
            .is_some_and(|t| self.now_ms - t > SLOW_AFTER_MS);
        if self.dead > 0 {
            Level::Failing
        } else if self.failing > 0 || slow {
            Level::Degraded
        } else {
            Level::Healthy
        }
    }
}

/// The outbox's figures, with at most `rows` failing rows and dead letters.
pub async fn health(store: &Store, now_ms: i64, rows: i64) -> anyhow::Result<Health> {
    let (pending, dead, oldest_due_ms) = delivery::depth(store, now_ms).await?;
    let (failing, failing_rows) = delivery::list(store, Shelf::Failing, rows).await?;
    let (_, dead_rows) = delivery::list(store, Shelf::Dead, rows).await?;
    Ok(Health {
        pending,
        failing,
        dead,
        oldest_due_ms,
        now_ms,
        failing_rows,
        dead_rows,
    })
}
