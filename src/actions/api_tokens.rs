//! Personal API tokens (issue 16.3): an administrator makes one for an
//! admin or HR person (shown once, stored as its SHA-256), lists them with
//! owner and last use, and revokes them. A token acts as its owner: it
//! works only while the owner may hold its scope (admin scope: an active
//! admin; read scope: active admin or HR), and every use is audited under
//! the owner's staff id by the caller. A leaver's tokens are revoked in
//! the transaction that makes them leave.

use serde_json::json;

use super::console::{digest, random_secret};
use super::{ActionResult, Ctx, Refusal, Tx};
use crate::domain::console::{Scope, may_hold, touch_due};
use crate::domain::{Access, User};
use crate::store::api_tokens::{self, NewToken, TokenRow};
use crate::store::console::console_user;

/// Tokens start with this, so a leaked one is easy to recognise (and scan for).
pub const PREFIX: &str = "dwt_";
/// The longest label.
pub const LABEL_MAX: usize = 100;

/// What to make.
#[derive(Clone, Copy, Debug)]
pub struct TokenRequest<'a> {
    /// Whose token it is (`None`: the acting administrator's own).
    pub owner: Option<&'a str>,
    pub label: &'a str,
    pub scope: Scope,
}

/// A token made: the token itself is shown once and never again.
#[derive(Clone, Debug)]
pub struct Created {
    pub id: i64,
    pub token: String,
    pub owner: String,
    pub scope: Scope,
}

/// A token that was accepted: who it acts as and what it may do.
#[derive(Clone, Debug)]
pub struct Accepted {
    pub id: i64,
    pub owner: User,
    pub scope: Scope,
}

/// The acting administrator, or the refusal for anyone else.
fn acting_admin<'a>(ctx: &'a Ctx<'_>) -> Result<&'a User, Refusal> {
    match ctx.actor.person() {
        Some(u) if u.may(Access::Admin) => Ok(u),
        other => Err(Refusal::ConsoleNotAllowed {
            staff_id: other.map(|u| u.staff_id.clone()).unwrap_or_default(),
        }),
    }
}

/// Makes a token; audited as `api_token.create` on the owner.
#[tracing::instrument(skip_all, fields(scope = %req.scope))]
pub async fn create(ctx: &Ctx<'_>, req: TokenRequest<'_>) -> ActionResult<Created> {
    let admin = acting_admin(ctx)?;
    let label = req.label.trim();
    if label.is_empty() || label.chars().count() > LABEL_MAX {
        return Err(Refusal::TokenLabel { max: LABEL_MAX }.into());
    }
    let owner_id = req.owner.map_or(admin.staff_id.as_str(), str::trim);
    let owner = {
        let mut conn = ctx.read().await?;
        console_user(&mut conn, owner_id).await?
    };
    if !owner.as_ref().is_some_and(|o| may_hold(o, req.scope)) {
        return Err(Refusal::TokenOwnerCannotHold {
            staff_id: owner_id.to_owned(),
            scope: req.scope,
        }
        .into());
    }
    let token = format!("{PREFIX}{}", random_secret());
    let mut tx = ctx.begin().await?;
    let new = NewToken {
        token_hash: &digest(&token),
        owner: owner_id,
        label,
        scope: req.scope.as_str(),
        created_by: &admin.staff_id,
    };
    let id = api_tokens::insert(tx.conn(), new, ctx.now_ms()).await?;
    let details = json!({"id": id, "scope": req.scope.as_str(), "label": label});
    tx.audit("api_token.create", owner_id, details).await?;
    tx.commit().await?;
    Ok(Created {
        id,
        token,
        owner: owner_id.to_owned(),
        scope: req.scope,
    })
}

/// Revokes token `id`; audited as `api_token.revoke` on its owner.
#[tracing::instrument(skip_all, fields(id))]
pub async fn revoke(ctx: &Ctx<'_>, id: i64) -> ActionResult<TokenRow> {
    let admin = acting_admin(ctx)?;
    let mut tx = ctx.begin().await?;
    let Some(row) = api_tokens::find(tx.conn(), id).await? else {
        return Err(Refusal::NoSuchToken { id }.into());
    };
    if !api_tokens::revoke(tx.conn(), id, &admin.staff_id, ctx.now_ms()).await? {
        return Err(Refusal::TokenRevoked { id }.into());
    }
    let details = json!({"id": id, "scope": row.scope});
    tx.audit("api_token.revoke", &row.owner, details).await?;
    tx.commit().await?;
    Ok(row)
}

/// Every token, live ones first (administrators only).
pub async fn list(ctx: &Ctx<'_>) -> ActionResult<Vec<TokenRow>> {
    acting_admin(ctx)?;
    let mut conn = ctx.read().await?;
    Ok(api_tokens::list(&mut conn).await?)
}

/// The personal token `token`, if it is live and its owner may still hold
/// its scope; its last use is recorded (at most once a minute).
pub async fn accept(ctx: &Ctx<'_>, token: &str) -> ActionResult<Option<Accepted>> {
    if !token.starts_with(PREFIX) {
        return Ok(None);
    }
    let (row, owner) = {
        let mut conn = ctx.read().await?;
        let Some(row) = api_tokens::find_by_hash(&mut conn, &digest(token)).await? else {
            return Ok(None);
        };
        let owner = console_user(&mut conn, &row.owner).await?;
        (row, owner)
    };
    let Ok(scope) = row.scope.parse::<Scope>() else {
        return Ok(None);
    };
    let Some(owner) = owner.filter(|o| row.revoked_at.is_none() && may_hold(o, scope)) else {
        return Ok(None);
    };
    if touch_due(row.last_used_at, ctx.now_ms()) {
        let mut tx = ctx.begin().await?;
        api_tokens::touch(tx.conn(), row.id, ctx.now_ms()).await?;
        tx.commit().await?;
    }
    Ok(Some(Accepted {
        id: row.id,
        owner,
        scope,
    }))
}

/// Revokes every token of someone who has just left, in that transaction.
pub(super) async fn revoke_all_of(tx: &mut Tx, staff_id: &str) -> anyhow::Result<()> {
    let now = tx.now_ms();
    let ids = api_tokens::revoke_all_of(tx.conn(), staff_id, "left", now).await?;
    if !ids.is_empty() {
        tx.audit(
            "api_token.revoke",
            staff_id,
            json!({"ids": ids, "reason": "left"}),
        )
        .await?;
    }
    Ok(())
}
