//! Password commands: `password policy` (show or set), `password done` /
//! `已改密` (confirmation), `password reset-required` (a forced change,
//! tracked until done), the user's part of `me`, and the guard that
//! withholds messages that look like they contain a password. The password
//! actions record and audit; these parse and put the outcome into words.
//! The bot never asks for a password.

pub(super) mod status;

use super::{Audience, Command, Ctx, HandlerResult, PolicySpec, parse};
use crate::actions::passwords::{self, RequireReset, ResetRequired};
use crate::actions::{self, Actor};
use crate::commands::audience::skipped_line;
use crate::domain::chat::ChatMessage;
use crate::domain::credential;
use crate::domain::password::messages as text;
use crate::domain::password::{Policy, Standing};
use crate::domain::{Reply, User};
use crate::i18n::{Lang, en_count};
use crate::state::AppState;
use crate::tr;

/// Whether a message must be withheld because it looks like it carries a
/// password or key. Known key formats count anywhere; the keyword rule
/// looks at free text only, not at a well-formed command's own words.
pub fn carries_credential(text: &str) -> bool {
    if credential::contains_credential_token(text) {
        return true;
    }
    match parse(text) {
        Ok(Command::PasswordResetRequired { reason, .. }) => {
            credential::password_next_to_secret(&reason)
        }
        Ok(
            Command::Report { .. }
            | Command::Feedback { .. }
            | Command::NoticeNew { .. }
            | Command::IncidentClose { .. },
        ) => credential::password_next_to_secret(text),
        Ok(_) => false,
        Err(_) => credential::password_next_to_secret(text),
    }
}

/// Answers a message that looked like it contained a password: a warning,
/// and an audit entry that it happened (never the text itself).
pub async fn withhold(
    state: &AppState,
    user: &User,
    msg: &ChatMessage,
    now: chrono::DateTime<chrono::Utc>,
    inbox: Option<&std::sync::Arc<actions::InboxRun>>,
) -> HandlerResult {
    tracing::warn!("message withheld: it looked like it contained a credential");
    let in_group = msg.conversation.is_group();
    let ctx =
        actions::Ctx::new(&state.store, &state.config, now, Actor::Person(user)).in_inbox(inbox);
    passwords::withheld(&ctx, in_group).await?;
    Ok(Reply::text(text::pasted_warning(user.lang, in_group)))
}

/// `password policy` shows the policy; with a spec it sets it (admin, audited).
pub async fn policy(ctx: &Ctx<'_>, spec: Option<PolicySpec>) -> HandlerResult {
    let lang = ctx.lang();
    let action = ctx.action();
    let escalation = escalation_note(lang, ctx.state.config.password_escalate_after_days);
    let Some(spec) = spec else {
        let desc = passwords::policy(&action).await?.describe(lang);
        return Ok(Reply::text(tr!(
            lang,
            "当前密码策略：{desc}。{escalation}\n修改：发送「密码 策略 天数 [提醒 7,3,1]」，或「密码 策略 nist」。",
            "Current password policy: {desc}. {escalation}\nChange it with: password policy DAYS [remind 7,3,1], or password policy nist."
        )));
    };
    let new = match spec {
        PolicySpec::Periodic { days, remind } => Policy::periodic(days, &remind),
        PolicySpec::Nist => Policy::Nist,
    };
    let desc = passwords::set_policy(&action, new)
        .await?
        .policy
        .describe(lang);
    Ok(Reply::text(tr!(
        lang,
        "已更新密码策略：{desc}。{escalation}",
        "Password policy updated: {desc}. {escalation}"
    )))
}

fn escalation_note(lang: Lang, after: Option<u32>) -> String {
    match after {
        Some(days) => tr!(
            lang,
            "逾期（或强制改密未完成）{days} 天后通知其直属主管一次。",
            "Managers are told once when a password is {days} days overdue (or a forced change is {days} days old)."
        ),
        None => tr!(lang, "不通知主管。", "Managers are not told."),
    }
}

/// `password done` / `已改密`: confirms a change (audited), restarting the
/// cycle and closing pending forced changes.
pub async fn done(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let confirmed = passwords::confirm(&ctx.action()).await?;
    let (next_due, closed) = (confirmed.next_due, confirmed.resets_closed);
    let mut reply = match next_due {
        Some(due) => tr!(
            lang,
            "已记录，谢谢！你的下一次改密到期日是 {due}。",
            "Recorded, thank you! Your next password change is due on {due}."
        ),
        None => tr!(
            lang,
            "已记录，谢谢！当前策略不要求定期修改密码；如发现泄露迹象，管理员会通知你。",
            "Recorded, thank you! The current policy has no periodic changes; the administrators will tell you if a change is needed."
        ),
    };
    if !closed.is_empty() {
        let ids = closed
            .iter()
            .map(|id| format!("#{id}"))
            .collect::<Vec<_>>()
            .join(", ");
        reply.push_str(&tr!(
            lang,
            "\n管理员要求的改密（{ids}）已标记为完成。",
            "\nThe required change ({ids}) is marked as done."
        ));
    }
    reply.push_str(&tr!(
        lang,
        "\n提醒：任何人都不会向你索要密码，切勿在聊天中发送密码。",
        "\nRemember: nobody will ever ask for your password; never send it in chat."
    ));
    Ok(Reply::text(reply))
}

