//! Delivery bookkeeping: after the worker hands an outbox row to DingTalk it
//! tells the feature that caused the row (by the row's `ref_kind`/`ref_id`)
//! which recipients it reached and which DingTalk refused, inside the same
//! transaction that marks the row sent. Features add their arm to the match
//! (e.g. `"notice" => recipients::mark_delivered(conn, ref_id, staff_ids, now_ms).await`).

use sqlx::AnyConnection;

use crate::store::notices::recipients;

/// Recipients of a row referencing `(ref_kind, ref_id)` were delivered at `now_ms`.
pub async fn on_delivered(
    conn: &mut AnyConnection,
    ref_kind: &str,
    ref_id: i64,
    staff_ids: &[String],
    now_ms: i64,
) -> anyhow::Result<()> {
    match ref_kind {
        "notice" => recipients::mark_delivered(conn, ref_id, staff_ids, now_ms).await,
        _ => Ok(()),
    }
}

/// DingTalk refused these recipients as unknown (`invalidStaffIdList`).
pub async fn on_undeliverable(
    conn: &mut AnyConnection,
    ref_kind: &str,
    ref_id: i64,
    staff_ids: &[String],
    now_ms: i64,
) -> anyhow::Result<()> {
    match ref_kind {
        "notice" => recipients::mark_undeliverable(conn, ref_id, staff_ids, now_ms).await,
        _ => Ok(()),
    }
}
