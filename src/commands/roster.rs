//! Roles in chat: `role grant|revoke STAFF_ID admin|hr` (admins only; the
//! last administrator stays), DingTalk's organisation-admin flag when the
//! setting allows it, and the audit record of every refused command.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::catalogue::CommandSpec;
use super::{Ctx, HandlerResult};
use crate::domain::chat::{ChatMessage, Conversation};
use crate::domain::inert::inert;
use crate::domain::{Message, Reply, Role, User};
use crate::error::HandlerError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::store::audit::{self, AuditEntry};
use crate::store::outbox::{self, Outbound};
use crate::store::roles::{self, RoleSource};
use crate::store::users::load_user;
use crate::tr;

/// A role's name for people.
fn role_name(role: Role, lang: Lang) -> &'static str {
    match (role, lang) {
        (Role::Admin, Lang::Zh) => "管理员",
        (Role::Admin, Lang::En) => "administrator",
        (Role::Hr, Lang::Zh) => "人事",
        (Role::Hr, Lang::En) => "HR",
    }
}

/// The staff id a command names: as written, or, when written as an
/// @mention, the one person mentioned in the message.
fn target(ctx: &Ctx<'_>, written: &str) -> Result<String, HandlerError> {
    if !written.starts_with('@') {
        return Ok(written.to_owned());
    }
    match ctx.msg.mentions.as_slice() {
        [one] => Ok(one.clone()),
        _ => crate::user_error!(
            ctx.lang(),
            "请只 @ 一位同事，或直接写对方的工号。",
            "Please @mention exactly one colleague, or write their staff id."
        ),
    }
}

fn who(user: &User, lang: Lang) -> String {
    super::incident::person(&user.staff_id, &user.name, lang)
}

/// `role grant STAFF_ID admin|hr`.
pub async fn grant(ctx: &Ctx<'_>, written: &str, role: Role) -> HandlerResult {
    let lang = ctx.lang();
    let staff_id = target(ctx, written)?;
    let now = ctx.now.timestamp_millis();
    let mut tx = ctx.state.store.begin_write().await?;
    roles::lock_roles(tx.conn()).await?;
    let shown = inert(&staff_id);
    let Some(user) = load_user(tx.conn(), &staff_id).await? else {
        crate::user_error!(
            lang,
            "我还不认识工号 {shown}：请先导入花名册，或请对方先给我发一条消息。",
            "I don't know staff id {shown} yet: import the roster, or ask them to message me once."
        );
    };
    if !user.active {
        crate::user_error!(
            lang,
            "{shown} 已离职，不能授予角色。",
            "{shown} has left the organisation; roles cannot be granted to them."
        );
    }
    let actor = ctx.user.staff_id.as_str();
    let name = who(&user, lang);
    if !roles::grant(tx.conn(), &staff_id, role, RoleSource::Chat, actor, now).await? {
        let r = role_name(role, lang);
        return Ok(Reply::text(tr!(
            lang,
            "{name} 已拥有「{r}」角色，无需重复授予。",
            "{name} already has the {r} role."
        )));
    }
    tell(ctx, tx.conn(), &user, role, true).await?;
    tx.commit().await?;
    let r = role_name(role, lang);
    Ok(Reply::text(tr!(
        lang,
        "已授予 {name}「{r}」角色，并已通知对方。",
        "{name} now has the {r} role; I have let them know."
    )))
}

/// `role revoke STAFF_ID admin|hr`; never the last active administrator.
pub async fn revoke(ctx: &Ctx<'_>, written: &str, role: Role) -> HandlerResult {
    let lang = ctx.lang();
    let staff_id = target(ctx, written)?;
    let now = ctx.now.timestamp_millis();
    let actor = ctx.user.staff_id.as_str();
    let mut tx = ctx.state.store.begin_write().await?;
    roles::lock_roles(tx.conn()).await?;
    let user = load_user(tx.conn(), &staff_id).await?;
    let name = user
        .as_ref()
        .map_or_else(|| inert(&staff_id), |u| who(u, lang));
    let r = role_name(role, lang);
    if roles::role_source(tx.conn(), &staff_id, role)
        .await?
        .is_none()
    {
        crate::user_error!(
            lang,
            "{name} 没有「{r}」角色。",
            "{name} does not have the {r} role."
        );
    }
    let counts = user.as_ref().is_none_or(|u| u.active);
    if role == Role::Admin && counts && roles::count_active_admins(tx.conn()).await? <= 1 {
        let entry = AuditEntry {
            actor,
            action: "role.revoke.refused",
            subject: &staff_id,
            details: json!({"role": role.as_str(), "reason": "last_admin"}),
        };
        audit::append(tx.conn(), &entry, now).await?;
        tx.commit().await?;
        crate::user_error!(
            lang,
            "{name} 是最后一位管理员，不能撤销。请先把管理员角色授予另一位同事。",
            "{name} is the last administrator, so the role stays. Grant it to someone else first."
        );
    }
    let source = roles::revoke(tx.conn(), &staff_id, role, actor, now)
        .await?
        .unwrap_or_default();
    if let Some(u) = user.as_ref().filter(|u| u.active) {
        tell(ctx, tx.conn(), u, role, false).await?;
    }
    tx.commit().await?;
    let text = tr!(
        lang,
        "已撤销 {name} 的「{r}」角色。",
        "{name} no longer has the {r} role."
    );
    Ok(Reply::text(text + &source_note(&source, lang)))
}

