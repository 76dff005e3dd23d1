//! The roles and roster refusals in words.

use super::Refusal;
use crate::domain::inert::inert;
use crate::i18n::Lang;
use crate::store::roster::RosterSource;
use crate::tr;

/// A roles or roster refusal in `lang` (other refusals are worded in
/// [`super`]).
pub(super) fn message(r: &Refusal, lang: Lang) -> String {
    match r {
        // Staff ids typed by an admin and names from profiles: shown inert
        // (people through `Person::label`).
        Refusal::UnknownStaff { staff_id } => tr!(
            lang,
            "我还不认识工号 {staff_id}：请先导入花名册，或请对方先给我发一条消息。",
            "I don't know staff id {staff_id} yet: import the roster, or ask them to message me once.",
            staff_id = inert(staff_id)
        ),
        Refusal::LeftOrganisation { staff_id } => tr!(
            lang,
            "{staff_id} 已离职，不能授予角色。",
            "{staff_id} has left the organisation; roles cannot be granted to them.",
            staff_id = inert(staff_id)
        ),
        Refusal::AlreadyHasRole { who, role } => {
            let (name, r) = (who.person().label(lang), role.label(lang));
            tr!(
                lang,
                "{name} 已拥有「{r}」角色，无需重复授予。",
                "{name} already has the {r} role."
            )
        }
        Refusal::NoSuchRole { who, role } => {
            let (name, r) = (who.person().label(lang), role.label(lang));
            tr!(
                lang,
                "{name} 没有「{r}」角色。",
                "{name} does not have the {r} role."
            )
        }
        Refusal::LastAdmin { who } => {
            let name = who.person().label(lang);
            tr!(
                lang,
                "{name} 是最后一位管理员，不能撤销。请先把管理员角色授予另一位同事。",
                "{name} is the last administrator, so the role stays. Grant it to someone else first."
            )
        }
        Refusal::RosterLeavesNoAdmin { kind } => {
            let what = kind.as_str();
            let zh = match kind {
                RosterSource::Import => "导入",
                RosterSource::Sync => "同步",
            };
            tr!(
                lang,
                "这次{zh}会使组织没有在职的管理员，因此没有做任何更改；请先把管理员角色授予一位留任的同事。",
                "this {what} would leave no active administrator (nothing was changed); grant the admin role to someone who stays first"
            )
        }
        Refusal::TooManyLeavers {
            kind,
            leaving,
            active,
            max_percent,
            names,
        } => {
            let what = kind.as_str();
            let zh = match kind {
                RosterSource::Import => "导入",
                RosterSource::Sync => "同步",
            };
            let list = names
                .iter()
                .map(|n| inert(n))
                .collect::<Vec<_>>()
                .join(lang.pick("、", ", "));
            let more = leaving.saturating_sub(names.len());
            let more = if more > 0 {
                tr!(lang, " 等 {more} 人", " and {more} more")
            } else {
                String::new()
            };
            tr!(
                lang,
                "这次{zh}会把 {leaving} 人（在职 {active} 人）标记为离职，超过上限（{max_percent}% 或 20 人），因此没有做任何更改：{list}{more}。确认无误后，用 --allow-leavers {leaving} 重新运行。",
                "this {what} would mark {leaving} of {active} active users as left, more than allowed ({max_percent}% or 20 people), so nothing was changed: {list}{more}. If that is right, run it again with --allow-leavers {leaving}"
            )
        }
        // `Refusal::message` sends only these refusals here; the unit test
        // checks that every one has words of its own.
        other => other.code().to_owned(),
    }
}
