//! `offboard STAFF_ID`: marks the user as leaving, sends them the leaver's
//! notice and opens the admins' checklist as a notice addressed to admins;
//! both are tracked, reminded and escalated like any notice. Closing the
//! admins' checklist completes the offboarding: the user has left, and
//! their roles are suspended from that moment.

use chrono::{Duration, NaiveDate};
use serde_json::json;
use sqlx::AnyConnection;

use super::{Ctx, queue_cards};
use crate::commands::HandlerResult;
use crate::domain::Role;
use crate::domain::inert::inert;
use crate::domain::notice::parse_body;
use crate::domain::notice::templates::{admin_checklist, leaver_notice};
use crate::domain::schedule::{end_of_local_day, local_date};
use crate::domain::{Reply, User};
use crate::error::HandlerError;
use crate::i18n::{Lang, en_count};
use crate::store::audit::{self, AuditEntry};
use crate::store::notices::{self, NewNotice, NoticeRow, rounds};
use crate::store::roles;
use crate::store::users::{leave, load_user};
use crate::tr;

/// Days the leaver and the admins have to finish their checklists.
const OFFBOARDING_DAYS: i64 = 7;

/// Creates a notice from generated text and sends it to `to`; returns its id.
async fn create_and_send(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    (title, body): (String, String),
    deadline: NaiveDate,
    subject: &str,
    to: &[String],
) -> anyhow::Result<i64> {
    let now_ms = ctx.now.timestamp_millis();
    let items = parse_body(&body)
        .map_err(|e| anyhow::anyhow!("offboarding template: {e:?}"))?
        .items;
    let new = NewNotice {
        kind: "exit",
        title: &title,
        body: &body,
        deadline: Some(deadline),
        deadline_at: Some(end_of_local_day(ctx.state.config.timezone, deadline).timestamp_millis()),
        items: &items,
        author: &ctx.user.staff_id,
        subject: Some(subject),
    };
    let id = notices::create(conn, &new, now_ms).await?;
    let notice = notices::get(conn, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("notice vanished"))?;
    queue_cards(conn, &notice, &items, to, now_ms).await?;
    Ok(id)
}

/// The user to offboard, marked as leaving; or why they cannot be.
async fn start_leaving(
    conn: &mut AnyConnection,
    staff_id: &str,
    lang: Lang,
    now_ms: i64,
) -> Result<User, HandlerError> {
    let shown = inert(staff_id);
    let Some(leaver) = load_user(conn, staff_id).await? else {
        crate::user_error!(
            lang,
            "花名册中没有工号 {shown}。",
            "There is no {shown} on the roster."
        );
    };
    if !leaver.active {
        crate::user_error!(lang, "{shown} 已经离职。", "{shown} has already left.");
    }
    if !notices::mark_leaving(conn, staff_id, now_ms).await? {
        crate::user_error!(
            lang,
            "{shown} 的离职流程已经开始了。发送「通知列表」查看相关通知。",
            "Offboarding of {shown} has already started. Send \"notices\" to see its notices."
        );
    }
    Ok(leaver)
}

/// `offboard STAFF_ID`.
pub async fn offboard(ctx: &Ctx<'_>, staff_id: &str) -> HandlerResult {
    let lang = ctx.lang();
    let now_ms = ctx.now.timestamp_millis();
    let mut tx = ctx.state.store.begin_write().await?;
    let leaver = start_leaving(tx.conn(), staff_id, lang, now_ms).await?;
    let name = if leaver.name.is_empty() {
        staff_id.to_owned()
    } else {
        leaver.name.clone()
    };
    let tz = ctx.state.config.timezone;
    let deadline = local_date(tz, ctx.now) + Duration::days(OFFBOARDING_DAYS);
    let text = leaver_notice(leaver.lang, &name, deadline);
    let me = [staff_id.to_owned()];
    let leaver_id = create_and_send(tx.conn(), ctx, text, deadline, staff_id, &me).await?;
    let admins: Vec<String> = rounds::holders_of(tx.conn(), "admin")
        .await?
        .into_iter()
        .filter(|a| a != staff_id)
        .collect();
    let text = admin_checklist(lang, &name, staff_id, deadline);
    let admin_id = create_and_send(tx.conn(), ctx, text, deadline, staff_id, &admins).await?;
    let entry = AuditEntry {
        actor: &ctx.user.staff_id,
        action: "offboard.start",
        subject: &format!("user:{staff_id}"),
        details: json!({"leaver_notice": leaver_id, "admin_notice": admin_id, "admins": admins.len()}),
    };
    audit::append(tx.conn(), &entry, now_ms).await?;
    tx.commit().await?;
    let reply = reply_text(lang, &name, leaver_id, admin_id, admins.len(), deadline);
    Ok(Reply::text(reply))
}

fn reply_text(
    lang: Lang,
    name: &str,
    leaver: i64,
    admin: i64,
    admins: usize,
    d: NaiveDate,
) -> String {
    let admins_en = en_count(admins, "admin", "admins");
    let name = inert(name);
    tr!(
        lang,
        "已为 {name} 发起离职流程（截止 {d}）：\n- 离职须知 #{leaver} 已排队发给本人\n- 管理员清单 #{admin} 已排队发给 {admins} 位管理员\n发送「通知 状态 {admin}」跟踪进度。",
        "Offboarding of {name} started (due {d}):\n- leaver's notice #{leaver} is queued for them\n- admin checklist #{admin} is queued for {admins_en}\nSend \"notice status {admin}\" to follow it."
    )
}

/// Completes an offboarding when `notice` is its admins' checklist: marks
/// the leaver as left and suspends their roles (never the last active
/// administrator). Returns a line for the reply, if it was one.
pub(super) async fn complete(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    notice: &NoticeRow,
) -> Result<Option<String>, HandlerError> {
    let lang = ctx.lang();
    let Some(leaver) = notices::offboarding_checklist_subject(conn, notice).await? else {
        return Ok(None);
    };
    roles::lock_roles(conn).await?;
    let shown = inert(&leaver);
    let is_admin = roles::role_source(conn, &leaver, Role::Admin)
        .await?
        .is_some();
    if is_admin && roles::count_active_admins(conn).await? <= 1 {
        crate::user_error!(
            lang,
            "{shown} 是最后一位管理员，不能完成其离职。请先把管理员角色授予另一位同事。",
            "{shown} is the last administrator, so their offboarding cannot complete. Grant the role to someone else first."
        );
    }
    let actor = &ctx.user.staff_id;
    if !leave(
        conn,
        &leaver,
        actor,
        "offboarding",
        ctx.now.timestamp_millis(),
    )
    .await?
    {
        return Ok(None);
    }
    Ok(Some(tr!(
        lang,
        "\n离职流程已完成：{shown} 已标记为离职，其角色已全部暂停。",
        "\nOffboarding is complete: {shown} is marked as left and holds no role any more."
    )))
}
