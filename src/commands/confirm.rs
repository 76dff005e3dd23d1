//! Confirmation in chat (issue 12 point 2): `role grant`, `role revoke` and
//! `offboard` become requests that wait for a one-time code ([`ask`]), and
//! `确认执行 CODE` / `confirm CODE` executes one ([`confirm`]) — from the
//! same person, in the same conversation, within five minutes. The code is
//! shown as text to type, never as a button: a tapped link can ask, but
//! cannot confirm.

use super::{Ctx, HandlerResult, notice, roster};
use crate::actions::confirm::{self, Confirmed, Venue};
use crate::domain::Reply;
use crate::domain::confirm::{Request, ask_for_code};

/// Where this message was said, as a venue for codes.
fn venue<'a>(ctx: &'a Ctx<'_>) -> Venue<'a> {
    Venue::Chat(ctx.msg.conversation.id())
}

/// Stores `request` for confirmation and answers with its effect and code.
pub async fn ask(ctx: &Ctx<'_>, request: Request) -> HandlerResult {
    let lang = ctx.lang();
    let requested = confirm::request(&ctx.action(), venue(ctx), request).await?;
    let effect = requested.request.effect(requested.who.person(), lang);
    let until = requested
        .expires_at
        .with_timezone(&ctx.state.config.timezone)
        .format("%H:%M")
        .to_string();
    let ask = ask_for_code(&requested.code, &until, lang);
    Ok(Reply::text(format!("{effect}\n\n{ask}")))
}

/// `确认执行 CODE` / `confirm CODE`.
pub async fn confirm(ctx: &Ctx<'_>, code: &str) -> HandlerResult {
    let lang = ctx.lang();
    let done = confirm::confirm(&ctx.action(), venue(ctx), code).await?;
    let text = match &done {
        Confirmed::Granted(g) => roster::granted_text(g, lang),
        Confirmed::Revoked(r) => roster::revoked_text(r, lang),
        Confirmed::Offboarded(o) => notice::started_text(lang, o),
    };
    Ok(Reply::text(text))
}
