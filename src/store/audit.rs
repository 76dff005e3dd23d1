//! The audit log: append-only, each entry hash-chained to the one before it
//! (rules in [`crate::domain::audit`]), so an edited, deleted or reordered
//! row shows, while a payload erased under retention does not break it.

use anyhow::Context as _;
use serde_json::Value;
use sqlx::{AnyConnection, AnyPool};

pub use crate::domain::audit::GENESIS_HASH;
use crate::domain::audit::{chain_hash, payload_hash, redaction};

/// Advisory-lock key that serialises appenders on PostgreSQL.
const AUDIT_LOCK_KEY: i64 = 0x6469_6e67_6175_6469; // "dingaudi"

/// The `settings` row (written by migration 0007) holding the first seq
/// whose chain hash covers the payload's hash rather than the payload.
pub const CURRENT_FORM_FROM: &str = "audit.current_form_from";

/// One consequential action: who did what to which subject.
#[derive(Clone, Debug)]
pub struct AuditEntry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub details: Value,
}

/// A stored entry.
#[derive(Clone, Debug, sqlx::FromRow, serde::Serialize)]
pub struct AuditRow {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
    /// `None` on entries written before [`CURRENT_FORM_FROM`].
    pub payload_hash: Option<String>,
    /// `None` on legacy entries and once the payload was redacted.
    pub payload_salt: Option<String>,
}

impl AuditRow {
    /// The entry as the chain rules read it.
    pub fn chain_entry(&self) -> crate::domain::audit::ChainEntry<'_> {
        crate::domain::audit::ChainEntry {
            seq: self.seq,
            at: self.at,
            actor: &self.actor,
            action: &self.action,
            subject: &self.subject,
            details: &self.details,
            prev_hash: &self.prev_hash,
            hash: &self.hash,
            payload_hash: self.payload_hash.as_deref(),
            payload_salt: self.payload_salt.as_deref(),
        }
    }
}

/// A fresh random salt for one payload (128 bits, hex).
fn new_salt() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an entry inside the caller's transaction, so the record and the
/// action it describes commit together. Returns the entry's sequence number.
pub async fn append(
    conn: &mut AnyConnection,
    entry: &AuditEntry<'_>,
    now_ms: i64,
) -> anyhow::Result<i64> {
    if conn.backend_name() == "PostgreSQL" {
        // Two replicas appending at once would both read the same tail;
        // the transaction-scoped lock makes them take turns.
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(AUDIT_LOCK_KEY)
            .execute(&mut *conn)
            .await
            .context("lock audit log")?;
    }
    let tail: Option<(i64, String)> =
        sqlx::query_as("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await
            .context("read audit tail")?;
    let (seq, prev) = match tail {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS_HASH.to_owned()),
    };
    let details = entry.details.to_string();
    let salt = new_salt();
    let payload = payload_hash(&salt, entry.actor, entry.subject, &details);
    let hash = chain_hash(seq, now_ms, entry.action, &payload, &prev);
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash, \
         payload_hash, payload_salt) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(seq)
    .bind(now_ms)
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.subject)
    .bind(&details)
    .bind(&prev)
    .bind(&hash)
    .bind(&payload)
    .bind(&salt)
    .execute(conn)
    .await
    .context("append audit entry")?;
    Ok(seq)
}

/// Up to `limit` entries after `after_seq` written at or after `from_ms`, in
/// order (page through the log with the last `seq` seen), on a pool or a
/// connection.
pub async fn page<'c, E>(
    conn: E,
    after_seq: i64,
    from_ms: i64,
    limit: i64,
) -> anyhow::Result<Vec<AuditRow>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_as(
        "SELECT seq, at, actor, action, subject, details, prev_hash, hash, payload_hash, \
         payload_salt FROM audit_log WHERE seq > $1 AND at >= $2 ORDER BY seq LIMIT $3",
    )
    .bind(after_seq)
    .bind(from_ms)
    .bind(limit)
    .fetch_all(conn)
    .await
    .context("read audit log")
}

/// The first seq written at or after `from_ms` (`None` when none was).
pub async fn first_seq_since(
    conn: &mut AnyConnection,
    from_ms: i64,
) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar("SELECT MIN(seq) FROM audit_log WHERE at >= $1")
        .bind(from_ms)
        .fetch_one(conn)
        .await
        .context("find the first audit entry of a period")
}

