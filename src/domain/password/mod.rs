//! Password rotation rules: the policy (periodic with reminder thresholds, or
//! NIST SP 800-63B with no periodic rotation), each user's due date in local
//! dates, and which reminder, overdue notice or escalation is due on a given
//! local day. Pure: the scheduler job, the forecast and the reports all plan
//! with [`plan_day`].

pub mod messages;
mod plan;
pub mod report;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::i18n::Lang;
use crate::t;

pub use plan::{
    Action, Holder, PendingReset, escalate_key, plan_day, remind_key, reset_escalate_key,
    reset_remind_key,
};

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
