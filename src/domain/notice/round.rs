//! Reminder and escalation rounds as types: the kind of a round, the key
//! that claims it exactly once, and whom a reminder round spares and when
//! its messages may go.

use chrono::{DateTime, Duration, Utc};

/// How often people who have not acknowledged are reminded, in ms.
pub const CADENCE_MS: i64 = 24 * 3600 * 1000;

/// The claim key of a notice's one escalation round.
pub const ESCALATION_KEY: &str = "deadline";

/// The claim key (kind `escalate`) of the one note to the author of a
/// notice without a deadline that its scheduled reminders are over.
pub const REMINDERS_OVER_KEY: &str = "reminders-over";

/// Within this long after a reminder round, `notice remind ID` asks for
/// `notice remind ID now` instead of reminding again.
pub const REPEAT_WINDOW_MS: i64 = 3600 * 1000;

/// What the scheduler does when round `n` of a notice comes due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextRound {
    /// Remind the people still pending.
    Remind,
    /// A notice without a deadline had `max` scheduled reminders: tell its
    /// author once who is still pending, and remind no more.
    TellAuthor,
}

/// The next scheduled step of a notice that has had `done` scheduled
/// reminder rounds: a notice with a deadline is reminded until then (and
/// escalated after), one without gets at most `max` reminders.
pub fn next_round(has_deadline: bool, done: i64, max: u32) -> NextRound {
    if has_deadline || done < i64::from(max) {
        NextRound::Remind
    } else {
        NextRound::TellAuthor
    }
}

/// What a claimed round does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundKind {
    /// The scheduler's reminder round.
    Remind,
    /// An admin's `notice remind`.
    Manual,
    /// The scheduler's escalation after the deadline.
    Escalate,
}

impl RoundKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RoundKind::Remind => "remind",
            RoundKind::Manual => "manual",
            RoundKind::Escalate => "escalate",
        }
    }
}

/// Which reminder round.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundKey {
    /// The scheduler's round N (N cadences after the notice was first sent).
    Scheduled(i64),
    /// An admin's reminder, asked for at this instant.
    Manual(DateTime<Utc>),
}

impl RoundKey {
    /// What kind of round this is.
    pub fn kind(self) -> RoundKind {
        match self {
            RoundKey::Scheduled(_) => RoundKind::Remind,
            RoundKey::Manual(_) => RoundKind::Manual,
        }
    }

    /// The key that claims the round (`3`, `manual:1764…`).
    pub fn claim_key(self) -> String {
        match self {
            RoundKey::Scheduled(n) => n.to_string(),
            RoundKey::Manual(at) => format!("manual:{}", at.timestamp_millis()),
        }
    }

    /// The round's part of its messages' dedupe keys (`remind:3`, `manual:1764…`).
    pub fn dedupe_part(self) -> String {
        match self {
            RoundKey::Scheduled(n) => format!("remind:{n}"),
            RoundKey::Manual(at) => format!("manual:{}", at.timestamp_millis()),
        }
    }
}

/// A reminder round to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Round {
    pub key: RoundKey,
    /// People reminded or added after this instant are left alone.
    pub since: DateTime<Utc>,
    /// The reminders wait until this instant (the end of quiet hours).
    pub not_before: Option<DateTime<Utc>>,
}

impl Round {
    /// The scheduler's round `n` at `now`: people reminded (or added) within
    /// half a cadence are left alone; the messages go at once.
    pub fn scheduled(n: i64, now: DateTime<Utc>) -> Self {
        Self {
            key: RoundKey::Scheduled(n),
            since: now - Duration::milliseconds(CADENCE_MS / 2),
            not_before: None,
        }
    }

    /// An admin's reminder at `now`: everyone not reminded since, their
    /// messages held until `not_before` (now, or when quiet hours end).
    pub fn manual(now: DateTime<Utc>, not_before: DateTime<Utc>) -> Self {
        Self {
            key: RoundKey::Manual(now),
            since: now,
            not_before: Some(not_before),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_without_a_deadline_stop_after_max_reminders() {
        use NextRound::{Remind, TellAuthor};
        // (has deadline, rounds done, max) → next
        let table = [
            (false, 0, 3, Remind),
            (false, 2, 3, Remind),
            (false, 3, 3, TellAuthor),
            (false, 7, 3, TellAuthor),
            (false, 0, 0, TellAuthor),
            (true, 3, 3, Remind),
            (true, 50, 0, Remind),
        ];
        for (deadline, done, max, want) in table {
            assert_eq!(
                next_round(deadline, done, max),
                want,
                "{deadline} {done} {max}"
            );
        }
    }

    #[test]
    fn keys_name_the_round_as_the_database_and_outbox_know_it() {
        let now = DateTime::from_timestamp_millis(1_000_000).unwrap();
        let s = Round::scheduled(3, now);
        assert_eq!(s.key.kind(), RoundKind::Remind);
        assert_eq!(
            (s.key.claim_key(), s.key.dedupe_part()),
            ("3".into(), "remind:3".into())
        );
        assert_eq!(s.since.timestamp_millis(), 1_000_000 - CADENCE_MS / 2);
        let m = Round::manual(now, now);
        assert_eq!(m.key.kind().as_str(), "manual");
        assert_eq!(m.key.claim_key(), "manual:1000000");
        assert_eq!(m.key.dedupe_part(), "manual:1000000");
        assert_eq!((m.since, m.not_before), (now, Some(now)));
    }
}
