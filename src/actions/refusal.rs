//! Refusals: every reason an action says no, typed, and the one place where
//! each is put into words (Chinese or English) for chat, and into a stable
//! code for the API. A refused action changed nothing.
//!
//! Sections per feature keep additions from colliding; keep the three
//! matches below in the same order as the enum.

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::actions::audience::Purpose;
use crate::clock::from_ms;
use crate::domain::notice::{BodyError, MAX_ITEM_CHARS, MAX_ITEMS};
use crate::domain::schedule::format_local;
use crate::i18n::Lang;
use crate::tr;

/// Why an action was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.code())]
pub enum Refusal {
    // ── audiences ──────────────────────────────────────────────────────
    /// No department has this name (or the name is ambiguous).
    NoSuchDepartment { name: String },
    /// `group` is not an audience for this purpose.
    GroupAudience { purpose: Purpose },
    // ── notices ────────────────────────────────────────────────────────
    /// No notice has this id.
    NoSuchNotice { id: i64 },
    /// The notice is closed: nothing is sent or reminded any more.
    NoticeClosed { id: i64 },
    /// The notice is closed: acknowledgements and ticks are no longer taken.
    NoticeNotTakingAcks { id: i64 },
    /// The notice was not addressed to this person.
    NotAddressed { id: i64 },
    /// Acknowledged before (`at`, when known).
    AlreadyAcked { id: i64, at_ms: Option<i64> },
    /// The notice has no checklist.
    NoChecklist { id: i64 },
    /// The checklist has fewer items.
    NoSuchItem { id: i64, total: i64 },
    /// This item was ticked before.
    ItemAlreadyDone { id: i64, item: i64, at_ms: i64 },
    /// The title is longer than `max` characters.
    TitleTooLong { max: usize },
    /// The body cannot be read (its deadline, checklist or length).
    BadNoticeBody { error: BodyError },
    /// The deadline lies before `today` (local date).
    DeadlineInPast {
        deadline: NaiveDate,
        today: NaiveDate,
    },
    /// The notice was closed before.
    NoticeAlreadyClosed { id: i64 },
    /// The deadline has passed: the notice is not sent any more.
    PastDeadline { id: i64 },
    /// The audience names nobody active on the roster.
    NobodyToSend { id: i64 },
    /// `group` was asked for outside a group chat.
    NotInGroupChat { id: i64 },
    /// The notice was posted to this group before.
    AlreadyPostedToGroup { id: i64 },
    /// The notice has not been sent: nobody to remind.
    NotSentYet { id: i64 },
    /// A reminder of this notice was claimed at this very instant.
    JustReminded { id: i64 },
    /// Offboarding: nobody on the roster has this staff id.
    LeaverNotOnRoster { staff_id: String },
    /// Offboarding: this person has left already.
    LeaverAlreadyLeft { staff_id: String },
    /// Offboarding of this person started before.
    OffboardingStarted { staff_id: String },
}

/// Who reads a refusal: their language, the organisation's time zone, and
/// whether they may see the lists that admins and HR see.
#[derive(Clone, Copy, Debug)]
pub struct Viewer {
    pub lang: Lang,
    pub tz: Tz,
    pub staff: bool,
}

