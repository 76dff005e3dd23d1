//! Security incidents and feedback: `report TEXT` / `上报` (recorded as #N,
//! admins notified through the outbox), `incidents` (admins and HR),
//! `incident close ID [NOTE]` (admins), `feedback TEXT` / `反馈` and
//! `feedback list` (admins). Every one of them is audited; the audit log
//! records ids, never what people wrote.

use std::collections::BTreeMap;

use chrono::DateTime;
use serde_json::json;

use super::{Ctx, HandlerResult};
use crate::domain::inert::{self, quote};
use crate::domain::schedule::format_local;
use crate::domain::{Button, Message, Reply};
use crate::i18n::Lang;
use crate::store::audit::{self, AuditEntry};
use crate::store::incidents::{self, IncidentRow};
use crate::store::outbox::{self, Outbound};
use crate::store::roles;
use crate::tr;

/// Longest report or feedback accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;
/// Open incidents `incidents` lists.
const OPEN_SHOWN: i64 = 20;
/// Recently closed incidents `incidents` lists.
const CLOSED_SHOWN: i64 = 5;
/// Feedback `feedback list` shows.
const FEEDBACK_SHOWN: i64 = 20;

fn check_length(ctx: &Ctx<'_>, text: &str) -> Result<(), crate::error::HandlerError> {
    let max = MAX_TEXT_CHARS;
    if text.chars().count() > max {
        crate::user_error!(
            ctx.lang(),
            "内容太长了（最多 {max} 字），请精简后再发。",
            "That is too long (at most {max} characters); please shorten it."
        );
    }
    Ok(())
}