/// Tells `user`, in their language, that `ctx.user` gave or took a role.
async fn tell(
    ctx: &Ctx<'_>,
    conn: &mut sqlx::AnyConnection,
    user: &User,
    role: Role,
    granted: bool,
) -> anyhow::Result<()> {
    let (r, by) = (role_name(role, user.lang), who(&ctx.user, user.lang));
    let text = if granted {
        tr!(
            user.lang,
            "{by} 授予了你「{r}」角色。发送「帮助」查看你现在可以使用的命令。",
            "{by} gave you the {r} role. Send \"help\" to see what you can do now."
        )
    } else {
        tr!(
            user.lang,
            "{by} 撤销了你的「{r}」角色。",
            "{by} took away your {r} role."
        )
    };
    let to = [user.staff_id.clone()];
    let notice = Message::text(text);
    outbox::enqueue(
        conn,
        &Outbound::direct(&to, &notice),
        ctx.now.timestamp_millis(),
    )
    .await?;
    Ok(())
}

/// What an admin should know after revoking a role that will come back.
fn source_note(source: &str, lang: Lang) -> String {
    match source {
        "config" => tr!(
            lang,
            "\n注意：该角色写在服务配置中（DINGWARDEN_ADMINS / DINGWARDEN_HR），请同时从配置中删除，否则重启后会恢复。",
            "\nNote: the role comes from the service configuration (DINGWARDEN_ADMINS / DINGWARDEN_HR); remove it there too, or it returns at the next restart."
        ),
        "dingtalk" => tr!(
            lang,
            "\n注意：对方是钉钉组织管理员，且已开启 DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS，下次同步或发消息时会重新获得该角色。",
            "\nNote: they administer the DingTalk organisation and DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS is on, so the role returns with their next message or sync."
        ),
        _ => String::new(),
    }
}

/// Keeps the admin role in step with DingTalk's organisation-admin flag on
/// the message when `DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS` is on, and takes
/// back roles that flag granted once it is off or the flag is gone (never
/// the last administrator). Updates `user.roles`.
pub async fn apply_org_admin_flag(
    state: &AppState,
    user: &mut User,
    msg: &ChatMessage,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let wanted = state.config.dingtalk_admins_are_admins && msg.sender_is_org_admin;
    let has = user.has(Role::Admin);
    if wanted == has || !user.active {
        return Ok(());
    }
    let mut conn = state.store.pool().acquire().await?;
    let source = roles::role_source(&mut conn, &user.staff_id, Role::Admin).await?;
    drop(conn);
    if has && source.as_deref() != Some(RoleSource::DingTalk.as_str()) {
        return Ok(());
    }
    let now_ms = now.timestamp_millis();
    let mut tx = state.store.begin_write().await?;
    roles::lock_roles(tx.conn()).await?;
    if wanted {
        roles::grant(
            tx.conn(),
            &user.staff_id,
            Role::Admin,
            RoleSource::DingTalk,
            "dingtalk",
            now_ms,
        )
        .await?;
    } else if roles::count_active_admins(tx.conn()).await? > 1 {
        roles::revoke(tx.conn(), &user.staff_id, Role::Admin, "dingtalk", now_ms).await?;
    }
    user.roles = crate::store::users::user_roles(tx.conn(), &user.staff_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Records that `user` was refused `spec` for lack of a role: who, which
/// command and where, never what they wrote.
pub async fn audit_refusal(ctx: &Ctx<'_>, spec: &CommandSpec) -> anyhow::Result<()> {
    let chat = match ctx.msg.conversation {
        Conversation::Direct { .. } => "direct",
        Conversation::Group { .. } => "group",
    };
    let mut tx = ctx.state.store.begin_write().await?;
    let entry = AuditEntry {
        actor: &ctx.user.staff_id,
        action: "command.refused",
        subject: spec.name,
        details: json!({"needs": spec.access.as_str(), "chat": chat}),
    };
    audit::append(tx.conn(), &entry, ctx.now.timestamp_millis()).await?;
    tx.commit().await
}
