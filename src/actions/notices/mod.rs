//! Notice use cases. Authors create and close notices ([`author`]), send
//! them to people or post them to a group ([`send`]) and remind now
//! ([`remind`]); the scheduler finds the reminder and escalation rounds
//! that are due and runs them ([`remind`], [`escalate`]); admins offboard a
//! leaver with two notices ([`offboard`]); a notice without a deadline
//! stops being reminded after a few rounds and its author hears who is
//! still pending ([`reminders_over`]); recipients acknowledge and tick
//! ([`ack`]); the evidence is exported ([`export`]). Each write is one
//! transaction with its audit entry and its outbox rows.

mod ack;
mod author;
mod escalate;
mod export;
mod offboard;
mod remind;
mod reminders_over;
mod send;

pub use ack::{Ack, AckVia, Acked, Pending, Ticked, ack, pending_for, tick};
pub use author::{Closed, Created, Draft, close, create};
pub use escalate::{Escalated, escalate};
pub use export::{ExportFormat, export_acks};
pub use offboard::{Offboard, Offboarded, offboard};
pub use remind::{Due, Reminded, due, remind_now, remind_round};
pub use reminders_over::{RemindersOver, reminders_done};
pub use send::{GroupPost, Posted, Queued, SendToPeople, Sent, post_to_group, send};

use serde_json::Value;
use sqlx::AnyConnection;

use super::{ActionResult, Refusal, Tx};
use crate::store::notices::{self, NoticeRow};

/// What a scheduled round did: ran (with its figures), or found it already
/// claimed by another tick or replica and did nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claimed<T> {
    Ran(T),
    Taken,
}

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
