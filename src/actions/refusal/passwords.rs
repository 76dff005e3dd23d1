//! The password refusals in words: forced changes.

use super::Refusal;
use crate::i18n::Lang;
use crate::tr;

/// A password refusal in `lang` (other refusals are worded in [`super`]).
pub(super) fn message(r: &Refusal, lang: Lang) -> String {
    match r {
        Refusal::ReasonTooLong { max } => tr!(
            lang,
            "原因太长了（最多 {max} 个字）。",
            "The reason is too long (at most {max} characters)."
        ),
        Refusal::NobodyToReset => tr!(
            lang,
            "没有找到需要通知的在职人员，未发出任何通知。",
            "Nobody active matches that audience; nothing was sent."
        ),
        // `Refusal::message` sends only password refusals here; the unit
        // test checks that every one has words of its own.
        other => other.code().to_owned(),
    }
}
