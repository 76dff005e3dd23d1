//! The console's refusals in words: sign-in and API tokens.

use super::Refusal;
use crate::domain::console::Scope;
use crate::i18n::Lang;
use crate::tr;

/// A console refusal in `lang` (other refusals are worded in [`super`]).
pub(super) fn message(r: &Refusal, lang: Lang) -> String {
    match r {
        Refusal::ConsoleNotAllowed { staff_id } => tr!(
            lang,
            "抱歉，管理后台仅供在职的管理员和人事使用（你的工号：{staff_id}）。如需使用，请联系管理员在钉钉中为你授予角色。",
            "Sorry, the console is for active administrators and HR only (your staff id: {staff_id}). Ask an administrator to grant you a role in DingTalk if you need it.",
            staff_id = crate::domain::inert::inert(staff_id)
        ),
        Refusal::TokenLabel { max } => tr!(
            lang,
            "请为令牌填写用途说明（1 到 {max} 个字）。",
            "Give the token a label (1 to {max} characters)."
        ),
        Refusal::TokenOwnerCannotHold { staff_id, scope } => {
            let staff_id = crate::domain::inert::inert(staff_id);
            match scope {
                Scope::Admin => tr!(
                    lang,
                    "{staff_id} 不是在职管理员，不能持有 admin 范围的令牌。",
                    "{staff_id} is not an active administrator and cannot hold an admin token."
                ),
                Scope::Read => tr!(
                    lang,
                    "{staff_id} 不是在职的管理员或人事，不能持有令牌。",
                    "{staff_id} is not an active administrator or HR person and cannot hold a token."
                ),
            }
        }
        Refusal::NoSuchToken { id } => tr!(
            lang,
            "没有编号为 #{id} 的 API 令牌。",
            "There is no API token #{id}."
        ),
        Refusal::TokenRevoked { id } => tr!(
            lang,
            "API 令牌 #{id} 已经撤销。",
            "API token #{id} was revoked already."
        ),
        // `Refusal::message` sends only console refusals here; the unit
        // test checks that every one has words of its own.
        other => other.code().to_owned(),
    }
}
