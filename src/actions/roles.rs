//! Roles: granting and revoking `admin`/`hr` (never the last active
//! administrator), DingTalk's organisation-admin flag when the setting
//! allows it, the suspension of a leaver's roles, and the audit record of a
//! command refused for lack of a role.
//! Role changes run under the roles lock, each in one transaction with its
//! audit entry and the message that tells the person.

use serde_json::json;

use super::{ActionResult, Actor, Ctx, Refusal, Tx};
use crate::domain::user::{RoleChanged, role_changed_message};
use crate::domain::{Access, Named, Person, Role, User};
use crate::store::outbox::{self, Outbound};
use crate::store::roles::{self, RoleSource};
use crate::store::users::{load_user, user_roles};

/// A role to give or take, from someone, and how it is recorded.
#[derive(Clone, Copy, Debug)]
pub struct RoleChange<'a> {
    pub staff_id: &'a str,
    pub role: Role,
    /// Where a granted role is said to come from (`chat`…).
    pub source: RoleSource,
}

/// A role granted; `user` was told.
#[derive(Clone, Debug)]
pub struct Granted {
    pub user: User,
    pub role: Role,
}

/// A role taken away.
#[derive(Clone, Debug)]
pub struct Revoked {
    /// The person, as lists name them (the staff id alone if unknown).
    pub who: Named,
    pub role: Role,
    /// Where the role had come from: it may come back from there.
    pub source: RoleSource,
}

/// The acting person or service, as messages name them.
fn actor_person<'a>(ctx: &'a Ctx<'_>) -> Person<'a> {
    match ctx.actor {
        Actor::Person(u) => u.person(),
        Actor::System(name) => Person {
            staff_id: name,
            name: "",
        },
    }
}

/// Grants `change.role`; the person is told in their language.
#[tracing::instrument(skip_all, fields(role = %change.role))]
pub async fn grant(ctx: &Ctx<'_>, change: RoleChange<'_>) -> ActionResult<Granted> {
    let RoleChange {
        staff_id,
        role,
        source,
    } = change;
    let mut tx = ctx.begin().await?;
    roles::lock_roles(tx.conn()).await?;
    let Some(user) = load_user(tx.conn(), staff_id).await? else {
        return Err(Refusal::UnknownStaff {
            staff_id: staff_id.to_owned(),
        }
        .into());
    };
    if !user.active {
        return Err(Refusal::LeftOrganisation {
            staff_id: staff_id.to_owned(),
        }
        .into());
    }
    let by = ctx.actor.audit_name();
    if !roles::grant(tx.conn(), staff_id, role, source, by, ctx.now_ms()).await? {
        let who = user.person().into();
        return Err(Refusal::AlreadyHasRole { who, role }.into());
    }
    audit_change(&mut tx, true, staff_id, role, source).await?;
    tell(ctx, &mut tx, &user, role, RoleChanged::Granted).await?;
    tx.commit().await?;
    Ok(Granted { user, role })
}

/// Takes `change.role` away; never from the last active administrator (that
/// refusal is audited). An active person is told.
#[tracing::instrument(skip_all, fields(role = %change.role))]
pub async fn revoke(ctx: &Ctx<'_>, change: RoleChange<'_>) -> ActionResult<Revoked> {
    let (staff_id, role) = (change.staff_id, change.role);
    let mut tx = ctx.begin().await?;
    roles::lock_roles(tx.conn()).await?;
    let user = load_user(tx.conn(), staff_id).await?;
    let who = user.as_ref().map_or_else(
        || Named {
            staff_id: staff_id.to_owned(),
            name: String::new(),
        },
        |u| u.person().into(),
    );
    if roles::role_source(tx.conn(), staff_id, role)
        .await?
        .is_none()
    {
        return Err(Refusal::NoSuchRole { who, role }.into());
    }
    let counts = user.as_ref().is_none_or(|u| u.active);
    if role == Role::Admin && counts && roles::count_active_admins(tx.conn()).await? <= 1 {
        let details = json!({"role": role.as_str(), "reason": "last_admin"});
        tx.audit("role.revoke.refused", staff_id, details).await?;
        tx.commit().await?;
        return Err(Refusal::LastAdmin { who }.into());
    }
    let source = roles::revoke(tx.conn(), staff_id, role)
        .await?
        .unwrap_or(RoleSource::Chat);
    audit_change(&mut tx, false, staff_id, role, source).await?;
    super::console::end_sessions_of(&mut tx, staff_id, "role.revoke").await?;
    if let Some(u) = user.as_ref().filter(|u| u.active) {
        tell(ctx, &mut tx, u, role, RoleChanged::Revoked).await?;
    }
    tx.commit().await?;
    Ok(Revoked { who, role, source })
}