impl Refusal {
    /// A stable machine-readable code (API errors, logs, metrics).
    pub fn code(&self) -> &'static str {
        match self {
            // audiences
            Refusal::NoSuchDepartment { .. } => "no_such_department",
            Refusal::GroupAudience { .. } => "group_audience",
            // notices
            Refusal::NoSuchNotice { .. } => "no_such_notice",
            Refusal::NoticeClosed { .. } | Refusal::NoticeNotTakingAcks { .. } => "notice_closed",
            Refusal::NotAddressed { .. } => "not_addressed",
            Refusal::AlreadyAcked { .. } => "already_acknowledged",
            Refusal::NoChecklist { .. } | Refusal::NoSuchItem { .. } => "no_such_item",
            Refusal::ItemAlreadyDone { .. } => "item_already_done",
            Refusal::TitleTooLong { .. } => "title_too_long",
            Refusal::BadNoticeBody { .. } => "bad_notice_body",
            Refusal::DeadlineInPast { .. } => "deadline_in_past",
            Refusal::NoticeAlreadyClosed { .. } => "already_closed",
            Refusal::PastDeadline { .. } => "past_deadline",
            Refusal::NobodyToSend { .. } => "nobody_to_send",
            Refusal::NotInGroupChat { .. } => "not_in_group_chat",
            Refusal::AlreadyPostedToGroup { .. } => "already_posted_to_group",
            Refusal::NotSentYet { .. } => "not_sent_yet",
            Refusal::JustReminded { .. } => "just_reminded",
            Refusal::LeaverNotOnRoster { .. } => "no_such_user",
            Refusal::LeaverAlreadyLeft { .. } => "already_left",
            Refusal::OffboardingStarted { .. } => "offboarding_started",
        }
    }

    /// Whether the refusal means "there is no such thing" (HTTP 404) rather
    /// than "not in this state" (409) or "not allowed" (403).
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            Refusal::NoSuchDepartment { .. }
                | Refusal::NoSuchNotice { .. }
                | Refusal::NoChecklist { .. }
                | Refusal::NoSuchItem { .. }
                | Refusal::LeaverNotOnRoster { .. }
        )
    }

    /// The refusal in words, for `viewer`.
    pub fn message(&self, viewer: Viewer) -> String {
        let lang = viewer.lang;
        let when = |ms: i64| format_local(viewer.tz, from_ms(ms));
        match self {
            // audiences
            Refusal::NoSuchDepartment { name } => tr!(
                lang,
                "找不到部门「{name}」（或名称不唯一，请写完整路径，如 总部/研发部）。",
                "No department \"{name}\" (or the name is ambiguous: give the full path, e.g. 总部/研发部)."
            ),
            Refusal::GroupAudience { purpose } => group_audience(*purpose, lang),
            // notices
            Refusal::NoSuchNotice { id } if viewer.staff => tr!(
                lang,
                "没有编号为 #{id} 的通知。发送「通知列表」查看所有通知。",
                "There is no notice #{id}. Send \"notices\" to list them."
            ),
            Refusal::NoSuchNotice { id } => tr!(
                lang,
                "没有编号为 #{id} 的通知。发送「我的」查看你的待办。",
                "There is no notice #{id}. Send \"me\" to see what is pending for you."
            ),
            Refusal::NoticeClosed { id } => {
                tr!(lang, "通知 #{id} 已关闭。", "Notice #{id} is closed.")
            }
            Refusal::NoticeNotTakingAcks { id } => tr!(
                lang,
                "通知 #{id} 已关闭，不再接受确认或勾选。",
                "Notice #{id} is closed and no longer takes acknowledgements or ticks."
            ),
            Refusal::NotAddressed { id } => tr!(
                lang,
                "通知 #{id} 不是发给你的，无需确认。发送「我的」查看你的待办。",
                "Notice #{id} was not addressed to you. Send \"me\" to see what is pending for you."
            ),
            Refusal::AlreadyAcked {
                id,
                at_ms: Some(at),
            } => {
                let when = when(*at);
                tr!(
                    lang,
                    "你已于 {when} 确认过通知 #{id}，无需重复确认。",
                    "You already acknowledged notice #{id} at {when}."
                )
            }
            Refusal::AlreadyAcked { id, at_ms: None } => tr!(
                lang,
                "你已经确认过通知 #{id}。",
                "You already acknowledged notice #{id}."
            ),
            Refusal::NoChecklist { id } => tr!(
                lang,
                "通知 #{id} 没有清单。",
                "Notice #{id} has no checklist."
            ),
            Refusal::NoSuchItem { id, total } => tr!(
                lang,
                "通知 #{id} 的清单只有 {total} 项。",
                "Notice #{id} has only {total} checklist items."
            ),
            Refusal::ItemAlreadyDone { id, item, at_ms } => {
                let (n, when) = (item, when(*at_ms));
                tr!(
                    lang,
                    "通知 #{id} 第 {n} 项已于 {when} 完成。",
                    "Item {n} of notice #{id} was already done at {when}."
                )
            }
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
            // offboarding
            Refusal::LeaverNotOnRoster { staff_id } => tr!(
                lang,
                "花名册中没有工号 {staff_id}。",
                "There is no {staff_id} on the roster."
            ),
            Refusal::LeaverAlreadyLeft { staff_id } => tr!(
                lang,
                "{staff_id} 已经离职。",
                "{staff_id} has already left."
            ),
            Refusal::OffboardingStarted { staff_id } => tr!(
                lang,
                "{staff_id} 的离职流程已经开始了。发送「通知列表」查看相关通知。",
                "Offboarding of {staff_id} has already started. Send \"notices\" to see its notices."
            ),
        }
    }
}

