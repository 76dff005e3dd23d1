//! The end of a notice's reminders when it has no deadline: after
//! `DINGWARDEN_NOTICE_MAX_REMINDERS` scheduled rounds the scheduler stops
//! and tells the author, once, who is still pending (issue 18.10). Claimed
//! by its key in the transaction that enqueues the message.

use serde_json::json;

use super::{Claimed, audit};
use crate::actions::{ActionResult, Ctx};
use crate::domain::inert::inert;
use crate::domain::notice::messages::reminders_over;
use crate::domain::notice::round::{REMINDERS_OVER_KEY, RoundKind};
use crate::store::notices::{self, NoticeRow, rounds};
use crate::store::outbox::{self, Outbound, Reference};
use crate::store::users::load_user;

/// Who was told what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemindersOver {
    /// Recipients still pending (not acknowledged, still in the organisation).
    pub pending: usize,
    /// Whether the author was told (an active user, and someone is pending).
    pub author_told: bool,
}

/// Tells the author of `notice` (no deadline, reminders used up) who is
/// still pending, unless that was done before.
#[tracing::instrument(skip_all, fields(notice = notice.id))]
pub async fn reminders_done(
    ctx: &Ctx<'_>,
    notice: &NoticeRow,
) -> ActionResult<Claimed<RemindersOver>> {
    let now_ms = ctx.now_ms();
    let actor = ctx.actor.audit_name();
    let (id, kind) = (notice.id, RoundKind::Escalate);
    let mut tx = ctx.begin().await?;
    let conn = tx.conn();
    if !rounds::claim(conn, id, kind, REMINDERS_OVER_KEY, actor, now_ms).await? {
        return Ok(Claimed::Taken);
    }
    let pending = rounds::overdue(conn, id).await?;
    let reminders = rounds::count(conn, id, RoundKind::Remind).await?;
    let author = load_user(conn, &notice.author)
        .await?
        .filter(|u| u.active && !pending.is_empty());
    if let Some(author) = &author {
        let items = notices::items(conn, id).await?;
        let view = notice.view(&items);
        let names: Vec<String> = pending
            .iter()
            .map(|p| match inert(&p.name) {
                n if n.is_empty() => inert(&p.staff_id),
                n => format!("{n}（{}）", inert(&p.staff_id)),
            })
            .collect();
        let max = u32::try_from(reminders).unwrap_or(u32::MAX);
        let msg = reminders_over(&view, author.lang, max, pending.len(), &names);
        let to = [author.staff_id.clone()];
        let key = format!("notice:{id}:reminders-over");
        let out = Outbound::direct(&to, &msg)
            .reference(Reference::Notice(id))
            .dedupe_key(&key);
        outbox::enqueue(conn, &out, now_ms).await?;
    }
    rounds::set_count(conn, id, kind, REMINDERS_OVER_KEY, pending.len()).await?;
    let details = json!({"reminders": reminders, "pending": pending.len(),
        "author_told": author.is_some()});
    audit(&mut tx, "notice.reminders_over", id, details).await?;
    tx.commit().await?;
    Ok(Claimed::Ran(RemindersOver {
        pending: pending.len(),
        author_told: author.is_some(),
    }))
}