/// A local time for people, from epoch milliseconds.
fn when(ctx: &Ctx<'_>, ms: i64) -> String {
    DateTime::from_timestamp_millis(ms)
        .map(|t| format_local(ctx.state.config.timezone, t))
        .unwrap_or_default()
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

/// `张三（u1）` / `张三 (u1)`, or the staff id alone when the name is
/// unknown; both made inert (they come from profiles and rosters).
pub fn person(staff_id: &str, name: &str, lang: Lang) -> String {
    let (staff_id, name) = (inert::inert(staff_id), inert::inert(name));
    if name.is_empty() {
        staff_id
    } else {
        tr!(lang, "{name}（{staff_id}）", "{name} ({staff_id})")
    }
}

/// `report TEXT`: records the incident, notifies every active admin, thanks the reporter.
pub async fn report(ctx: &Ctx<'_>, text: &str) -> HandlerResult {
    check_length(ctx, text)?;
    let lang = ctx.lang();
    let now = ctx.now.timestamp_millis();
    let me = &ctx.user.staff_id;
    let mut tx = ctx.state.store.begin_write().await?;
    let in_group = ctx.msg.conversation.is_group();
    let id = incidents::create_incident(tx.conn(), me, text, in_group, now).await?;
    let subject = format!("incident:{id}");
    let entry = AuditEntry {
        actor: me,
        action: "incident.report",
        subject: &subject,
        details: json!({"id": id, "in_group": in_group}),
    };
    audit::append(tx.conn(), &entry, now).await?;
    let notified = notify_admins(ctx, tx.conn(), id, text, now).await?;
    tx.commit().await?;
    if notified == 0 {
        tracing::warn!(
            incident = id,
            "incident reported but no administrator to notify"
        );
    }
    Ok(Reply::text(tr!(
        lang,
        "谢谢你的上报！已记录为安全事件 #{id}，管理员会尽快处理。如情况紧急，请同时直接联系安全负责人。",
        "Thank you for reporting this! It is recorded as security incident #{id} and the administrators have been told. If it is urgent, please also contact the security team directly."
    )))
}

/// Tells every active admin but the reporter, one outbox row per language;
/// returns how many were told.
async fn notify_admins(
    ctx: &Ctx<'_>,
    conn: &mut sqlx::AnyConnection,
    id: i64,
    text: &str,
    now: i64,
) -> anyhow::Result<usize> {
    let me = &ctx.user.staff_id;
    let mut by_lang: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (staff_id, code) in roles::active_admins(conn).await? {
        if staff_id != *me {
            by_lang.entry(code).or_default().push(staff_id);
        }
    }
    let (at, body) = (when(ctx, now), quote(text));
    for (code, to) in &by_lang {
        let l = Lang::from_code(code);
        let reporter = person(me, &ctx.user.name, l);
        let msg = Message::card(
            tr!(l, "安全事件 #{id}", "Security incident #{id}"),
            tr!(
                l,
                "### 新的安全事件 #{id}\n\n{reporter} 于 {at} 上报：\n\n{body}",
                "### New security incident #{id}\n\n{reporter} reported at {at}:\n\n{body}"
            ),
            vec![Button::new(
                tr!(l, "查看事件列表", "List incidents"),
                tr!(l, "事件列表", "incidents"),
            )],
        );
        let key = format!("incident:{id}:admins:{code}");
        let out = Outbound::direct(to, &msg)
            .reference("incident", id)
            .dedupe_key(&key);
        outbox::enqueue(conn, &out, now).await?;
    }
    Ok(by_lang.values().map(Vec::len).sum())
}

/// `incidents`: open incidents, and the latest closed ones (admins and HR).
pub async fn list(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let mut tx = ctx.state.store.begin_write().await?;
    let open = incidents::incidents(tx.conn(), "open", OPEN_SHOWN).await?;
    let open_total = incidents::count_incidents(tx.conn(), "open").await?;
    let closed = incidents::incidents(tx.conn(), "closed", CLOSED_SHOWN).await?;
    let entry = AuditEntry {
        actor: &ctx.user.staff_id,
        action: "incident.list",
        subject: "",
        details: json!({"open": open_total}),
    };
    audit::append(tx.conn(), &entry, ctx.now.timestamp_millis()).await?;
    tx.commit().await?;
    let mut text = tr!(
        lang,
        "### 安全事件\n\n**未处理（{open_total}）**\n\n",
        "### Security incidents\n\n**Open ({open_total})**\n\n"
    );
    if open.is_empty() {
        text.push_str(&tr!(lang, "暂无未处理的事件。\n", "Nothing open.\n"));
    }
    for i in &open {
        text.push_str(&incident_line(ctx, i));
    }
    if open_total > OPEN_SHOWN {
        let more = open_total - OPEN_SHOWN;
        text.push_str(&tr!(lang, "- ……另有 {more} 条\n", "- …and {more} more\n"));
    }
    if !closed.is_empty() {
        text.push_str(&tr!(
            lang,
            "\n**最近关闭**\n\n",
            "\n**Recently closed**\n\n"
        ));
        for i in &closed {
            text.push_str(&incident_line(ctx, i));
        }
    }
    if ctx.user.has(crate::domain::Role::Admin) && !open.is_empty() {
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
    let who = person(&i.reporter, &i.reporter_name, lang);
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
    let lang = ctx.lang();
    if let Some(n) = note {
        check_length(ctx, n)?;
    }
    let now = ctx.now.timestamp_millis();
    let me = &ctx.user.staff_id;
    let mut tx = ctx.state.store.begin_write().await?;
    let Some(incident) = incidents::incident(tx.conn(), id).await? else {
        crate::user_error!(
            lang,
            "没有编号为 #{id} 的安全事件。发送「事件列表」查看。",
            "There is no incident #{id}. Send \"incidents\" to see them."
        );
    };
    if !incidents::close_incident(tx.conn(), id, me, note, now).await? {
        let at = incident
            .closed_at
            .map(|ms| when(ctx, ms))
            .unwrap_or_default();
        crate::user_error!(
            lang,
            "安全事件 #{id} 已于 {at} 关闭。",
            "Incident #{id} was already closed at {at}."
        );
    }
    let subject = format!("incident:{id}");
    let entry = AuditEntry {
        actor: me,
        action: "incident.close",
        subject: &subject,
        details: json!({"id": id, "with_note": note.is_some()}),
    };
    audit::append(tx.conn(), &entry, now).await?;
    let told = tell_reporter(tx.conn(), &incident, me, note, now).await?;
    tx.commit().await?;
    Ok(Reply::text(if told {
        tr!(
            lang,
            "已关闭安全事件 #{id}，并已通知上报人。",
            "Incident #{id} is closed; I have let the reporter know."
        )
    } else {
        tr!(lang, "已关闭安全事件 #{id}。", "Incident #{id} is closed.")
    }))
}

/// Tells the reporter (if still here, and not the one closing) that their
/// incident was closed, with the note; whether they were told.
async fn tell_reporter(
    conn: &mut sqlx::AnyConnection,
    incident: &IncidentRow,
    closer: &str,
    note: Option<&str>,
    now: i64,
) -> anyhow::Result<bool> {
    let id = incident.id;
    let reporter = crate::store::users::load_user(conn, &incident.reporter).await?;
    let Some(r) = reporter.filter(|r| r.active && r.staff_id != closer) else {
        return Ok(false);
    };
    let extra = note
        .map(|n| format!("\n\n{}", quote(n)))
        .unwrap_or_default();
    let msg = Message::markdown(
        tr!(r.lang, "安全事件 #{id} 已关闭", "Incident #{id} closed"),
        tr!(
            r.lang,
            "你上报的安全事件 #{id} 已处理并关闭，谢谢你的警惕！{extra}",
            "The security incident #{id} you reported has been handled and closed. Thank you for being vigilant!{extra}"
        ),
    );
    let to = [r.staff_id.clone()];
    let key = format!("incident:{id}:closed");
    let out = Outbound::direct(&to, &msg)
        .reference("incident", id)
        .dedupe_key(&key);
    outbox::enqueue(conn, &out, now).await?;
    Ok(true)
}

/// `feedback TEXT`: stored for the admins.
pub async fn feedback(ctx: &Ctx<'_>, text: &str) -> HandlerResult {
    check_length(ctx, text)?;
    let now = ctx.now.timestamp_millis();
    let mut tx = ctx.state.store.begin_write().await?;
    let id = incidents::add_feedback(tx.conn(), &ctx.user.staff_id, text, now).await?;
    let subject = format!("feedback:{id}");
    let entry = AuditEntry {
        actor: &ctx.user.staff_id,
        action: "feedback.submit",
        subject: &subject,
        details: json!({"id": id}),
    };
    audit::append(tx.conn(), &entry, now).await?;
    tx.commit().await?;
    Ok(Reply::text(tr!(
        ctx.lang(),
        "谢谢你的反馈！已记录为 #{id}，管理员会认真查看。",
        "Thank you for the feedback! It is recorded as #{id} for the administrators."
    )))
}

/// `feedback list` (admins): the latest feedback, newest first.
pub async fn feedback_list(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let mut tx = ctx.state.store.begin_write().await?;
    let (rows, total) = incidents::recent_feedback(tx.conn(), FEEDBACK_SHOWN).await?;
    let entry = AuditEntry {
        actor: &ctx.user.staff_id,
        action: "feedback.list",
        subject: "",
        details: json!({"total": total}),
    };
    audit::append(tx.conn(), &entry, ctx.now.timestamp_millis()).await?;
    tx.commit().await?;
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
        let who = person(&f.staff_id, &f.name, lang);
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