/// Entries of one `action` written at or after `from_ms`, in order.
pub async fn with_action(
    conn: &mut AnyConnection,
    action: &str,
    from_ms: i64,
) -> anyhow::Result<Vec<AuditRow>> {
    sqlx::query_as(
        "SELECT seq, at, actor, action, subject, details, prev_hash, hash, payload_hash, \
         payload_salt FROM audit_log WHERE action = $1 AND at >= $2 ORDER BY seq",
    )
    .bind(action)
    .bind(from_ms)
    .fetch_all(conn)
    .await
    .context("read audit entries by action")
}

/// Appends one entry in a transaction of its own (reads of personal data:
/// exports, API and dashboard views).
pub async fn record(
    store: &crate::store::Store,
    entry: &AuditEntry<'_>,
    now_ms: i64,
) -> anyhow::Result<i64> {
    let mut tx = store.begin_write().await?;
    let seq = append(tx.conn(), entry, now_ms).await?;
    tx.commit().await?;
    Ok(seq)
}

/// The first seq written in the current form (see [`CURRENT_FORM_FROM`]).
pub async fn current_form_from<'c, E>(conn: E) -> anyhow::Result<i64>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(CURRENT_FORM_FROM)
        .fetch_optional(conn)
        .await
        .context("read the audit log's form marker")?;
    value.and_then(|v| v.parse().ok()).with_context(|| {
        format!(
            "the setting {CURRENT_FORM_FROM}, written by migration 0007, is missing or not a number"
        )
    })
}

/// The seq of the first entry whose hash is `hash`, if any (to name what a
/// broken link points to).
pub async fn seq_of_hash(pool: &AnyPool, hash: &str) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar("SELECT seq FROM audit_log WHERE hash = $1 ORDER BY seq LIMIT 1")
        .bind(hash)
        .fetch_optional(pool)
        .await
        .context("look up linked entry")
}

/// The hash stored for entry `seq`, if it is there.
pub async fn hash_of<'c, E>(conn: E, seq: i64) -> anyhow::Result<Option<String>>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
        .bind(seq)
        .fetch_optional(conn)
        .await
        .context("read anchored entry")
}

/// Redacts entry `seq` under retention: its payload becomes the redaction
/// marker (`at_ms` is when), its salt is dropped, and its actor and subject
/// become the pseudonymised ones given. Entries written before the current
/// form cannot be redacted (their hash covers the payload itself): `false`
/// for those, and for entries already redacted or not there.
pub async fn redact(
    conn: &mut AnyConnection,
    seq: i64,
    actor: &str,
    subject: &str,
    at_ms: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE audit_log SET details = $1, actor = $2, subject = $3, payload_salt = NULL \
         WHERE seq = $4 AND payload_hash IS NOT NULL AND payload_salt IS NOT NULL",
    )
    .bind(redaction(at_ms))
    .bind(actor)
    .bind(subject)
    .bind(seq)
    .execute(conn)
    .await
    .context("redact audit entry")?;
    Ok(done.rows_affected() == 1)
}

/// Entries whose actor, subject or details contain `needle` (a staff id or
/// a name; the caller checks each match exactly), in order.
pub async fn mentioning(conn: &mut AnyConnection, needle: &str) -> anyhow::Result<Vec<AuditRow>> {
    sqlx::query_as(
        "SELECT seq, at, actor, action, subject, details, prev_hash, hash, payload_hash, \
         payload_salt FROM audit_log WHERE actor = $1 OR subject LIKE $2 OR details LIKE $2 \
         ORDER BY seq",
    )
    .bind(needle)
    .bind(format!("%{needle}%"))
    .fetch_all(conn)
    .await
    .context("find audit entries naming someone")
}

/// Renames the actor and subject of an entry already redacted (another
/// leaver named in it); its payload is no longer covered by its hash.
pub async fn rename_redacted(
    conn: &mut AnyConnection,
    seq: i64,
    actor: &str,
    subject: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE audit_log SET actor = $1, subject = $2 \
         WHERE seq = $3 AND payload_hash IS NOT NULL AND payload_salt IS NULL",
    )
    .bind(actor)
    .bind(subject)
    .bind(seq)
    .execute(conn)
    .await
    .context("rename redacted audit entry")?;
    Ok(())
}
