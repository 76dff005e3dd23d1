//! Reminders: which scheduled rounds are due, the scheduler's reminder
//! round (once per cadence until the deadline) and an admin's reminder now
//! (or when quiet hours end). Every round is claimed by a unique key in the
//! transaction that enqueues its messages, so a repeated tick, a second
//! replica or a double-sent command never reminds twice.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::AnyConnection;

use super::{Claimed, audit, load};
use crate::actions::{ActionResult, Ctx, Refusal, Tx};
use crate::domain::notice::messages::reminder;
use crate::domain::notice::remind_round as round_number;
use crate::domain::notice::round::{
    CADENCE_MS, ESCALATION_KEY, NextRound, REMINDERS_OVER_KEY, REPEAT_WINDOW_MS, Round, RoundKey,
    RoundKind, next_round,
};
use crate::domain::schedule::{is_quiet, quiet_end};
use crate::i18n::Lang;
use crate::store::notices::{self, NoticeRow, rounds};
use crate::store::outbox::Reference;
use crate::store::outbox::{self, Outbound, Priority};

/// A scheduled round that is due.
#[derive(Clone, Debug)]
pub enum Due {
    /// Reminder round `round` of an open notice before its deadline.
    Remind { notice: NoticeRow, round: i64 },
    /// The one escalation of an open notice past its deadline.
    Escalate { notice: NoticeRow },
    /// A notice without a deadline had its `DINGWARDEN_NOTICE_MAX_REMINDERS`
    /// scheduled reminders: its author is told who is still pending.
    RemindersOver { notice: NoticeRow },
}

/// An admin's reminder.
#[derive(Clone, Copy, Debug)]
pub struct Reminded {
    pub id: i64,
    /// How many people it reminds (0: everyone has acknowledged).
    pub recipients: usize,
    /// In quiet hours: when the reminders go.
    pub quiet_until: Option<DateTime<Utc>>,
}

/// The rounds due now, by notice id; none in quiet hours. Rounds already
/// claimed are left out (a cheap read before taking the writer; the claim
/// in the round's transaction decides).
#[tracing::instrument(skip_all)]
pub async fn due(ctx: &Ctx<'_>) -> anyhow::Result<Vec<Due>> {
    let config = ctx.config;
    if is_quiet(config.quiet_hours, config.timezone, ctx.now) {
        return Ok(Vec::new());
    }
    let now_ms = ctx.now_ms();
    let mut conn = ctx.store.read().await?;
    let mut due = Vec::new();
    for notice in notices::open_sent(&mut conn).await? {
        let id = notice.id;
        if notice.is_past_deadline(now_ms) {
            if !rounds::exists(&mut conn, id, RoundKind::Escalate, ESCALATION_KEY).await? {
                due.push(Due::Escalate { notice });
            }
            continue;
        }
        let Some(sent_at) = notice.sent_at else {
            continue;
        };
        let round = round_number(sent_at, now_ms, CADENCE_MS);
        let key = RoundKey::Scheduled(round);
        if round < 1 || rounds::exists(&mut conn, id, key.kind(), &key.claim_key()).await? {
            continue;
        }
        let done = rounds::count(&mut conn, id, RoundKind::Remind).await?;
        let max = config.limits.notice_max_reminders;
        match next_round(notice.deadline_at.is_some(), done, max) {
            NextRound::Remind => due.push(Due::Remind { notice, round }),
            NextRound::TellAuthor => {
                let (kind, key) = (RoundKind::Escalate, REMINDERS_OVER_KEY);
                if !rounds::exists(&mut conn, id, kind, key).await? {
                    due.push(Due::RemindersOver { notice });
                }
            }
        }
    }
    Ok(due)
}

/// The scheduler's reminder round `round` of `notice`: everyone who has not
/// acknowledged and was not reminded (or added) within half a cadence.
#[tracing::instrument(skip_all, fields(notice = notice.id, round))]
pub async fn remind_round(
    ctx: &Ctx<'_>,
    notice: &NoticeRow,
    round: i64,
) -> ActionResult<Claimed<usize>> {
    let plan = Round::scheduled(round, ctx.now);
    let mut tx = ctx.begin().await?;
    if !claim(&mut tx, ctx, notice.id, plan.key).await? {
        return Ok(Claimed::Taken);
    }
    let n = enqueue_reminders(tx.conn(), notice, &plan, ctx.now).await?;
    let key = plan.key.claim_key();
    rounds::set_count(tx.conn(), notice.id, RoundKind::Remind, &key, n).await?;
    let details = json!({"round": round, "recipients": n});
    audit(&mut tx, "notice.remind", notice.id, details).await?;
    tx.commit().await?;
    if n > 0 {
        tracing::info!(
            notice = notice.id,
            round,
            recipients = n,
            "notice reminders queued"
        );
    }
    Ok(Claimed::Ran(n))
}

