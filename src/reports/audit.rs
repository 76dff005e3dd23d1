//! The audit log as auditors read it: the chain walked and checked
//! (`dingwarden audit verify`), and the entries as JSON lines (`dingwarden
//! audit export`, `GET /api/v1/audit`, the evidence bundle): each entry's
//! stored fields, `at` also as local RFC 3339, and `details` as JSON (it was
//! hashed as its compact text).

use chrono::DateTime;
use chrono_tz::Tz;
use futures_util::Stream;
use serde_json::{Value, json};
use sqlx::AnyPool;

use crate::domain::audit::{Break, GENESIS, GENESIS_HASH, check};
use crate::store::audit::{AuditRow, current_form_from, page, seq_of_hash};

/// Entries read per query, so memory stays flat however long the log is.
pub const PAGE: i64 = 1000;

/// An intact chain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Intact {
    pub entries: i64,
    pub last_at: Option<i64>,
    pub head: String,
    /// Entries whose payload was redacted under retention.
    pub redacted: i64,
    /// The first seq whose hash covers its payload's hash (redactable).
    pub current_from: i64,
}

/// Walks the whole log in order. `Ok(Err(break))` names the first break.
pub async fn verify_chain(pool: &AnyPool) -> anyhow::Result<Result<Intact, Break>> {
    let current_from = current_form_from(pool).await?;
    let mut prev: (i64, String) = (GENESIS.0, GENESIS_HASH.to_owned());
    let (mut last_at, mut entries, mut redacted) = (None, 0, 0);
    let mut after = i64::MIN;
    loop {
        let rows = page(pool, after, i64::MIN, PAGE).await?;
        let Some(last) = rows.last() else { break };
        let done = (rows.len() as i64) < PAGE;
        last_at = Some(last.at);
        for row in rows {
            match check((prev.0, &prev.1), &row.chain_entry(), current_from) {
                Ok(was_redacted) => redacted += i64::from(was_redacted),
                Err(Ok(b)) => return Ok(Err(b)),
                Err(Err(suspect)) => {
                    let origin = seq_of_hash(pool, &row.prev_hash).await?;
                    return Ok(Err(suspect.name(origin)));
                }
            }
            entries += 1;
            after = row.seq;
            prev = (row.seq, row.hash);
        }
        if done {
            break;
        }
    }
    Ok(Ok(Intact {
        entries,
        last_at,
        head: prev.1,
        redacted,
        current_from,
    }))
}

/// One entry as a JSON object (one line of the export).
pub fn export_line(row: &AuditRow, tz: Tz) -> Value {
    let at = DateTime::from_timestamp_millis(row.at)
        .map(|t| t.with_timezone(&tz).to_rfc3339())
        .unwrap_or_default();
    let details: Value =
        serde_json::from_str(&row.details).unwrap_or_else(|_| Value::String(row.details.clone()));
    json!({
        "seq": row.seq, "at": at, "at_ms": row.at, "actor": row.actor, "action": row.action,
        "subject": row.subject, "details": details, "prev_hash": row.prev_hash, "hash": row.hash,
        "payload_hash": row.payload_hash, "payload_salt": row.payload_salt,
    })
}

/// The entries written at or after `from_ms`, oldest first, as JSON lines:
/// one chunk of text per page of [`PAGE`] entries.
pub fn json_lines(
    pool: AnyPool,
    from_ms: i64,
    tz: Tz,
) -> impl Stream<Item = anyhow::Result<String>> + Send + 'static {
    // State: the last seq sent, or `None` once the last page was short.
    futures_util::stream::try_unfold(Some(i64::MIN), move |after| {
        let pool = pool.clone();
        async move {
            let Some(after) = after else {
                return Ok(None);
            };
            let rows = page(&pool, after, from_ms, PAGE).await?;
            let Some(last) = rows.last().map(|r| r.seq) else {
                return Ok(None);
            };
            let next = (rows.len() as i64 == PAGE).then_some(last);
            let mut chunk = String::new();
            for row in &rows {
                chunk.push_str(&export_line(row, tz).to_string());
                chunk.push('\n');
            }
            Ok(Some((chunk, next)))
        }
    })
}
