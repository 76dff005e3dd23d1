//! Quiz campaigns: members, who passed, and the reminder and escalation
//! bookkeeping that makes the scheduler idempotent per member and day.

use std::collections::HashMap;

use anyhow::Context as _;
use chrono::NaiveDate;
use sqlx::AnyConnection;

use super::text;
use crate::domain::quiz::campaign::Deadline;
use crate::domain::quiz::{CampaignStatus, Nudge, Text};
use crate::domain::schedule::parse_date;
use crate::i18n::Lang;

/// A campaign with its bank, as the scheduler and reports need it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Campaign {
    pub id: i64,
    pub bank_id: i64,
    pub bank_key: String,
    pub title_zh: String,
    pub title_en: String,
    pub per_attempt: i64,
    pub pass_percent: i64,
    pub assigned_by: String,
    pub deadline_date: Option<String>,
    pub deadline_at: Option<i64>,
    #[sqlx(try_from = "String")]
    pub status: CampaignStatus,
    pub escalated_at: Option<i64>,
    pub created_at: i64,
}

impl Campaign {
    pub fn title(&self) -> Text {
        text(self.title_zh.clone(), self.title_en.clone())
    }

    /// The deadline, when the campaign has one.
    pub fn deadline(&self) -> Option<Deadline> {
        let date = self.deadline_date.as_deref().and_then(parse_date)?;
        Some(Deadline {
            date,
            ends_at_ms: self.deadline_at?,
        })
    }
}

const CAMPAIGN_SELECT: &str = "SELECT c.id, c.bank_id, b.bank_key, v.title_zh, v.title_en, \
     v.questions_per_attempt AS per_attempt, v.pass_percent, c.assigned_by, c.deadline_date, \
     c.deadline_at, c.status, c.escalated_at, c.created_at \
     FROM quiz_campaigns c JOIN quiz_banks b ON b.id = c.bank_id \
     JOIN quiz_bank_versions v ON v.id = b.current_version_id";

/// A new campaign.
pub struct NewCampaign<'a> {
    pub bank_id: i64,
    pub audience: &'a str,
    pub assigned_by: &'a str,
    pub deadline: Option<Deadline>,
    pub members: &'a [String],
    /// A pass of the bank at or after this instant counts for the campaign.
    pub passes_since_ms: i64,
}

/// What [`create`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Created {
    pub id: i64,
    /// Members whose earlier pass counts, by staff id: recorded as passed
    /// at that pass, and not invited.
    pub already_passed: Vec<String>,
}

/// Each user's latest pass of `bank_id` (a completed regular attempt)
/// finished between `since_ms` and `now_ms`, by staff id.
pub async fn recent_passes(
    conn: &mut AnyConnection,
    bank_id: i64,
    since_ms: i64,
    now_ms: i64,
) -> anyhow::Result<HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT staff_id, MAX(finished_at) FROM quiz_attempts WHERE bank_id = $1 \
         AND kind = 'regular' AND status = 'completed' AND passed = 1 \
         AND finished_at >= $2 AND finished_at <= $3 GROUP BY staff_id",
    )
    .bind(bank_id)
    .bind(since_ms)
    .bind(now_ms)
    .fetch_all(conn)
    .await
    .context("load recent passes")?;
    Ok(rows.into_iter().collect())
}

