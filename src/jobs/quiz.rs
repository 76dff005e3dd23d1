//! The quiz job, run every scheduler tick outside quiet hours: campaign
//! reminders (at most one per member per local day), the deadline
//! escalation (to each manager, and a summary to the admin who assigned the
//! campaign and HR), and follow-up quizzes for failed attempts. Everything
//! goes through the outbox in the transaction that records it.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sqlx::AnyConnection;

use crate::clock::from_ms;
use crate::domain::quiz::Text;
use crate::domain::quiz::campaign::reminder_due;
use crate::domain::quiz::render::{self, CampaignView, Person};
use crate::domain::schedule::{is_quiet, local_date};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::store::audit::{self, AuditEntry};
use crate::store::outbox::{self, Outbound, Priority};
use crate::store::quiz::campaigns::{self, Campaign, Member};
use crate::store::quiz::{banks, review};

/// Who the scheduler's audit entries name as actor.
const ACTOR: &str = "scheduler";

/// One pass: reminders, escalations and follow-ups due at `now`.
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<()> {
    let tz = state.config.timezone;
    if is_quiet(state.config.quiet_hours, tz, now) {
        return Ok(());
    }
    let today = local_date(tz, now);
    let open = {
        let mut conn = state.store.pool().acquire().await?;
        campaigns::open(&mut conn).await?
    };
    for c in &open {
        if c.deadline_at.is_some_and(|at| at <= now.timestamp_millis()) {
            escalate(state, c, now).await?;
        } else {
            remind(state, c, today, now).await?;
        }
    }
    followups(state, now).await
}

fn view(c: &Campaign) -> CampaignView {
    CampaignView {
        id: c.id,
        bank_key: c.bank_key.clone(),
        bank_title: c.title(),
        deadline: c
            .deadline_date
            .as_deref()
            .and_then(crate::commands::parse::parse_date),
        per_attempt: c.per_attempt,
        pass_percent: c.pass_percent,
    }
}

/// Reminds members who have not passed, if today is a reminder day.
async fn remind(
    state: &AppState,
    c: &Campaign,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let tz = state.config.timezone;
    let v = view(c);
    let invited = local_date(tz, from_ms(c.created_at));
    if !reminder_due(invited, v.deadline, today) {
        return Ok(());
    }
    let now_ms = now.timestamp_millis();
    let date = today.to_string();
    let mut tx = state.store.begin_write().await?;
    let mut by_lang: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for m in campaigns::not_passed(tx.conn(), c.id).await? {
        if campaigns::record_sent(tx.conn(), c.id, &m.staff_id, "reminder", &date, now_ms).await? {
            by_lang
                .entry(Lang::from_code(&m.lang).code())
                .or_default()
                .push(m.staff_id);
        }
    }
    for (code, ids) in &by_lang {
        let lang = Lang::from_code(code);
        let message = render::reminder(&v, today, lang);
        // Per-member rows above make this idempotent; the key names the batch.
        let key = format!("quiz-remind-{}-{date}-{code}-{}", c.id, ids[0]);
        let out = Outbound::direct(ids, &message)
            .dedupe_key(&key)
            .reference("quiz_campaign", c.id);
        outbox::enqueue(tx.conn(), &out, now_ms).await?;
    }
    tx.commit().await?;
    if !by_lang.is_empty() {
        let n: usize = by_lang.values().map(Vec::len).sum();
        tracing::info!(campaign = c.id, reminded = n, "quiz reminders queued");
    }
    Ok(())
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
/// passed; the assigning admin and HR get a summary. Runs once per campaign.
async fn escalate(state: &AppState, c: &Campaign, now: DateTime<Utc>) -> anyhow::Result<()> {
    let now_ms = now.timestamp_millis();
    let v = view(c);
    let date = c.deadline_date.clone().unwrap_or_default();
    let mut tx = state.store.begin_write().await?;
    if !campaigns::close(tx.conn(), c.id, now_ms).await? {
        return Ok(());
    }
    let missing = campaigns::not_passed(tx.conn(), c.id).await?;
    for m in &missing {
        campaigns::record_sent(tx.conn(), c.id, &m.staff_id, "escalation", &date, now_ms).await?;
    }
    let managers = notify_managers(tx.conn(), &v, &missing, now_ms).await?;
    let (members, passed) = campaigns::counts(tx.conn(), c.id).await?;
    let people: Vec<Person> = missing.iter().map(person).collect();
    let recipients = campaigns::summary_recipients(tx.conn(), &c.assigned_by).await?;
    let (p, t) = (usize::try_from(passed)?, usize::try_from(members)?);
    for (lang, ids) in by_lang(&recipients) {
        let message = render::escalation_summary(&v, p, t, &people, lang);
        let key = format!("quiz-escalate-{}-summary-{}", c.id, lang.code());
        send(tx.conn(), &ids, &message, &key, c.id, now_ms).await?;
    }
    let details = json!({"deadline": date, "members": members, "passed": passed,
        "not_passed": missing.len(), "managers": managers});
    let subject = format!("quiz_campaign:{}", c.id);
    let entry = AuditEntry {
        actor: ACTOR,
        action: "quiz.escalate",
        subject: &subject,
        details,
    };
    audit::append(tx.conn(), &entry, now_ms).await?;
    tx.commit().await?;
    tracing::info!(
        campaign = c.id,
        not_passed = missing.len(),
        "quiz campaign escalated"
    );
    Ok(())
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
        let lang = Lang::from_code(&campaigns::lang_of(conn, manager).await?);
        let message = render::escalation_to_manager(v, reports, lang);
        let key = format!("quiz-escalate-{}-manager-{manager}", v.id);
        send(
            conn,
            std::slice::from_ref(manager),
            &message,
            &key,
            v.id,
            now_ms,
        )
        .await?;
    }
    Ok(by_manager.len())
}

