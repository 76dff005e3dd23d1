//! The password reminder job: outside quiet hours, plans the local day with
//! [`password::plan_day`] (threshold reminders, daily overdue reminders,
//! manager escalations, forced-change reminders) and, for each action it can
//! claim in the bookkeeping tables, enqueues the DM in the same transaction.
//! A unique key per (user, due date, threshold) makes repeated ticks and
//! concurrent replicas harmless.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::domain::Message;
use crate::domain::password::{self, Action, Holder, PendingReset, Policy};
use crate::domain::password_messages as text;
use crate::domain::schedule::{is_quiet, local_date};
use crate::i18n::Lang;
use crate::state::AppState;
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
    pub fn due_on(
        &self,
        day: NaiveDate,
        tz: chrono_tz::Tz,
        escalate_after: Option<u32>,
    ) -> Vec<Action> {
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

/// One pass: sends what is due now. Does nothing in quiet hours.
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<()> {
    let config = &state.config;
    if is_quiet(config.quiet_hours, config.timezone, now) {
        return Ok(());
    }
    let today = local_date(config.timezone, now);
    let snapshot = Snapshot::load(&state.store, today, now).await?;
    let actions = snapshot.due_on(today, config.timezone, config.password_escalate_after_days);
    if actions.is_empty() {
        return Ok(());
    }
    let people: HashMap<&str, &Holder> = snapshot
        .holders
        .iter()
        .map(|h| (h.staff_id.as_str(), h))
        .collect();
    let reasons: HashMap<i64, &str> = snapshot
        .resets
        .iter()
        .map(|r| (r.reset_id, r.reason.as_str()))
        .collect();
    let now_ms = now.timestamp_millis();
    let mut tx = state.store.begin_write().await?;
    let mut sent = 0_usize;
    for action in &actions {
        if !claim(tx.conn(), action, today, now_ms).await? {
            continue;
        }
        let lang = people.get(action.recipient()).map_or(Lang::Zh, |h| h.lang);
        let message = compose(action, lang, today, &people, &reasons);
        let key = action.key(today);
        let recipients = [action.recipient().to_owned()];
        let mut out = Outbound::direct(&recipients, &message).dedupe_key(&key);
        if let Action::ResetRemind { reset_id, .. } | Action::ResetEscalate { reset_id, .. } =
            action
        {
            out = out.reference("password_reset", *reset_id);
        }
        outbox::enqueue(tx.conn(), &out, now_ms).await?;
        sent += 1;
    }
    tx.commit().await?;
    if sent > 0 {
        tracing::info!(sent, "password reminders queued");
    }
    Ok(())
}

/// Records the action in its bookkeeping table; `false` if someone already did.
async fn claim(
    conn: &mut sqlx::AnyConnection,
    action: &Action,
    today: NaiveDate,
    now_ms: i64,
) -> anyhow::Result<bool> {
    match action {
        Action::Remind {
            staff_id,
            due,
            threshold,
        } => db::claim_reminder(conn, staff_id, *due, *threshold, now_ms).await,
        Action::Escalate {
            staff_id,
            manager,
            due,
            ..
        } => db::claim_escalation(conn, staff_id, *due, manager, now_ms).await,
        Action::ResetRemind {
            reset_id, staff_id, ..
        } => db::claim_reset_reminder(conn, *reset_id, staff_id, today, now_ms).await,
        Action::ResetEscalate {
            reset_id, staff_id, ..
        } => db::claim_reset_escalation(conn, *reset_id, staff_id, now_ms).await,
    }
}

/// The message for an action, in the recipient's language.
fn compose(
    action: &Action,
    lang: Lang,
    today: NaiveDate,
    people: &HashMap<&str, &Holder>,
    reasons: &HashMap<i64, &str>,
) -> Message {
    let name = |id: &str| {
        people
            .get(id)
            .map_or_else(|| id.to_owned(), |h| h.name.clone())
    };
    match action {
        Action::Remind { due, .. } => text::reminder(lang, *due, password::days_left(*due, today)),
        Action::Escalate {
            staff_id,
            due,
            days,
            ..
        } => text::escalation(lang, &name(staff_id), staff_id, *due, *days),
        Action::ResetRemind { reset_id, days, .. } => {
            let reason = reasons.get(reset_id).copied().unwrap_or_default();
            text::reset_reminder(lang, *reset_id, reason, *days)
        }
        Action::ResetEscalate {
            reset_id,
            staff_id,
            days,
            ..
        } => text::reset_escalation(lang, &name(staff_id), staff_id, *reset_id, *days),
    }
}
