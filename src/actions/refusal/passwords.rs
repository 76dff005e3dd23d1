//! The password refusals in words: forced changes.

use super::Refusal;
use crate::i18n::Lang;
use crate::t;

/// A password refusal in `lang` (other refusals are worded in [`super`]).
pub(super) fn message(r: &Refusal, lang: Lang) -> String {
    match r {
        Refusal::ReasonTooLong { max } => t!(
            lang,
            "actions-refusal-passwords-reason-is-too-long-at-most",
            max
        ),
        Refusal::NobodyToReset => t!(
            lang,
            "actions-refusal-passwords-nobody-active-matches-that-audience-nothing"
        ),
        // `Refusal::message` sends only password refusals here; the unit
        // test checks that every one has words of its own.
        other => other.code().to_owned(),
    }
}
