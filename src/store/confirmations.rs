//! Pending confirmations (`confirmations`): a typed request, who asked and
//! where, the SHA-256 of its one-time code, its expiry, the wrong codes
//! tried, and how it closed. Statements on the caller's transaction.

use anyhow::Context as _;
use sqlx::AnyConnection;

/// How a confirmation closed (`confirmations.outcome`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Its code was given in time: the request was executed.
    Used,
    /// Too many wrong codes: void.
    Locked,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Used => "used",
            Outcome::Locked => "locked",
        }
    }
}

/// A confirmation to store.
#[derive(Clone, Copy, Debug)]
pub struct NewConfirmation<'a> {
    pub requester: &'a str,
    pub venue: &'a str,
    pub action: &'a str,
    /// The typed request as JSON text.
    pub request: &'a str,
    pub code_hash: &'a str,
    pub expires_at: i64,
}

/// A stored confirmation.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ConfirmationRow {
    pub id: i64,
    pub requester: String,
    pub venue: String,
    pub action: String,
    pub request: String,
    pub code_hash: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub attempts: i64,
    pub closed_at: Option<i64>,
    pub outcome: Option<String>,
}

/// Stores a confirmation; returns its id.
pub async fn insert(
    conn: &mut AnyConnection,
    new: &NewConfirmation<'_>,
    now_ms: i64,
) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO confirmations (requester, venue, action, request, code_hash, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(new.requester)
    .bind(new.venue)
    .bind(new.action)
    .bind(new.request)
    .bind(new.code_hash)
    .bind(now_ms)
    .bind(new.expires_at)
    .fetch_one(conn)
    .await
    .context("store confirmation")
}

/// The requester's confirmations created since `since_ms`, open or closed,
/// newest first (a code is looked for among them).
pub async fn of_requester(
    conn: &mut AnyConnection,
    requester: &str,
    since_ms: i64,
) -> anyhow::Result<Vec<ConfirmationRow>> {
    sqlx::query_as(
        "SELECT id, requester, venue, action, request, code_hash, created_at, expires_at, \
         attempts, closed_at, outcome FROM confirmations \
         WHERE requester = $1 AND created_at >= $2 ORDER BY id DESC",
    )
    .bind(requester)
    .bind(since_ms)
    .fetch_all(conn)
    .await
    .context("read confirmations")
}

/// Closes an open confirmation; `false` if it was closed already (another
/// confirmation raced this one).
pub async fn close(
    conn: &mut AnyConnection,
    id: i64,
    outcome: Outcome,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE confirmations SET closed_at = $1, outcome = $2 WHERE id = $3 AND closed_at IS NULL",
    )
    .bind(now_ms)
    .bind(outcome.as_str())
    .bind(id)
    .execute(conn)
    .await
    .context("close confirmation")?;
    Ok(done.rows_affected() == 1)
}

/// Counts a wrong code against every open, unexpired confirmation of the
/// requester and locks those that reached `max` wrong codes; returns how
/// many were locked.
pub async fn count_wrong(
    conn: &mut AnyConnection,
    requester: &str,
    max: i64,
    now_ms: i64,
) -> anyhow::Result<u64> {
    sqlx::query(
        "UPDATE confirmations SET attempts = attempts + 1 \
         WHERE requester = $1 AND closed_at IS NULL AND expires_at > $2",
    )
    .bind(requester)
    .bind(now_ms)
    .execute(&mut *conn)
    .await
    .context("count wrong code")?;
    let locked = sqlx::query(
        "UPDATE confirmations SET closed_at = $1, outcome = $2 \
         WHERE requester = $3 AND closed_at IS NULL AND attempts >= $4",
    )
    .bind(now_ms)
    .bind(Outcome::Locked.as_str())
    .bind(requester)
    .bind(max)
    .execute(conn)
    .await
    .context("lock confirmations")?;
    Ok(locked.rows_affected())
}

/// Deletes confirmations that expired before `before_ms` (used, locked or
/// never confirmed): they are of no use after that.
pub async fn purge(conn: &mut AnyConnection, before_ms: i64) -> anyhow::Result<u64> {
    let done = sqlx::query("DELETE FROM confirmations WHERE expires_at < $1")
        .bind(before_ms)
        .execute(conn)
        .await
        .context("purge confirmations")?;
    Ok(done.rows_affected())
}
