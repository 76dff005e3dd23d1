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
use crate::t;

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
            "commands-roster-please-mention-exactly-one-colleague-or"
        ),
    }
}

/// `role list`: who holds which role, and from where.
pub async fn list(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let holders = crate::reports::roles::holders(&ctx.state.store).await?;
    let mut text = t!(lang, "commands-roster-roles");
    for h in &holders {
        let who = Person {
            staff_id: &h.staff_id,
            name: &h.name,
        }
        .label(lang);
        let (role, from) = (h.role.label(lang), source_label(h.source, lang));
        text.push_str(&t!(lang, "commands-roster-from", who, role, from));
        if !h.active {
            text.push_str(&t!(lang, "commands-roster-left"));
        }
    }
    text.push_str(&t!(lang, "commands-roster-role-grant-staff-id-admin-hr"));
    Ok(Reply::markdown(t!(lang, "commands-roster-roles-2"), text))
}

/// Where a role came from, for people.
fn source_label(source: RoleSource, lang: Lang) -> String {
    match source {
        RoleSource::Config => t!(lang, "commands-roster-configuration"),
        RoleSource::Chat => t!(lang, "commands-roster-grant-in-chat"),
        RoleSource::Import => t!(lang, "commands-roster-roster-import"),
        RoleSource::DingTalk => t!(lang, "commands-roster-dingtalk-admin"),
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
    t!(lang, "commands-roster-now-has-role-i-have-let", name, r)
}

/// The answer once a revocation was confirmed and done.
pub fn revoked_text(revoked: &Revoked, lang: Lang) -> String {
    let (name, r) = (revoked.who.person().label(lang), revoked.role.label(lang));
    let text = t!(lang, "commands-roster-no-longer-has-role", name, r);
    text + &source_note(revoked.source, lang)
}

/// What an admin should know after revoking a role that will come back.
fn source_note(source: RoleSource, lang: Lang) -> String {
    match source {
        RoleSource::Config => t!(
            lang,
            "commands-roster-note-role-comes-from-service-configuration"
        ),
        RoleSource::DingTalk => t!(
            lang,
            "commands-roster-note-they-administer-dingtalk-organisation-and"
        ),
        RoleSource::Chat | RoleSource::Import => String::new(),
    }
}
