//! Limits that keep a first day calm (issue 18): how long a quiz pass
//! satisfies a new campaign, how often a notice without a deadline is
//! reminded, and how many leavers a roster run may make unasked.

use super::values::parse;
use super::{ConfigError, Sources};

/// `DINGWARDEN_QUIZ_PASS_VALID_DAYS`, `DINGWARDEN_NOTICE_MAX_REMINDERS`,
/// `DINGWARDEN_ROSTER_MAX_LEAVE_PERCENT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// A pass of a bank this many days before a campaign's assignment counts for it.
    pub quiz_pass_valid_days: u32,
    /// Scheduled reminders of a notice without a deadline before its author is told.
    pub notice_max_reminders: u32,
    /// A roster run may mark at most this percentage of active users as left.
    pub roster_max_leave_percent: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            quiz_pass_valid_days: 365,
            notice_max_reminders: 3,
            roster_max_leave_percent: 10,
        }
    }
}

fn bounded(max: u32) -> impl Fn(&str) -> Result<u32, String> {
    move |s| match s.parse::<u32>() {
        Ok(n) if n <= max => Ok(n),
        _ => Err(format!("expected a whole number from 0 to {max}")),
    }
}

impl Limits {
    pub(super) fn load(src: &Sources) -> Result<Self, ConfigError> {
        Ok(Self {
            quiz_pass_valid_days: parse(
                src,
                "DINGWARDEN_QUIZ_PASS_VALID_DAYS",
                "365",
                bounded(3650),
            )?,
            notice_max_reminders: parse(src, "DINGWARDEN_NOTICE_MAX_REMINDERS", "3", bounded(100))?,
            roster_max_leave_percent: parse(
                src,
                "DINGWARDEN_ROSTER_MAX_LEAVE_PERCENT",
                "10",
                bounded(100),
            )?,
        })
    }
}
