//! The delivery worker's SQL: claiming due outbox rows under a lease
//! (PostgreSQL `FOR UPDATE SKIP LOCKED`; SQLite has one writer), finishing
//! them (sent, retry later, dead letter) only while the claim still holds,
//! recording each accepted DingTalk call, and the admin views.

use anyhow::Context as _;
use sqlx::{AnyConnection, AnyPool};

use super::Backend;
use super::outbox::Channel;
use crate::domain::Message;

/// What a claimed row asks to send.
#[derive(Clone, Debug)]
pub struct Content {
    pub channel: Channel,
    /// Who is still owed the message: everyone, or the users a partial send left.
    pub recipients: Vec<String>,
    pub message: Message,
}

/// A row this worker holds until its lease ends.
#[derive(Clone, Debug)]
pub struct ClaimedRow {
    pub id: i64,
    pub attempts: i64,
    pub priority: i64,
    pub next_attempt_at: i64,
    pub reference: Option<(String, i64)>,
    /// Some recipients already got it (an earlier partial send).
    pub had_delivery: bool,
    /// The row decoded, or why it could not be.
    pub content: Result<Content, String>,
}

type RawRow = (
    i64,
    String,
    String,
    Option<String>,
    String,
    i64,
    i64,
    i64,
    Option<String>,
    Option<i64>,
    Option<String>,
);

const RETURNING: &str = "RETURNING id, channel, recipients, remaining_recipients, message, attempts, \
     priority, next_attempt_at, ref_kind, ref_id, process_query_key";

/// Rows a claim leaves for later: whole channels, and custom robots by name.
#[derive(Clone, Copy, Debug, Default)]
pub struct Skip<'a> {
    pub channels: &'a [Channel],
    pub robots: &'a [String],
}

/// Claims up to `limit` due rows (pending, due by `now_ms`, not leased),
/// most urgent first, leasing them until `lease_until` under `token`.
pub async fn claim(
    conn: &mut AnyConnection,
    backend: Backend,
    now_ms: i64,
    lease_until: i64,
    token: &str,
    limit: i64,
    skip: Skip<'_>,
) -> anyhow::Result<Vec<ClaimedRow>> {
    // Channel names are our own constants, never user input; robot rows
    // name their robot as the only recipient, stored as a JSON array.
    let mut filter: String = skip
        .channels
        .iter()
        .map(|c| format!(" AND channel <> '{}'", c.as_str()))
        .collect();
    let robots: Vec<String> = skip
        .robots
        .iter()
        .map(|r| serde_json::to_string(&[r]))
        .collect::<Result<_, _>>()?;
    if !robots.is_empty() {
        let params: Vec<String> = (0..robots.len()).map(|i| format!("${}", i + 5)).collect();
        filter.push_str(&format!(
            " AND NOT (channel = 'custom_robot' AND recipients IN ({}))",
            params.join(", ")
        ));
    }
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE outbox SET lease_until = $1, claim_token = $2 WHERE id IN (\
         SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $3 \
         AND (lease_until IS NULL OR lease_until <= $3){filter} \
         ORDER BY priority, next_attempt_at, id LIMIT $4{lock}) {RETURNING}"
    );
    let mut query = sqlx::query_as(&sql)
        .bind(lease_until)
        .bind(token)
        .bind(now_ms)
        .bind(limit);
    for r in robots {
        query = query.bind(r);
    }
    let raw: Vec<RawRow> = query
        .fetch_all(&mut *conn)
        .await
        .context("claim due outbox rows")?;
    let mut rows: Vec<ClaimedRow> = raw.into_iter().map(decode).collect();
    rows.sort_by_key(|r| (r.priority, r.next_attempt_at, r.id));
    Ok(rows)
}

fn decode(r: RawRow) -> ClaimedRow {
    let (id, channel, recipients, remaining, message, attempts, priority, next, kind, ref_id, pqk) =
        r;
    let content = (|| {
        let channel =
            Channel::parse(&channel).ok_or_else(|| format!("unknown channel '{channel}'"))?;
        let recipients: Vec<String> =
            serde_json::from_str(remaining.as_deref().unwrap_or(&recipients))
                .map_err(|e| format!("unreadable recipients: {e}"))?;
        let message: Message =
            serde_json::from_str(&message).map_err(|e| format!("unreadable message: {e}"))?;
        Ok(Content {
            channel,
            recipients,
            message,
        })
    })();
    ClaimedRow {
        id,
        attempts,
        priority,
        next_attempt_at: next,
        reference: kind.zip(ref_id),
        had_delivery: pqk.is_some(),
        content,
    }
}

