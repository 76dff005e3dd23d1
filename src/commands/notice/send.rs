//! Sending notices: `notice send ID to …` snapshots the recipients and
//! writes their cards to the outbox in one transaction; `notice remind ID`
//! reminds everyone who has not acknowledged, now (or when quiet hours end).

use crate::actions::audience::{Purpose, Targets, resolve};
use crate::commands::audience::skipped_line;
use serde_json::json;
use sqlx::AnyConnection;

use super::{Ctx, audit_notice, load, local};
use crate::commands::{Audience, HandlerResult};
use crate::domain::Reply;
use crate::domain::chat::Conversation;
use crate::domain::notice::messages::{group_post, notice_card};
use crate::domain::schedule::{is_quiet, quiet_end};
use crate::error::HandlerError;
use crate::i18n::{Lang, en_count};
use crate::store::notices::{self, NoticeRow, recipients};
use crate::store::outbox::{self, Channel, Outbound, Priority};
use crate::tr;

/// What [`queue_cards`] wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Queued {
    /// New recipients (people already addressed are not sent it again).
    pub added: usize,
    /// Outbox rows (≤ 20 recipients each).
    pub batches: usize,
}

/// Adds `staff_ids` as recipients of `notice` and enqueues each new one's
/// card in their language, in the caller's transaction; marks the notice sent.
pub async fn queue_cards(
    conn: &mut AnyConnection,
    notice: &NoticeRow,
    items: &[String],
    staff_ids: &[String],
    now_ms: i64,
) -> anyhow::Result<Queued> {
    // Marking it sent first locks the notice row: concurrent sends take turns.
    notices::mark_sent(conn, notice.id, false, now_ms).await?;
    let added = recipients::add(conn, notice.id, staff_ids, "direct", now_ms).await?;
    let v = notice.view(items);
    let mut batches = 0;
    for lang in [Lang::Zh, Lang::En] {
        let ids: Vec<String> = added
            .iter()
            .filter(|a| Lang::from_code(&a.lang) == lang)
            .map(|a| a.staff_id.clone())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let card = notice_card(&v, lang);
        let out = Outbound::direct(&ids, &card)
            .priority(Priority::Bulk)
            .reference("notice", notice.id);
        batches += outbox::enqueue(conn, &out, now_ms).await?.len();
    }
    Ok(Queued {
        added: added.len(),
        batches,
    })
}

/// Refuses closed notices and notices whose deadline has passed.
fn check_open(notice: &NoticeRow, now_ms: i64, lang: Lang) -> Result<(), HandlerError> {
    let id = notice.id;
    if notice.is_closed() {
        crate::user_error!(lang, "通知 #{id} 已关闭。", "Notice #{id} is closed.");
    }
    if notice.is_past_deadline(now_ms) {
        crate::user_error!(
            lang,
            "通知 #{id} 的截止日期已过。",
            "The deadline of notice #{id} has passed."
        );
    }
    Ok(())
}

/// `notice send ID to all | dept NAME | users IDS | group`.
pub async fn send(ctx: &Ctx<'_>, id: i64, to: &Audience) -> HandlerResult {
    let lang = ctx.lang();
    let now_ms = ctx.now.timestamp_millis();
    let mut tx = ctx.state.store.begin_write().await?;
    let notice = load(tx.conn(), id, &ctx.user).await?;
    check_open(&notice, now_ms, lang)?;
    if *to == Audience::Group {
        return send_to_group(ctx, tx, &notice).await;
    }
    let Targets { staff_ids, unknown } = resolve(tx.conn(), to, Purpose::Notice).await?;
    if staff_ids.is_empty() {
        crate::user_error!(
            lang,
            "没有可以发送的对象（花名册中没有符合条件的在职人员）。",
            "Nobody to send it to (no active roster users match)."
        );
    }
    let items = notices::items(tx.conn(), id).await?;
    let q = queue_cards(tx.conn(), &notice, &items, &staff_ids, now_ms).await?;
    let already = staff_ids.len() - q.added;
    audit_notice(
        tx.conn(),
        ctx,
        "notice.send",
        id,
        json!({"audience": to.label(), "queued": q.added, "batches": q.batches,
            "already_addressed": already, "unknown": unknown}),
    )
    .await?;
    tx.commit().await?;
    let (n, b) = (q.added, q.batches);
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
    text.push_str(&skipped_line(&unknown, lang));
    Ok(Reply::text(text))
}

