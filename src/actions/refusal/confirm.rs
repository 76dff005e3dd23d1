//! The confirmation refusals in words: each says that nothing was done.

use super::Refusal;
use crate::domain::Access;
use crate::i18n::Lang;
use crate::t;

/// A confirmation refusal in `lang` (other refusals are worded in [`super`]).
pub(super) fn message(r: &Refusal, lang: Lang) -> String {
    match r {
        Refusal::NotPermitted {
            needs: Access::Staff,
        } => t!(
            lang,
            "actions-refusal-confirm-sorry-only-administrators-and-hr-can"
        ),
        Refusal::NotPermitted { .. } => t!(
            lang,
            "actions-refusal-confirm-sorry-only-administrators-can-do-that"
        ),
        Refusal::ConfirmationWrong { locked: false } => {
            t!(lang, "actions-refusal-confirm-that-code-does-not-match-it")
        }
        Refusal::ConfirmationWrong { locked: true } => {
            t!(lang, "actions-refusal-confirm-that-code-does-not-match-and")
        }
        Refusal::ConfirmationExpired => t!(
            lang,
            "actions-refusal-confirm-that-code-has-expired-codes-last"
        ),
        Refusal::ConfirmationUsed => t!(
            lang,
            "actions-refusal-confirm-that-code-was-used-already-it"
        ),
        Refusal::ConfirmationLocked => t!(
            lang,
            "actions-refusal-confirm-that-code-was-voided-after-too"
        ),
        // `Refusal::message` sends only confirmation refusals here.
        other => other.code().to_owned(),
    }
}