/// Gives a claimed row back untouched (e.g. its API is at its rate limit).
pub async fn release(conn: &mut AnyConnection, id: i64, token: &str) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE outbox SET lease_until = NULL, claim_token = NULL WHERE id = $1 AND claim_token = $2",
    )
    .bind(id)
    .bind(token)
    .execute(&mut *conn)
    .await
    .context("release outbox row")?;
    Ok(())
}

/// Gives back every leased row; how many. Only for a process that knows it
/// is the one claimer (SQLite is for a single instance): after a crash its
/// leases would otherwise hold those rows back until they end.
pub async fn release_all(conn: &mut AnyConnection) -> anyhow::Result<u64> {
    let done = sqlx::query(
        "UPDATE outbox SET lease_until = NULL, claim_token = NULL \
         WHERE status = 'pending' AND claim_token IS NOT NULL",
    )
    .execute(&mut *conn)
    .await
    .context("release leased outbox rows")?;
    Ok(done.rows_affected())
}

/// How a claimed row ends this attempt.
#[derive(Clone, Debug, Default)]
pub struct Finish<'a> {
    /// `pending` (retry), `sent` or `dead`.
    pub status: &'a str,
    pub attempts: i64,
    pub next_attempt_at: Option<i64>,
    pub last_error: Option<&'a str>,
    /// Recipients still owed the message (flow-controlled users).
    pub remaining: Option<&'a [String]>,
    pub process_query_key: Option<&'a str>,
    pub sent_at: Option<i64>,
}

/// Finishes a row if `token` still holds it; false if the lease was lost
/// (another worker has taken the row over).
pub async fn finish(
    conn: &mut AnyConnection,
    id: i64,
    token: &str,
    f: &Finish<'_>,
) -> anyhow::Result<bool> {
    let remaining = f.remaining.map(serde_json::to_string).transpose()?;
    let done = sqlx::query(
        "UPDATE outbox SET status = $3, attempts = $4, \
         next_attempt_at = COALESCE($5, next_attempt_at), last_error = COALESCE($6, last_error), \
         remaining_recipients = COALESCE($7, remaining_recipients), \
         process_query_key = COALESCE($8, process_query_key), sent_at = COALESCE($9, sent_at), \
         lease_until = NULL, claim_token = NULL WHERE id = $1 AND claim_token = $2",
    )
    .bind(id)
    .bind(token)
    .bind(f.status)
    .bind(f.attempts)
    .bind(f.next_attempt_at)
    .bind(f.last_error)
    .bind(remaining)
    .bind(f.process_query_key)
    .bind(f.sent_at)
    .execute(&mut *conn)
    .await
    .context("finish outbox row")?;
    Ok(done.rows_affected() == 1)
}

/// One DingTalk call that accepted a row.
#[derive(Clone, Debug)]
pub struct DeliveryRecord<'a> {
    pub outbox_id: i64,
    pub api: &'a str,
    pub process_query_key: Option<&'a str>,
    pub delivered: &'a [String],
    pub undeliverable: &'a [String],
    pub flow_controlled: &'a [String],
    pub at_ms: i64,
}

pub async fn record_delivery(
    conn: &mut AnyConnection,
    d: &DeliveryRecord<'_>,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO outbox_deliveries (outbox_id, api, process_query_key, delivered, undeliverable, \
         flow_controlled, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(d.outbox_id)
    .bind(d.api)
    .bind(d.process_query_key)
    .bind(serde_json::to_string(d.delivered)?)
    .bind(serde_json::to_string(d.undeliverable)?)
    .bind(serde_json::to_string(d.flow_controlled)?)
    .bind(d.at_ms)
    .execute(&mut *conn)
    .await
    .context("record delivery")?;
    Ok(())
}

/// Outbox size for the metrics: pending rows, dead letters, and when the
/// longest-waiting due row became due.
pub async fn depth(pool: &AnyPool, now_ms: i64) -> anyhow::Result<(i64, i64, Option<i64>)> {
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

/// Rows in `status` (and, for `pending`, with at least one failed attempt),
/// most relevant first, with how many there are in all.
pub async fn list(
    pool: &AnyPool,
    status: &str,
    limit: i64,
) -> anyhow::Result<(i64, Vec<ListedRow>)> {
    let (filter, order) = match status {
        "pending" => ("status = 'pending' AND attempts > 0", "next_attempt_at, id"),
        _ => ("status = 'dead'", "id DESC"),
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Retry {
    Requeued,
    NotFound,
    /// The row is not a dead letter; its status.
    NotDead(String),
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
        Some((status, None)) => Retry::NotDead(status),
    })
}
