//! Notice use cases: acknowledging and ticking checklist items (recipients),
//! and what is still pending for a person. Each write is one transaction
//! with its audit entry.

mod ack;

pub use ack::{Ack, AckVia, Acked, Pending, Ticked, ack, pending_for, tick};

use serde_json::Value;
use sqlx::AnyConnection;

use super::{ActionResult, Refusal, Tx};
use crate::store::notices::{self, NoticeRow};

/// The notice with this id, or [`Refusal::NoSuchNotice`].
async fn load(conn: &mut AnyConnection, id: i64) -> ActionResult<NoticeRow> {
    notices::get(conn, id)
        .await?
        .ok_or(Refusal::NoSuchNotice { id }.into())
}

/// Audits `action` on notice `id` in the action's transaction.
async fn audit(tx: &mut Tx, action: &str, id: i64, details: Value) -> anyhow::Result<()> {
    tx.audit(action, &format!("notice:{id}"), details).await
}
