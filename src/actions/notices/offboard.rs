//! Offboarding: marks a user as leaving, sends them the leaver's notice,
//! opens the admins' checklist as a notice addressed to admins and the
//! handover checklist as a notice to the leaver's manager, and tells HR, in
//! one transaction; the notices are tracked, reminded and escalated like
//! any notice, and the checklists' status shows who ticked what.
//! Closing the admins' checklist completes the offboarding: the user has
//! left, and their roles are suspended from that moment.

use chrono::{Duration, NaiveDate};
use serde_json::json;
use sqlx::AnyConnection;

use super::send::queue_cards;
use crate::actions::{ActionResult, Actor, Ctx, Refusal, Tx};
use crate::domain::notice::templates::{
    HrSummary, admin_checklist, hr_summary, leaver_notice, manager_checklist,
};
use crate::domain::notice::{NoticeKind, parse_body};
use crate::domain::schedule::{end_of_local_day, local_date};
use crate::domain::{Message, Named, Person, Role, User};
use crate::i18n::Lang;
use crate::store::notices::{self, NewNotice, NoticeRow, rounds};
use crate::store::outbox::{self, Outbound};
use crate::store::roles;
use crate::store::users::load_user;

/// Days the leaver and the admins have to finish their checklists.
const OFFBOARDING_DAYS: i64 = 7;

/// Someone to offboard.
#[derive(Clone, Copy, Debug)]
pub struct Offboard<'a> {
    pub staff_id: &'a str,
    /// The language of the admins' checklist (the leaver's notice is in theirs).
    pub lang: Lang,
}

/// Offboarding started.
#[derive(Clone, Debug)]
pub struct Offboarded {
    /// The leaver's name (their staff id when the roster has none).
    pub name: String,
    pub leaver_notice: i64,
    pub admin_notice: i64,
    /// Admins the checklist went to (the leaver left out).
    pub admins: usize,
    /// The manager's handover checklist and the manager, when the roster
    /// names an active manager.
    pub manager: Option<(i64, Named)>,
    /// HR people sent the summary (the leaver and the actor left out).
    pub hr: usize,
    pub deadline: NaiveDate,
}

/// Starts offboarding `input.staff_id`.
#[tracing::instrument(skip_all)]
pub async fn offboard(ctx: &Ctx<'_>, input: Offboard<'_>) -> ActionResult<Offboarded> {
    let staff_id = input.staff_id;
    let mut tx = ctx.begin().await?;
    let leaver = start_leaving(tx.conn(), staff_id, ctx.now_ms()).await?;
    let name = if leaver.name.is_empty() {
        staff_id.to_owned()
    } else {
        leaver.name.clone()
    };
    let deadline = local_date(ctx.config.timezone, ctx.now) + Duration::days(OFFBOARDING_DAYS);
    let text = leaver_notice(leaver.lang, &name, deadline);
    let me = [staff_id.to_owned()];
    let leaver_notice =
        create_and_send(tx.conn(), ctx, (text, deadline), (staff_id, "leaver"), &me).await?;
    let admins: Vec<String> = rounds::holders_of(tx.conn(), Role::Admin)
        .await?
        .into_iter()
        .filter(|a| a != staff_id)
        .collect();
    let text = admin_checklist(input.lang, &name, staff_id, deadline);
    let admin_notice = create_and_send(
        tx.conn(),
        ctx,
        (text, deadline),
        (staff_id, "admins"),
        &admins,
    )
    .await?;
    let manager = manager_checklist_for(tx.conn(), ctx, &leaver, deadline).await?;
    let mut done = Offboarded {
        name,
        leaver_notice,
        admin_notice,
        admins: admins.len(),
        manager,
        hr: 0,
        deadline,
    };
    done.hr = tell_hr(&mut tx, ctx, &leaver, &done).await?;
    let details = json!({"leaver_notice": leaver_notice, "admin_notice": admin_notice,
        "admins": admins.len(), "manager_notice": done.manager.as_ref().map(|m| m.0),
        "manager": done.manager.as_ref().map(|m| &m.1.staff_id), "hr": done.hr});
    tx.audit("offboard.start", &format!("user:{staff_id}"), details)
        .await?;
    tx.commit().await?;
    Ok(done)
}

/// Sends the leaver's manager their handover checklist, when the roster
/// names a manager who is active (and not the leaver).
async fn manager_checklist_for(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    leaver: &User,
    deadline: NaiveDate,
) -> anyhow::Result<Option<(i64, Named)>> {
    let staff_id = leaver.staff_id.as_str();
    let Some(id) = notices::manager_of(conn, staff_id).await? else {
        return Ok(None);
    };
    let Some(manager) = load_user(conn, &id)
        .await?
        .filter(|m| m.active && m.staff_id != staff_id)
    else {
        return Ok(None);
    };
    let name = if leaver.name.is_empty() {
        staff_id
    } else {
        &leaver.name
    };
    let text = manager_checklist(manager.lang, name, staff_id, deadline);
    let to = [manager.staff_id.clone()];
    let notice = create_and_send(conn, ctx, (text, deadline), (staff_id, "manager"), &to).await?;
    Ok(Some((notice, manager.person().into())))
}

