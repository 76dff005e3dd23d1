//! Password rotation rules: the policy (periodic with reminder thresholds, or
//! NIST SP 800-63B with no periodic rotation), each user's due date in local
//! dates, and which reminder, overdue notice or escalation is due on a given
//! local day. Pure: the scheduler job, the forecast and the reports all plan
//! with [`plan_day`].

pub mod messages;
pub mod report;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::t;

/// Settings key under which the policy is stored.
pub const POLICY_SETTING: &str = "password.policy";
/// Rotation period of the default policy, in days.
pub const DEFAULT_DAYS: u32 = 90;
/// Reminder thresholds of the default policy, in days before the due date.
pub const DEFAULT_REMIND: [u32; 3] = [7, 3, 1];
/// "Due soon" in reports when a periodic policy has no reminder thresholds.
const DUE_SOON_FALLBACK_DAYS: u32 = 7;

/// The organisation's password rotation policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "profile", rename_all = "snake_case")]
pub enum Policy {
    /// 等保-style rotation every `days`, reminding `remind` days before (descending).
    Periodic { days: u32, remind: Vec<u32> },
    /// NIST SP 800-63B: change only on evidence of compromise (forced changes).
    Nist,
}

impl Default for Policy {
    fn default() -> Self {
        Policy::Periodic {
            days: DEFAULT_DAYS,
            remind: DEFAULT_REMIND.to_vec(),
        }
    }
}

impl Policy {
    /// A periodic policy with thresholds sorted descending, deduplicated and
    /// limited to `1..days`.
    pub fn periodic(days: u32, remind: &[u32]) -> Self {
        let mut remind: Vec<u32> = remind
            .iter()
            .copied()
            .filter(|d| *d > 0 && *d < days)
            .collect();
        remind.sort_unstable_by(|a, b| b.cmp(a));
        remind.dedup();
        Policy::Periodic { days, remind }
    }

    /// The stored form (JSON).
    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads the stored form; `None` when it is not a policy.
    pub fn decode(s: &str) -> Option<Self> {
        match serde_json::from_str(s).ok()? {
            Policy::Periodic { days, remind } if days > 0 => Some(Policy::periodic(days, &remind)),
            Policy::Periodic { .. } => None,
            Policy::Nist => Some(Policy::Nist),
        }
    }

    /// How many days before the due date a user counts as "due soon".
    pub fn due_soon_days(&self) -> u32 {
        match self {
            Policy::Periodic { remind, .. } => {
                remind.first().copied().unwrap_or(DUE_SOON_FALLBACK_DAYS)
            }
            Policy::Nist => 0,
        }
    }

    /// One line for people.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            Policy::Periodic { days, remind } if remind.is_empty() => t!(
                lang,
                "domain-password-change-passwords-every-days-no-reminders",
                days
            ),
            Policy::Periodic { days, remind } => {
                let list = join(remind, &crate::i18n::list_separator(lang));
                t!(
                    lang,
                    "domain-password-change-passwords-every-days-reminders-days",
                    days,
                    list
                )
            }
            Policy::Nist => t!(lang, "domain-password-nist-sp-800-63b-no-forced"),
        }
    }
}

fn join(days: &[u32], sep: &str) -> String {
    days.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(sep)
}

/// Where a cycle started.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CycleStart {
    /// The roster's `password_changed_at`.
    Roster,
    /// The user's own `password done`.
    Confirmed,
    /// Unknown: counted from when the bot first saw the user.
    FirstContact,
}

/// What is known about one user's password (instants in ms).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub roster_changed_ms: Option<i64>,
    pub confirmed_ms: Option<i64>,
    pub first_seen_ms: i64,
    /// When the first reminder about each due date went out (by due date).
    pub reminded: BTreeMap<NaiveDate, i64>,
}

