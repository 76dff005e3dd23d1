//! Recipients' side in chat: `ack [ID]` / `确认`, `done ID N` / `完成`, and
//! the notices section of `me`: parse what was meant, call the notice
//! actions, and put their outcome into words with the next steps.

use super::Ctx;
use crate::actions::notices::{self, Ack, AckVia};
use crate::commands::HandlerResult;
use crate::domain::chat::Body;
use crate::domain::notice::messages::{ack_button, ack_text, done_button, done_text};
use crate::domain::{Message, Reply};
use crate::i18n::Lang;
use crate::t;

/// `ack ID`, or plain `ack` when exactly one notice waits for it.
pub async fn ack(ctx: &Ctx<'_>, id: Option<i64>) -> HandlerResult {
    match id {
        Some(id) => ack_one(ctx, id).await,
        None => ack_pending(ctx).await,
    }
}

async fn ack_pending(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let pending = notices::pending_for(&ctx.action(), &ctx.user.staff_id).await?;
    let waiting: Vec<_> = pending
        .iter()
        .map(|p| &p.open)
        .filter(|o| o.acked_at.is_none())
        .collect();
    match waiting.as_slice() {
        [] => Ok(Reply::text(t!(
            lang,
            "commands-notice-ack-you-have-no-notices-to-acknowledge"
        ))),
        [only] => ack_one(ctx, only.id).await,
        many => {
            let mut text = t!(
                lang,
                "commands-notice-ack-you-have-notices-to-acknowledge-which",
                n = many.len()
            );
            for o in many {
                text.push_str(&format!("\n- #{} {}", o.id, o.title));
            }
            let buttons = many
                .iter()
                .map(|o| {
                    let mut b = ack_button(lang, o.id);
                    b.title = format!("{} #{}", b.title, o.id);
                    b
                })
                .collect();
            Ok(Reply::message(Message::card(
                t!(lang, "commands-notice-ack-notices-to-acknowledge"),
                text,
                buttons,
            )))
        }
    }
}

/// How the acknowledgement arrived: a button (its exact text), typed, or in a group.
fn ack_via(ctx: &Ctx<'_>, id: i64) -> AckVia {
    if ctx.msg.conversation.is_group() {
        return AckVia::Group;
    }
    let Body::Text(t) = &ctx.msg.body else {
        return AckVia::Chat;
    };
    let t = t.trim();
    if [Lang::Zh, Lang::En]
        .iter()
        .any(|l| t.eq_ignore_ascii_case(&ack_text(*l, id)))
    {
        AckVia::Button
    } else {
        AckVia::Chat
    }
}

async fn ack_one(ctx: &Ctx<'_>, id: i64) -> HandlerResult {
    let lang = ctx.lang();
    let via = ack_via(ctx, id);
    let acked = notices::ack(&ctx.action(), Ack { notice: id, via }).await?;
    let title = &acked.notice.title;
    let text = t!(
        lang,
        "commands-notice-ack-acknowledged-notice-thank-you",
        id,
        title
    );
    Ok(with_remaining(
        lang,
        id,
        text,
        &acked.items,
        &acked.ticked,
        true,
    ))
}

/// `text`, followed by the checklist items still open (with buttons) and,
/// when not acknowledged yet, a reminder to do so.
fn with_remaining(
    lang: Lang,
    id: i64,
    mut text: String,
    items: &[String],
    ticked: &[i64],
    acked: bool,
) -> Reply {
    let open: Vec<(usize, &String)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (i + 1, item))
        .filter(|(n, _)| !ticked.contains(&i64::try_from(*n).unwrap_or(0)))
        .collect();
    let mut buttons = Vec::new();
    if !open.is_empty() {
        text.push_str(&t!(
            lang,
            "commands-notice-ack-checklist-items-left",
            k = open.len()
        ));
        for (n, item) in &open {
            text.push_str(&format!("\n{n}. {item}"));
            buttons.push(done_button(lang, id, *n, item));
        }
    } else if !items.is_empty() {
        text.push_str(&t!(lang, "commands-notice-ack-checklist-is-complete"));
    }
    if !acked {
        let ack = ack_text(lang, id);
        text.push_str(&t!(
            lang,
            "commands-notice-ack-don-t-forget-to-acknowledge-notice",
            ack
        ));
        buttons.insert(0, ack_button(lang, id));
    }
    if buttons.is_empty() {
        Reply::text(text)
    } else {
        Reply::message(Message::card(
            t!(lang, "commands-notice-ack-notice", id),
            text,
            buttons,
        ))
    }
}

/// `done ID N`: ticks checklist item N.
pub async fn done(ctx: &Ctx<'_>, id: i64, item: u32) -> HandlerResult {
    let lang = ctx.lang();
    let t = notices::tick(&ctx.action(), id, item).await?;
    let (n, done, total) = (t.item, t.done, t.notice.checklist_total);
    let what = usize::try_from(n - 1)
        .ok()
        .and_then(|i| t.items.get(i))
        .cloned()
        .unwrap_or_default();
    let text = t!(
        lang,
        "commands-notice-ack-done-item-of-notice",
        id,
        n,
        what,
        done,
        total
    );
    Ok(with_remaining(lang, id, text, &t.items, &t.ticked, t.acked))
}

/// This feature's part of `me`: notices waiting for an acknowledgement and
/// checklist items not ticked yet, or `None` when there is nothing.
pub async fn me_section(ctx: &Ctx<'_>) -> anyhow::Result<Option<String>> {
    let lang = ctx.lang();
    let pending = notices::pending_for(&ctx.action(), &ctx.user.staff_id).await?;
    if pending.is_empty() {
        return Ok(None);
    }
    let now_ms = ctx.now.timestamp_millis();
    let mut text = t!(lang, "commands-notice-ack-notices");
    for p in &pending {
        let o = &p.open;
        let id = o.id;
        let title = &o.title;
        let deadline = match (&o.deadline_date, o.deadline_at) {
            (Some(d), Some(at)) if now_ms >= at => {
                t!(lang, "commands-notice-ack-due-overdue", d)
            }
            (Some(d), _) => t!(lang, "commands-notice-ack-due", d),
            _ => String::new(),
        };
        text.push_str(&format!("\n\n#{id} {title}{deadline}"));
        if o.acked_at.is_none() {
            let ack = ack_text(lang, id);
            text.push_str(&t!(lang, "commands-notice-ack-to-acknowledge-reply", ack));
        }
        for (i, item) in p.items.iter().enumerate() {
            let n = i + 1;
            if !p.ticked.contains(&i64::try_from(n)?) {
                let done = done_text(lang, id, n);
                text.push_str(&t!(lang, "commands-notice-ack-reply", n, item, done));
            }
        }
    }
    Ok(Some(text))
}
