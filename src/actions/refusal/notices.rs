//! The notice refusals in words beyond acknowledging: authoring, sending,
//! reminding and offboarding (acknowledgement refusals are worded in
//! [`super`], where they need the viewer).

use super::Refusal;
use crate::domain::inert::inert;
use crate::domain::notice::{BodyError, MAX_ITEM_CHARS, MAX_ITEMS};
use crate::i18n::Lang;
use crate::t;

/// A notice refusal in `lang` (other refusals are worded in [`super`]).
pub(super) fn message(r: &Refusal, lang: Lang) -> String {
    match r {
        Refusal::TitleTooLong { max } => t!(
            lang,
            "actions-refusal-notices-title-is-too-long-at-most",
            max
        ),
        Refusal::BadNoticeBody { error } => body_error(error, lang),
        Refusal::DeadlineInPast { deadline: d, today } => t!(
            lang,
            "actions-refusal-notices-deadline-is-in-past-use-today",
            d,
            today
        ),
        Refusal::NoticeAlreadyClosed { id } => {
            t!(lang, "actions-refusal-notices-notice-is-already-closed", id)
        }
        Refusal::PastDeadline { id } => t!(
            lang,
            "actions-refusal-notices-deadline-of-notice-has-passed",
            id
        ),
        Refusal::NobodyToSend { .. } => t!(lang, "actions-refusal-notices-nobody-to-send-it-to-no"),
        Refusal::NotInGroupChat { .. } => t!(
            lang,
            "actions-refusal-notices-group-works-only-in-group-chat"
        ),
        Refusal::AlreadyPostedToGroup { id } => t!(
            lang,
            "actions-refusal-notices-notice-was-already-posted-to-this",
            id
        ),
        Refusal::NotSentYet { id } => t!(
            lang,
            "actions-refusal-notices-notice-has-not-been-sent-yet",
            id
        ),
        Refusal::JustReminded { .. } => {
            t!(lang, "actions-refusal-notices-reminder-was-just-sent")
        }
        other => offboarding(other, lang),
    }
}

/// An offboarding refusal in `lang`; the staff id was typed by the admin
/// (or comes from a notice), so it is shown inert.
fn offboarding(r: &Refusal, lang: Lang) -> String {
    match r {
        Refusal::LeaverNotOnRoster { staff_id } => t!(
            lang,
            "actions-refusal-notices-there-is-no-on-roster",
            staff_id = inert(staff_id)
        ),
        Refusal::LeaverAlreadyLeft { staff_id } => t!(
            lang,
            "actions-refusal-notices-has-already-left",
            staff_id = inert(staff_id)
        ),
        Refusal::OffboardingStarted { staff_id } => t!(
            lang,
            "actions-refusal-notices-offboarding-of-has-already-started-send",
            staff_id = inert(staff_id)
        ),
        Refusal::OffboardingLastAdmin { staff_id } => t!(
            lang,
            "actions-refusal-notices-is-last-administrator-so-their-offboarding",
            staff_id = inert(staff_id)
        ),
        // `Refusal::message` sends only notice refusals here; the unit test
        // checks that every one has words of its own.
        other => other.code().to_owned(),
    }
}

/// Why a notice body was not taken, in words.
fn body_error(e: &BodyError, lang: Lang) -> String {
    match e {
        BodyError::BadDeadline(v) => t!(
            lang,
            "actions-refusal-notices-cannot-read-deadline-write-it-as", // Typed by the author: shown inert.
            v = inert(v)
        ),
        BodyError::TwoDeadlines => t!(
            lang,
            "actions-refusal-notices-body-has-two-deadline-lines-keep"
        ),
        BodyError::TooManyItems => t!(
            lang,
            "actions-refusal-notices-checklist-has-at-most-items",
            max_items = MAX_ITEMS
        ),
        BodyError::BadItem(n) => t!(
            lang,
            "actions-refusal-notices-checklist-item-is-empty-or-too",
            n,
            max_item_chars = MAX_ITEM_CHARS
        ),
        BodyError::TooLong => t!(lang, "actions-refusal-notices-body-is-too-long"),
    }
}
