//! Group-committed "handled" marks for inbox rows whose command changed
//! nothing (help, lists, refusals): such a mark has no effect to be atomic
//! with, so it is queued to the dedupe writer ([`crate::store::inbound`]),
//! which writes every mark waiting with one statement, in the same commit as
//! the claims of its batch — a burst of read-only commands costs one synced
//! commit per batch, claims and marks together. Each mark is fenced like
//! [`super::mark_done`]: it changes nothing once another run holds the row.

use std::collections::HashSet;

use anyhow::Context as _;
use sqlx::AnyConnection;

use super::RunKey;

/// Marks each `(run, now_ms)` row handled at `now_ms` (erasing its text)
/// with one `UPDATE … FROM (VALUES …)`; the msgIds it marked.
pub(in crate::store) async fn mark_batch(
    conn: &mut AnyConnection,
    marks: &[(&RunKey, i64)],
) -> anyhow::Result<HashSet<String>> {
    let rows: Vec<String> = (0..marks.len())
        .map(|i| {
            let p = 4 * i;
            format!("(${}, ${}, ${}, ${})", p + 1, p + 2, p + 3, p + 4)
        })
        .collect();
    let sql = format!(
        "WITH c (msg_id, holder, attempt, now_ms) AS (VALUES {}) \
         UPDATE inbound_messages SET handled_at = c.now_ms, command = NULL, sender = '', \
             lease_holder = NULL, lease_until = NULL \
         FROM c WHERE inbound_messages.msg_id = c.msg_id \
             AND inbound_messages.lease_holder = c.holder \
             AND inbound_messages.attempts = c.attempt \
             AND inbound_messages.handled_at IS NULL \
         RETURNING inbound_messages.msg_id",
        rows.join(", ")
    );
    let mut q = sqlx::query_scalar::<_, String>(&sql);
    for (run, now_ms) in marks {
        q = q
            .bind(&run.msg_id)
            .bind(&run.holder)
            .bind(run.attempt)
            .bind(*now_ms);
    }
    Ok(q.fetch_all(conn)
        .await
        .context("mark inbox rows handled")?
        .into_iter()
        .collect())
}
