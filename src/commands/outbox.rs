//! Admin `outbox` / `发件箱`: what is waiting to be sent, what is failing
//! (with its last error) and the dead letters; `outbox retry ID` puts a dead
//! letter back in the queue.

use serde_json::json;

use super::{Ctx, HandlerResult};
use crate::clock::from_ms;
use crate::domain::Reply;
use crate::domain::schedule::format_local;
use crate::i18n::Lang;
use crate::store::audit::{self, AuditEntry};
use crate::store::delivery::{self as sql, ListedRow, Retry};
use crate::tr;

/// Rows listed per section.
const LISTED: i64 = 10;

/// Longest error text shown per row.
const ERROR_CHARS: usize = 120;

/// `outbox`: the queue at a glance.
pub async fn show(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let now_ms = ctx.now.timestamp_millis();
    let pool = ctx.state.store.pool();
    let (pending, _, oldest) = sql::depth(pool, now_ms).await?;
    let (failing_n, failing) = sql::list(pool, "pending", LISTED).await?;
    let (dead_n, dead) = sql::list(pool, "dead", LISTED).await?;
    let mut text = tr!(
        lang,
        "### 发件箱\n\n待发送：{pending} 条",
        "### Outbox\n\nWaiting: {pending}"
    );
    if let Some(t) = oldest {
        let secs = (now_ms - t).max(0) / 1000;
        text.push_str(&tr!(
            lang,
            "，最早到期的一条已等待 {secs} 秒",
            ", the longest-waiting one has been due for {secs} s"
        ));
    }
    text.push_str(&tr!(
        lang,
        "\n\n**正在重试（{failing_n}）**\n",
        "\n\n**Failing, will retry ({failing_n})**\n"
    ));
    text.push_str(&rows(ctx, &failing, true));
    text.push_str(&tr!(
        lang,
        "\n\n**已放弃（{dead_n}）**\n",
        "\n\n**Dead letters ({dead_n})**\n"
    ));
    text.push_str(&rows(ctx, &dead, false));
    if dead_n > 0 {
        text.push_str(&tr!(
            lang,
            "\n\n发送「发件箱 重试 编号」重新发送一条已放弃的消息。",
            "\n\nSend \"outbox retry ID\" to send a dead letter again."
        ));
    }
    Ok(Reply::markdown(tr!(lang, "发件箱", "Outbox"), text))
}

fn rows(ctx: &Ctx<'_>, rows: &[ListedRow], next: bool) -> String {
    let lang = ctx.lang();
    if rows.is_empty() {
        return tr!(lang, "- 无", "- none");
    }
    rows.iter()
        .map(|r| {
            let (id, n, attempts) = (r.id, r.recipient_count(), r.attempts);
            let to = channel(lang, &r.channel, n);
            let mut line = tr!(
                lang,
                "- #{id} {to} · 已尝试 {attempts} 次",
                "- #{id} {to} · {attempts} attempt(s)"
            );
            if next {
                let at = format_local(ctx.state.config.timezone, from_ms(r.next_attempt_at));
                line.push_str(&tr!(lang, " · 下次 {at}", " · next {at}"));
            }
            if let Some(e) = &r.last_error {
                // DingTalk's error text is not the bot's own: shown inert.
                let e: String = e.chars().take(ERROR_CHARS).collect();
                let e = crate::domain::inert::inert(&e);
                line.push_str(&tr!(lang, " · 错误：{e}", " · error: {e}"));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn channel(lang: Lang, channel: &str, n: usize) -> String {
    match channel {
        "direct" => tr!(lang, "单聊 {n} 人", "1:1 to {n}"),
        "group" => tr!(lang, "群聊", "group"),
        _ => tr!(lang, "群机器人", "custom robot"),
    }
}

/// `outbox retry ID`: requeues a dead letter, due now, with fresh attempts.
pub async fn retry(ctx: &Ctx<'_>, id: i64) -> HandlerResult {
    let lang = ctx.lang();
    let now_ms = ctx.now.timestamp_millis();
    let mut tx = ctx.state.store.begin_write().await?;
    match sql::retry_dead(tx.conn(), id, now_ms).await? {
        Retry::Requeued => {}
        Retry::NotFound => crate::user_error!(
            lang,
            "没有编号为 #{id} 的发送记录。",
            "There is no delivery #{id}."
        ),
        Retry::PayloadDropped => crate::user_error!(
            lang,
            "#{id} 的内容已按保留期限删除，无法重发。",
            "#{id} can no longer be sent: its content was dropped under the retention period."
        ),
        Retry::NotDead(status) => {
            let status = match status.as_str() {
                "pending" => tr!(lang, "待发送", "waiting"),
                _ => tr!(lang, "已发送", "sent"),
            };
            crate::user_error!(
                lang,
                "#{id} 不是已放弃的消息（{status}），无需重试。",
                "#{id} is not a dead letter ({status}); nothing to retry."
            )
        }
    }
    let entry = AuditEntry {
        actor: &ctx.user.staff_id,
        action: "outbox.retry",
        subject: &format!("outbox:{id}"),
        details: json!({"id": id}),
    };
    audit::append(tx.conn(), &entry, now_ms).await?;
    tx.commit().await?;
    ctx.state.delivery.wake();
    tracing::info!(outbox_id = id, "dead letter requeued");
    Ok(Reply::text(tr!(
        lang,
        "好的，#{id} 已重新排队，稍后发送。",
        "OK, #{id} is queued again and will be sent shortly."
    )))
}
