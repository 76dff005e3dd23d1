//! The audit log as JSON lines (`dingwarden audit export`, `GET
//! /api/v1/audit`): each entry's stored fields, `at` also as local RFC 3339,
//! and `details` as JSON (it was hashed as its compact text).

use chrono::DateTime;
use chrono_tz::Tz;
use futures_util::Stream;
use serde_json::{Value, json};

use crate::store::Store;
use crate::store::audit::{AuditRow, page};

/// Entries read per query, so memory stays flat however long the log is.
pub const PAGE: i64 = 1000;

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
    })
}

/// The entries written at or after `from_ms`, oldest first, as JSON lines:
/// one chunk of text per page of [`PAGE`] entries.
pub fn json_lines(
    store: Store,
    from_ms: i64,
    tz: Tz,
) -> impl Stream<Item = anyhow::Result<String>> + Send + 'static {
    // State: the last seq sent, or `None` once the last page was short.
    futures_util::stream::try_unfold(Some(i64::MIN), move |after| {
        let store = store.clone();
        async move {
            let Some(after) = after else {
                return Ok(None);
            };
            let rows = page(store.pool(), after, from_ms, PAGE).await?;
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
