//! What the password feature says: reminders, overdue notices, manager
//! escalations, forced-change notices and the pasted-password warning. Every
//! message explains how to change a password in general terms and says that
//! nobody will ever ask for it; none of them asks for one.

use chrono::NaiveDate;

use super::{Holder, PendingReset};
use crate::domain::inert::{defanged, inert};
use crate::domain::{Button, Message};
use crate::i18n::{Lang, en_count};
use crate::tr;

/// How to change a password, and the rule never to send one.
pub fn how_to_change(lang: Lang) -> String {
    tr!(
        lang,
        "**如何修改：**\n\n\
         - 钉钉：打开「我的 → 设置 → 账号与安全」，修改登录密码；\n\
         - 公司其他系统（邮箱、VPN、OA 等）：在该系统的账号设置或公司统一身份认证（SSO）门户中修改，或联系 IT 服务台；\n\
         - 新密码要足够长，且不要与其他网站或系统重复；可以使用公司认可的密码管理器。\n\n\
         改完后回复「已改密」确认。本机器人和 IT 人员**绝不会**向你索要密码，请勿在任何聊天中发送密码。",
        "**How to change it:**\n\n\
         - DingTalk: open My → Settings → Account and Security and change your login password;\n\
         - Other company systems (email, VPN, OA…): use that system's account settings or the company's single sign-on portal, or ask the IT service desk;\n\
         - Choose a long password that you use nowhere else; a company-approved password manager helps.\n\n\
         When you are done, reply \"password done\". This bot and IT staff will **never** ask for your password: never send it in any chat."
    )
}

/// The button that confirms a change (it sends `已改密` / `password done`).
fn done_button(lang: Lang) -> Button {
    Button::new(
        lang.pick("我已修改密码", "I changed it"),
        lang.pick("已改密", "password done"),
    )
}

/// A periodic reminder on `today` for a password due on `due` whose
/// overdue clock started on `since` ([`super::password::clock_start`]):
/// before the due date, on it, overdue — or, when nobody had told its
/// holder before the due date passed, a first notice that asks for a
/// change without counting days nobody knew about, then "reminded on …".
pub fn reminder(lang: Lang, due: NaiveDate, since: NaiveDate, today: NaiveDate) -> Message {
    let days_left = (due - today).num_days();
    let (title, lead) = match days_left {
        n if n > 0 => (
            tr!(lang, "密码即将到期", "Your password is due soon"),
            {
                let left = en_count(n, "day", "days");
                tr!(
                    lang,
                    "你的密码将于 **{due}** 到期（还有 {n} 天），请在到期前修改。",
                    "Your password is due on **{due}** ({left} from now). Please change it before then."
                )
            },
        ),
        _ if since > due => late_start(lang, due, since, today),
        0 => (
            tr!(lang, "密码今天到期", "Your password is due today"),
            tr!(
                lang,
                "你的密码今天（**{due}**）到期，请今天修改。",
                "Your password is due today (**{due}**). Please change it today."
            ),
        ),
        n => {
            let days = -n;
            let late = en_count(days, "day", "days");
            (
                tr!(lang, "密码已逾期", "Your password is overdue"),
                tr!(
                    lang,
                    "你的密码已于 **{due}** 到期，已逾期 {days} 天，请尽快修改。",
                    "Your password was due on **{due}** and is {late} overdue. Please change it now."
                ),
            )
        }
    };
    let text = format!("### {title}\n\n{lead}\n\n{}", how_to_change(lang));
    Message::card(title, text, vec![done_button(lang)])
}

/// Title and lead of a reminder whose first one came after the due date.
fn late_start(lang: Lang, due: NaiveDate, since: NaiveDate, today: NaiveDate) -> (String, String) {
    let days = (today - since).num_days();
    if days <= 0 {
        return (
            tr!(lang, "请更换密码", "Time to change your password"),
            tr!(
                lang,
                "按照公司的密码策略，你的密码应在 **{due}** 前更换（按花名册记录的上次修改日期计算）。请尽快修改。",
                "Under the company's password policy your password should have been changed by **{due}** (counted from the last change on the roster). Please change it soon."
            ),
        );
    }
    let ago = en_count(days, "day", "days");
    (
        tr!(lang, "密码尚未更换", "Your password still needs changing"),
        tr!(
            lang,
            "我们在 **{since}** 提醒你更换密码，{days} 天过去了，还没有收到你的确认。请尽快修改。",
            "We asked you on **{since}** to change your password; {ago} later we have no confirmation yet. Please change it now."
        ),
    )
}

/// Tells a manager that `who`'s password is overdue: `days` since `since`,
/// the overdue clock's start (the due date, or a later first reminder).
pub fn escalation(
    lang: Lang,
    who: &Holder,
    due: NaiveDate,
    since: NaiveDate,
    days: i64,
) -> Message {
    let (name, staff_id) = (inert(&who.name), inert(&who.staff_id));
    let title = tr!(lang, "同事密码已逾期", "A colleague's password is overdue");
    let late = en_count(days, "day", "days");
    let fact = if since > due {
        tr!(
            lang,
            "{name}（{staff_id}）的密码需要更换：本人于 {since} 收到提醒，{days} 天后仍未确认修改。",
            "{name} ({staff_id}) has not confirmed a password change: they were reminded on {since}, {late} ago."
        )
    } else {
        tr!(
            lang,
            "{name}（{staff_id}）的密码已于 {due} 到期，已逾期 {days} 天，尚未确认修改。",
            "{name} ({staff_id}) has not confirmed a password change: it was due on {due} and is {late} overdue."
        )
    };
    let text = tr!(
        lang,
        "### {title}\n\n{fact}\n\n\
         请提醒其尽快修改密码并在钉钉中回复本机器人「已改密」。请勿让其把密码发给你或任何人。",
        "### {title}\n\n{fact}\n\n\
         Please remind them to change it and to reply \"password done\" to this bot. Never ask them to send you the password."
    );
    Message::markdown(title, text)
}

