//! Offboarding: marks a user as leaving, sends them the leaver's notice and
//! opens the admins' checklist as a notice addressed to admins, in one
//! transaction; both are tracked, reminded and escalated like any notice.
//! Closing the admins' checklist completes the offboarding: the user has
//! left, and their roles are suspended from that moment.

use chrono::{Duration, NaiveDate};
use serde_json::json;
use sqlx::AnyConnection;

use super::send::queue_cards;
use crate::actions::{ActionResult, Ctx, Refusal, Tx};
use crate::domain::notice::templates::{admin_checklist, leaver_notice};
use crate::domain::notice::{NoticeKind, parse_body};
use crate::domain::schedule::{end_of_local_day, local_date};
use crate::domain::{Role, User};
use crate::i18n::Lang;
use crate::store::notices::{self, NewNotice, NoticeRow, rounds};
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
    let leaver_notice = create_and_send(tx.conn(), ctx, text, deadline, staff_id, &me).await?;
    let admins: Vec<String> = rounds::holders_of(tx.conn(), Role::Admin)
        .await?
        .into_iter()
        .filter(|a| a != staff_id)
        .collect();
    let text = admin_checklist(input.lang, &name, staff_id, deadline);
    let admin_notice = create_and_send(tx.conn(), ctx, text, deadline, staff_id, &admins).await?;
    let details = json!({"leaver_notice": leaver_notice, "admin_notice": admin_notice,
        "admins": admins.len()});
    tx.audit("offboard.start", &format!("user:{staff_id}"), details)
        .await?;
    tx.commit().await?;
    Ok(Offboarded {
        name,
        leaver_notice,
        admin_notice,
        admins: admins.len(),
        deadline,
    })
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

/// Creates an exit notice from generated text and sends it to `to`; returns its id.
async fn create_and_send(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    (title, body): (String, String),
    deadline: NaiveDate,
    subject: &str,
    to: &[String],
) -> anyhow::Result<i64> {
    let now_ms = ctx.now_ms();
    let items = parse_body(&body)
        .map_err(|e| anyhow::anyhow!("offboarding template: {e:?}"))?
        .items;
    let new = NewNotice {
        kind: NoticeKind::Exit,
        title: &title,
        body: &body,
        deadline: Some(deadline),
        deadline_at: Some(end_of_local_day(ctx.config.timezone, deadline).timestamp_millis()),
        items: &items,
        author: ctx.actor.audit_name(),
        subject: Some(subject),
    };
    let id = notices::create(conn, &new, now_ms).await?;
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
    let Some(leaver) = notices::offboarding_checklist_subject(tx.conn(), notice).await? else {
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
