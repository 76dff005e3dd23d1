//! The delivery worker's SQL: claiming due outbox rows under a lease
//! (PostgreSQL `FOR UPDATE SKIP LOCKED`, the lease judged by the database's
//! clock; SQLite has one writer and one process, whose clock it uses), finishing
//! them (sent, retry later, dead letter) only while the claim still holds,
//! recording each accepted DingTalk call and telling the feature that caused
//! it; the admin views are in `delivery/admin.rs`. The `*_tx` functions own their
//! transaction, so the engine never opens one.

use std::time::Duration;

use anyhow::Context as _;
use sqlx::AnyConnection;

mod admin;

pub use admin::{ListedRow, Retry, Shelf, depth, list, retry_dead};

use super::outbox::{Channel, Reference};
use super::{Backend, Store, delivered};
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
    /// What caused the row; `None` when nothing did (or this version does
    /// not know the kind).
    pub reference: Option<Reference>,
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
/// most urgent first, leasing them for `lease` under `token`. Whether a
/// lease has ended, and when the new one ends, is judged by
/// [`Backend::lease_clock`]: the database's clock on PostgreSQL (a replica
/// whose clock runs ahead cannot take a row in flight), `now_ms` on SQLite.
pub async fn claim(
    conn: &mut AnyConnection,
    backend: Backend,
    now_ms: i64,
    lease: Duration,
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
    let clock = backend.lease_clock(3);
    let sql = format!(
        "UPDATE outbox SET lease_until = {clock} + $1, claim_token = $2 WHERE id IN (\
         SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $3 \
         AND (lease_until IS NULL OR lease_until <= {clock}){filter} \
         ORDER BY priority, next_attempt_at, id LIMIT $4{lock}) {RETURNING}"
    );
    let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX / 4);
    let mut query = sqlx::query_as(&sql)
        .bind(lease_ms)
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

/// What one round claims: due rows, most urgent first, leased to `token`.
#[derive(Clone, Copy, Debug)]
pub struct ClaimRequest<'a> {
    pub now_ms: i64,
    pub lease: Duration,
    pub token: &'a str,
    pub limit: i64,
    pub skip: Skip<'a>,
}

/// [`claim`] in a transaction of its own.
pub async fn claim_tx(store: &Store, req: ClaimRequest<'_>) -> anyhow::Result<Vec<ClaimedRow>> {
    let mut tx = store.begin_write().await?;
    let backend = store.backend();
    let rows = claim(
        tx.conn(),
        backend,
        req.now_ms,
        req.lease,
        req.token,
        req.limit,
        req.skip,
    )
    .await?;
    tx.commit().await?;
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
        reference: kind
            .zip(ref_id)
            .and_then(|(kind, id)| Reference::parse(&kind, id)),
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

/// Gives claimed rows back untouched, in one transaction.
pub async fn release_tx(store: &Store, ids: &[i64], token: &str) -> anyhow::Result<()> {
    let mut tx = store.begin_write().await?;
    for id in ids {
        release(tx.conn(), *id, token).await?;
    }
    tx.commit().await
}

/// [`release_all`] in a transaction of its own.
pub async fn release_all_tx(store: &Store) -> anyhow::Result<u64> {
    let mut tx = store.begin_write().await?;
    let n = release_all(tx.conn()).await?;
    tx.commit().await?;
    Ok(n)
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
#[derive(Clone, Copy, Debug)]
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

/// Who an accepted call reached, and who DingTalk refused as unknown.
#[derive(Clone, Copy, Debug)]
pub struct Reached<'a> {
    pub record: DeliveryRecord<'a>,
    pub reference: Option<Reference>,
}

/// Records one attempt in a transaction of its own: finishes the row if
/// `token` still holds it and, when DingTalk accepted the call, records the
/// call and tells the feature that caused the row who was reached. False
/// (and nothing written) when the lease was lost.
pub async fn record_tx(
    store: &Store,
    id: i64,
    token: &str,
    finish_as: &Finish<'_>,
    reached: Option<Reached<'_>>,
) -> anyhow::Result<bool> {
    let mut tx = store.begin_write().await?;
    if !finish(tx.conn(), id, token, finish_as).await? {
        return Ok(false);
    }
    if let Some(r) = reached {
        let d = &r.record;
        record_delivery(tx.conn(), d).await?;
        if let Some(reference) = r.reference {
            if !d.delivered.is_empty() {
                delivered::on_delivered(tx.conn(), reference, d.delivered, d.at_ms).await?;
            }
            if !d.undeliverable.is_empty() {
                delivered::on_undeliverable(tx.conn(), reference, d.undeliverable, d.at_ms).await?;
            }
        }
    }
    tx.commit().await?;
    Ok(true)
}
