//! The roster: people recorded on first contact, a roster planned (a dry
//! run: what would change, nothing written) or applied from a CSV import or
//! a DingTalk sync (all or nothing, never leaving the organisation without
//! an administrator, never marking more people as left than the leaver
//! guard allows unasked), a failed run audited, and
//! DingTalk's leave and join events (claimed and applied together). Each in
//! one transaction with its audit entries. Whoever leaves, by any of these
//! or by a completed offboarding, has their roles suspended (`leave`).

use std::collections::BTreeMap;

use anyhow::Context as _;
use serde_json::json;

use super::{ActionResult, Ctx, Refusal, Tx};
use crate::actions::passwords::Snapshot;
use crate::domain::User;
use crate::domain::org_event::{OrgChange, OrgEvent};
use crate::domain::roster::RosterEntry;
use crate::domain::roster::plan::{self, Known, PlanInput, RosterPlan, check_leavers};
use crate::domain::roster::reminders::{holders_after, reminded_within_a_day};
use crate::domain::schedule::local_date;
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
    /// The file line of each entry (an import), or empty (a sync).
    pub lines: &'a [u64],
    /// A sync's department tree by DingTalk id (an import has none).
    pub departments: Option<&'a BTreeMap<i64, String>>,
    /// For the audit log: the file name or the API base.
    pub origin: &'a str,
    /// SHA-256 of the imported file, for the audit log.
    pub fingerprint: Option<&'a str>,
}

/// What a roster run would change (a dry run) or changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub plan: RosterPlan,
    /// People who get a password reminder today or tomorrow once it is applied.
    pub reminders_soon: usize,
}

/// What an applied roster run did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub summary: RosterSummary,
    pub planned: Planned,
}

/// What applying `run` would change, and how many people would then get a
/// password reminder within a day. Reads only: nothing is written, not
/// even an audit entry.
#[tracing::instrument(skip_all, fields(source = run.source.as_str(), entries = run.entries.len()))]
pub async fn plan(ctx: &Ctx<'_>, run: RosterRun<'_>) -> ActionResult<Planned> {
    let known = {
        let mut conn = ctx.read().await?;
        users::known(&mut conn).await?
    };
    let plan = plan_of(ctx, &run, &known);
    let reminders_soon = reminders_soon(ctx, &run, &plan, &known).await?;
    Ok(Planned {
        plan,
        reminders_soon,
    })
}

fn plan_of(ctx: &Ctx<'_>, run: &RosterRun<'_>, known: &[Known]) -> RosterPlan {
    plan::plan(&PlanInput {
        source: run.source,
        entries: run.entries,
        lines: run.lines,
        known,
        org_admins_are_admins: ctx.config.dingtalk_admins_are_admins,
        timezone: ctx.config.timezone,
    })
}

/// People with a password reminder due today or tomorrow after `plan`.
async fn reminders_soon(
    ctx: &Ctx<'_>,
    run: &RosterRun<'_>,
    plan: &RosterPlan,
    known: &[Known],
) -> anyhow::Result<usize> {
    let tz = ctx.config.timezone;
    let today = local_date(tz, ctx.now);
    let snap = Snapshot::load(ctx.store, today, ctx.now).await?;
    let dates = known
        .iter()
        .filter(|k| !k.active)
        .map(|k| (k.staff_id.clone(), k.password_changed_ms))
        .collect();
    let holders = holders_after(&snap.holders, run.entries, plan, &dates, tz, ctx.now_ms());
    Ok(reminded_within_a_day(
        &snap.policy,
        &holders,
        &snap.sent,
        tz,
        today,
    ))
}

/// Applies a roster in one transaction, all or nothing; refused when it
/// would leave no active administrator, or mark more people as left than
/// `DINGWARDEN_ROSTER_MAX_LEAVE_PERCENT` (or 20) unless `allow_leavers`
/// names at least that many. Audits every person who left or came back,
/// every role change, and the run's counts.
#[tracing::instrument(skip_all, fields(source = run.source.as_str(), entries = run.entries.len()))]
pub async fn apply(
    ctx: &Ctx<'_>,
    run: RosterRun<'_>,
    allow_leavers: Option<usize>,
) -> ActionResult<Imported> {
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
    let known = users::known(tx.conn()).await?;
    let plan = plan_of(ctx, &run, &known);
    let max_percent = ctx.config.limits.roster_max_leave_percent;
    if let Err(too_many) = check_leavers(&plan, max_percent, allow_leavers) {
        return Err(Refusal::TooManyLeavers {
            kind: run.source,
            leaving: too_many.leaving,
            active: too_many.active,
            max_percent,
            names: leaver_names(&plan),
        }
        .into());
    }
    let admins_before = roles::count_active_admins(tx.conn()).await?;
    let applied = roster::apply(tx.conn(), run.entries, run.departments, &opts).await?;
    if admins_before > 0 && roles::count_active_admins(tx.conn()).await? == 0 {
        return Err(Refusal::RosterLeavesNoAdmin { kind: run.source }.into());
    }
    for change in &applied.changes {
        audit_change(&mut tx, run.source, change).await?;
    }
    let extra = json!({"warnings": plan.warnings.len(), "allow_leavers": allow_leavers});
    audit_run(&mut tx, &run, &applied.summary, extra).await?;
    tx.commit().await?;
    // After the commit the stored holders are the planned ones, so this
    // counts as the dry run did.
    let reminders_soon = reminders_soon(ctx, &run, &plan, &known).await?;
    Ok(Imported {
        summary: applied.summary,
        planned: Planned {
            plan,
            reminders_soon,
        },
    })
}

/// The run's `roster.import` / `roster.sync` entry: its counts, the file's
/// fingerprint, and `extra`.
async fn audit_run(
    tx: &mut Tx,
    run: &RosterRun<'_>,
    s: &RosterSummary,
    extra: serde_json::Value,
) -> anyhow::Result<()> {
    let action = match run.source {
        RosterSource::Import => "roster.import",
        RosterSource::Sync => "roster.sync",
    };
    let mut details = json!({
        "users": s.users, "added": s.added, "updated": s.updated, "unchanged": s.unchanged,
        "left": s.left.len(), "rejoined": s.rejoined.len(),
        "departments_added": s.departments_added, "departments_closed": s.departments_closed,
        "roles_granted": s.roles_granted, "roles_revoked": s.roles_revoked,
        "sha256": run.fingerprint,
    });
    if let (Some(d), serde_json::Value::Object(more)) = (details.as_object_mut(), extra) {
        d.extend(more);
    }
    tx.audit(action, run.origin, details).await
}

/// The first leavers of a plan, as `name（staff_id）` or the staff id.
fn leaver_names(plan: &RosterPlan) -> Vec<String> {
    plan.leaving
        .iter()
        .take(plan::NAMES_SHOWN)
        .map(|p| match p.name.as_str() {
            "" => p.staff_id.clone(),
            name => format!("{name}（{}）", p.staff_id),
        })
        .collect()
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
