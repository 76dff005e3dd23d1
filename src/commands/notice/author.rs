//! Authoring notices in chat: `notice new` (body with deadline and
//! checklist), `notice template exit` and `notice close`.

use chrono::Duration;

use super::Ctx;
use crate::actions::notices::{self, Draft};
use crate::commands::{HandlerResult, NoticeKind};
use crate::domain::inert::inert;
use crate::domain::notice::ParsedBody;
use crate::domain::notice::templates::exit_template;
use crate::domain::schedule::local_date;
use crate::domain::{Message, Reply};
use crate::i18n::Lang;
use crate::tr;

/// How far ahead the template's deadline is set.
const TEMPLATE_DAYS: i64 = 14;

/// `notice new [kind] TITLE` + body: stores a draft and names its id.
pub async fn new(ctx: &Ctx<'_>, kind: NoticeKind, title: &str, body: &str) -> HandlerResult {
    let draft = Draft { kind, title, body };
    let created = notices::create(&ctx.action(), draft).await?;
    Ok(Reply::text(created_text(
        ctx.lang(),
        created.id,
        title,
        &created.parsed,
    )))
}

fn created_text(lang: Lang, id: i64, title: &str, parsed: &ParsedBody) -> String {
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

/// `notice template exit`: a ready-to-edit exit announcement to copy back.
/// Nothing is stored until the author sends it back as `notice new`.
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
    let closed = notices::close(&ctx.action(), id).await?;
    let text = tr!(
        lang,
        "已关闭通知 #{id}：不再提醒，也不再接受确认。发送「通知 状态 {id}」查看最终结果。",
        "Closed notice #{id}: no more reminders or acknowledgements. Send \"notice status {id}\" for the final figures."
    );
    let completed = closed.offboarded.map(|leaver| {
        let shown = inert(&leaver);
        tr!(
            lang,
            "\n离职流程已完成：{shown} 已标记为离职，其角色已全部暂停。",
            "\nOffboarding is complete: {shown} is marked as left and holds no role any more."
        )
    });
    Ok(Reply::text(text + &completed.unwrap_or_default()))
}
