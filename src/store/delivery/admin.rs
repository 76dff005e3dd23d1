//! The outbox as admins see it: how many rows wait, fail and are dead, the
//! failing rows and dead letters, and putting a dead letter back in the
//! queue.

use anyhow::Context as _;
use sqlx::AnyConnection;

use crate::store::Store;
use crate::store::outbox::OutboxStatus;

/// Outbox size for the metrics: pending rows, dead letters, and when the
/// longest-waiting due row became due.
pub async fn depth(store: &Store, now_ms: i64) -> anyhow::Result<(i64, i64, Option<i64>)> {
    let pool = store.pool();
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
        .fetch_one(pool)
        .await?;
    let dead: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'dead'")
        .fetch_one(pool)
        .await?;
    let oldest: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1",
    )
    .bind(now_ms)
    .fetch_one(pool)
    .await?;
    Ok((pending, dead, oldest))
}

/// One row in the admin view.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ListedRow {
    pub id: i64,
    pub channel: String,
    pub recipients: String,
    pub remaining_recipients: Option<String>,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
}

impl ListedRow {
    /// How many recipients are still owed the message.
    pub fn recipient_count(&self) -> usize {
        let raw = self
            .remaining_recipients
            .as_deref()
            .unwrap_or(&self.recipients);
        serde_json::from_str::<Vec<String>>(raw).map_or(0, |v| v.len())
    }
}

/// Which rows the admin views list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shelf {
    /// Pending rows that failed at least once, next attempt first.
    Failing,
    /// Dead letters, newest first.
    Dead,
}

/// The rows on `shelf`, most relevant first, with how many there are in all.
pub async fn list(
    store: &Store,
    shelf: Shelf,
    limit: i64,
) -> anyhow::Result<(i64, Vec<ListedRow>)> {
    let pool = store.pool();
    let (filter, order) = match shelf {
        Shelf::Failing => ("status = 'pending' AND attempts > 0", "next_attempt_at, id"),
        Shelf::Dead => ("status = 'dead'", "id DESC"),
    };
    let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM outbox WHERE {filter}"))
        .fetch_one(pool)
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT id, channel, recipients, remaining_recipients, attempts, next_attempt_at, last_error \
         FROM outbox WHERE {filter} ORDER BY {order} LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(pool)
    .await
    .context("list outbox rows")?;
    Ok((count, rows))
}

/// What `outbox retry` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    Requeued,
    NotFound,
    /// The row is not a dead letter; its status (`None`: one this version
    /// does not know).
    NotDead(Option<OutboxStatus>),
    /// A dead letter whose payload retention dropped: nothing left to send.
    PayloadDropped,
}

/// Puts a dead letter back in the queue, due now, with a fresh attempt count.
pub async fn retry_dead(conn: &mut AnyConnection, id: i64, now_ms: i64) -> anyhow::Result<Retry> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, \
         lease_until = NULL, claim_token = NULL WHERE id = $1 AND status = 'dead' \
         AND payload_dropped_at IS NULL",
    )
    .bind(id)
    .bind(now_ms)
    .execute(&mut *conn)
    .await
    .context("requeue dead letter")?;
    if done.rows_affected() == 1 {
        return Ok(Retry::Requeued);
    }
    let row: Option<(String, Option<i64>)> =
        sqlx::query_as("SELECT status, payload_dropped_at FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(match row {
        None => Retry::NotFound,
        Some((_, Some(_))) => Retry::PayloadDropped,
        Some((status, None)) => Retry::NotDead(OutboxStatus::parse(&status)),
    })
}