/// Writes a campaign and its members (those with a recent pass as passed).
pub async fn create(
    conn: &mut AnyConnection,
    new: &NewCampaign<'_>,
    now_ms: i64,
) -> anyhow::Result<Created> {
    let passes = recent_passes(conn, new.bank_id, new.passes_since_ms, now_ms).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO quiz_campaigns (bank_id, audience, assigned_by, deadline_date, deadline_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(new.bank_id)
    .bind(new.audience)
    .bind(new.assigned_by)
    .bind(new.deadline.map(|d| d.date.to_string()))
    .bind(new.deadline.map(|d| d.ends_at_ms))
    .bind(now_ms)
    .fetch_one(&mut *conn)
    .await
    .context("insert campaign")?;
    let mut already_passed = Vec::new();
    for staff_id in new.members {
        let passed_at = passes.get(staff_id).copied();
        sqlx::query(
            "INSERT INTO quiz_campaign_members (campaign_id, staff_id, invited_at, passed_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (campaign_id, staff_id) DO NOTHING",
        )
        .bind(id)
        .bind(staff_id)
        .bind(now_ms)
        .bind(passed_at)
        .execute(&mut *conn)
        .await
        .context("insert campaign member")?;
        if passed_at.is_some() {
            already_passed.push(staff_id.clone());
        }
    }
    already_passed.sort_unstable();
    already_passed.dedup();
    Ok(Created { id, already_passed })
}

/// Campaigns that may still need reminders or an escalation.
pub async fn open(conn: &mut AnyConnection) -> anyhow::Result<Vec<Campaign>> {
    sqlx::query_as(&format!(
        "{CAMPAIGN_SELECT} WHERE c.status = 'open' ORDER BY c.id"
    ))
    .fetch_all(conn)
    .await
    .context("load open campaigns")
}

/// Every campaign of a bank, newest first.
pub async fn of_bank(conn: &mut AnyConnection, bank_id: i64) -> anyhow::Result<Vec<Campaign>> {
    sqlx::query_as(&format!(
        "{CAMPAIGN_SELECT} WHERE c.bank_id = $1 ORDER BY c.id DESC"
    ))
    .bind(bank_id)
    .fetch_all(conn)
    .await
    .context("load campaigns of bank")
}

/// The open campaign of `bank_id` the user has not passed, earliest deadline first.
pub async fn pending_for(
    conn: &mut AnyConnection,
    staff_id: &str,
    bank_id: Option<i64>,
) -> anyhow::Result<Vec<Campaign>> {
    sqlx::query_as(&format!(
        "{CAMPAIGN_SELECT} JOIN quiz_campaign_members m ON m.campaign_id = c.id \
         WHERE m.staff_id = $1 AND m.passed_at IS NULL AND ($2 = 0 OR c.bank_id = $2) \
         ORDER BY c.deadline_at IS NULL, c.deadline_at, c.id"
    ))
    .bind(staff_id)
    .bind(bank_id.unwrap_or(0))
    .fetch_all(conn)
    .await
    .context("load pending campaigns")
}

/// Records a pass for every campaign of the bank the user belongs to and
/// had not passed; returns their ids.
pub async fn mark_passed(
    conn: &mut AnyConnection,
    staff_id: &str,
    bank_id: i64,
    now_ms: i64,
) -> anyhow::Result<Vec<i64>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT m.campaign_id FROM quiz_campaign_members m JOIN quiz_campaigns c ON c.id = m.campaign_id \
         WHERE m.staff_id = $1 AND c.bank_id = $2 AND m.passed_at IS NULL ORDER BY m.campaign_id",
    )
    .bind(staff_id)
    .bind(bank_id)
    .fetch_all(&mut *conn)
    .await
    .context("find campaigns passed")?;
    for id in &ids {
        sqlx::query(
            "UPDATE quiz_campaign_members SET passed_at = $1 WHERE campaign_id = $2 AND staff_id = $3",
        )
        .bind(now_ms)
        .bind(id)
        .bind(staff_id)
        .execute(&mut *conn)
        .await
        .context("record campaign pass")?;
    }
    Ok(ids)
}

/// A member who has not passed, with what reminders and escalations need.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Member {
    pub staff_id: String,
    pub name: String,
    pub lang: String,
    pub department: Option<String>,
    pub manager_staff_id: Option<String>,
    pub invited_at: i64,
}

/// Active members of a campaign who have not passed, by staff id.
pub async fn not_passed(conn: &mut AnyConnection, campaign_id: i64) -> anyhow::Result<Vec<Member>> {
    sqlx::query_as(
        "SELECT u.staff_id, u.name, u.lang, d.path AS department, u.manager_staff_id, m.invited_at \
         FROM quiz_campaign_members m JOIN users u ON u.staff_id = m.staff_id \
         LEFT JOIN departments d ON d.id = u.department_id \
         WHERE m.campaign_id = $1 AND m.passed_at IS NULL AND u.active = 1 ORDER BY u.staff_id COLLATE \"binary\"",
    )
    .bind(campaign_id)
    .fetch_all(conn)
    .await
    .context("load members not passed")
}

/// `(members, passed)` of a campaign.
pub async fn counts(conn: &mut AnyConnection, campaign_id: i64) -> anyhow::Result<(i64, i64)> {
    sqlx::query_as(
        "SELECT COUNT(*), COUNT(passed_at) FROM quiz_campaign_members WHERE campaign_id = $1",
    )
    .bind(campaign_id)
    .fetch_one(conn)
    .await
    .context("count campaign members")
}

