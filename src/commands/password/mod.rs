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
use crate::i18n::Lang;
use crate::state::AppState;
use crate::t;

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
        return Ok(Reply::text(t!(
            lang,
            "commands-password-current-password-policy-change-it-with",
            desc,
            escalation
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
    Ok(Reply::text(t!(
        lang,
        "commands-password-password-policy-updated",
        desc,
        escalation
    )))
}

fn escalation_note(lang: Lang, after: Option<u32>) -> String {
    match after {
        Some(days) => t!(
            lang,
            "commands-password-managers-are-told-once-when-password",
            days
        ),
        None => t!(lang, "commands-password-managers-are-not-told"),
    }
}

/// `password done` / `已改密`: confirms a change (audited), restarting the
/// cycle and closing pending forced changes.
pub async fn done(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let confirmed = passwords::confirm(&ctx.action()).await?;
    let (next_due, closed) = (confirmed.next_due, confirmed.resets_closed);
    let mut reply = match next_due {
        Some(due) => t!(
            lang,
            "commands-password-recorded-thank-you-your-next-password",
            due
        ),
        None => t!(
            lang,
            "commands-password-recorded-thank-you-current-policy-has"
        ),
    };
    if !closed.is_empty() {
        let ids = closed
            .iter()
            .map(|id| format!("#{id}"))
            .collect::<Vec<_>>()
            .join(", ");
        reply.push_str(&t!(
            lang,
            "commands-password-required-change-is-marked-as-done",
            ids
        ));
    }
    reply.push_str(&t!(
        lang,
        "commands-password-remember-nobody-will-ever-ask-for"
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
    let mut reply = t!(
        lang,
        "commands-password-forced-password-change-is-sent-to",
        id,
        n
    );
    if let Some(days) = ctx.state.config.password_escalate_after_days {
        reply.push_str(&t!(
            lang,
            "commands-password-after-their-manager-is-told",
            days
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
        lines.push(t!(
            lang,
            "commands-password-required-password-change-administrators-require",
            id,
            reason
        ));
    }
    if lines.is_empty() {
        return Ok(None);
    }
    let title = t!(lang, "commands-password-password");
    Ok(Some(format!("{title}\n\n{}", lines.join("\n"))))
}

fn due_line(lang: Lang, standing: Standing) -> Option<String> {
    Some(match standing {
        Standing::Overdue { due, days: 0 } => t!(
            lang,
            "commands-password-should-be-changed-by-please-change",
            due
        ),
        Standing::Overdue { due, days } => {
            t!(
                lang,
                "commands-password-was-due-on-overdue-please-change",
                due,
                days
            )
        }
        Standing::DueSoon { due, days_left } => {
            t!(
                lang,
                "commands-password-due-on-left-reply-password-done",
                due,
                days_left
            )
        }
        Standing::Confirmed { due: Some(due) } | Standing::Current { due: Some(due) } => {
            t!(lang, "commands-password-next-change-due-on", due)
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
