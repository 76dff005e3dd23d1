//! Admin `outbox` / `发件箱`: what is waiting to be sent, what is failing
//! (with its last error) and the dead letters (the outbox report);
//! `outbox retry ID` puts a dead letter back in the queue (an action) and
//! wakes the delivery worker.

use super::{Ctx, HandlerResult};
use crate::actions;
use crate::clock::from_ms;
use crate::domain::Reply;
use crate::domain::schedule::format_local;
use crate::i18n::Lang;
use crate::reports::outbox::health;
use crate::store::delivery::ListedRow;
use crate::t;

/// Rows listed per section.
const LISTED: i64 = 10;

/// Longest error text shown per row.
const ERROR_CHARS: usize = 120;

/// `outbox`: the queue at a glance.
pub async fn show(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let now_ms = ctx.now.timestamp_millis();
    let h = health(&ctx.state.store, now_ms, LISTED).await?;
    let (pending, oldest) = (h.pending, h.oldest_due_ms);
    let (failing_n, failing) = (h.failing, &h.failing_rows);
    let (dead_n, dead) = (h.dead, &h.dead_rows);
    let mut text = t!(lang, "commands-outbox-outbox-waiting", pending);
    if let Some(t) = oldest {
        let secs = (now_ms - t).max(0) / 1000;
        text.push_str(&t!(
            lang,
            "commands-outbox-longest-waiting-one-has-been-due",
            secs
        ));
    }
    text.push_str(&t!(lang, "commands-outbox-failing-will-retry", failing_n));
    text.push_str(&rows(ctx, failing, true));
    text.push_str(&t!(lang, "commands-outbox-dead-letters", dead_n));
    text.push_str(&rows(ctx, dead, false));
    if dead_n > 0 {
        text.push_str(&t!(lang, "commands-outbox-send-outbox-retry-id-to-send"));
    }
    Ok(Reply::markdown(t!(lang, "commands-outbox-outbox"), text))
}

fn rows(ctx: &Ctx<'_>, rows: &[ListedRow], next: bool) -> String {
    let lang = ctx.lang();
    if rows.is_empty() {
        return t!(lang, "commands-outbox-none");
    }
    rows.iter()
        .map(|r| {
            let (id, n, attempts) = (r.id, r.recipient_count(), r.attempts);
            let to = channel(lang, &r.channel, n);
            let mut line = t!(lang, "commands-outbox-attempt-s", id, to, attempts);
            if next {
                let at = format_local(ctx.state.config.timezone, from_ms(r.next_attempt_at));
                line.push_str(&t!(lang, "commands-outbox-next", at));
            }
            if let Some(e) = &r.last_error {
                // DingTalk's error text is not the bot's own: shown inert.
                let e: String = e.chars().take(ERROR_CHARS).collect();
                let e = crate::domain::inert::inert(&e);
                line.push_str(&t!(lang, "commands-outbox-error", e));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn channel(lang: Lang, channel: &str, n: usize) -> String {
    match channel {
        "direct" => t!(lang, "commands-outbox-1-1-to", n),
        "group" => t!(lang, "commands-outbox-group"),
        _ => t!(lang, "commands-outbox-custom-robot"),
    }
}

/// `outbox retry ID`: requeues a dead letter, due now, with fresh attempts.
pub async fn retry(ctx: &Ctx<'_>, id: i64) -> HandlerResult {
    actions::outbox::retry(&ctx.action(), id).await?;
    ctx.state.delivery.wake();
    Ok(Reply::text(t!(
        ctx.lang(),
        "commands-outbox-ok-is-queued-again-and-will",
        id
    )))
}
