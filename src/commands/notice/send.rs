//! Sending notices in chat: `notice send ID to …` (to people, or posted to
//! the group the command came from) and `notice remind ID` (everyone who
//! has not acknowledged, now or when quiet hours end).

use super::{Ctx, local};
use crate::actions::notices::{self, GroupPost, SendToPeople};
use crate::commands::audience::skipped_line;
use crate::commands::{Audience, HandlerResult};
use crate::domain::Reply;
use crate::domain::chat::Conversation;
use crate::i18n::en_count;
use crate::tr;

/// `notice send ID to all | dept NAME | users IDS | group`.
pub async fn send(ctx: &Ctx<'_>, id: i64, to: &Audience) -> HandlerResult {
    if *to == Audience::Group {
        return send_to_group(ctx, id).await;
    }
    let lang = ctx.lang();
    let input = SendToPeople { notice: id, to };
    let sent = notices::send(&ctx.action(), input).await?;
    let (n, b, already) = (sent.queued.added, sent.queued.batches, sent.already);
    let (recipients, batches) = (
        en_count(n, "recipient", "recipients"),
        en_count(b, "batch", "batches"),
    );
    let mut text = tr!(
        lang,
        "通知 #{id} 已排队发送给 {n} 人（{b} 批）。",
        "Notice #{id} is queued for {recipients} ({batches})."
    );
    if already > 0 {
        text.push_str(&tr!(
            lang,
            "\n另有 {already} 人此前已收到，不再重复发送。",
            "\n{already} had already received it and are not sent it again."
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
    Ok(Reply::text(tr!(
        lang,
        "通知 #{id} 已排队发到本群。群成员在与我的单聊中回复「确认 #{id}」，或在群里 @我 发送，即可确认；确认的人会计入统计。",
        "Notice #{id} is queued for this group. Members acknowledge it by replying \"ack #{id}\" in their 1:1 chat with me, or by @mentioning me with it in the group; whoever does is counted."
    )))
}

/// `notice remind ID [now]`: reminds everyone who has not acknowledged now,
/// or when the quiet hours end (within an hour of the last round only with `now`).
pub async fn remind(ctx: &Ctx<'_>, id: i64, repeat: bool) -> HandlerResult {
    let lang = ctx.lang();
    let r = notices::remind_now(&ctx.action(), id, repeat).await?;
    let n = r.recipients;
    let people = en_count(n, "person", "people");
    Ok(Reply::text(match (n, r.quiet_until) {
        (0, _) => tr!(
            lang,
            "通知 #{id} 没有需要提醒的人：大家都已确认。",
            "Nobody to remind for notice #{id}: everyone has acknowledged."
        ),
        (n, None) => tr!(lang, "已提醒 {n} 人。", "Reminded {people}."),
        (n, Some(at)) => {
            let when = local(ctx, at.timestamp_millis());
            tr!(
                lang,
                "现在是免打扰时段，将在 {when} 提醒 {n} 人。",
                "It is quiet hours; {people} will be reminded at {when}."
            )
        }
    }))
}
