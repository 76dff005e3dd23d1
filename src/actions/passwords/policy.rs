//! The policy (shown, or set and audited), a person's `password done`
//! (audited, closing their forced changes), where a person stands, and the
//! audit of a withheld message.

use chrono::NaiveDate;
use serde_json::json;

use crate::actions::{ActionResult, Ctx};
use crate::domain::password::{self, Facts, PendingReset, Policy, Standing};
use crate::domain::schedule::local_date;
use crate::store::passwords as db;

/// A policy set, and the one it replaced.
#[derive(Clone, Debug)]
pub struct PolicyChange {
    pub policy: Policy,
    pub previous: Policy,
}

/// A recorded `password done`.
#[derive(Clone, Debug)]
pub struct Confirmed {
    /// Forced changes it closed, by id.
    pub resets_closed: Vec<i64>,
    /// The next due date (none under a NIST policy).
    pub next_due: Option<NaiveDate>,
}

/// Where a person stands with their password.
#[derive(Clone, Debug)]
pub struct PersonStanding {
    /// Their due date and how near it is; `None` when not an active user.
    pub due: Option<Standing>,
    /// Forced changes they still owe.
    pub resets: Vec<PendingReset>,
}

/// The current policy (the default until one is set).
pub async fn policy(ctx: &Ctx<'_>) -> anyhow::Result<Policy> {
    ctx.store.password_policy().await
}

/// Sets the policy (audited as `password.policy`).
#[tracing::instrument(skip_all)]
pub async fn set_policy(ctx: &Ctx<'_>, new: Policy) -> ActionResult<PolicyChange> {
    let previous = ctx.store.password_policy().await?;
    let mut tx = ctx.begin().await?;
    db::put_policy(tx.conn(), &new, ctx.now_ms()).await?;
    let details = json!({"policy": new, "previous": previous});
    tx.audit("password.policy", password::POLICY_SETTING, details)
        .await?;
    tx.commit().await?;
    Ok(PolicyChange {
        policy: new,
        previous,
    })
}

/// The acting person says they changed their password: a new cycle starts
/// now and their pending forced changes are done (audited as `password.confirm`).
#[tracing::instrument(skip_all)]
pub async fn confirm(ctx: &Ctx<'_>) -> ActionResult<Confirmed> {
    let staff_id = ctx.person_who("changes their password")?.staff_id.clone();
    let now_ms = ctx.now_ms();
    let policy = ctx.store.password_policy().await?;
    let mut tx = ctx.begin().await?;
    let closed = db::record_confirmation(tx.conn(), &staff_id, now_ms).await?;
    let facts = Facts {
        roster_changed_ms: None,
        confirmed_ms: Some(now_ms),
        first_seen_ms: now_ms,
        reminded: Default::default(),
    };
    let next_due = password::due_date(&policy, &facts, ctx.config.timezone);
    let details = json!({"resets_closed": closed, "next_due": next_due.map(|d| d.to_string())});
    tx.audit("password.confirm", &staff_id, details).await?;
    tx.commit().await?;
    Ok(Confirmed {
        resets_closed: closed,
        next_due,
    })
}

/// Where `staff_id` stands at the context's `now`.
pub async fn standing_of(ctx: &Ctx<'_>, staff_id: &str) -> anyhow::Result<PersonStanding> {
    let tz = ctx.config.timezone;
    let today = local_date(tz, ctx.now);
    let policy = ctx.store.password_policy().await?;
    let due = ctx
        .store
        .password_holder(staff_id)
        .await?
        .map(|h| password::standing(&policy, &h.facts, tz, today));
    Ok(PersonStanding {
        due,
        resets: ctx.store.pending_resets_of(staff_id).await?,
    })
}

/// Records that a message from the acting person was withheld because it
/// looked like it carried a credential (never the text itself).
#[tracing::instrument(skip_all)]
pub async fn withheld(ctx: &Ctx<'_>, in_group: bool) -> ActionResult<()> {
    let subject = ctx.person_who("changes their password")?.staff_id.clone();
    let mut tx = ctx.begin().await?;
    let details = json!({"conversation": if in_group { "group" } else { "direct" }});
    tx.audit("password.pasted", &subject, details).await?;
    tx.commit().await?;
    Ok(())
}