/// A reminder or escalation about one member on a local day.
#[derive(Clone, Copy, Debug)]
pub struct Sent<'a> {
    pub campaign_id: i64,
    pub staff_id: &'a str,
    pub nudge: Nudge,
    pub day: NaiveDate,
}

/// Records that `sent.nudge` went out about a member on a local day;
/// `false` when it already had (another tick or replica).
pub async fn record_sent(
    conn: &mut AnyConnection,
    sent: &Sent<'_>,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let (campaign_id, staff_id) = (sent.campaign_id, sent.staff_id);
    let done = sqlx::query(
        "INSERT INTO quiz_reminders (campaign_id, staff_id, kind, local_date, sent_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (campaign_id, staff_id, kind, local_date) DO NOTHING",
    )
    .bind(campaign_id)
    .bind(staff_id)
    .bind(sent.nudge.as_str())
    .bind(sent.day.to_string())
    .bind(now_ms)
    .execute(&mut *conn)
    .await
    .context("record reminder")?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    let column = if sent.nudge == Nudge::Escalation {
        "escalated_at = $1"
    } else {
        "reminders_sent = reminders_sent + 1, last_reminded_at = $1"
    };
    sqlx::query(&format!(
        "UPDATE quiz_campaign_members SET {column} WHERE campaign_id = $2 AND staff_id = $3"
    ))
    .bind(now_ms)
    .bind(campaign_id)
    .bind(staff_id)
    .execute(conn)
    .await
    .context("count reminder")?;
    Ok(true)
}

/// Closes a campaign after its deadline escalation; `false` if already closed.
pub async fn close(
    conn: &mut AnyConnection,
    campaign_id: i64,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE quiz_campaigns SET status = 'closed', escalated_at = $1 WHERE id = $2 AND status = 'open'",
    )
    .bind(now_ms)
    .bind(campaign_id)
    .execute(conn)
    .await
    .context("close campaign")?;
    Ok(done.rows_affected() == 1)
}

/// `(staff id, language)` of each member of a campaign who has not passed it.
pub async fn member_langs(
    conn: &mut AnyConnection,
    campaign_id: i64,
) -> anyhow::Result<Vec<(String, Lang)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.staff_id, COALESCE(u.lang, 'zh') FROM quiz_campaign_members m \
         LEFT JOIN users u ON u.staff_id = m.staff_id WHERE m.campaign_id = $1 \
         AND m.passed_at IS NULL ORDER BY m.staff_id COLLATE \"binary\"",
    )
    .bind(campaign_id)
    .fetch_all(conn)
    .await
    .context("load member languages")?;
    Ok(with_langs(rows))
}

fn with_langs(rows: Vec<(String, String)>) -> Vec<(String, Lang)> {
    rows.into_iter()
        .map(|(staff_id, code)| (staff_id, Lang::from_code(&code)))
        .collect()
}

/// `(staff id, language)` of the people who get a campaign's summary:
/// whoever assigned it and every active HR user.
pub async fn summary_recipients(
    conn: &mut AnyConnection,
    assigned_by: &str,
) -> anyhow::Result<Vec<(String, Lang)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT r.staff_id, COALESCE(u.lang, 'zh') FROM ( \
           SELECT $1 AS staff_id UNION SELECT staff_id FROM user_roles WHERE role = 'hr' \
         ) r LEFT JOIN users u ON u.staff_id = r.staff_id \
         WHERE COALESCE(u.active, 1) = 1 ORDER BY r.staff_id COLLATE \"binary\"",
    )
    .bind(assigned_by)
    .fetch_all(conn)
    .await
    .context("load summary recipients")?;
    Ok(with_langs(rows))
}

/// The language of a user (Chinese when unknown).
pub async fn lang_of(conn: &mut AnyConnection, staff_id: &str) -> anyhow::Result<Lang> {
    let lang: Option<String> = sqlx::query_scalar("SELECT lang FROM users WHERE staff_id = $1")
        .bind(staff_id)
        .fetch_optional(conn)
        .await
        .context("load user language")?;
    Ok(lang.map_or(Lang::Zh, |l| Lang::from_code(&l)))
}
