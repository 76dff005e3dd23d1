//! The scheduler's campaign rounds: reminders to members who have not
//! passed (at most one per member per local day), and the deadline
//! escalation (to each manager, and a summary to whoever assigned the
//! campaign and HR), each with its outbox rows in one transaction.

use std::collections::BTreeMap;

use serde_json::json;
use sqlx::AnyConnection;

use crate::actions::{ActionResult, Ctx};
use crate::clock::from_ms;
use crate::domain::Message;
use crate::domain::quiz::Nudge;
use crate::domain::quiz::campaign::{Round, round_due};
use crate::domain::quiz::render::{self, CampaignView, Person};
use crate::domain::schedule::local_date;
use crate::i18n::Lang;
use crate::store::outbox::{self, Outbound};
use crate::store::quiz::campaigns::{self, Campaign, Member, Sent};

/// An open campaign and the round it is due today.
#[derive(Clone, Debug)]
pub struct DueRound {
    pub campaign: Campaign,
    pub round: Round,
}

/// A campaign closed at its deadline.
#[derive(Clone, Copy, Debug)]
pub struct Escalated {
    /// Members who had not passed.
    pub not_passed: usize,
    /// Managers told.
    pub managers: usize,
}

/// Open campaigns with a round due at the context's `now`.
pub async fn due_rounds(ctx: &Ctx<'_>) -> anyhow::Result<Vec<DueRound>> {
    let tz = ctx.config.timezone;
    let today = local_date(tz, ctx.now);
    let open = campaigns::open(&mut *ctx.read().await?).await?;
    Ok(open
        .into_iter()
        .filter_map(|campaign| {
            let invited = local_date(tz, from_ms(campaign.created_at));
            let round = round_due(invited, campaign.deadline(), today, ctx.now_ms())?;
            Some(DueRound { campaign, round })
        })
        .collect())
}

fn view(c: &Campaign) -> CampaignView {
    CampaignView {
        id: c.id,
        bank_key: c.bank_key.clone(),
        bank_title: c.title(),
        deadline: c.deadline().map(|d| d.date),
        per_attempt: c.per_attempt,
        pass_percent: c.pass_percent,
    }
}

/// Reminds the members of `c` who have not passed and were not reminded
/// today; returns how many were.
#[tracing::instrument(skip_all, fields(campaign = c.id))]
pub async fn remind(ctx: &Ctx<'_>, c: &Campaign) -> ActionResult<usize> {
    let (v, now_ms) = (view(c), ctx.now_ms());
    let today = local_date(ctx.config.timezone, ctx.now);
    let mut tx = ctx.begin().await?;
    let mut by_lang: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for m in campaigns::not_passed(tx.conn(), c.id).await? {
        let sent = Sent {
            campaign_id: c.id,
            staff_id: &m.staff_id,
            nudge: Nudge::Reminder,
            day: today,
        };
        if campaigns::record_sent(tx.conn(), &sent, now_ms).await? {
            let code = Lang::from_code(&m.lang).code();
            by_lang.entry(code).or_default().push(m.staff_id);
        }
    }
    for (code, ids) in &by_lang {
        let message = render::reminder(&v, today, Lang::from_code(code));
        // Per-member rows above make this idempotent; the key names the batch.
        let key = format!("quiz-remind-{}-{today}-{code}-{}", c.id, ids[0]);
        send(tx.conn(), ids, &message, &key, c.id, now_ms).await?;
    }
    tx.commit().await?;
    Ok(by_lang.values().map(Vec::len).sum())
}

fn person(m: &Member) -> Person {
    Person {
        staff_id: m.staff_id.clone(),
        name: if m.name.is_empty() {
            m.staff_id.clone()
        } else {
            m.name.clone()
        },
        department: m.department.clone(),
    }
}