/// Why a notice body was not taken, in words.
fn body_error(e: &BodyError, lang: Lang) -> String {
    match e {
        BodyError::BadDeadline(v) => tr!(
            lang,
            "截止日期「{v}」看不懂，请写成「截止: YYYY-MM-DD」。",
            "Cannot read the deadline \"{v}\"; write it as \"deadline: YYYY-MM-DD\"."
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

fn group_audience(purpose: Purpose, lang: Lang) -> String {
    match purpose {
        Purpose::Notice => tr!(
            lang,
            "通知只能发给具体的人或本群。",
            "A notice goes to people or to this group."
        ),
        Purpose::QuizCampaign => tr!(
            lang,
            "测验任务要布置给具体的人：请用「全员」「部门 名称」或「用户 工号」。",
            "Quiz campaigns go to people: use all, dept NAME or users IDS."
        ),
        Purpose::PasswordReset => tr!(
            lang,
            "强制改密只能发给 全员、部门 或 用户。",
            "A forced change goes to all, a department or users."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_reads_in_both_languages_and_has_a_code() {
        let all = [
            Refusal::NoSuchDepartment { name: "1".into() },
            Refusal::GroupAudience {
                purpose: Purpose::Notice,
            },
            Refusal::NoSuchNotice { id: 1 },
            Refusal::NoticeClosed { id: 1 },
            Refusal::NoticeNotTakingAcks { id: 1 },
            Refusal::NotAddressed { id: 1 },
            Refusal::AlreadyAcked { id: 1, at_ms: None },
            Refusal::AlreadyAcked {
                id: 1,
                at_ms: Some(0),
            },
            Refusal::NoChecklist { id: 1 },
            Refusal::NoSuchItem { id: 1, total: 2 },
            Refusal::ItemAlreadyDone {
                id: 1,
                item: 1,
                at_ms: 0,
            },
            Refusal::TitleTooLong { max: 100 },
            Refusal::BadNoticeBody {
                error: BodyError::BadItem(1),
            },
            Refusal::BadNoticeBody {
                error: BodyError::BadDeadline("1".into()),
            },
            Refusal::DeadlineInPast {
                deadline: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default(),
                today: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap_or_default(),
            },
            Refusal::NoticeAlreadyClosed { id: 1 },
            Refusal::PastDeadline { id: 1 },
            Refusal::AlreadyPostedToGroup { id: 1 },
            Refusal::NotSentYet { id: 1 },
            Refusal::LeaverNotOnRoster {
                staff_id: "u1".into(),
            },
            Refusal::LeaverAlreadyLeft {
                staff_id: "u1".into(),
            },
            Refusal::OffboardingStarted {
                staff_id: "u1".into(),
            },
        ];
        for r in all {
            for lang in [Lang::Zh, Lang::En] {
                let viewer = Viewer {
                    lang,
                    tz: chrono_tz::Asia::Shanghai,
                    staff: false,
                };
                let text = r.message(viewer);
                let names_it = text.contains('1') || matches!(r, Refusal::GroupAudience { .. });
                assert!(names_it && !text.is_empty(), "{r:?} {lang}: {text}");
            }
            assert!(!r.code().is_empty());
        }
    }

    #[test]
    fn refusals_that_name_nothing_still_read_in_both_languages() {
        let all = [
            Refusal::BadNoticeBody {
                error: BodyError::TwoDeadlines,
            },
            Refusal::BadNoticeBody {
                error: BodyError::TooManyItems,
            },
            Refusal::BadNoticeBody {
                error: BodyError::TooLong,
            },
            Refusal::NobodyToSend { id: 1 },
            Refusal::NotInGroupChat { id: 1 },
            Refusal::JustReminded { id: 1 },
        ];
        for r in all {
            let viewer = |lang| Viewer {
                lang,
                tz: chrono_tz::Asia::Shanghai,
                staff: true,
            };
            let (zh, en) = (r.message(viewer(Lang::Zh)), r.message(viewer(Lang::En)));
            assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{r:?}");
            assert!(!r.code().is_empty());
        }
    }
}
