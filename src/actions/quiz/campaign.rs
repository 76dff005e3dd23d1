//! Assigning a bank to people: a campaign with its members, the
//! invitations through the outbox (one message per language) and the
//! `quiz.assign` audit entry, in one transaction. Members who passed the
//! bank within `DINGWARDEN_QUIZ_PASS_VALID_DAYS` before are counted as
//! passed and not invited.

use chrono::NaiveDate;
use serde_json::json;
use sqlx::AnyConnection;

use super::{bank, ensure_builtin};
use crate::actions::audience::{Purpose, Targets, resolve};
use crate::actions::{ActionResult, Ctx, Refusal};
use crate::domain::audience::Audience;
use crate::domain::quiz::campaign::Deadline;
use crate::domain::quiz::render::{self, CampaignView};
use crate::domain::schedule::local_date;
use crate::i18n::Lang;
use crate::store::outbox::{self, Outbound, Priority};
use crate::store::quiz::campaigns::{self, NewCampaign};

/// `quiz assign BANK to AUDIENCE [by DATE]`.
#[derive(Clone, Debug)]
pub struct Assign {
    /// The bank's key (any case).
    pub bank: String,
    pub audience: Audience,
    /// The last local day to pass it.
    pub by: Option<NaiveDate>,
}

/// A campaign created.
#[derive(Clone, Debug)]
pub struct Assigned {
    pub campaign: CampaignView,
    /// How many people it was assigned to.
    pub members: usize,
    /// Ids asked for that are unknown or have left.
    pub unknown: Vec<String>,
    /// Members who passed the bank within `DINGWARDEN_QUIZ_PASS_VALID_DAYS`
    /// before the assignment: counted as passed and not invited.
    pub already_passed: Vec<String>,
}

/// Creates a campaign assigned by the actor and queues its invitations.
#[tracing::instrument(skip_all, fields(campaign = tracing::field::Empty))]
pub async fn assign(ctx: &Ctx<'_>, assign: Assign) -> ActionResult<Assigned> {
    let tz = ctx.config.timezone;
    ensure_builtin(ctx.store, ctx.now_ms()).await?;
    if let Some(date) = assign.by.filter(|d| *d < local_date(tz, ctx.now)) {
        return Err(Refusal::DeadlinePast { date }.into());
    }
    let key = assign.bank.to_lowercase();
    let mut tx = ctx.begin().await?;
    let version = bank(tx.conn(), &key).await?;
    let Targets { staff_ids, unknown } =
        resolve(tx.conn(), &assign.audience, Purpose::QuizCampaign).await?;
    if staff_ids.is_empty() {
        return Err(Refusal::NobodyToAssign.into());
    }
    let described = assign.audience.label();
    let new = NewCampaign {
        bank_id: version.bank_id,
        audience: &described,
        assigned_by: ctx.actor.audit_name(),
        deadline: assign.by.map(|d| Deadline::local(tz, d)),
        members: &staff_ids,
        passes_since_ms: passes_since(ctx),
    };
    let created = campaigns::create(tx.conn(), &new, ctx.now_ms()).await?;
    let id = created.id;
    tracing::Span::current().record("campaign", id);
    let view = CampaignView {
        id,
        bank_key: version.bank_key.clone(),
        bank_title: version.title(),
        deadline: assign.by,
        per_attempt: version.questions_per_attempt,
        pass_percent: version.pass_percent,
    };
    invite(tx.conn(), &view, ctx.now_ms()).await?;
    let details = json!({"bank": view.bank_key, "audience": described,
        "members": staff_ids.len(), "deadline": view.deadline.map(|d| d.to_string()),
        "unknown": unknown, "already_passed": created.already_passed});
    tx.audit("quiz.assign", &format!("quiz_campaign:{id}"), details)
        .await?;
    tx.commit().await?;
    Ok(Assigned {
        campaign: view,
        members: staff_ids.len(),
        unknown,
        already_passed: created.already_passed,
    })
}

/// The earliest pass that still counts for a campaign assigned now.
fn passes_since(ctx: &Ctx<'_>) -> i64 {
    let days = i64::from(ctx.config.limits.quiz_pass_valid_days);
    ctx.now_ms().saturating_sub(days * 24 * 3600 * 1000)
}

/// Queues the invitation DMs, one message per language.
async fn invite(conn: &mut AnyConnection, view: &CampaignView, now_ms: i64) -> anyhow::Result<()> {
    let members = campaigns::member_langs(conn, view.id).await?;
    for lang in [Lang::Zh, Lang::En] {
        let ids: Vec<String> = members
            .iter()
            .filter(|(_, l)| *l == lang)
            .map(|(s, _)| s.clone())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let message = render::invitation(view, lang);
        let key = format!("quiz-invite-{}-{}", view.id, lang.code());
        let out = Outbound::direct(&ids, &message)
            .priority(Priority::Bulk)
            .dedupe_key(&key)
            .reference(crate::store::outbox::Reference::QuizCampaign(view.id));
        outbox::enqueue(conn, &out, now_ms).await?;
    }
    Ok(())
}