/// `password reset-required AUDIENCE REASON`: a forced change for everyone
/// in the audience, under either profile, tracked until their `password done`.
pub async fn reset_required(ctx: &Ctx<'_>, audience: Audience, reason: String) -> HandlerResult {
    let req = RequireReset { audience, reason };
    let sent = passwords::require_reset(&ctx.action(), req).await?;
    Ok(Reply::text(reset_reply(ctx, &sent)))
}

fn reset_reply(ctx: &Ctx<'_>, sent: &ResetRequired) -> String {
    let lang = ctx.lang();
    let (id, n) = (sent.id, sent.recipients);
    let recipients = en_count(n, "recipient", "recipients");
    let mut reply = tr!(
        lang,
        "已发出强制改密通知 #{id}：{n} 人已排队发送。在他们回复「已改密」之前，每天（免打扰时段外）都会提醒。",
        "Forced password change #{id} sent: {recipients} queued. They are reminded daily (outside quiet hours) until they reply \"password done\"."
    );
    if let Some(days) = ctx.state.config.password_escalate_after_days {
        let after = en_count(days, "day", "days");
        reply.push_str(&tr!(
            lang,
            "{days} 天后仍未完成的，会通知其直属主管。",
            " After {after}, their manager is told."
        ));
    }
    reply.push_str(&skipped_line(&sent.unknown, lang));
    reply
}

/// This feature's part of `me`: the password due date and pending forced changes.
pub async fn me_section(ctx: &Ctx<'_>) -> anyhow::Result<Option<String>> {
    let lang = ctx.lang();
    let standing = passwords::standing_of(&ctx.action(), &ctx.user.staff_id).await?;
    let mut lines = Vec::new();
    if let Some(due) = standing.due {
        lines.extend(due_line(lang, due));
    }
    for r in standing.resets {
        let (id, reason) = (r.reset_id, crate::domain::inert::defanged(&r.reason));
        lines.push(tr!(
            lang,
            "- **强制改密 #{id}**：管理员要求你立即修改密码（原因：{reason}）。改完后回复「已改密」。",
            "- **Required password change #{id}**: the administrators require you to change your password now (reason: {reason}). Reply \"password done\" when done."
        ));
    }
    if lines.is_empty() {
        return Ok(None);
    }
    let title = tr!(lang, "**密码**", "**Password**");
    Ok(Some(format!("{title}\n\n{}", lines.join("\n"))))
}

fn due_line(lang: Lang, standing: Standing) -> Option<String> {
    Some(match standing {
        Standing::Overdue { due, days: 0 } => tr!(
            lang,
            "- 应于 {due} 前更换：请尽快修改，然后回复「已改密」。",
            "- Should be changed by {due}: please change it now, then reply \"password done\"."
        ),
        Standing::Overdue { due, days } => {
            let late = en_count(days, "day", "days");
            tr!(
                lang,
                "- 已于 {due} 到期（逾期 {days} 天）：请尽快修改，然后回复「已改密」。",
                "- Was due on {due} ({late} overdue): please change it now, then reply \"password done\"."
            )
        }
        Standing::DueSoon { due, days_left } => {
            let left = en_count(days_left, "day", "days");
            tr!(
                lang,
                "- 将于 {due} 到期（还有 {days_left} 天）。改完后回复「已改密」。",
                "- Due on {due} ({left} left). Reply \"password done\" once changed."
            )
        }
        Standing::Confirmed { due: Some(due) } | Standing::Current { due: Some(due) } => {
            tr!(lang, "- 下次到期日：{due}。", "- Next change due on {due}.")
        }
        Standing::Confirmed { due: None } | Standing::Current { due: None } => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::carries_credential;

    #[test]
    fn commands_are_checked_by_their_free_text() {
        for text in [
            "password reset-required all 泄露的密码是 Abc12345",
            "report 我的密码 Zx9!abcd 被别人看到了",
            "password done Hunter2!x",
            "ack AKIAIOSFODNN7EXAMPLE",
        ] {
            assert!(carries_credential(text), "{text}");
        }
        for text in [
            "password reset-required users u1,u2 vendor breach",
            "密码 强制改密 用户 zhang3,li4 供应商泄露",
            "password policy 90 remind 7,3,1",
            "密码 策略 nist",
            "已改密",
            "feedback 密码提醒很有用",
        ] {
            assert!(!carries_credential(text), "{text}");
        }
    }
}
