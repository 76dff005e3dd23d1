//! The scheduler's password messages: what is due on a local day, planned
//! with [`password::plan_day`] from one [`Snapshot`] (threshold reminders,
//! daily overdue reminders, manager escalations, forced-change reminders),
//! and sending it: each message is claimed in its bookkeeping table and its
//! DM queued in the same transaction. A unique key per (user, due date,
//! threshold) makes repeated ticks and concurrent replicas harmless.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::actions::{ActionResult, Ctx};
use crate::domain::Message;
use crate::domain::password::messages as text;
use crate::domain::password::{self, Action, Holder, PendingReset, Policy};
use crate::domain::schedule::local_date;
use crate::i18n::Lang;
use crate::store::Store;
use crate::store::outbox::{self, Outbound};
use crate::store::passwords as db;

/// Everything the planner needs, read once.
pub struct Snapshot {
    pub policy: Policy,
    pub holders: Vec<Holder>,
    pub resets: Vec<PendingReset>,
    /// Keys of actions already sent.
    pub sent: HashSet<String>,
}

impl Snapshot {
    /// Reads the policy, active users, pending forced changes and what was
    /// already sent (reminders since a few days before `first_day`).
    pub async fn load(
        store: &Store,
        first_day: NaiveDate,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Self> {
        let policy = store.password_policy().await?;
        // A threshold reminder's key can come up again until the next
        // threshold: look back over the longest gap, plus a margin.
        let lookback = Duration::days(i64::from(policy.due_soon_days()) + 2);
        let first = first_day
            .and_hms_opt(0, 0, 0)
            .map_or(now, |t| t.and_utc())
            .min(now);
        let since = (first - lookback).timestamp_millis();
        Ok(Self {
            sent: store.password_sent_keys(since, first_day).await?,
            holders: store.password_holders().await?,
            resets: store.pending_resets().await?,
            policy,
        })
    }

    /// What is due on `day` and not yet sent.
    pub fn due_on(&self, day: NaiveDate, tz: Tz, escalate_after: Option<u32>) -> Vec<Action> {
        password::plan_day(
            &self.policy,
            &self.holders,
            &self.resets,
            tz,
            day,
            escalate_after,
        )
        .into_iter()
        .filter(|a| !self.sent.contains(&a.key(day)))
        .collect()
    }
}

/// Sends `due` (planned from `snapshot` for the context's local day): each
/// message that can still be claimed is queued. Returns how many were.
#[tracing::instrument(skip_all, fields(due = due.len()))]
pub async fn send_due(ctx: &Ctx<'_>, snapshot: &Snapshot, due: &[Action]) -> ActionResult<usize> {
    let today = local_date(ctx.config.timezone, ctx.now);
    let people: HashMap<&str, &Holder> = snapshot
        .holders
        .iter()
        .map(|h| (h.staff_id.as_str(), h))
        .collect();
    let resets: HashMap<(i64, &str), &PendingReset> = snapshot
        .resets
        .iter()
        .map(|r| ((r.reset_id, r.staff_id.as_str()), r))
        .collect();
    let now_ms = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    let mut sent = 0_usize;
    for action in due {
        let lang = people.get(action.recipient()).map_or(Lang::Zh, |h| h.lang);
        let Some(message) = compose(action, lang, today, &people, &resets) else {
            // Plans come from the same snapshot, so this does not happen.
            tracing::warn!(key = %action.key(today), "password message without its person");
            continue;
        };
        if !db::claim(tx.conn(), action, today, now_ms).await? {
            continue;
        }
        let key = action.key(today);
        let recipients = [action.recipient().to_owned()];
        let mut out = Outbound::direct(&recipients, &message).dedupe_key(&key);
        if let Action::ResetRemind { reset_id, .. } | Action::ResetEscalate { reset_id, .. } =
            action
        {
            out = out.reference(crate::store::outbox::Reference::PasswordReset(*reset_id));
        }
        outbox::enqueue(tx.conn(), &out, now_ms).await?;
        sent += 1;
    }
    tx.commit().await?;
    Ok(sent)
}

/// The message for an action, in the recipient's language; `None` when
/// the person or forced change it is about is not in the snapshot.
fn compose(
    action: &Action,
    lang: Lang,
    today: NaiveDate,
    people: &HashMap<&str, &Holder>,
    resets: &HashMap<(i64, &str), &PendingReset>,
) -> Option<Message> {
    Some(match action {
        Action::Remind { due, since, .. } => text::reminder(lang, *due, *since, today),
        Action::Escalate {
            staff_id,
            due,
            since,
            days,
            ..
        } => text::escalation(lang, people.get(staff_id.as_str())?, *due, *since, *days),
        Action::ResetRemind {
            reset_id,
            staff_id,
            days,
        } => text::reset_reminder(lang, resets.get(&(*reset_id, staff_id.as_str()))?, *days),
        Action::ResetEscalate {
            reset_id,
            staff_id,
            days,
            ..
        } => {
            let who = people.get(staff_id.as_str())?;
            let reset = resets.get(&(*reset_id, staff_id.as_str()))?;
            text::reset_escalation(lang, who, reset, *days)
        }
    })
}