/// Sends every active HR person but the leaver and the actor the summary,
/// each in their language; returns how many.
async fn tell_hr(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    leaver: &User,
    done: &Offboarded,
) -> anyhow::Result<usize> {
    let actor = ctx.actor.audit_name();
    let mut hr = Vec::new();
    for id in rounds::holders_of(tx.conn(), Role::Hr).await? {
        if id != leaver.staff_id && id != actor {
            // A configured HR person who never wrote to the bot reads Chinese.
            let lang = load_user(tx.conn(), &id)
                .await?
                .map_or(Lang::Zh, |u| u.lang);
            hr.push((id, lang));
        }
    }
    let by = match ctx.actor {
        Actor::Person(u) => u.person(),
        Actor::System(name) => Person {
            staff_id: name,
            name: "",
        },
    };
    let summary = HrSummary {
        leaver: leaver.person(),
        by,
        deadline: done.deadline,
        leaver_notice: done.leaver_notice,
        admin_notice: done.admin_notice,
        admins: done.admins,
        manager: done.manager.as_ref().map(|(id, m)| (*id, m.person())),
    };
    for lang in [Lang::Zh, Lang::En] {
        let to: Vec<String> = hr
            .iter()
            .filter(|(_, l)| *l == lang)
            .map(|(id, _)| id.clone())
            .collect();
        if !to.is_empty() {
            let message = Message::text(hr_summary(&summary, lang));
            outbox::enqueue(tx.conn(), &Outbound::direct(&to, &message), ctx.now_ms()).await?;
        }
    }
    Ok(hr.len())
}

/// The user to offboard, marked as leaving; or why they cannot be.
async fn start_leaving(
    conn: &mut AnyConnection,
    staff_id: &str,
    now_ms: i64,
) -> ActionResult<User> {
    let staff = || staff_id.to_owned();
    let Some(leaver) = load_user(conn, staff_id).await? else {
        return Err(Refusal::LeaverNotOnRoster { staff_id: staff() }.into());
    };
    if !leaver.active {
        return Err(Refusal::LeaverAlreadyLeft { staff_id: staff() }.into());
    }
    if !notices::mark_leaving(conn, staff_id, now_ms).await? {
        return Err(Refusal::OffboardingStarted { staff_id: staff() }.into());
    }
    Ok(leaver)
}

/// Creates an offboarding notice from generated text, marks it as the `part` of
/// `subject`'s offboarding and sends it to `to`; returns its id.
async fn create_and_send(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    ((title, body), deadline): ((String, String), NaiveDate),
    (subject, part): (&str, &str),
    to: &[String],
) -> anyhow::Result<i64> {
    let now_ms = ctx.now_ms();
    let items = parse_body(&body)
        .map_err(|e| anyhow::anyhow!("offboarding template: {e:?}"))?
        .items;
    let new = NewNotice {
        kind: NoticeKind::Offboarding,
        title: &title,
        body: &body,
        deadline: Some(deadline),
        deadline_at: Some(end_of_local_day(ctx.config.timezone, deadline).timestamp_millis()),
        items: &items,
        author: ctx.actor.audit_name(),
        subject: Some(subject),
    };
    let id = notices::create(conn, &new, now_ms).await?;
    notices::set_offboarding_part(conn, id, part).await?;
    let notice = notices::get(conn, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("notice vanished"))?;
    queue_cards(conn, &notice, &items, to, now_ms).await?;
    Ok(id)
}

/// Completes an offboarding when `notice` is its admins' checklist: marks
/// the leaver as left and suspends their roles (never the last active
/// administrator's). Returns the leaver when it did.
pub(super) async fn complete(tx: &mut Tx, notice: &NoticeRow) -> ActionResult<Option<String>> {
    let Some(leaver) = notice.offboarding_checklist_subject().map(str::to_owned) else {
        return Ok(None);
    };
    roles::lock_roles(tx.conn()).await?;
    let is_admin = load_user(tx.conn(), &leaver)
        .await?
        .is_some_and(|u| u.has(Role::Admin));
    if is_admin && roles::count_active_admins(tx.conn()).await? <= 1 {
        return Err(Refusal::OffboardingLastAdmin { staff_id: leaver }.into());
    }
    let left = crate::actions::roster::leave(tx, &leaver, "offboarding").await?;
    Ok(left.then_some(leaver))
}