async fn audit_change(
    tx: &mut Tx,
    granted: bool,
    staff_id: &str,
    role: Role,
    source: RoleSource,
) -> anyhow::Result<()> {
    let action = if granted { "role.grant" } else { "role.revoke" };
    let details = json!({"role": role.as_str(), "source": source.as_str()});
    tx.audit(action, staff_id, details).await
}

/// Queues the message that tells `user` the actor gave or took a role.
async fn tell(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    user: &User,
    role: Role,
    change: RoleChanged,
) -> anyhow::Result<()> {
    let message = role_changed_message(actor_person(ctx), role, change, user.lang);
    let to = [user.staff_id.clone()];
    outbox::enqueue(tx.conn(), &Outbound::direct(&to, &message), ctx.now_ms()).await?;
    Ok(())
}

/// Suspends every role of someone who has just left, in the transaction
/// that makes them leave: one `role.suspend` entry per role, with where it
/// came from and `via` what they left (`event`, `import`, `sync`,
/// `offboarding`). The one place a leaver loses their roles; the caller
/// holds the roles lock. Their console sessions end and their API tokens
/// are revoked in the same transaction. Returns how many roles were suspended.
pub(super) async fn suspend_all(tx: &mut Tx, staff_id: &str, via: &str) -> anyhow::Result<usize> {
    let held = roles::suspend_all(tx.conn(), staff_id).await?;
    for (role, source) in &held {
        let details = json!({"role": role.as_str(), "source": source.as_str(), "via": via});
        tx.audit("role.suspend", staff_id, details).await?;
    }
    super::console::end_sessions_of(tx, staff_id, "left").await?;
    super::api_tokens::revoke_all_of(tx, staff_id).await?;
    Ok(held.len())
}

/// Keeps the admin role in step with DingTalk's organisation-admin flag on
/// a message when `DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS` is on, and takes
/// back roles that flag granted once it is off or the flag is gone (never
/// the last administrator). The actor is `dingtalk`. Returns the user's
/// roles when they changed.
#[tracing::instrument(skip_all, fields(org_admin = org_admin))]
pub async fn apply_org_admin_flag(
    ctx: &Ctx<'_>,
    user: &User,
    org_admin: bool,
) -> anyhow::Result<Option<Vec<Role>>> {
    let wanted = ctx.config.dingtalk_admins_are_admins && org_admin;
    let has = user.has(Role::Admin);
    if wanted == has || !user.active {
        return Ok(None);
    }
    let source = {
        let mut conn = ctx.read().await?;
        roles::role_source(&mut conn, &user.staff_id, Role::Admin).await?
    };
    if has && source != Some(RoleSource::DingTalk) {
        return Ok(None);
    }
    let staff_id = user.staff_id.as_str();
    let mut tx = ctx.begin().await?;
    roles::lock_roles(tx.conn()).await?;
    let (by, now_ms) = (ctx.actor.audit_name(), ctx.now_ms());
    if wanted {
        let source = RoleSource::DingTalk;
        if roles::grant(tx.conn(), staff_id, Role::Admin, source, by, now_ms).await? {
            audit_change(&mut tx, true, staff_id, Role::Admin, source).await?;
        }
    } else if roles::count_active_admins(tx.conn()).await? > 1 {
        if let Some(source) = roles::revoke(tx.conn(), staff_id, Role::Admin).await? {
            audit_change(&mut tx, false, staff_id, Role::Admin, source).await?;
            super::console::end_sessions_of(&mut tx, staff_id, "role.revoke").await?;
        }
    }
    let roles = user_roles(tx.conn(), staff_id).await?;
    tx.commit().await?;
    Ok(Some(roles))
}

/// Where a refused command was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChatKind {
    Direct,
    Group,
}

/// A command the acting person may not run.
#[derive(Clone, Copy, Debug)]
pub struct RefusedCommand<'a> {
    /// The command's catalogue name.
    pub command: &'a str,
    /// What it needs.
    pub needs: Access,
    pub chat: ChatKind,
}

/// Records that the acting person was refused a command for lack of a
/// role: who, which command and where, never what they wrote.
#[tracing::instrument(skip_all, fields(command = refused.command))]
pub async fn command_refused(ctx: &Ctx<'_>, refused: RefusedCommand<'_>) -> anyhow::Result<()> {
    let chat = match refused.chat {
        ChatKind::Direct => "direct",
        ChatKind::Group => "group",
    };
    let mut tx = ctx.begin().await?;
    let details = json!({"needs": refused.needs.as_str(), "chat": chat});
    tx.audit("command.refused", refused.command, details)
        .await?;
    tx.commit().await
}
