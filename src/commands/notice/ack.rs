//! Recipients' side: `ack [ID]` / `确认`, `done ID N` / `完成`, and the
//! notices section of `me`. Acknowledgements and ticks are idempotent and
//! audited in the transaction that records them.

use serde_json::json;
use sqlx::AnyConnection;

use super::{Ctx, audit_notice, load, local};
use crate::commands::HandlerResult;
use crate::domain::chat::Body;
use crate::domain::notice::messages::{ack_button, ack_text, done_button, done_text};
use crate::domain::{Message, Reply};
use crate::error::HandlerError;
use crate::i18n::Lang;
use crate::store::notices::recipients::{self, RecipientRow, Tick};
use crate::store::notices::{self, NoticeRow};
use crate::tr;

/// `ack ID`, or plain `ack` when exactly one notice waits for it.
pub async fn ack(ctx: &Ctx<'_>, id: Option<i64>) -> HandlerResult {
    match id {
        Some(id) => ack_one(ctx, id).await,
        None => ack_pending(ctx).await,
    }
}

async fn ack_pending(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let mut conn = ctx.state.store.pool().acquire().await?;
    let open = recipients::open_for(&mut conn, &ctx.user.staff_id).await?;
    drop(conn);
    let waiting: Vec<_> = open.iter().filter(|o| o.acked_at.is_none()).collect();
    match waiting.as_slice() {
        [] => Ok(Reply::text(tr!(
            lang,
            "你没有待确认的通知。",
            "You have no notices to acknowledge."
        ))),
        [only] => ack_one(ctx, only.id).await,
        many => {
            let mut text = tr!(
                lang,
                "你有 {n} 条通知待确认，请指定编号：",
                "You have {n} notices to acknowledge; which one?",
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
                tr!(lang, "待确认的通知", "Notices to acknowledge"),
                text,
                buttons,
            )))
        }
    }
}

/// The recipient row for this user, adding them if the notice was posted
/// to a group (anyone may acknowledge those); a clear answer otherwise.
async fn addressed(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    notice: &NoticeRow,
) -> Result<RecipientRow, HandlerError> {
    let lang = ctx.lang();
    let id = notice.id;
    if notice.is_closed() {
        crate::user_error!(
            lang,
            "通知 #{id} 已关闭，不再接受确认或勾选。",
            "Notice #{id} is closed and no longer takes acknowledgements or ticks."
        );
    }
    let staff = &ctx.user.staff_id;
    if let Some(r) = recipients::get(conn, id, staff).await? {
        return Ok(r);
    }
    if notice.is_sent() && notice.open_acks == 1 {
        let now_ms = ctx.now.timestamp_millis();
        recipients::add(conn, id, std::slice::from_ref(staff), "group", now_ms).await?;
        if let Some(r) = recipients::get(conn, id, staff).await? {
            return Ok(r);
        }
    }
    crate::user_error!(
        lang,
        "通知 #{id} 不是发给你的，无需确认。发送「我的」查看你的待办。",
        "Notice #{id} was not addressed to you. Send \"me\" to see what is pending for you."
    )
}

/// How the acknowledgement arrived: a button (its exact text), typed, or in a group.
fn ack_via(ctx: &Ctx<'_>, id: i64) -> &'static str {
    if ctx.msg.conversation.is_group() {
        return "group";
    }
    let Body::Text(t) = &ctx.msg.body else {
        return "chat";
    };
    let t = t.trim();
    if [Lang::Zh, Lang::En]
        .iter()
        .any(|l| t.eq_ignore_ascii_case(&ack_text(*l, id)))
    {
        "button"
    } else {
        "chat"
    }
}

async fn ack_one(ctx: &Ctx<'_>, id: i64) -> HandlerResult {
    let lang = ctx.lang();
    let now_ms = ctx.now.timestamp_millis();
    let mut tx = ctx.state.store.begin_write().await?;
    let notice = load(tx.conn(), id, &ctx.user).await?;
    let rec = addressed(ctx, tx.conn(), &notice).await?;
    if let Some(at) = rec.acked_at {
        let when = local(ctx, at);
        crate::user_error!(
            lang,
            "你已于 {when} 确认过通知 #{id}，无需重复确认。",
            "You already acknowledged notice #{id} at {when}."
        );
    }
    let via = ack_via(ctx, id);
    if !recipients::ack(tx.conn(), id, &ctx.user.staff_id, via, now_ms).await? {
        crate::user_error!(
            lang,
            "你已经确认过通知 #{id}。",
            "You already acknowledged notice #{id}."
        );
    }
    audit_notice(tx.conn(), ctx, "ack.record", id, json!({"via": via})).await?;
    let items = notices::items(tx.conn(), id).await?;
    let ticked = recipients::ticked(tx.conn(), id, &ctx.user.staff_id).await?;
    tx.commit().await?;
    let title = &notice.title;
    let text = tr!(
        lang,
        "已确认通知 #{id}「{title}」，谢谢！",
        "Acknowledged notice #{id} \"{title}\". Thank you!"
    );
    Ok(with_remaining(lang, id, text, &items, &ticked, true))
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
        text.push_str(&tr!(
            lang,
            "\n\n清单还剩 {k} 项：",
            "\n\n{k} checklist items left:",
            k = open.len()
        ));
        for (n, item) in &open {
            text.push_str(&format!("\n{n}. {item}"));
            buttons.push(done_button(lang, id, *n, item));
        }
    } else if !items.is_empty() {
        text.push_str(&tr!(
            lang,
            "\n\n清单已全部完成。",
            "\n\nThe checklist is complete."
        ));
    }
    if !acked {
        let ack = ack_text(lang, id);
        text.push_str(&tr!(
            lang,
            "\n\n别忘了确认这条通知：回复「{ack}」。",
            "\n\nDon't forget to acknowledge the notice: reply \"{ack}\"."
        ));
        buttons.insert(0, ack_button(lang, id));
    }
    if buttons.is_empty() {
        Reply::text(text)
    } else {
        Reply::message(Message::card(
            tr!(lang, "通知 #{id}", "Notice #{id}"),
            text,
            buttons,
        ))
    }
}

