//! Security incidents: a report recorded as #N with every other active
//! admin told (one outbox row per language), the audited list for admins
//! and HR, and closing one with a note the reporter is told. The audit log
//! records ids, never what people wrote.

use std::collections::BTreeMap;

use serde_json::json;

use super::{ActionResult, Ctx, Refusal, Tx};
use crate::domain::Person;
use crate::domain::incident::{self, MAX_TEXT_CHARS, NewIncident, admin_card, closed_message};
use crate::i18n::Lang;
use crate::store::incidents::{self as sql, IncidentRow, IncidentStatus};
use crate::store::outbox::{self, Outbound, Reference};
use crate::store::roles;
use crate::store::users::load_user;

/// Refused unless `text` is within [`MAX_TEXT_CHARS`].
pub fn check_length(text: &str) -> Result<(), Refusal> {
    if incident::fits(text) {
        Ok(())
    } else {
        Err(Refusal::TooLong {
            max: MAX_TEXT_CHARS,
        })
    }
}

/// A report to record.
#[derive(Clone, Copy, Debug)]
pub struct Report<'a> {
    pub text: &'a str,
    /// Sent in a group chat.
    pub in_group: bool,
}

/// A recorded incident.
#[derive(Clone, Copy, Debug)]
pub struct Reported {
    pub id: i64,
    /// Admins told (0: nobody to tell).
    pub notified: usize,
}

/// The acting person reports an incident; every other active admin is told.
#[tracing::instrument(skip_all, fields(in_group = report.in_group))]
pub async fn report(ctx: &Ctx<'_>, report: Report<'_>) -> ActionResult<Reported> {
    check_length(report.text)?;
    let me = ctx.person_who("reports or closes an incident")?;
    let mut tx = ctx.begin().await?;
    let in_group = report.in_group;
    let id =
        sql::create_incident(tx.conn(), &me.staff_id, report.text, in_group, ctx.now_ms()).await?;
    let details = json!({"id": id, "in_group": in_group});
    tx.audit("incident.report", &format!("incident:{id}"), details)
        .await?;
    let new = NewIncident {
        id,
        reporter: me.person(),
        text: report.text,
        at_ms: ctx.now_ms(),
    };
    let notified = notify_admins(ctx, &mut tx, &new).await?;
    tx.commit().await?;
    if notified == 0 {
        tracing::warn!(
            incident = id,
            "incident reported but no administrator to notify"
        );
    }
    Ok(Reported { id, notified })
}

/// Tells every active admin but the reporter, one outbox row per language;
/// how many were told.
async fn notify_admins(ctx: &Ctx<'_>, tx: &mut Tx, new: &NewIncident<'_>) -> anyhow::Result<usize> {
    let mut by_lang: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (staff_id, code) in roles::active_admins(tx.conn()).await? {
        if staff_id != new.reporter.staff_id {
            by_lang.entry(code).or_default().push(staff_id);
        }
    }
    let id = new.id;
    for (code, to) in &by_lang {
        let msg = admin_card(new, ctx.config.timezone, Lang::from_code(code));
        let key = format!("incident:{id}:admins:{code}");
        let out = Outbound::direct(to, &msg)
            .reference(Reference::Incident(id))
            .dedupe_key(&key);
        outbox::enqueue(tx.conn(), &out, ctx.now_ms()).await?;
    }
    Ok(by_lang.values().map(Vec::len).sum())
}

/// How many incidents a list shows.
#[derive(Clone, Copy, Debug)]
pub struct Shown {
    pub open: i64,
    pub closed: i64,
}

/// Open incidents (newest first), how many are open, and the latest closed.
#[derive(Clone, Debug)]
pub struct Listing {
    pub open: Vec<IncidentRow>,
    pub open_total: i64,
    pub closed: Vec<IncidentRow>,
}

/// The incidents for the acting admin or HR person; the read is audited.
#[tracing::instrument(skip_all)]
pub async fn list(ctx: &Ctx<'_>, shown: Shown) -> anyhow::Result<Listing> {
    let mut tx = ctx.begin().await?;
    let open = sql::incidents(tx.conn(), IncidentStatus::Open, shown.open).await?;
    let open_total = sql::count_incidents(tx.conn(), IncidentStatus::Open).await?;
    let closed = sql::incidents(tx.conn(), IncidentStatus::Closed, shown.closed).await?;
    tx.audit("incident.list", "", json!({"open": open_total}))
        .await?;
    tx.commit().await?;
    Ok(Listing {
        open,
        open_total,
        closed,
    })
}

/// An incident to close, with an optional note for the reporter.
#[derive(Clone, Copy, Debug)]
pub struct Close<'a> {
    pub id: i64,
    pub note: Option<&'a str>,
}

/// A closed incident.
#[derive(Clone, Copy, Debug)]
pub struct Closed {
    pub id: i64,
    /// The reporter was told (not when they left, or closed it themselves).
    pub reporter_told: bool,
}

/// The acting admin closes an incident; the reporter is told.
#[tracing::instrument(skip_all, fields(incident = close.id))]
pub async fn close(ctx: &Ctx<'_>, close: Close<'_>) -> ActionResult<Closed> {
    if let Some(n) = close.note {
        check_length(n)?;
    }
    let me = ctx.person_who("reports or closes an incident")?;
    let (id, note) = (close.id, close.note);
    let mut tx = ctx.begin().await?;
    let Some(incident) = sql::incident(tx.conn(), id).await? else {
        return Err(Refusal::NoSuchIncident { id }.into());
    };
    if !sql::close_incident(tx.conn(), id, &me.staff_id, note, ctx.now_ms()).await? {
        let at_ms = incident.closed_at;
        return Err(Refusal::IncidentClosed { id, at_ms }.into());
    }
    let details = json!({"id": id, "with_note": note.is_some()});
    tx.audit("incident.close", &format!("incident:{id}"), details)
        .await?;
    let reporter_told = tell_reporter(ctx, &mut tx, &incident, me.person(), note).await?;
    tx.commit().await?;
    Ok(Closed { id, reporter_told })
}

/// Tells the reporter (if still here, and not the one closing) that their
/// incident was closed, with the note; whether they were told.
async fn tell_reporter(
    ctx: &Ctx<'_>,
    tx: &mut Tx,
    incident: &IncidentRow,
    closer: Person<'_>,
    note: Option<&str>,
) -> anyhow::Result<bool> {
    let id = incident.id;
    let reporter = load_user(tx.conn(), &incident.reporter).await?;
    let Some(r) = reporter.filter(|r| r.active && r.staff_id != closer.staff_id) else {
        return Ok(false);
    };
    let msg = closed_message(id, note, r.lang);
    let to = [r.staff_id.clone()];
    let key = format!("incident:{id}:closed");
    let out = Outbound::direct(&to, &msg)
        .reference(Reference::Incident(id))
        .dedupe_key(&key);
    outbox::enqueue(tx.conn(), &out, ctx.now_ms()).await?;
    Ok(true)
}
