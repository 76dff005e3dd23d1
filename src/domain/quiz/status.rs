//! Where an attempt and a campaign stand, and what kind an attempt is: the
//! stored words (`active`, `open`, `followup`…) as Rust enums.

use std::fmt;
use std::str::FromStr;

/// A stored status or kind that is not one of the known words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown quiz {what}: {value:?}")]
pub struct UnknownWord {
    what: &'static str,
    value: String,
}

/// Implements the stored-word conversions for a fieldless enum.
macro_rules! stored_words {
    ($ty:ident, $what:literal, { $($variant:ident => $word:literal),+ $(,)? }) => {
        impl $ty {
            /// The stored word.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $word,)+
                }
            }
        }

        impl FromStr for $ty {
            type Err = UnknownWord;

            fn from_str(s: &str) -> Result<Self, UnknownWord> {
                match s {
                    $($word => Ok($ty::$variant),)+
                    _ => Err(UnknownWord { what: $what, value: s.to_owned() }),
                }
            }
        }

        impl TryFrom<String> for $ty {
            type Error = UnknownWord;

            fn try_from(s: String) -> Result<Self, UnknownWord> {
                s.parse()
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// What kind of attempt: a full quiz, or a short follow-up on missed topics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptKind {
    Regular,
    Followup,
}

stored_words!(AttemptKind, "attempt kind", { Regular => "regular", Followup => "followup" });

/// Where an attempt stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptStatus {
    /// In progress (at most one per person).
    Active,
    /// Every question answered and scored.
    Completed,
    /// Abandoned with `quiz quit`: no score.
    Quit,
}

stored_words!(AttemptStatus, "attempt status", {
    Active => "active",
    Completed => "completed",
    Quit => "quit",
});

/// Where a campaign stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CampaignStatus {
    /// Reminding members who have not passed.
    Open,
    /// Past its deadline and escalated.
    Closed,
}

stored_words!(CampaignStatus, "campaign status", { Open => "open", Closed => "closed" });

/// What went to a campaign member who has not passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nudge {
    /// A reminder on a reminder day.
    Reminder,
    /// Their manager was told at the deadline.
    Escalation,
}

stored_words!(Nudge, "nudge", { Reminder => "reminder", Escalation => "escalation" });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_words_round_trip_and_unknown_ones_are_errors() {
        for s in [
            AttemptStatus::Active,
            AttemptStatus::Completed,
            AttemptStatus::Quit,
        ] {
            assert_eq!(s.as_str().parse::<AttemptStatus>(), Ok(s));
        }
        assert_eq!(
            AttemptKind::try_from("followup".to_owned()),
            Ok(AttemptKind::Followup)
        );
        assert_eq!(CampaignStatus::Closed.to_string(), "closed");
        assert_eq!(Nudge::Escalation.as_str(), "escalation");
        let err = "paused".parse::<CampaignStatus>().unwrap_err();
        assert_eq!(err.to_string(), "unknown quiz campaign status: \"paused\"");
    }
}
