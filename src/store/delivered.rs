//! Delivery bookkeeping: after the worker hands an outbox row to DingTalk it
//! tells the feature that caused the row (its [`Reference`]) which
//! recipients it reached and which DingTalk refused, inside the same
//! transaction that marks the row sent. Features add their arm to the
//! matches (e.g. `Reference::Notice(id) => recipients::mark_delivered(…)`).

use sqlx::AnyConnection;

use crate::store::notices::recipients;
use crate::store::outbox::Reference;

/// Recipients of a row caused by `reference` were delivered at `now_ms`.
pub async fn on_delivered(
    conn: &mut AnyConnection,
    reference: Reference,
    staff_ids: &[String],
    now_ms: i64,
) -> anyhow::Result<()> {
    match reference {
        Reference::Notice(id) => recipients::mark_delivered(conn, id, staff_ids, now_ms).await,
        Reference::Incident(_)
        | Reference::QuizCampaign(_)
        | Reference::QuizAttempt(_)
        | Reference::QuizFollowup(_)
        | Reference::PasswordReset(_) => Ok(()),
    }
}

/// DingTalk refused these recipients as unknown (`invalidStaffIdList`).
pub async fn on_undeliverable(
    conn: &mut AnyConnection,
    reference: Reference,
    staff_ids: &[String],
    now_ms: i64,
) -> anyhow::Result<()> {
    match reference {
        Reference::Notice(id) => recipients::mark_undeliverable(conn, id, staff_ids, now_ms).await,
        Reference::Incident(_)
        | Reference::QuizCampaign(_)
        | Reference::QuizAttempt(_)
        | Reference::QuizFollowup(_)
        | Reference::PasswordReset(_) => Ok(()),
    }
}
