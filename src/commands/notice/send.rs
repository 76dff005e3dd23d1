//! Sending notices in chat: `notice send ID to …` (to people, or posted to
//! the group the command came from) and `notice remind ID` (everyone who
//! has not acknowledged, now or when quiet hours end).

use super::{Ctx, local};
use crate::actions::notices::{self, GroupPost, SendToPeople};
use crate::commands::audience::skipped_line;
use crate::commands::{Audience, HandlerResult};
use crate::domain::Reply;
use crate::domain::chat::Conversation;
use crate::t;

/// `notice send ID to all | dept NAME | users IDS | group`.
pub async fn send(ctx: &Ctx<'_>, id: i64, to: &Audience) -> HandlerResult {
    if *to == Audience::Group {
        return send_to_group(ctx, id).await;
    }
    let lang = ctx.lang();
    let input = SendToPeople { notice: id, to };
    let sent = notices::send(&ctx.action(), input).await?;
    let (n, already) = (sent.queued.added, sent.already);
    let mut text = t!(lang, "commands-notice-send-notice-is-sent-to", id, n);
    if already > 0 {
        text.push_str(&t!(
            lang,
            "commands-notice-send-had-already-received-it-and-are",
            already
        ));
    }
    text.push_str(&skipped_line(&sent.unknown, lang));
    Ok(Reply::text(text))
}

/// Posts the notice into the group the command came from; whoever then
/// acknowledges it is counted as a recipient.
async fn send_to_group(ctx: &Ctx<'_>, id: i64) -> HandlerResult {
    let lang = ctx.lang();
    let conversation = match &ctx.msg.conversation {
        Conversation::Group { id, .. } => Some(id.as_str()),
        _ => None,
    };
    let input = GroupPost {
        notice: id,
        conversation,
        lang,
    };
    notices::post_to_group(&ctx.action(), input).await?;
    Ok(Reply::text(t!(
        lang,
        "commands-notice-send-notice-is-sent-to-this-group",
        id
    )))
}

/// `notice remind ID [now]`: reminds everyone who has not acknowledged now,
/// or when the quiet hours end (within an hour of the last round only with `now`).
pub async fn remind(ctx: &Ctx<'_>, id: i64, repeat: bool) -> HandlerResult {
    let lang = ctx.lang();
    let r = notices::remind_now(&ctx.action(), id, repeat).await?;
    let n = r.recipients;
    Ok(Reply::text(match (n, r.quiet_until) {
        (0, _) => t!(
            lang,
            "commands-notice-send-nobody-to-remind-for-notice-everyone",
            id
        ),
        (n, None) => t!(lang, "commands-notice-send-reminded", n),
        (n, Some(at)) => {
            let when = local(ctx, at.timestamp_millis());
            t!(
                lang,
                "commands-notice-send-it-is-quiet-hours-will-be",
                when,
                n
            )
        }
    }))
}
