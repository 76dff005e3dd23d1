//! When a quiz campaign reminds the members who have not passed: one week
//! after the invitation and weekly after that, and three days before, the
//! day before and on the day of the deadline. Without a deadline the weekly
//! reminders stop after four weeks. Dates are local calendar dates. At the
//! deadline the campaign is escalated once instead.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::domain::schedule::end_of_local_day;

/// Weekly reminders without a deadline stop after this many days.
pub const OPEN_ENDED_REMINDER_DAYS: i64 = 28;
/// Days before the deadline on which members are reminded.
pub const DAYS_BEFORE_DEADLINE: [i64; 3] = [3, 1, 0];

/// A campaign's deadline: the local date people see and the instant it ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub date: NaiveDate,
    /// When that local day is over (ms): "by 2026-12-31" means until then.
    pub ends_at_ms: i64,
}

impl Deadline {
    /// The deadline `date` in the organisation's time zone.
    pub fn local(tz: Tz, date: NaiveDate) -> Self {
        Self {
            date,
            ends_at_ms: end_of_local_day(tz, date).timestamp_millis(),
        }
    }
}

/// What the scheduler owes an open campaign today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Round {
    /// Remind the members who have not passed.
    Remind,
    /// The deadline is over: tell managers, the assigner and HR; close it.
    Escalate,
}

/// The round due for a campaign invited on `invited` (a local date) with
/// `deadline`, on the local day `today` at `now_ms`; `None` when nothing is.
pub fn round_due(
    invited: NaiveDate,
    deadline: Option<Deadline>,
    today: NaiveDate,
    now_ms: i64,
) -> Option<Round> {
    if deadline.is_some_and(|d| d.ends_at_ms <= now_ms) {
        return Some(Round::Escalate);
    }
    reminder_due(invited, deadline.map(|d| d.date), today).then_some(Round::Remind)
}

/// Whether members invited on `invited` who have not passed are reminded on `today`.
pub fn reminder_due(invited: NaiveDate, deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
    let since = (today - invited).num_days();
    if since <= 0 {
        return false;
    }
    let weekly = since % 7 == 0;
    match deadline {
        Some(deadline) => {
            let left = (deadline - today).num_days();
            left >= 0 && (weekly || DAYS_BEFORE_DEADLINE.contains(&left))
        }
        None => weekly && since <= OPEN_ENDED_REMINDER_DAYS,
    }
}

/// Days from `today` until `deadline` (0 on the day itself).
pub fn days_left(deadline: NaiveDate, today: NaiveDate) -> i64 {
    (deadline - today).num_days()
}

#[cfg(test)]
mod tests {
    use chrono::Datelike as _;

    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn deadline_campaigns_remind_before_the_deadline() {
        let invited = d("2026-11-30");
        let deadline = Some(d("2026-12-10"));
        let due: Vec<u32> = (1..=12)
            .filter(|day| {
                reminder_due(
                    invited,
                    deadline,
                    d("2026-12-01").with_day0(day - 1).unwrap(),
                )
            })
            .collect();
        // 7th: a week after; 7th is also 3 days before; 9th: the day before; 10th: the day.
        assert_eq!(due, [7, 9, 10]);
        assert!(!reminder_due(invited, deadline, invited));
        assert!(!reminder_due(invited, deadline, d("2026-12-11")));
    }

    #[test]
    fn open_ended_campaigns_remind_weekly_for_four_weeks() {
        let invited = d("2026-11-30");
        let due: Vec<i64> = (0..60)
            .filter(|n| reminder_due(invited, None, invited + chrono::Duration::days(*n)))
            .collect();
        assert_eq!(due, [7, 14, 21, 28]);
    }

    #[test]
    fn the_deadline_escalates_once_its_day_is_over() {
        let tz = chrono_tz::Asia::Shanghai;
        let deadline = Deadline::local(tz, d("2026-12-10"));
        let ends = deadline.ends_at_ms;
        let deadline = Some(deadline);
        let invited = d("2026-11-30");
        assert_eq!(
            round_due(invited, deadline, d("2026-12-10"), ends - 1),
            Some(Round::Remind)
        );
        assert_eq!(
            round_due(invited, deadline, d("2026-12-11"), ends),
            Some(Round::Escalate)
        );
        assert_eq!(round_due(invited, None, d("2026-12-01"), ends), None);
    }

    #[test]
    fn a_deadline_tomorrow_reminds_tomorrow_only() {
        let invited = d("2026-11-30");
        let deadline = Some(d("2026-12-01"));
        assert!(reminder_due(invited, deadline, d("2026-12-01")));
        assert_eq!(days_left(d("2026-12-01"), d("2026-11-30")), 1);
    }
}
