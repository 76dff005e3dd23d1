//! Notice commands: authoring (`notice new`, `notice template exit`,
//! `notice close`), sending (`notice send`, `notice remind`), reports
//! (`notices`, `notice status`), acknowledging (`ack`, `done`, the `me`
//! section) and offboarding (`offboard`).

mod ack;
mod author;
mod offboard;
mod send;
mod status;

pub use ack::{ack, done, me_section};
pub use author::{close, new, template_exit};
pub use offboard::offboard;
pub use send::{queue_cards, remind, send};
pub use status::{list, status};

use serde_json::Value;
use sqlx::AnyConnection;

use super::Ctx;
use crate::clock::from_ms;
use crate::domain::schedule::format_local;
use crate::domain::{Access, User};
use crate::error::HandlerError;
use crate::store::audit::{self, AuditEntry};
use crate::store::notices::{self, NoticeRow};

/// The notice with this id, or a message saying there is none (pointing
/// admins and HR at the notice list, everyone else at their own to-dos).
async fn load(conn: &mut AnyConnection, id: i64, user: &User) -> Result<NoticeRow, HandlerError> {
    let lang = user.lang;
    match notices::get(conn, id).await? {
        Some(n) => Ok(n),
        None if user.may(Access::Staff) => crate::user_error!(
            lang,
            "没有编号为 #{id} 的通知。发送「通知列表」查看所有通知。",
            "There is no notice #{id}. Send \"notices\" to list them."
        ),
        None => crate::user_error!(
            lang,
            "没有编号为 #{id} 的通知。发送「我的」查看你的待办。",
            "There is no notice #{id}. Send \"me\" to see what is pending for you."
        ),
    }
}

/// A stored instant as local time for people.
fn local(ctx: &Ctx<'_>, ms: i64) -> String {
    format_local(ctx.state.config.timezone, from_ms(ms))
}

/// Audits this user's `action` on notice `id`, in the caller's transaction.
async fn audit_notice(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    action: &str,
    id: i64,
    details: Value,
) -> anyhow::Result<()> {
    let entry = AuditEntry {
        actor: &ctx.user.staff_id,
        action,
        subject: &format!("notice:{id}"),
        details,
    };
    audit::append(conn, &entry, ctx.now.timestamp_millis()).await?;
    Ok(())
}
