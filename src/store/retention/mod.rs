//! Retention in the database (rules in [`crate::domain::retention`]): what
//! is due, erasing incident and feedback texts, dropping sent and dead
//! outbox payloads with their delivery logs, the once-a-day claim of the
//! scheduled run. Pseudonymising a leaver is [`leaver`]. Rows are never
//! deleted, so counts and report totals stay as they were.

pub mod leaver;

use anyhow::Context as _;
use sqlx::AnyConnection;

use crate::domain::retention::Cutoffs;

/// The `settings` row holding the local date of the last scheduled run.
const LAST_RUN: &str = "retention.last_run";

/// What a dropped outbox payload becomes.
pub const DROPPED: &str = r#"{"dropped":"retention"}"#;

/// Leavers due for pseudonymisation: `(staff_id, name)`, by staff id.
pub async fn due_leavers(
    conn: &mut AnyConnection,
    cut: &Cutoffs,
) -> anyhow::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT staff_id, name FROM users WHERE active = 0 AND left_at IS NOT NULL \
         AND left_at < $1 AND pseudonymised_at IS NULL ORDER BY staff_id",
    )
    .bind(cut.left_before)
    .fetch_all(conn)
    .await
    .context("find leavers due")
}

/// What [`anything_due`] asks, each part answered from an index (not by
/// reading every incident or sent message when none is old enough).
pub(crate) const ANYTHING_DUE: &str = "SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE active = 0 AND left_at IS NOT NULL \
       AND left_at < $1 AND pseudonymised_at IS NULL) \
     OR EXISTS (SELECT 1 FROM incidents WHERE created_at < $2 AND text_erased_at IS NULL) \
     OR EXISTS (SELECT 1 FROM feedback WHERE created_at < $2 AND text_erased_at IS NULL) \
     OR EXISTS (SELECT 1 FROM outbox WHERE status = 'sent' AND sent_at < $3 \
       AND payload_dropped_at IS NULL) \
     OR EXISTS (SELECT 1 FROM outbox WHERE status = 'dead' AND created_at < $4 \
       AND payload_dropped_at IS NULL) THEN 1 ELSE 0 END";

/// Whether anything at all is due (the scheduler's cheap check).
pub async fn anything_due(conn: &mut AnyConnection, cut: &Cutoffs) -> anyhow::Result<bool> {
    let due: i64 = sqlx::query_scalar(ANYTHING_DUE)
        .bind(cut.left_before)
        .bind(cut.text_before)
        .bind(cut.sent_before)
        .bind(cut.dead_before)
        .fetch_one(conn)
        .await
        .context("check what retention has due")?;
    Ok(due == 1)
}

/// Erases incident texts (and close notes) and feedback texts written
/// before the cutoff; category, people, dates and status stay. Returns how
/// many texts were erased.
pub async fn erase_texts(
    conn: &mut AnyConnection,
    cut: &Cutoffs,
    now_ms: i64,
) -> anyhow::Result<i64> {
    let incidents = sqlx::query(
        "UPDATE incidents SET text = '', close_note = CASE WHEN close_note IS NULL THEN NULL \
         ELSE '' END, text_erased_at = $1 WHERE created_at < $2 AND text_erased_at IS NULL",
    )
    .bind(now_ms)
    .bind(cut.text_before)
    .execute(&mut *conn)
    .await
    .context("erase incident texts")?;
    let feedback = sqlx::query(
        "UPDATE feedback SET text = '', text_erased_at = $1 \
         WHERE created_at < $2 AND text_erased_at IS NULL",
    )
    .bind(now_ms)
    .bind(cut.text_before)
    .execute(conn)
    .await
    .context("erase feedback texts")?;
    Ok((incidents.rows_affected() + feedback.rows_affected()) as i64)
}

/// Drops the payloads of outbox rows in `status` whose `since` column is
/// before the cutoff: the message, recipients and last error, and the
/// recipient lists of their delivery log. The rows, statuses and times stay.
async fn drop_payloads(
    conn: &mut AnyConnection,
    status: &str,
    since: &str,
    before: i64,
    now_ms: i64,
) -> anyhow::Result<i64> {
    let due = |cut: &str| {
        format!("status = '{status}' AND {since} < {cut} AND payload_dropped_at IS NULL")
    };
    sqlx::query(&format!(
        "UPDATE outbox_deliveries SET delivered = '[]', undeliverable = '[]', \
         flow_controlled = '[]' WHERE outbox_id IN (SELECT id FROM outbox WHERE {})",
        due("$1")
    ))
    .bind(before)
    .execute(&mut *conn)
    .await
    .context("drop delivery logs")?;
    let done = sqlx::query(&format!(
        "UPDATE outbox SET message = '{DROPPED}', recipients = '[]', remaining_recipients = NULL, \
         last_error = NULL, payload_dropped_at = $1 WHERE {}",
        due("$2")
    ))
    .bind(now_ms)
    .bind(before)
    .execute(conn)
    .await
    .context("drop outbox payloads")?;
    Ok(done.rows_affected() as i64)
}

/// Drops sent payloads older than the cutoff; returns how many.
pub async fn drop_sent(
    conn: &mut AnyConnection,
    cut: &Cutoffs,
    now_ms: i64,
) -> anyhow::Result<i64> {
    drop_payloads(conn, "sent", "sent_at", cut.sent_before, now_ms).await
}

/// Drops dead letters' payloads older than the cutoff; returns how many.
pub async fn drop_dead(
    conn: &mut AnyConnection,
    cut: &Cutoffs,
    now_ms: i64,
) -> anyhow::Result<i64> {
    drop_payloads(conn, "dead", "created_at", cut.dead_before, now_ms).await
}

/// Claims `day` (a local date) for the scheduled run: `false` when a run
/// already claimed it (another tick or replica).
pub async fn claim_day(conn: &mut AnyConnection, day: &str, now_ms: i64) -> anyhow::Result<bool> {
    let updated = sqlx::query(
        "UPDATE settings SET value = $1, updated_at = $2 WHERE key = $3 AND value <> $1",
    )
    .bind(day)
    .bind(now_ms)
    .bind(LAST_RUN)
    .execute(&mut *conn)
    .await
    .context("claim the retention day")?;
    if updated.rows_affected() == 1 {
        return Ok(true);
    }
    let inserted = sqlx::query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(LAST_RUN)
    .bind(day)
    .bind(now_ms)
    .execute(conn)
    .await
    .context("claim the retention day")?;
    Ok(inserted.rows_affected() == 1)
}

/// Whether the scheduled run already ran on `day`.
pub async fn ran_on(conn: &mut AnyConnection, day: &str) -> anyhow::Result<bool> {
    let last: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(LAST_RUN)
        .fetch_optional(conn)
        .await
        .context("read the last retention day")?;
    Ok(last.as_deref() == Some(day))
}
