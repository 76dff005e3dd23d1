//! Authoring notices: `notice new` (body with deadline and checklist),
//! `notice template exit` and `notice close`.

use chrono::Duration;
use serde_json::json;

use super::{Ctx, audit_notice, load};
use crate::commands::{HandlerResult, NoticeKind};
use crate::domain::notice::templates::exit_template;
use crate::domain::notice::{BodyError, MAX_ITEM_CHARS, MAX_ITEMS, MAX_TITLE_CHARS, parse_body};
use crate::domain::schedule::{end_of_local_day, local_date};
use crate::domain::{Message, Reply};
use crate::error::HandlerError;
use crate::i18n::Lang;
use crate::store::notices::{self, NewNotice};
use crate::tr;

/// How far ahead the template's deadline is set.
const TEMPLATE_DAYS: i64 = 14;

/// `notice new [kind] TITLE` + body: stores a draft and names its id.
pub async fn new(ctx: &Ctx<'_>, kind: NoticeKind, title: &str, body: &str) -> HandlerResult {
    let lang = ctx.lang();
    if title.chars().count() > MAX_TITLE_CHARS {
        crate::user_error!(
            lang,
            "标题太长了（最多 {MAX_TITLE_CHARS} 个字）。",
            "The title is too long (at most {MAX_TITLE_CHARS} characters)."
        );
    }
    let parsed = parse_body(body).map_err(|e| body_error(&e, lang))?;
    let tz = ctx.state.config.timezone;
    let today = local_date(tz, ctx.now);
    if let Some(d) = parsed.deadline.filter(|d| *d < today) {
        crate::user_error!(
            lang,
            "截止日期 {d} 已经过去了，请写今天（{today}）或之后的日期。",
            "The deadline {d} is in the past; use today ({today}) or later."
        );
    }
    let now_ms = ctx.now.timestamp_millis();
    let new = NewNotice {
        kind: kind.as_str(),
        title,
        body,
        deadline: parsed.deadline,
        deadline_at: parsed
            .deadline
            .map(|d| end_of_local_day(tz, d).timestamp_millis()),
        items: &parsed.items,
        author: &ctx.user.staff_id,
        subject: None,
    };
    let mut tx = ctx.state.store.begin_write().await?;
    let id = notices::create(tx.conn(), &new, now_ms).await?;
    let details = json!({"kind": kind.as_str(), "title": title,
        "deadline": parsed.deadline.map(|d| d.to_string()), "items": parsed.items.len()});
    audit_notice(tx.conn(), ctx, "notice.create", id, details).await?;
    tx.commit().await?;
    Ok(Reply::text(created_text(lang, id, title, &parsed)))
}

fn created_text(
    lang: Lang,
    id: i64,
    title: &str,
    parsed: &crate::domain::notice::ParsedBody,
) -> String {
    let deadline = match parsed.deadline {
        Some(d) => tr!(lang, "截止 {d}", "deadline {d}"),
        None => tr!(lang, "未设截止日期", "no deadline"),
    };
    let items = parsed.items.len();
    let mut text = tr!(
        lang,
        "已创建通知 #{id}「{title}」（{deadline}，清单 {items} 项）。",
        "Created notice #{id} \"{title}\" ({deadline}, {items} checklist items)."
    );
    for (i, item) in parsed.items.iter().enumerate() {
        text.push_str(&format!("\n{}. {item}", i + 1));
    }
    text.push_str(&tr!(
        lang,
        "\n\n发送：通知 发送 {id} 给 全员｜部门 名称｜用户 工号,工号｜本群",
        "\n\nSend it: notice send {id} to all | dept NAME | users ID,ID | group"
    ));
    text
}

fn body_error(e: &BodyError, lang: Lang) -> HandlerError {
    HandlerError::User(match e {
        BodyError::BadDeadline(v) => tr!(
            lang,
            "截止日期「{v}」看不懂，请写成「截止: YYYY-MM-DD」。",
            "Cannot read the deadline \"{v}\"; write it as \"deadline: YYYY-MM-DD\"."
        ),
        BodyError::TwoDeadlines => tr!(
            lang,
            "正文里有两行截止日期，请只保留一行。",
            "The body has two deadline lines; keep one."
        ),
        BodyError::TooManyItems => tr!(
            lang,
            "清单最多 {MAX_ITEMS} 项。",
            "A checklist has at most {MAX_ITEMS} items."
        ),
        BodyError::BadItem(n) => tr!(
            lang,
            "清单第 {n} 项是空的或太长（最多 {MAX_ITEM_CHARS} 个字）。",
            "Checklist item {n} is empty or too long (at most {MAX_ITEM_CHARS} characters)."
        ),
        BodyError::TooLong => tr!(lang, "正文太长了。", "The body is too long."),
    })
}

/// `notice template exit`: a ready-to-edit exit announcement to copy back.
pub fn template_exit(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let deadline = local_date(ctx.state.config.timezone, ctx.now) + Duration::days(TEMPLATE_DAYS);
    let intro = tr!(
        lang,
        "下面是平台退出通知的模板：复制整条消息，修改【】中的内容和截止日期，再发给我即可创建通知。",
        "Here is an exit announcement template: copy the whole next message, edit the [bracketed] parts and the deadline, and send it back to create the notice."
    );
    Ok(Reply::text(intro).then(Message::text(exit_template(lang, deadline))))
}

/// `notice close ID`: no more reminders or acknowledgements.
pub async fn close(ctx: &Ctx<'_>, id: i64) -> HandlerResult {
    let lang = ctx.lang();
    let now_ms = ctx.now.timestamp_millis();
    let mut tx = ctx.state.store.begin_write().await?;
    let notice = load(tx.conn(), id, &ctx.user).await?;
    if !notices::close(tx.conn(), id, &ctx.user.staff_id, now_ms).await? {
        crate::user_error!(
            lang,
            "通知 #{id} 已经关闭了。",
            "Notice #{id} is already closed."
        );
    }
    audit_notice(
        tx.conn(),
        ctx,
        "notice.close",
        id,
        json!({"previous_status": notice.status}),
    )
    .await?;
    let completed = super::offboard::complete(tx.conn(), ctx, &notice).await?;
    tx.commit().await?;
    let text = tr!(
        lang,
        "已关闭通知 #{id}：不再提醒，也不再接受确认。发送「通知 状态 {id}」查看最终结果。",
        "Closed notice #{id}: no more reminders or acknowledgements. Send \"notice status {id}\" for the final figures."
    );
    Ok(Reply::text(text + &completed.unwrap_or_default()))
}
