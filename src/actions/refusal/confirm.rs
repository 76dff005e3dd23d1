//! The confirmation refusals in words: each says that nothing was done.

use super::Refusal;
use crate::domain::Access;
use crate::i18n::Lang;
use crate::tr;

/// A confirmation refusal in `lang` (other refusals are worded in [`super`]).
pub(super) fn message(r: &Refusal, lang: Lang) -> String {
    match r {
        Refusal::NotPermitted {
            needs: Access::Staff,
        } => tr!(
            lang,
            "抱歉，这项操作仅限管理员和人事使用，未执行任何操作。",
            "Sorry, only administrators and HR can do that; nothing was done."
        ),
        Refusal::NotPermitted { .. } => tr!(
            lang,
            "抱歉，这项操作仅限管理员使用，未执行任何操作。",
            "Sorry, only administrators can do that; nothing was done."
        ),
        Refusal::ConfirmationWrong { locked: false } => tr!(
            lang,
            "确认码不对：它不正确，或不是你在本会话中申请的。未执行任何操作。",
            "That code does not match: it is wrong, or not one you asked for in this chat. Nothing was done."
        ),
        Refusal::ConfirmationWrong { locked: true } => tr!(
            lang,
            "确认码不对，且错误次数过多：你所有待确认的操作都已作废，未执行任何操作。如仍需要，请重新发送原命令。",
            "That code does not match, and there were too many wrong codes: all your operations waiting for confirmation are void. Nothing was done; send the original command again if you still need it."
        ),
        Refusal::ConfirmationExpired => tr!(
            lang,
            "确认码已过期（有效期 5 分钟），未执行任何操作。如仍需要，请重新发送原命令。",
            "That code has expired (codes last 5 minutes). Nothing was done; send the original command again if you still need it."
        ),
        Refusal::ConfirmationUsed => tr!(
            lang,
            "这个确认码已经用过了，不会再执行一次。",
            "That code was used already; it does not run twice."
        ),
        Refusal::ConfirmationLocked => tr!(
            lang,
            "这个确认码因错误次数过多已作废，未执行任何操作。如仍需要，请重新发送原命令。",
            "That code was voided after too many wrong codes. Nothing was done; send the original command again if you still need it."
        ),
        // `Refusal::message` sends only confirmation refusals here.
        other => other.code().to_owned(),
    }
}
