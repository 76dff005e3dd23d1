//! The end of a notice's reminders when it has no deadline: after
//! `DINGWARDEN_NOTICE_MAX_REMINDERS` scheduled rounds the scheduler stops
//! and tells the author, once, who is still pending (issue 18.10). Claimed
//! by its key in the transaction that enqueues the message. A notice made
//! through the API has no person as author: HR is told instead.

use serde_json::json;
use sqlx::AnyConnection;

use super::{Claimed, audit};
use crate::actions::{ActionResult, Ctx};
use crate::domain::Role;
use crate::domain::inert::inert;
use crate::domain::notice::messages::reminders_over;
use crate::domain::notice::round::{REMINDERS_OVER_KEY, RoundKind};
use crate::i18n::Lang;
use crate::store::notices::{self, NoticeRow, rounds};
use crate::store::outbox::{self, Outbound, Reference};
use crate::store::users::load_user;

/// Who was told what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemindersOver {
    /// Recipients still pending (not acknowledged, still in the organisation).
    pub pending: usize,
    /// Who was told, by staff id: the author when they are an active
    /// person, else (a notice made through the API) everyone with the HR
    /// role; nobody when nobody is pending.
    pub told: Vec<String>,
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
    let told = if pending.is_empty() {
        Vec::new()
    } else {
        who_to_tell(conn, notice).await?
    };
    if !told.is_empty() {
        let max = u32::try_from(reminders).unwrap_or(u32::MAX);
        enqueue_summary(conn, notice, &told, &pending, max, now_ms).await?;
    }
    rounds::set_count(conn, id, kind, REMINDERS_OVER_KEY, pending.len()).await?;
    let details = json!({"reminders": reminders, "pending": pending.len(), "told": told});
    audit(&mut tx, "notice.reminders_over", id, details).await?;
    tx.commit().await?;
    Ok(Claimed::Ran(RemindersOver {
        pending: pending.len(),
        told,
    }))
}

/// Queues the summary to `told`, one message per language.
async fn enqueue_summary(
    conn: &mut AnyConnection,
    notice: &NoticeRow,
    told: &[String],
    pending: &[rounds::Overdue],
    reminders: u32,
    now_ms: i64,
) -> anyhow::Result<()> {
    let id = notice.id;
    let items = notices::items(conn, id).await?;
    let view = notice.view(&items);
    let names: Vec<String> = pending
        .iter()
        .map(|p| match inert(&p.name) {
            n if n.is_empty() => inert(&p.staff_id),
            n => format!("{n}（{}）", inert(&p.staff_id)),
        })
        .collect();
    let langs = rounds::langs(conn, told).await?;
    for lang in [Lang::Zh, Lang::En] {
        let to: Vec<String> = told
            .iter()
            .filter(|s| langs.get(*s).map_or(Lang::Zh, |l| Lang::from_code(l)) == lang)
            .cloned()
            .collect();
        if to.is_empty() {
            continue;
        }
        let msg = reminders_over(&view, lang, reminders, pending.len(), &names);
        let key = format!("notice:{id}:reminders-over:{}", lang.code());
        let out = Outbound::direct(&to, &msg)
            .reference(Reference::Notice(id))
            .dedupe_key(&key);
        outbox::enqueue(conn, &out, now_ms).await?;
    }
    Ok(())
}

/// The author when they are an active person; otherwise everyone active
/// with the HR role.
async fn who_to_tell(conn: &mut AnyConnection, notice: &NoticeRow) -> anyhow::Result<Vec<String>> {
    match load_user(conn, &notice.author).await? {
        Some(author) if author.active => Ok(vec![author.staff_id]),
        _ => rounds::holders_of(conn, Role::Hr).await,
    }
}
