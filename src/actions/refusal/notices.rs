//! The notice refusals in words beyond acknowledging: authoring, sending,
//! reminding and offboarding (acknowledgement refusals are worded in
//! [`super`], where they need the viewer).

use super::Refusal;
use crate::domain::inert::inert;
use crate::domain::notice::{BodyError, MAX_ITEM_CHARS, MAX_ITEMS};
use crate::i18n::Lang;
use crate::tr;

/// A notice refusal in `lang` (other refusals are worded in [`super`]).
pub(super) fn message(r: &Refusal, lang: Lang) -> String {
    match r {
        Refusal::TitleTooLong { max } => tr!(
            lang,
            "标题太长了（最多 {max} 个字）。",
            "The title is too long (at most {max} characters)."
        ),
        Refusal::BadNoticeBody { error } => body_error(error, lang),
        Refusal::DeadlineInPast { deadline: d, today } => tr!(
            lang,
            "截止日期 {d} 已经过去了，请写今天（{today}）或之后的日期。",
            "The deadline {d} is in the past; use today ({today}) or later."
        ),
        Refusal::NoticeAlreadyClosed { id } => tr!(
            lang,
            "通知 #{id} 已经关闭了。",
            "Notice #{id} is already closed."
        ),
        Refusal::PastDeadline { id } => tr!(
            lang,
            "通知 #{id} 的截止日期已过。",
            "The deadline of notice #{id} has passed."
        ),
        Refusal::NobodyToSend { .. } => tr!(
            lang,
            "没有可以发送的对象（花名册中没有符合条件的在职人员）。",
            "Nobody to send it to (no active roster users match)."
        ),
        Refusal::NotInGroupChat { .. } => tr!(
            lang,
            "「本群」只能在群聊里使用：请在要通知的群里 @我 发送这条命令。",
            "\"group\" works only in a group chat: @mention me with this command in that group."
        ),
        Refusal::AlreadyPostedToGroup { id } => tr!(
            lang,
            "通知 #{id} 已经发到本群过了。",
            "Notice #{id} was already posted to this group."
        ),
        Refusal::NotSentYet { id } => tr!(
            lang,
            "通知 #{id} 还没有发送。",
            "Notice #{id} has not been sent yet."
        ),
        Refusal::JustReminded { .. } => {
            tr!(lang, "刚刚已经提醒过了。", "A reminder was just sent.")
        }
        other => offboarding(other, lang),
    }
}

/// An offboarding refusal in `lang`; the staff id was typed by the admin
/// (or comes from a notice), so it is shown inert.
fn offboarding(r: &Refusal, lang: Lang) -> String {
    match r {
        Refusal::LeaverNotOnRoster { staff_id } => tr!(
            lang,
            "花名册中没有工号 {staff_id}。",
            "There is no {staff_id} on the roster.",
            staff_id = inert(staff_id)
        ),
        Refusal::LeaverAlreadyLeft { staff_id } => tr!(
            lang,
            "{staff_id} 已经离职。",
            "{staff_id} has already left.",
            staff_id = inert(staff_id)
        ),
        Refusal::OffboardingStarted { staff_id } => tr!(
            lang,
            "{staff_id} 的离职流程已经开始了。发送「通知列表」查看相关通知。",
            "Offboarding of {staff_id} has already started. Send \"notices\" to see its notices.",
            staff_id = inert(staff_id)
        ),
        Refusal::OffboardingLastAdmin { staff_id } => tr!(
            lang,
            "{staff_id} 是最后一位管理员，不能完成其离职。请先把管理员角色授予另一位同事。",
            "{staff_id} is the last administrator, so their offboarding cannot complete. Grant the role to someone else first.",
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
        BodyError::BadDeadline(v) => tr!(
            lang,
            "截止日期「{v}」看不懂，请写成「截止: YYYY-MM-DD」。",
            "Cannot read the deadline \"{v}\"; write it as \"deadline: YYYY-MM-DD\".",
            // Typed by the author: shown inert.
            v = inert(v)
        ),
        BodyError::TwoDeadlines => tr!(
            lang,
            "正文里有两行截止日期，请只保留一行。",
            "The body has two deadline lines; keep one."
        ),
        BodyError::TooManyItems => tr!(
            lang,
            "清单最多 {MAX_ITEMS} 项。",
            "A checklist has at most {MAX_ITEMS} items."
        ),
        BodyError::BadItem(n) => tr!(
            lang,
            "清单第 {n} 项是空的或太长（最多 {MAX_ITEM_CHARS} 个字）。",
            "Checklist item {n} is empty or too long (at most {MAX_ITEM_CHARS} characters)."
        ),
        BodyError::TooLong => tr!(lang, "正文太长了。", "The body is too long."),
    }
}