/// The forced-change notice of `password reset-required`.
pub fn reset_notice(lang: Lang, reset_id: i64, reason: &str) -> Message {
    let reason = defanged(reason);
    let title = tr!(lang, "请立即修改密码", "Change your password now");
    let text = tr!(
        lang,
        "### {title}（#{reset_id}）\n\n管理员要求你立即修改密码。原因：{reason}\n\n{how}",
        "### {title} (#{reset_id})\n\nThe administrators require you to change your password now. Reason: {reason}\n\n{how}",
        how = how_to_change(lang)
    );
    Message::card(title, text, vec![done_button(lang)])
}

/// A daily reminder of a forced change still pending after `days` days.
pub fn reset_reminder(lang: Lang, reset: &PendingReset, days: i64) -> Message {
    let (reset_id, reason) = (reset.reset_id, defanged(&reset.reason));
    let title = tr!(lang, "强制改密尚未完成", "Password change still pending");
    let ago = en_count(days, "day", "days");
    let text = tr!(
        lang,
        "### {title}（#{reset_id}）\n\n管理员 {days} 天前要求你修改密码（原因：{reason}），你还没有确认。\n\n{how}",
        "### {title} (#{reset_id})\n\nThe administrators asked you {ago} ago to change your password (reason: {reason}), and you have not confirmed yet.\n\n{how}",
        how = how_to_change(lang)
    );
    Message::card(title, text, vec![done_button(lang)])
}

/// Tells a manager that `who` has not done forced change `reset` after `days` days.
pub fn reset_escalation(lang: Lang, who: &Holder, reset: &PendingReset, days: i64) -> Message {
    let (name, staff_id, reset_id) = (&who.name, &who.staff_id, reset.reset_id);
    let title = tr!(
        lang,
        "同事尚未完成强制改密",
        "A colleague has not changed their password"
    );
    let (name, staff_id) = (inert(name), inert(staff_id));
    let ago = en_count(days, "day", "days");
    let text = tr!(
        lang,
        "### {title}\n\n{name}（{staff_id}）{days} 天前被要求修改密码（#{reset_id}），至今尚未确认。\n\n\
         请提醒其尽快修改并回复本机器人「已改密」。请勿让其把密码发给你或任何人。",
        "### {title}\n\n{name} ({staff_id}) was asked {ago} ago to change their password (#{reset_id}) and has not confirmed yet.\n\n\
         Please remind them to change it and to reply \"password done\" to this bot. Never ask them to send you the password."
    );
    Message::markdown(title, text)
}

/// The answer to a message that looked like it contained a password or key.
pub fn pasted_warning(lang: Lang, in_group: bool) -> String {
    let mut text = tr!(
        lang,
        "⚠️ 你的消息看起来包含密码或密钥。为了安全，我没有处理也没有保存这条消息。\n\n\
         请立即修改这个密码（如果是密钥或令牌，请立即作废并重新生成），因为它已经出现在聊天记录中。\n\
         今后请不要在任何聊天中粘贴密码——本机器人和 IT 人员都不会向你索要密码。\n\n\
         如果这只是示例，请把其中的密码换成 *** 后重新发送。修改完成后回复「已改密」。",
        "⚠️ Your message looks like it contains a password or key. To be safe I did not process or keep it.\n\n\
         Change that password now (revoke and regenerate it if it is a key or token): it is in the chat history now.\n\
         Never paste a password into any chat: this bot and IT staff will never ask you for one.\n\n\
         If it was only an example, replace the password with *** and send it again. Reply \"password done\" once you have changed it."
    );
    if in_group {
        text.push_str(&tr!(
            lang,
            "\n\n这是群聊，其他成员也能看到：请尽快撤回那条消息。",
            "\n\nThis is a group chat and others can see it: recall that message now."
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(m: &Message) -> String {
        match m {
            Message::Text { content } => content.clone(),
            Message::Markdown { text, .. } | Message::ActionCard { text, .. } => text.clone(),
        }
    }

    fn reset() -> PendingReset {
        PendingReset {
            reset_id: 2,
            staff_id: "u1".into(),
            reason: "vendor breach".into(),
            notified_ms: 0,
            escalated: false,
        }
    }

    #[test]
    fn messages_explain_how_to_change_and_never_ask_for_the_password() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let day = |n: i64| due + chrono::Duration::days(n);
        for lang in [Lang::Zh, Lang::En] {
            for m in [
                reminder(lang, due, due, day(-3)),
                reminder(lang, due, due, due),
                reminder(lang, due, due, day(4)),
                reminder(lang, due, day(2), day(2)),
                reminder(lang, due, day(2), day(5)),
                reset_notice(lang, 2, "vendor breach"),
                reset_reminder(lang, &reset(), 1),
            ] {
                let t = text(&m);
                assert!(
                    t.contains(lang.pick("账号与安全", "Account and Security")),
                    "{t}"
                );
                assert!(t.contains(lang.pick("**绝不会**", "**never** ask")), "{t}");
            }
        }
        assert!(text(&reminder(Lang::Zh, due, due, day(-3))).contains("还有 3 天"));
        assert!(text(&reminder(Lang::En, due, due, day(4))).contains("4 days overdue"));
        assert!(pasted_warning(Lang::Zh, true).contains("撤回"));
        assert!(!pasted_warning(Lang::En, false).contains("recall"));
    }
}