/// An admin's reminder of notice `id` to everyone who has not acknowledged:
/// now, or when the quiet hours end. Within an hour of the last reminder
/// round it is refused (saying when that was) unless `repeat` (`… now`).
#[tracing::instrument(skip_all, fields(notice = id))]
pub async fn remind_now(ctx: &Ctx<'_>, id: i64, repeat: bool) -> ActionResult<Reminded> {
    let config = ctx.config;
    let mut tx = ctx.begin().await?;
    let notice = load(tx.conn(), id).await?;
    if notice.is_closed() {
        return Err(Refusal::NoticeClosed { id }.into());
    }
    if !notice.is_sent() {
        return Err(Refusal::NotSentYet { id }.into());
    }
    if !repeat {
        let last = rounds::last_reminded_at(tx.conn(), id).await?;
        if let Some(at_ms) = last.filter(|at| ctx.now_ms() - at < REPEAT_WINDOW_MS) {
            return Err(Refusal::RemindedRecently { id, at_ms }.into());
        }
    }
    let quiet = is_quiet(config.quiet_hours, config.timezone, ctx.now);
    let at = quiet_end(config.quiet_hours, config.timezone, ctx.now);
    let plan = Round::manual(ctx.now, at);
    if !claim(&mut tx, ctx, id, plan.key).await? {
        return Err(Refusal::JustReminded { id }.into());
    }
    let n = enqueue_reminders(tx.conn(), &notice, &plan, ctx.now).await?;
    let key = plan.key.claim_key();
    rounds::set_count(tx.conn(), id, RoundKind::Manual, &key, n).await?;
    let details = json!({"round": key, "recipients": n, "not_before": at.timestamp_millis()});
    audit(&mut tx, "notice.remind", id, details).await?;
    tx.commit().await?;
    Ok(Reminded {
        id,
        recipients: n,
        quiet_until: quiet.then_some(at),
    })
}

/// Claims reminder round `key` of notice `id` for the acting person or
/// service; `false` if it was claimed before.
async fn claim(tx: &mut Tx, ctx: &Ctx<'_>, id: i64, key: RoundKey) -> anyhow::Result<bool> {
    let actor = ctx.actor.audit_name();
    let claim_key = key.claim_key();
    rounds::claim(tx.conn(), id, key.kind(), &claim_key, actor, ctx.now_ms()).await
}

/// Enqueues a reminder (in each one's language) for everyone `round`
/// reaches, and counts it on their row. Returns how many people it reminds.
async fn enqueue_reminders(
    conn: &mut AnyConnection,
    notice: &NoticeRow,
    round: &Round,
    now: DateTime<Utc>,
) -> anyhow::Result<usize> {
    let now_ms = now.timestamp_millis();
    let since_ms = round.since.timestamp_millis();
    let targets = rounds::remind_targets(conn, notice.id, since_ms).await?;
    if targets.is_empty() {
        return Ok(0);
    }
    let items = notices::items(conn, notice.id).await?;
    let view = notice.view(&items);
    let part = round.key.dedupe_part();
    for lang in [Lang::Zh, Lang::En] {
        let ids: Vec<String> = targets
            .iter()
            .filter(|t| Lang::from_code(&t.lang) == lang)
            .map(|t| t.staff_id.clone())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let msg = reminder(&view, lang);
        let dedupe = format!("notice:{}:{part}:{}", notice.id, lang.code());
        let mut out = Outbound::direct(&ids, &msg)
            .priority(Priority::Bulk)
            .reference(Reference::Notice(notice.id))
            .dedupe_key(&dedupe);
        if let Some(at) = round.not_before {
            out = out.not_before(at.timestamp_millis());
        }
        outbox::enqueue(conn, &out, now_ms).await?;
    }
    let ids: Vec<String> = targets.into_iter().map(|t| t.staff_id).collect();
    rounds::mark_reminded(conn, notice.id, &ids, now_ms).await?;
    Ok(ids.len())
}