/// Item `item` of the notice's checklist, or why there is none.
fn item_number(notice: &NoticeRow, item: u32, lang: Lang) -> Result<i64, HandlerError> {
    let (id, total) = (notice.id, notice.checklist_total);
    if total == 0 {
        crate::user_error!(
            lang,
            "通知 #{id} 没有清单。",
            "Notice #{id} has no checklist."
        );
    }
    let n = i64::from(item);
    if n < 1 || n > total {
        crate::user_error!(
            lang,
            "通知 #{id} 的清单只有 {total} 项。",
            "Notice #{id} has only {total} checklist items."
        );
    }
    Ok(n)
}

/// `done ID N`: ticks checklist item N.
pub async fn done(ctx: &Ctx<'_>, id: i64, item: u32) -> HandlerResult {
    let lang = ctx.lang();
    let now_ms = ctx.now.timestamp_millis();
    let mut tx = ctx.state.store.begin_write().await?;
    let notice = load(tx.conn(), id, &ctx.user).await?;
    let rec = addressed(ctx, tx.conn(), &notice).await?;
    let n = item_number(&notice, item, lang)?;
    let total = notice.checklist_total;
    let done = match recipients::tick(tx.conn(), id, &ctx.user.staff_id, n, now_ms).await? {
        Tick::Ticked { done } => done,
        Tick::Already { at } => {
            let when = local(ctx, at);
            crate::user_error!(
                lang,
                "通知 #{id} 第 {n} 项已于 {when} 完成。",
                "Item {n} of notice #{id} was already done at {when}."
            );
        }
    };
    audit_notice(tx.conn(), ctx, "checklist.tick", id, json!({"item": n})).await?;
    let items = notices::items(tx.conn(), id).await?;
    let ticked = recipients::ticked(tx.conn(), id, &ctx.user.staff_id).await?;
    tx.commit().await?;
    let what = usize::try_from(n - 1)
        .ok()
        .and_then(|i| items.get(i))
        .cloned()
        .unwrap_or_default();
    let text = tr!(
        lang,
        "已完成通知 #{id} 第 {n} 项：{what}（{done}/{total}）",
        "Done: item {n} of notice #{id}, {what} ({done}/{total})"
    );
    Ok(with_remaining(
        lang,
        id,
        text,
        &items,
        &ticked,
        rec.acked_at.is_some(),
    ))
}

/// This feature's part of `me`: notices waiting for an acknowledgement and
/// checklist items not ticked yet, or `None` when there is nothing.
pub async fn me_section(ctx: &Ctx<'_>) -> anyhow::Result<Option<String>> {
    let lang = ctx.lang();
    let staff = &ctx.user.staff_id;
    let mut conn = ctx.state.store.pool().acquire().await?;
    let open = recipients::open_for(&mut conn, staff).await?;
    if open.is_empty() {
        return Ok(None);
    }
    let now_ms = ctx.now.timestamp_millis();
    let mut text = tr!(lang, "**通知**", "**Notices**");
    for o in &open {
        let id = o.id;
        let title = &o.title;
        let deadline = match (&o.deadline_date, o.deadline_at) {
            (Some(d), Some(at)) if now_ms >= at => {
                tr!(lang, "（截止 {d}，已逾期）", " (due {d}, overdue)")
            }
            (Some(d), _) => tr!(lang, "（截止 {d}）", " (due {d})"),
            _ => String::new(),
        };
        text.push_str(&format!("\n\n#{id} {title}{deadline}"));
        if o.acked_at.is_none() {
            let ack = ack_text(lang, id);
            text.push_str(&tr!(
                lang,
                "\n- 待确认：回复「{ack}」",
                "\n- to acknowledge: reply \"{ack}\""
            ));
        }
        if o.checklist_done < o.checklist_total {
            let items = notices::items(&mut conn, id).await?;
            let ticked = recipients::ticked(&mut conn, id, staff).await?;
            for (i, item) in items.iter().enumerate() {
                let n = i + 1;
                if !ticked.contains(&i64::try_from(n)?) {
                    let done = done_text(lang, id, n);
                    text.push_str(&tr!(
                        lang,
                        "\n- ☐ {n}. {item}（回复「{done}」）",
                        "\n- ☐ {n}. {item} (reply \"{done}\")"
                    ));
                }
            }
        }
    }
    Ok(Some(text))
}