/// Posts the notice into the group the command came from; whoever then
/// acknowledges it is counted as a recipient.
async fn send_to_group(
    ctx: &Ctx<'_>,
    mut tx: crate::store::WriteTx,
    notice: &NoticeRow,
) -> HandlerResult {
    let lang = ctx.lang();
    let id = notice.id;
    let Conversation::Group { id: conv, .. } = &ctx.msg.conversation else {
        crate::user_error!(
            lang,
            "「本群」只能在群聊里使用：请在要通知的群里 @我 发送这条命令。",
            "\"group\" works only in a group chat: @mention me with this command in that group."
        );
    };
    let now_ms = ctx.now.timestamp_millis();
    let items = notices::items(tx.conn(), id).await?;
    let post = group_post(&notice.view(&items), lang);
    let key = format!("notice:{id}:group:{conv}");
    let to = [conv.clone()];
    let out = Outbound {
        channel: Channel::Group,
        recipients: &to,
        message: &post,
        priority: Priority::Bulk,
        dedupe_key: Some(&key),
        reference: Some(("notice", id)),
        not_before: None,
    };
    if outbox::enqueue(tx.conn(), &out, now_ms).await?.is_empty() {
        crate::user_error!(
            lang,
            "通知 #{id} 已经发到本群过了。",
            "Notice #{id} was already posted to this group."
        );
    }
    notices::mark_sent(tx.conn(), id, true, now_ms).await?;
    audit_notice(
        tx.conn(),
        ctx,
        "notice.send",
        id,
        json!({"audience": "group", "conversation": conv}),
    )
    .await?;
    tx.commit().await?;
    Ok(Reply::text(tr!(
        lang,
        "通知 #{id} 已排队发到本群。群成员在与我的单聊中回复「确认 #{id}」，或在群里 @我 发送，即可确认；确认的人会计入统计。",
        "Notice #{id} is queued for this group. Members acknowledge it by replying \"ack #{id}\" in their 1:1 chat with me, or by @mentioning me with it in the group; whoever does is counted."
    )))
}

/// `notice remind ID`: reminds everyone who has not acknowledged now, or
/// when the quiet hours end.
pub async fn remind(ctx: &Ctx<'_>, id: i64) -> HandlerResult {
    let lang = ctx.lang();
    let config = &ctx.state.config;
    let now_ms = ctx.now.timestamp_millis();
    let mut tx = ctx.state.store.begin_write().await?;
    let notice = load(tx.conn(), id, &ctx.user).await?;
    if notice.is_closed() {
        crate::user_error!(lang, "通知 #{id} 已关闭。", "Notice #{id} is closed.");
    }
    if !notice.is_sent() {
        crate::user_error!(
            lang,
            "通知 #{id} 还没有发送。",
            "Notice #{id} has not been sent yet."
        );
    }
    let quiet = is_quiet(config.quiet_hours, config.timezone, ctx.now);
    let at = quiet_end(config.quiet_hours, config.timezone, ctx.now).timestamp_millis();
    let key = format!("manual:{now_ms}");
    let claimed = notices::rounds::claim(tx.conn(), id, "manual", &key, &ctx.user.staff_id, now_ms);
    if !claimed.await? {
        crate::user_error!(lang, "刚刚已经提醒过了。", "A reminder was just sent.");
    }
    let n =
        crate::jobs::notices::enqueue_reminders(tx.conn(), &notice, now_ms, &key, Some(at), now_ms)
            .await?;
    notices::rounds::set_count(tx.conn(), id, "manual", &key, n).await?;
    audit_notice(
        tx.conn(),
        ctx,
        "notice.remind",
        id,
        json!({"round": key, "recipients": n, "not_before": at}),
    )
    .await?;
    tx.commit().await?;
    Ok(Reply::text(match (n, quiet) {
        (0, _) => tr!(
            lang,
            "通知 #{id} 没有需要提醒的人：大家都已确认。",
            "Nobody to remind for notice #{id}: everyone has acknowledged."
        ),
        (n, false) => {
            let people = en_count(n, "person", "people");
            tr!(lang, "已提醒 {n} 人。", "Reminded {people}.")
        }
        (n, true) => {
            let when = local(ctx, at);
            let people = en_count(n, "person", "people");
            tr!(
                lang,
                "现在是免打扰时段，将在 {when} 提醒 {n} 人。",
                "It is quiet hours; {people} will be reminded at {when}."
            )
        }
    }))
}
