//! The day's plan: who gets a password reminder, an overdue notice or an
//! escalation to their manager on a local day, and the keys that make each
//! send happen once.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::{Facts, Policy, clock_start, due_date, reminder_threshold};
use crate::i18n::Lang;

/// A user as the planner sees them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    pub staff_id: String,
    pub name: String,
    pub lang: Lang,
    pub department: Option<String>,
    pub manager: Option<String>,
    pub facts: Facts,
}

/// A forced change still pending for one user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingReset {
    pub reset_id: i64,
    pub staff_id: String,
    pub reason: String,
    pub notified_ms: i64,
    pub escalated: bool,
}

/// Something the scheduler should send on a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Threshold reminder (`threshold` > 0) or daily overdue reminder (≤ 0,
    /// counted from `since`, the overdue clock's start: later than `due`
    /// when the first reminder came after the due date).
    Remind {
        staff_id: String,
        due: NaiveDate,
        since: NaiveDate,
        threshold: i64,
    },
    /// Tell the manager, once per cycle, that the password is overdue
    /// (`days` since `since`).
    Escalate {
        staff_id: String,
        manager: String,
        due: NaiveDate,
        since: NaiveDate,
        days: i64,
    },
    /// Daily reminder of a pending forced change (`days` since the notice).
    ResetRemind {
        reset_id: i64,
        staff_id: String,
        days: i64,
    },
    /// Tell the manager, once, that a forced change is still pending.
    ResetEscalate {
        reset_id: i64,
        staff_id: String,
        manager: String,
        days: i64,
    },
}

impl Action {
    /// Idempotency key (also the outbox dedupe key); `today` names the day
    /// of daily forced-change reminders.
    pub fn key(&self, today: NaiveDate) -> String {
        match self {
            Action::Remind {
                staff_id,
                due,
                threshold,
                ..
            } => remind_key(staff_id, *due, *threshold),
            Action::Escalate { staff_id, due, .. } => escalate_key(staff_id, *due),
            Action::ResetRemind {
                reset_id, staff_id, ..
            } => reset_remind_key(*reset_id, staff_id, today),
            Action::ResetEscalate {
                reset_id, staff_id, ..
            } => reset_escalate_key(*reset_id, staff_id),
        }
    }

    /// Who the message goes to.
    pub fn recipient(&self) -> &str {
        match self {
            Action::Remind { staff_id, .. } | Action::ResetRemind { staff_id, .. } => staff_id,
            Action::Escalate { manager, .. } | Action::ResetEscalate { manager, .. } => manager,
        }
    }
}

/// Key of a threshold or overdue reminder.
pub fn remind_key(staff_id: &str, due: NaiveDate, threshold: i64) -> String {
    format!("pw:{staff_id}:{due}:{threshold}")
}

/// Key of an overdue escalation.
pub fn escalate_key(staff_id: &str, due: NaiveDate) -> String {
    format!("pw-esc:{staff_id}:{due}")
}

/// Key of a forced-change reminder on a local day.
pub fn reset_remind_key(reset_id: i64, staff_id: &str, day: NaiveDate) -> String {
    format!("pwreset:{reset_id}:{staff_id}:{day}")
}

/// Key of a forced-change escalation.
pub fn reset_escalate_key(reset_id: i64, staff_id: &str) -> String {
    format!("pwreset-esc:{reset_id}:{staff_id}")
}

/// Everything due on the local day `today`, before removing what was already
/// sent (callers skip actions whose [`Action::key`] they have seen).
/// `escalate_after` is the number of days overdue (or pending) after which
/// the manager is told; `None` never escalates.
pub fn plan_day(
    policy: &Policy,
    holders: &[Holder],
    resets: &[PendingReset],
    tz: Tz,
    today: NaiveDate,
    escalate_after: Option<u32>,
) -> Vec<Action> {
    let mut out = Vec::new();
    let active: HashSet<&str> = holders.iter().map(|h| h.staff_id.as_str()).collect();
    if let Policy::Periodic { remind, .. } = policy {
        for h in holders {
            let Some(due) = due_date(policy, &h.facts, tz) else {
                continue;
            };
            let since = clock_start(&h.facts, due, tz, today);
            let Some(threshold) = reminder_threshold(remind, due, since, today) else {
                continue;
            };
            out.push(Action::Remind {
                staff_id: h.staff_id.clone(),
                due,
                since,
                threshold,
            });
            if let Some(manager) = escalation_to(h, &active, -threshold, escalate_after) {
                out.push(Action::Escalate {
                    staff_id: h.staff_id.clone(),
                    manager,
                    due,
                    since,
                    days: -threshold,
                });
            }
        }
    }
    for r in resets {
        let Some(notified) = DateTime::<Utc>::from_timestamp_millis(r.notified_ms) else {
            continue;
        };
        let days = (today - notified.with_timezone(&tz).date_naive()).num_days();
        if days <= 0 {
            continue; // the notice itself went out today
        }
        out.push(Action::ResetRemind {
            reset_id: r.reset_id,
            staff_id: r.staff_id.clone(),
            days,
        });
        let holder = holders.iter().find(|h| h.staff_id == r.staff_id);
        if let Some(manager) = holder.and_then(|h| escalation_to(h, &active, days, escalate_after))
        {
            if !r.escalated {
                out.push(Action::ResetEscalate {
                    reset_id: r.reset_id,
                    staff_id: r.staff_id.clone(),
                    manager,
                    days,
                });
            }
        }
    }
    out
}

/// The manager to tell when `days` late reaches `after`: an active user
/// other than the holder.
fn escalation_to(
    h: &Holder,
    active: &HashSet<&str>,
    days: i64,
    after: Option<u32>,
) -> Option<String> {
    let after = i64::from(after?);
    let manager = h
        .manager
        .as_deref()
        .filter(|m| *m != h.staff_id && active.contains(m))?;
    (days >= after).then(|| manager.to_owned())
}
