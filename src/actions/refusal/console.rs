//! The console's refusals in words: sign-in and API tokens.

use super::Refusal;
use crate::domain::console::Scope;
use crate::i18n::Lang;
use crate::t;

/// A console refusal in `lang` (other refusals are worded in [`super`]).
pub(super) fn message(r: &Refusal, lang: Lang) -> String {
    match r {
        Refusal::ConsoleNotAllowed { staff_id } => t!(
            lang,
            "actions-refusal-console-sorry-console-is-for-active-administrators",
            staff_id = crate::domain::inert::inert(staff_id)
        ),
        Refusal::TokenLabel { max } => t!(
            lang,
            "actions-refusal-console-give-token-label-1-to-characters",
            max
        ),
        Refusal::TokenOwnerCannotHold { staff_id, scope } => {
            let staff_id = crate::domain::inert::inert(staff_id);
            match scope {
                Scope::Admin => t!(
                    lang,
                    "actions-refusal-console-is-not-active-administrator-and-cannot",
                    staff_id
                ),
                Scope::Read => t!(
                    lang,
                    "actions-refusal-console-is-not-active-administrator-or-hr",
                    staff_id
                ),
            }
        }
        Refusal::NoSuchToken { id } => {
            t!(lang, "actions-refusal-console-there-is-no-api-token", id)
        }
        Refusal::TokenRevoked { id } => t!(
            lang,
            "actions-refusal-console-api-token-was-revoked-already",
            id
        ),
        // `Refusal::message` sends only console refusals here; the unit
        // test checks that every one has words of its own.
        other => other.code().to_owned(),
    }
}