impl Facts {
    /// The instant the current cycle started, and from what: the later of
    /// the roster date and the last confirmation, else first contact.
    pub fn cycle_start(&self) -> (i64, CycleStart) {
        match (self.roster_changed_ms, self.confirmed_ms) {
            (Some(r), Some(c)) if c >= r => (c, CycleStart::Confirmed),
            (Some(r), _) => (r, CycleStart::Roster),
            (None, Some(c)) => (c, CycleStart::Confirmed),
            (None, None) => (self.first_seen_ms, CycleStart::FirstContact),
        }
    }
}

/// The local date the password is due: the cycle's start date plus the
/// policy's days. `None` under NIST (nothing is ever due periodically).
pub fn due_date(policy: &Policy, facts: &Facts, tz: Tz) -> Option<NaiveDate> {
    let Policy::Periodic { days, .. } = policy else {
        return None;
    };
    let start = DateTime::<Utc>::from_timestamp_millis(facts.cycle_start().0)?;
    let start = start.with_timezone(&tz).date_naive();
    start.checked_add_days(chrono::Days::new(u64::from(*days)))
}

/// The local day from which a password due on `due` counts as late: the
/// due date itself when its holder was reminded on or before it, else the
/// day of their first reminder about it (`today` while none has gone out).
/// Nobody is counted late — nor their manager told — for a due date they
/// were never told about (a first import with historic dates, issue 18.5).
pub fn clock_start(facts: &Facts, due: NaiveDate, tz: Tz, today: NaiveDate) -> NaiveDate {
    let first = facts
        .reminded
        .get(&due)
        .and_then(|ms| DateTime::<Utc>::from_timestamp_millis(*ms))
        .map(|t| t.with_timezone(&tz).date_naive());
    first.unwrap_or(today).max(due)
}

/// Days from `today` to `due` (negative once past).
pub fn days_left(due: NaiveDate, today: NaiveDate) -> i64 {
    (due - today).num_days()
}

/// Which reminder is due on `today` for a password due on `due`, as the
/// threshold of its bookkeeping key: the smallest threshold not below the
/// days left (so a missed 7-day reminder is still sent at 5 days, once), or
/// `0`/negative for the daily overdue reminder (−3 = three days after the
/// overdue clock started on `since`, see [`clock_start`]).
/// `None` when nothing is due yet.
pub fn reminder_threshold(
    remind: &[u32],
    due: NaiveDate,
    since: NaiveDate,
    today: NaiveDate,
) -> Option<i64> {
    let left = days_left(due, today);
    if left <= 0 {
        return Some(days_left(since.max(due), today).min(0));
    }
    remind
        .iter()
        .map(|t| i64::from(*t))
        .filter(|t| *t >= left)
        .min()
}

/// Where a user stands on `today`, for reports and `me`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Nothing to say (NIST without a confirmation, or a cycle not from a confirmation).
    Current {
        due: Option<NaiveDate>,
    },
    /// Confirmed with `password done`, and not yet due soon.
    Confirmed {
        due: Option<NaiveDate>,
    },
    DueSoon {
        due: NaiveDate,
        days_left: i64,
    },
    /// Due on or before `today`; `days` counts from the overdue clock's
    /// start ([`clock_start`]): 0 on the due date, or on the day of a late
    /// first reminder.
    Overdue {
        due: NaiveDate,
        days: i64,
    },
}

/// Classifies a user: overdue, due soon, confirmed or current.
pub fn standing(policy: &Policy, facts: &Facts, tz: Tz, today: NaiveDate) -> Standing {
    let confirmed = facts.cycle_start().1 == CycleStart::Confirmed;
    let Some(due) = due_date(policy, facts, tz) else {
        return if confirmed {
            Standing::Confirmed { due: None }
        } else {
            Standing::Current { due: None }
        };
    };
    let left = days_left(due, today);
    if left <= 0 {
        let since = clock_start(facts, due, tz, today);
        Standing::Overdue {
            due,
            days: -days_left(since, today).min(0),
        }
    } else if left <= i64::from(policy.due_soon_days()) {
        Standing::DueSoon {
            due,
            days_left: left,
        }
    } else if confirmed {
        Standing::Confirmed { due: Some(due) }
    } else {
        Standing::Current { due: Some(due) }
    }
}

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