/// Staff ids grouped by their language code, Chinese first.
fn by_lang(people: &[(String, String)]) -> Vec<(Lang, Vec<String>)> {
    [Lang::Zh, Lang::En]
        .into_iter()
        .map(|lang| {
            let ids = people
                .iter()
                .filter(|(_, l)| Lang::from_code(l) == lang)
                .map(|(s, _)| s.clone())
                .collect::<Vec<_>>();
            (lang, ids)
        })
        .filter(|(_, ids)| !ids.is_empty())
        .collect()
}

async fn send(
    conn: &mut AnyConnection,
    to: &[String],
    message: &crate::domain::Message,
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

/// Offers each due follow-up quiz once.
async fn followups(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<()> {
    let now_ms = now.timestamp_millis();
    let due = {
        let mut conn = state.store.pool().acquire().await?;
        review::due_followups(&mut conn, now_ms).await?
    };
    for f in due {
        let mut tx = state.store.begin_write().await?;
        if !review::mark_followup_sent(tx.conn(), f.id, now_ms).await? {
            continue;
        }
        let user = crate::store::users::load_user(tx.conn(), &f.staff_id).await?;
        let bank = banks::current_by_id(tx.conn(), f.bank_id).await?;
        if let (Some(user), Some(bank)) = (user.filter(|u| u.active), bank) {
            let keys = f.topic_keys();
            let mut topics: Vec<Text> = Vec::new();
            for q in banks::questions(tx.conn(), bank.version_id).await? {
                if keys.contains(&q.topic) && !topics.iter().any(|t| t.en == q.topic_en) {
                    topics.push(Text::new(q.topic_zh, q.topic_en));
                }
            }
            let message =
                render::followup_invite(&bank.title(), &topics, bank.followup_questions, user.lang);
            let key = format!("quiz-followup-{}", f.id);
            let to = [f.staff_id.clone()];
            let out = Outbound::direct(&to, &message)
                .priority(Priority::Normal)
                .dedupe_key(&key)
                .reference("quiz_followup", f.id);
            outbox::enqueue(tx.conn(), &out, now_ms).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}
