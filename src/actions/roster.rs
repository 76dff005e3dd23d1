//! The roster: people recorded on first contact, a roster applied from a
//! CSV import or a DingTalk sync (all or nothing, never leaving the
//! organisation without an administrator), a failed run audited, and
//! DingTalk's leave and join events (claimed and applied together). Each in
//! one transaction with its audit entries. Whoever leaves, by any of these
//! or by a completed offboarding, has their roles suspended (`leave`).

use std::collections::BTreeMap;

use anyhow::Context as _;
use serde_json::json;

use super::{ActionResult, Ctx, Refusal, Tx};
use crate::domain::User;
use crate::domain::org_event::{OrgChange, OrgEvent};
use crate::domain::roster::RosterEntry;
use crate::store::org_events::{self, EventOutcome};
use crate::store::roles;
use crate::store::roster::{self, ApplyOptions, RosterChange, RosterSource, RosterSummary};
use crate::store::users::{self, load_user};

/// The user who wrote a message, with their roles, recorded on first
/// contact under their DingTalk nick.
#[tracing::instrument(skip_all)]
pub async fn user_on_contact(ctx: &Ctx<'_>, staff_id: &str, nick: &str) -> anyhow::Result<User> {
    {
        let mut conn = ctx.read().await?;
        if let Some(user) = load_user(&mut conn, staff_id).await? {
            return Ok(user);
        }
    }
    let mut tx = ctx.begin().await?;
    users::insert_on_contact(tx.conn(), staff_id, nick, ctx.now_ms()).await?;
    let user = load_user(tx.conn(), staff_id)
        .await?
        .context("user vanished after insert")?;
    tx.commit().await?;
    Ok(user)
}

/// A roster to apply and where it came from.
#[derive(Clone, Copy, Debug)]
pub struct RosterRun<'a> {
    pub source: RosterSource,
    pub entries: &'a [RosterEntry],
    /// A sync's department tree by DingTalk id (an import has none).
    pub departments: Option<&'a BTreeMap<i64, String>>,
    /// For the audit log: the file name or the API base.
    pub origin: &'a str,
    /// SHA-256 of the imported file, for the audit log.
    pub fingerprint: Option<&'a str>,
}

/// Applies a roster in one transaction, all or nothing; refused when it
/// would leave no active administrator. Audits every person who left or
/// came back, every role change, and the run's counts.
#[tracing::instrument(skip_all, fields(source = run.source.as_str(), entries = run.entries.len()))]
pub async fn apply(ctx: &Ctx<'_>, run: RosterRun<'_>) -> ActionResult<RosterSummary> {
    let actor = ctx.actor.audit_name();
    let opts = ApplyOptions {
        source: run.source,
        actor,
        timezone: ctx.config.timezone,
        org_admins_are_admins: ctx.config.dingtalk_admins_are_admins,
        now_ms: ctx.now_ms(),
    };
    let mut tx = ctx.begin().await?;
    roles::lock_roles(tx.conn()).await?;
    let admins_before = roles::count_active_admins(tx.conn()).await?;
    let applied = roster::apply(tx.conn(), run.entries, run.departments, &opts).await?;
    if admins_before > 0 && roles::count_active_admins(tx.conn()).await? == 0 {
        return Err(Refusal::RosterLeavesNoAdmin { kind: run.source }.into());
    }
    for change in &applied.changes {
        audit_change(&mut tx, run.source, change).await?;
    }
    let s = &applied.summary;
    let action = match run.source {
        RosterSource::Import => "roster.import",
        RosterSource::Sync => "roster.sync",
    };
    let details = json!({
        "users": s.users, "added": s.added, "updated": s.updated, "unchanged": s.unchanged,
        "left": s.left.len(), "rejoined": s.rejoined.len(),
        "departments_added": s.departments_added, "departments_closed": s.departments_closed,
        "roles_granted": s.roles_granted, "roles_revoked": s.roles_revoked,
        "sha256": run.fingerprint,
    });
    tx.audit(action, run.origin, details).await?;
    tx.commit().await?;
    Ok(applied.summary)
}

