//! Delivery bookkeeping: after the worker hands an outbox row to DingTalk it
//! tells the feature that caused the row (by the row's `ref_kind`/`ref_id`)
//! which recipients it reached and which DingTalk refused, inside the same
//! transaction that marks the row sent. Features add their arm to the match
//! (e.g. `"notice" => crate::store::notices::mark_delivered(conn, ref_id, staff_ids, now_ms).await`).

use sqlx::AnyConnection;

/// Recipients of a row referencing `(ref_kind, ref_id)` were delivered at `now_ms`.
#[expect(clippy::match_single_binding, reason = "features add their arms here")]
pub async fn on_delivered(
    _conn: &mut AnyConnection,
    ref_kind: &str,
    _ref_id: i64,
    _staff_ids: &[String],
    _now_ms: i64,
) -> anyhow::Result<()> {
    match ref_kind {
        _ => Ok(()),
    }
}

/// DingTalk refused these recipients as unknown (`invalidStaffIdList`).
#[expect(clippy::match_single_binding, reason = "features add their arms here")]
pub async fn on_undeliverable(
    _conn: &mut AnyConnection,
    ref_kind: &str,
    _ref_id: i64,
    _staff_ids: &[String],
    _now_ms: i64,
) -> anyhow::Result<()> {
    match ref_kind {
        _ => Ok(()),
    }
}