/// At the deadline: each manager hears about their reports who have not
/// passed; the assigner and HR get a summary; the campaign closes (audited
/// as `quiz.escalate`). `None` when it was closed already.
#[tracing::instrument(skip_all, fields(campaign = c.id))]
pub async fn escalate(ctx: &Ctx<'_>, c: &Campaign) -> ActionResult<Option<Escalated>> {
    let (v, now_ms) = (view(c), ctx.now_ms());
    let date = c.deadline_date.clone().unwrap_or_default();
    let mut tx = ctx.begin().await?;
    if !campaigns::close(tx.conn(), c.id, now_ms).await? {
        return Ok(None);
    }
    let missing = campaigns::not_passed(tx.conn(), c.id).await?;
    if let Some(day) = v.deadline {
        for m in &missing {
            let sent = Sent {
                campaign_id: c.id,
                staff_id: &m.staff_id,
                nudge: Nudge::Escalation,
                day,
            };
            campaigns::record_sent(tx.conn(), &sent, now_ms).await?;
        }
    }
    let managers = notify_managers(tx.conn(), &v, &missing, now_ms).await?;
    let (members, passed) = campaigns::counts(tx.conn(), c.id).await?;
    let people: Vec<Person> = missing.iter().map(person).collect();
    let recipients = campaigns::summary_recipients(tx.conn(), &c.assigned_by).await?;
    let (p, t) = (
        usize::try_from(passed).map_err(anyhow::Error::from)?,
        usize::try_from(members).map_err(anyhow::Error::from)?,
    );
    for (lang, ids) in by_lang(&recipients) {
        let message = render::escalation_summary(&v, p, t, &people, lang);
        let key = format!("quiz-escalate-{}-summary-{}", c.id, lang.code());
        send(tx.conn(), &ids, &message, &key, c.id, now_ms).await?;
    }
    let details = json!({"deadline": date, "members": members, "passed": passed,
        "not_passed": missing.len(), "managers": managers});
    tx.audit("quiz.escalate", &format!("quiz_campaign:{}", c.id), details)
        .await?;
    tx.commit().await?;
    Ok(Some(Escalated {
        not_passed: missing.len(),
        managers,
    }))
}

/// Tells each manager which of their reports have not passed; returns how many managers.
async fn notify_managers(
    conn: &mut AnyConnection,
    v: &CampaignView,
    missing: &[Member],
    now_ms: i64,
) -> anyhow::Result<usize> {
    let mut by_manager: BTreeMap<String, Vec<Person>> = BTreeMap::new();
    for m in missing {
        if let Some(manager) = m.manager_staff_id.as_deref().filter(|s| !s.is_empty()) {
            by_manager
                .entry(manager.to_owned())
                .or_default()
                .push(person(m));
        }
    }
    for (manager, reports) in &by_manager {
        let lang = campaigns::lang_of(conn, manager).await?;
        let message = render::escalation_to_manager(v, reports, lang);
        let key = format!("quiz-escalate-{}-manager-{manager}", v.id);
        let to = std::slice::from_ref(manager);
        send(conn, to, &message, &key, v.id, now_ms).await?;
    }
    Ok(by_manager.len())
}

/// Staff ids grouped by language, Chinese first.
fn by_lang(people: &[(String, Lang)]) -> Vec<(Lang, Vec<String>)> {
    [Lang::Zh, Lang::En]
        .into_iter()
        .map(|lang| {
            let ids = people
                .iter()
                .filter(|(_, l)| *l == lang)
                .map(|(s, _)| s.clone())
                .collect::<Vec<_>>();
            (lang, ids)
        })
        .filter(|(_, ids)| !ids.is_empty())
        .collect()
}

/// Queues a campaign message to `to`.
async fn send(
    conn: &mut AnyConnection,
    to: &[String],
    message: &Message,
    key: &str,
    campaign: i64,
    now_ms: i64,
) -> anyhow::Result<()> {
    let out = Outbound::direct(to, message)
        .dedupe_key(key)
        .reference("quiz_campaign", campaign);
    outbox::enqueue(conn, &out, now_ms).await?;
    Ok(())
}
