//! Roles in chat: `role list`, and `role grant|revoke STAFF_ID admin|hr`
//! (admins only; the last administrator stays): the person named (as
//! written, or by @mention), a request that waits for its confirmation code
//! ([`super::confirm`]), and the answers once it was confirmed.

use super::{Ctx, HandlerResult};
use crate::actions::roles::{Granted, Revoked};
use crate::domain::confirm::Request;
use crate::domain::{Person, Reply, Role};
use crate::error::HandlerError;
use crate::i18n::Lang;
use crate::store::roles::RoleSource;
use crate::tr;

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

/// `role list`: who holds which role, and from where.
pub async fn list(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let holders = crate::reports::roles::holders(&ctx.state.store).await?;
    let mut text = tr!(lang, "### 角色\n", "### Roles\n");
    for h in &holders {
        let who = Person {
            staff_id: &h.staff_id,
            name: &h.name,
        }
        .label(lang);
        let (role, from) = (h.role.label(lang), source_label(h.source, lang));
        text.push_str(&tr!(
            lang,
            "\n- {who}：{role}（来源：{from}）",
            "\n- {who}: {role} (from {from})"
        ));
        if !h.active {
            text.push_str(&tr!(lang, " · 已离职", " · left"));
        }
    }
    text.push_str(&tr!(
        lang,
        "\n\n「角色 授予 工号 admin|hr」授予，「角色 撤销 工号 admin|hr」撤销。",
        "\n\n\"role grant STAFF_ID admin|hr\" grants, \"role revoke STAFF_ID admin|hr\" takes away."
    ));
    Ok(Reply::markdown(tr!(lang, "角色", "Roles"), text))
}

/// Where a role came from, for people.
fn source_label(source: RoleSource, lang: Lang) -> &'static str {
    match source {
        RoleSource::Config => lang.pick("服务配置", "the configuration"),
        RoleSource::Chat => lang.pick("聊天授予", "a grant in chat"),
        RoleSource::Import => lang.pick("名单导入", "the roster import"),
        RoleSource::DingTalk => lang.pick("钉钉管理员", "DingTalk admin"),
    }
}

/// `role grant STAFF_ID admin|hr`: asks for confirmation first.
pub async fn grant(ctx: &Ctx<'_>, written: &str, role: Role) -> HandlerResult {
    let staff_id = target(ctx, written)?;
    super::confirm::ask(ctx, Request::RoleGrant { staff_id, role }).await
}

/// `role revoke STAFF_ID admin|hr`; never the last active administrator.
/// Asks for confirmation first.
pub async fn revoke(ctx: &Ctx<'_>, written: &str, role: Role) -> HandlerResult {
    let staff_id = target(ctx, written)?;
    super::confirm::ask(ctx, Request::RoleRevoke { staff_id, role }).await
}

/// The answer once a grant was confirmed and done.
pub fn granted_text(granted: &Granted, lang: Lang) -> String {
    let (name, r) = (granted.user.person().label(lang), granted.role.label(lang));
    tr!(
        lang,
        "已授予 {name}「{r}」角色，并已通知对方。",
        "{name} now has the {r} role; I have let them know."
    )
}

/// The answer once a revocation was confirmed and done.
pub fn revoked_text(revoked: &Revoked, lang: Lang) -> String {
    let (name, r) = (revoked.who.person().label(lang), revoked.role.label(lang));
    let text = tr!(
        lang,
        "已撤销 {name} 的「{r}」角色。",
        "{name} no longer has the {r} role."
    );
    text + &source_note(revoked.source, lang)
}

/// What an admin should know after revoking a role that will come back.
fn source_note(source: RoleSource, lang: Lang) -> String {
    match source {
        RoleSource::Config => tr!(
            lang,
            "\n注意：该角色写在服务配置中（DINGWARDEN_ADMINS / DINGWARDEN_HR），请同时从配置中删除，否则重启后会恢复。",
            "\nNote: the role comes from the service configuration (DINGWARDEN_ADMINS / DINGWARDEN_HR); remove it there too, or it returns at the next restart."
        ),
        RoleSource::DingTalk => tr!(
            lang,
            "\n注意：对方是钉钉组织管理员，且已开启 DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS，下次同步或发消息时会重新获得该角色。",
            "\nNote: they administer the DingTalk organisation and DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS is on, so the role returns with their next message or sync."
        ),
        RoleSource::Chat | RoleSource::Import => String::new(),
    }
}
