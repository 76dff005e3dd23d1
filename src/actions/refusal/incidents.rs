//! The incident, feedback and outbox refusals in words.

use super::{Refusal, Viewer};
use crate::clock::from_ms;
use crate::domain::schedule::format_local;
use crate::store::outbox::OutboxStatus;
use crate::t;

/// An incident, feedback or outbox refusal for `viewer` (other refusals are
/// worded in [`super`]).
pub(super) fn message(r: &Refusal, viewer: Viewer) -> String {
    let lang = viewer.lang;
    let when = |ms: i64| format_local(viewer.tz, from_ms(ms));
    match r {
        // incidents and feedback
        Refusal::TooLong { max } => t!(
            lang,
            "actions-refusal-incidents-that-is-too-long-at-most",
            max
        ),
        Refusal::NoSuchIncident { id } => t!(
            lang,
            "actions-refusal-incidents-there-is-no-incident-send-incidents",
            id
        ),
        Refusal::IncidentClosed { id, at_ms } => {
            let at = at_ms.map(when).unwrap_or_default();
            t!(
                lang,
                "actions-refusal-incidents-incident-was-already-closed-at",
                id,
                at
            )
        }
        // outbox
        Refusal::NoSuchDelivery { id } => {
            t!(lang, "actions-refusal-incidents-there-is-no-delivery", id)
        }
        Refusal::NotDeadLetter { id, status } => {
            let status = match status {
                Some(OutboxStatus::Pending) => t!(lang, "actions-refusal-incidents-waiting"),
                _ => t!(lang, "actions-refusal-incidents-sent"),
            };
            t!(
                lang,
                "actions-refusal-incidents-is-not-dead-letter-nothing-to",
                id,
                status
            )
        }
        Refusal::PayloadDropped { id } => t!(
            lang,
            "actions-refusal-incidents-can-no-longer-be-sent-its",
            id
        ),
        // `Refusal::message` sends only these refusals here; the unit test
        // checks that every one has words of its own.
        other => other.code().to_owned(),
    }
}
