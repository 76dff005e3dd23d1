//! The audit log: append-only, each entry hash-chained to the one before it
//! over a canonical encoding, so an edited, deleted or reordered row shows.

use anyhow::Context as _;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

/// `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Advisory-lock key that serialises appenders on PostgreSQL.
const AUDIT_LOCK_KEY: i64 = 0x6469_6e67_6175_6469; // "dingaudi"

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
}

/// The hash of an entry: SHA-256 over the JSON array
/// `[seq, at, actor, action, subject, details, prev_hash]`.
pub fn entry_hash(
    seq: i64,
    at: i64,
    actor: &str,
    action: &str,
    subject: &str,
    details: &str,
    prev: &str,
) -> String {
    let canonical = serde_json::json!([seq, at, actor, action, subject, details, prev]).to_string();
    let digest = Sha256::digest(canonical.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
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
    let hash = entry_hash(
        seq,
        now_ms,
        entry.actor,
        entry.action,
        entry.subject,
        &details,
        &prev,
    );
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(seq)
    .bind(now_ms)
    .bind(entry.actor)
    .bind(entry.action)
    .bind(entry.subject)
    .bind(&details)
    .bind(&prev)
    .bind(&hash)
    .execute(conn)
    .await
    .context("append audit entry")?;
    Ok(seq)
}

/// Up to `limit` entries after `after_seq` written at or after `from_ms`, in
/// order (page through the log with the last `seq` seen).
pub async fn page(
    pool: &sqlx::AnyPool,
    after_seq: i64,
    from_ms: i64,
    limit: i64,
) -> anyhow::Result<Vec<AuditRow>> {
    sqlx::query_as(
        "SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log \
         WHERE seq > $1 AND at >= $2 ORDER BY seq LIMIT $3",
    )
    .bind(after_seq)
    .bind(from_ms)
    .bind(limit)
    .fetch_all(pool)
    .await
    .context("read audit log")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_covers_every_field() {
        let base = entry_hash(1, 2, "a", "b", "c", "{}", GENESIS_HASH);
        assert_eq!(base.len(), 64);
        assert_ne!(base, entry_hash(2, 2, "a", "b", "c", "{}", GENESIS_HASH));
        assert_ne!(base, entry_hash(1, 3, "a", "b", "c", "{}", GENESIS_HASH));
        assert_ne!(base, entry_hash(1, 2, "x", "b", "c", "{}", GENESIS_HASH));
        assert_ne!(
            base,
            entry_hash(1, 2, "a", "b", "c", "{\"k\":1}", GENESIS_HASH)
        );
        assert_ne!(base, entry_hash(1, 2, "a", "b", "c", "{}", &base));
        // Field boundaries are part of the encoding: moving a character across them changes the hash.
        assert_ne!(
            entry_hash(1, 2, "ab", "c", "", "{}", GENESIS_HASH),
            entry_hash(1, 2, "a", "bc", "", "{}", GENESIS_HASH)
        );
    }
}