async fn audit_change(tx: &mut Tx, source: RosterSource, c: &RosterChange) -> anyhow::Result<()> {
    let presence = json!({"source": source.as_str()});
    match c {
        RosterChange::Left(id) => {
            tx.audit("roster.left", id, presence).await?;
            super::roles::suspend_all(tx, id, source.as_str()).await?;
            Ok(())
        }
        RosterChange::Rejoined(id) => tx.audit("roster.rejoined", id, presence).await,
        RosterChange::Granted {
            staff_id,
            role,
            source,
        } => {
            let details = json!({"role": role.as_str(), "source": source.as_str()});
            tx.audit("role.grant", staff_id, details).await
        }
        RosterChange::Revoked {
            staff_id,
            role,
            source,
        } => {
            let details = json!({"role": role.as_str(), "source": source.as_str()});
            tx.audit("role.revoke", staff_id, details).await?;
            super::console::end_sessions_of(tx, staff_id, "role.revoke").await?;
            Ok(())
        }
    }
}

/// A roster run that changed nothing.
#[derive(Clone, Copy, Debug)]
pub enum RosterFailure<'a> {
    /// An import file with bad rows (`roster.import.rejected`).
    ImportRejected { file: &'a str, bad_rows: usize },
    /// A sync that could not read the whole directory (`roster.sync.failed`).
    SyncFailed { origin: &'a str, error: &'a str },
}

/// Audits a roster run that changed nothing.
#[tracing::instrument(skip_all)]
pub async fn failed(ctx: &Ctx<'_>, failure: RosterFailure<'_>) -> anyhow::Result<()> {
    let (action, subject, details) = match failure {
        RosterFailure::ImportRejected { file, bad_rows } => (
            "roster.import.rejected",
            file,
            json!({"bad_rows": bad_rows}),
        ),
        RosterFailure::SyncFailed { origin, error } => {
            ("roster.sync.failed", origin, json!({"error": error}))
        }
    };
    let mut tx = ctx.begin().await?;
    tx.audit(action, subject, details).await?;
    tx.commit().await
}

/// Applies a leave or join event exactly once: its dedupe claim and the
/// change commit in one transaction (a failure leaves no claim, so
/// DingTalk's retry applies it). People who left stop being addressed and
/// keep their history (`roster.left`, only when they were active) and lose
/// their roles (`role.suspend`); joiners
/// are recorded as active (`roster.joined`). The actor is whoever the
/// context names (`dingtalk`).
#[tracing::instrument(skip_all, fields(event_type = %event.event_type, users = event.user_ids.len()))]
pub async fn apply_org_event(ctx: &Ctx<'_>, event: &OrgEvent) -> anyhow::Result<EventOutcome> {
    if event.change == OrgChange::Ignored {
        return Ok(EventOutcome::Ignored);
    }
    let now_ms = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    if !org_events::claim(tx.conn(), &event.key, now_ms).await? {
        // Dropping the transaction writes nothing.
        return Ok(EventOutcome::Duplicate);
    }
    if event.change == OrgChange::Left {
        roles::lock_roles(tx.conn()).await?;
    }
    let via = json!({"via": "event"});
    for id in &event.user_ids {
        match event.change {
            OrgChange::Left => {
                leave(&mut tx, id, "event").await?;
            }
            OrgChange::Joined => {
                users::record_joined(tx.conn(), id, now_ms).await?;
                tx.audit("roster.joined", id, via.clone()).await?;
            }
            OrgChange::Ignored => {}
        }
    }
    tx.commit().await?;
    Ok(EventOutcome::Applied)
}

/// Marks an active user as left (`roster.left`, with `via`) and suspends
/// their roles (`role.suspend`), in the caller's transaction; `false`,
/// changing nothing, when they are unknown or gone already. The caller
/// holds the roles lock.
pub(super) async fn leave(tx: &mut Tx, staff_id: &str, via: &str) -> anyhow::Result<bool> {
    let now_ms = tx.now_ms();
    if !users::mark_left(tx.conn(), staff_id, now_ms).await? {
        return Ok(false);
    }
    tx.audit("roster.left", staff_id, json!({"via": via}))
        .await?;
    super::roles::suspend_all(tx, staff_id, via).await?;
    Ok(true)
}
