//! Security incidents and feedback in chat: `report TEXT` / `上报`,
//! `incidents` (admins and HR), `incident close ID [NOTE]` (admins),
//! `feedback TEXT` / `反馈` and `feedback list` (admins). Each calls its
//! action (which records, audits and notifies) and answers in the sender's
//! language.

use super::{Ctx, HandlerResult};
use crate::actions::feedback;
use crate::actions::incidents::{self, Close, Report, Shown};
use crate::clock::from_ms;
use crate::domain::inert;
use crate::domain::schedule::format_local;
use crate::domain::{Person, Reply, Role};
use crate::store::incidents::IncidentRow;
use crate::tr;

/// Open incidents `incidents` lists.
const OPEN_SHOWN: i64 = 20;
/// Recently closed incidents `incidents` lists.
const CLOSED_SHOWN: i64 = 5;
/// Feedback `feedback list` shows.
const FEEDBACK_SHOWN: i64 = 20;

/// A local time for people, from epoch milliseconds.
fn when(ctx: &Ctx<'_>, ms: i64) -> String {
    format_local(ctx.state.config.timezone, from_ms(ms))
}

/// One line of reported text for a list: newlines flattened, long text cut
/// (before it is made inert, so a cut cannot split a defanged URL).
fn excerpt(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        inert::defanged(&flat)
    } else {
        let cut: String = flat.chars().take(max).collect();
        format!("{}…", inert::defanged(&cut))
    }
}

/// `report TEXT`: records the incident, notifies every active admin, thanks the reporter.
pub async fn report(ctx: &Ctx<'_>, text: &str) -> HandlerResult {
    let in_group = ctx.msg.conversation.is_group();
    let reported = incidents::report(&ctx.action(), Report { text, in_group }).await?;
    let id = reported.id;
    Ok(Reply::text(tr!(
        ctx.lang(),
        "谢谢你的上报！已记录为安全事件 #{id}，管理员会尽快处理。如情况紧急，请同时直接联系安全负责人。",
        "Thank you for reporting this! It is recorded as security incident #{id} and the administrators have been told. If it is urgent, please also contact the security team directly."
    )))
}

/// `incidents`: open incidents, and the latest closed ones (admins and HR).
pub async fn list(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let shown = Shown {
        open: OPEN_SHOWN,
        closed: CLOSED_SHOWN,
    };
    let l = incidents::list(&ctx.action(), shown).await?;
    let open_total = l.open_total;
    let mut text = tr!(
        lang,
        "### 安全事件\n\n**未处理（{open_total}）**\n\n",
        "### Security incidents\n\n**Open ({open_total})**\n\n"
    );
    if l.open.is_empty() {
        text.push_str(&tr!(lang, "暂无未处理的事件。\n", "Nothing open.\n"));
    }
    for i in &l.open {
        text.push_str(&incident_line(ctx, i));
    }
    if open_total > OPEN_SHOWN {
        let more = open_total - OPEN_SHOWN;
        text.push_str(&tr!(lang, "- ……另有 {more} 条\n", "- …and {more} more\n"));
    }
    if !l.closed.is_empty() {
        text.push_str(&tr!(
            lang,
            "\n**最近关闭**\n\n",
            "\n**Recently closed**\n\n"
        ));
        for i in &l.closed {
            text.push_str(&incident_line(ctx, i));
        }
    }
    if ctx.user.has(Role::Admin) && !l.open.is_empty() {
        text.push_str(&tr!(
            lang,
            "\n处理完毕后发送「事件 关闭 编号 [备注]」。",
            "\nWhen one is handled, send \"incident close ID [note]\"."
        ));
    }
    Ok(Reply::markdown(tr!(lang, "安全事件", "Incidents"), text))
}

fn incident_line(ctx: &Ctx<'_>, i: &IncidentRow) -> String {
    let lang = ctx.lang();
    let (id, at) = (i.id, when(ctx, i.created_at));
    let who = Person {
        staff_id: &i.reporter,
        name: &i.reporter_name,
    }
    .label(lang);
    let what = excerpt(&i.text, 60);
    let mut line = tr!(
        lang,
        "- #{id} {at} {who}：{what}",
        "- #{id} {at} {who}: {what}"
    );
    if !i.is_open() {
        let closed = i.closed_at.map(|ms| when(ctx, ms)).unwrap_or_default();
        line.push_str(&tr!(lang, "（{closed} 已关闭）", " (closed {closed})"));
    }
    line.push('\n');
    line
}

/// `incident close ID [NOTE]` (admins): closes it and tells the reporter.
pub async fn close(ctx: &Ctx<'_>, id: i64, note: Option<&str>) -> HandlerResult {
    let closed = incidents::close(&ctx.action(), Close { id, note }).await?;
    let lang = ctx.lang();
    Ok(Reply::text(if closed.reporter_told {
        tr!(
            lang,
            "已关闭安全事件 #{id}，并已通知上报人。",
            "Incident #{id} is closed; I have let the reporter know."
        )
    } else {
        tr!(lang, "已关闭安全事件 #{id}。", "Incident #{id} is closed.")
    }))
}

/// `feedback TEXT`: stored for the admins.
pub async fn feedback(ctx: &Ctx<'_>, text: &str) -> HandlerResult {
    let id = feedback::submit(&ctx.action(), text).await?;
    Ok(Reply::text(tr!(
        ctx.lang(),
        "谢谢你的反馈！已记录为 #{id}，管理员会认真查看。",
        "Thank you for the feedback! It is recorded as #{id} for the administrators."
    )))
}

/// `feedback list` (admins): the latest feedback, newest first.
pub async fn feedback_list(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let (rows, total) = feedback::list(&ctx.action(), FEEDBACK_SHOWN).await?;
    let mut text = tr!(
        lang,
        "### 反馈（共 {total} 条）\n\n",
        "### Feedback ({total} in all)\n\n"
    );
    if rows.is_empty() {
        text.push_str(&tr!(lang, "还没有收到反馈。", "No feedback yet."));
    }
    for f in &rows {
        let (id, at) = (f.id, when(ctx, f.created_at));
        let who = Person {
            staff_id: &f.staff_id,
            name: &f.name,
        }
        .label(lang);
        let what = excerpt(&f.text, 200);
        text.push_str(&tr!(
            lang,
            "- #{id} {at} {who}：{what}\n",
            "- #{id} {at} {who}: {what}\n"
        ));
    }
    if total > FEEDBACK_SHOWN {
        text.push_str(&tr!(
            lang,
            "\n只显示最新的 {FEEDBACK_SHOWN} 条。",
            "\nShowing the latest {FEEDBACK_SHOWN}."
        ));
    }
    Ok(Reply::markdown(tr!(lang, "反馈", "Feedback"), text))
}
