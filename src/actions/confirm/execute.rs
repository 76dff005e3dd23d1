//! `confirm CODE`: finds the requester's confirmation with that code in
//! this venue (constant-time hash comparison), refuses a wrong, expired,
//! used or void code (audited; a wrong one counts towards the limit), and
//! otherwise closes it as used, audits `*.confirmed` and runs the stored
//! request through its action.

use serde_json::json;
use subtle::ConstantTimeEq as _;

use super::{Venue, kept, requester};
use crate::actions::notices::{self, Offboard, Offboarded};
use crate::actions::roles::{self, Granted, Revoked, RoleChange};
use crate::actions::{ActionResult, Ctx, Refusal, Tx};
use crate::domain::confirm::{self, MAX_WRONG, Request};
use crate::store::confirmations::{self, ConfirmationRow, Outcome};
use crate::store::roles::RoleSource;

/// A confirmed request, executed.
#[derive(Clone, Debug)]
pub enum Confirmed {
    Granted(Granted),
    Revoked(Revoked),
    Offboarded(Offboarded),
}

/// Executes the request whose code is `code`, if the acting person made it
/// in `venue` less than five minutes ago and it is still open.
#[tracing::instrument(skip_all)]
pub async fn confirm(ctx: &Ctx<'_>, venue: Venue<'_>, code: &str) -> ActionResult<Confirmed> {
    let Some(me) = ctx.actor.person() else {
        return Err(Refusal::ConfirmationWrong { locked: false }.into());
    };
    let hash = confirm::hash(code);
    let mut tx = ctx.begin().await?;
    let since = (ctx.now - kept()).timestamp_millis();
    let rows = confirmations::of_requester(tx.conn(), &me.staff_id, since).await?;
    let venue_key = venue.key();
    let found = rows
        .into_iter()
        .filter(|r| bool::from(r.code_hash.as_bytes().ct_eq(hash.as_bytes())))
        .find(|r| r.venue == venue_key);
    let Some(row) = found else {
        return wrong_code(tx, &me.staff_id, ctx.now_ms()).await;
    };
    if let Some(outcome) = row.outcome.as_deref() {
        let refusal = if outcome == Outcome::Locked.as_str() {
            Refusal::ConfirmationLocked
        } else {
            Refusal::ConfirmationUsed
        };
        return rejected(tx, &row, outcome, refusal).await;
    }
    if row.expires_at <= ctx.now_ms() {
        return rejected(tx, &row, "expired", Refusal::ConfirmationExpired).await;
    }
    let stored = serde_json::from_str(&row.request).unwrap_or_default();
    let request = Request::from_stored(&row.action, &stored)
        .ok_or_else(|| anyhow::anyhow!("confirmation {} unreadable", row.id))?;
    if let Err(refused) = requester(ctx, &request) {
        return rejected(tx, &row, "no_role", refused_as(refused)).await;
    }
    if !confirmations::close(tx.conn(), row.id, Outcome::Used, ctx.now_ms()).await? {
        return rejected(tx, &row, "used", Refusal::ConfirmationUsed).await;
    }
    let action = format!("{}.confirmed", request.action());
    let details = json!({"confirmation": row.id});
    tx.audit(&action, &request.subject(), details).await?;
    tx.commit().await?;
    execute(ctx, request).await
}

fn refused_as(e: crate::actions::ActionError) -> Refusal {
    match e {
        crate::actions::ActionError::Refused(r) => r,
        crate::actions::ActionError::Internal(_) => Refusal::ConfirmationWrong { locked: false },
    }
}

/// A code that matches none of the person's confirmations here: counted
/// against their open ones (void at the limit) and audited.
async fn wrong_code<T>(mut tx: Tx, staff_id: &str, now_ms: i64) -> ActionResult<T> {
    let locked = confirmations::count_wrong(tx.conn(), staff_id, MAX_WRONG, now_ms).await?;
    let details = json!({"reason": "wrong", "locked": locked});
    tx.audit("confirmation.rejected", staff_id, details).await?;
    tx.commit().await?;
    Err(Refusal::ConfirmationWrong { locked: locked > 0 }.into())
}

/// A matching code that cannot be used (`reason`), audited.
async fn rejected<T>(
    mut tx: Tx,
    row: &ConfirmationRow,
    reason: &str,
    refusal: Refusal,
) -> ActionResult<T> {
    let details = json!({"reason": reason, "confirmation": row.id, "action": row.action});
    tx.audit("confirmation.rejected", &row.requester, details)
        .await?;
    tx.commit().await?;
    Err(refusal.into())
}

/// Runs a confirmed request through its action.
async fn execute(ctx: &Ctx<'_>, request: Request) -> ActionResult<Confirmed> {
    match request {
        Request::RoleGrant { staff_id, role } => {
            let change = RoleChange {
                staff_id: &staff_id,
                role,
                source: RoleSource::Chat,
            };
            roles::grant(ctx, change).await.map(Confirmed::Granted)
        }
        Request::RoleRevoke { staff_id, role } => {
            let change = RoleChange {
                staff_id: &staff_id,
                role,
                source: RoleSource::Chat,
            };
            roles::revoke(ctx, change).await.map(Confirmed::Revoked)
        }
        Request::Offboard { staff_id, lang } => {
            let input = Offboard {
                staff_id: &staff_id,
                lang,
            };
            notices::offboard(ctx, input)
                .await
                .map(Confirmed::Offboarded)
        }
    }
}
