//! Password rotation storage: the policy (a setting), confirmations, the
//! reminder and escalation bookkeeping whose unique keys make every reminder
//! happen once, and forced-change campaigns with their per-user state.

use std::collections::{HashMap, HashSet};

use anyhow::Context as _;
use chrono::NaiveDate;
use sqlx::AnyConnection;

use super::Store;
use super::settings::put_setting;
use crate::domain::password::{self, Facts, Holder, POLICY_SETTING, PendingReset, Policy};
use crate::i18n::Lang;

mod claims;

pub use claims::claim;

#[derive(sqlx::FromRow)]
struct HolderRow {
    staff_id: String,
    name: String,
    lang: String,
    department: Option<String>,
    manager_staff_id: Option<String>,
    password_changed_at: Option<i64>,
    first_seen_at: i64,
    confirmed_at: Option<i64>,
}

impl From<HolderRow> for Holder {
    fn from(r: HolderRow) -> Self {
        Holder {
            staff_id: r.staff_id,
            name: r.name,
            lang: Lang::from_code(&r.lang),
            department: r.department,
            manager: r.manager_staff_id,
            facts: Facts {
                roster_changed_ms: r.password_changed_at,
                confirmed_ms: r.confirmed_at,
                first_seen_ms: r.first_seen_at,
                reminded: Default::default(),
            },
        }
    }
}

const HOLDERS_SQL: &str = "SELECT u.staff_id, u.name, u.lang, d.path AS department, \
     u.manager_staff_id, u.password_changed_at, u.first_seen_at, \
     (SELECT MAX(c.confirmed_at) FROM password_confirmations c WHERE c.staff_id = u.staff_id) AS confirmed_at \
     FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE u.active = 1";

/// When the first reminder about each (user, due date) went out.
const FIRST_REMINDERS_SQL: &str =
    "SELECT staff_id, due_date, MIN(sent_at) AS first_at FROM password_reminders";

#[derive(sqlx::FromRow)]
struct ResetRow {
    reset_id: i64,
    staff_id: String,
    reason: String,
    notified_at: i64,
    escalated_at: Option<i64>,
}

const PENDING_RESETS_SQL: &str = "SELECT t.reset_id, t.staff_id, r.reason, t.notified_at, t.escalated_at \
     FROM password_reset_targets t JOIN password_resets r ON r.id = t.reset_id \
     JOIN users u ON u.staff_id = t.staff_id WHERE t.done_at IS NULL AND u.active = 1";

impl From<ResetRow> for PendingReset {
    fn from(r: ResetRow) -> Self {
        PendingReset {
            reset_id: r.reset_id,
            staff_id: r.staff_id,
            reason: r.reason,
            notified_ms: r.notified_at,
            escalated: r.escalated_at.is_some(),
        }
    }
}

impl Store {
    /// The current policy; the default (90 days, 7/3/1) until one is set.
    pub async fn password_policy(&self) -> anyhow::Result<Policy> {
        Ok(self
            .setting(POLICY_SETTING)
            .await?
            .and_then(|s| Policy::decode(&s))
            .unwrap_or_default())
    }

    /// Every active user with what is known about their password, by staff id.
    pub async fn password_holders(&self) -> anyhow::Result<Vec<Holder>> {
        let rows: Vec<HolderRow> = sqlx::query_as(&format!(
            "{HOLDERS_SQL} ORDER BY u.staff_id COLLATE \"binary\""
        ))
        .fetch_all(self.pool())
        .await
        .context("list password holders")?;
        let mut holders: Vec<Holder> = rows.into_iter().map(Holder::from).collect();
        let firsts: Vec<(String, String, i64)> = sqlx::query_as(&format!(
            "{FIRST_REMINDERS_SQL} GROUP BY staff_id, due_date"
        ))
        .fetch_all(self.pool())
        .await
        .context("list first password reminders")?;
        let by_id: HashMap<String, usize> = holders
            .iter()
            .enumerate()
            .map(|(i, h)| (h.staff_id.clone(), i))
            .collect();
        for (staff_id, due, at) in firsts {
            if let (Some(&i), Some(due)) = (by_id.get(&staff_id), parse_date(&due)) {
                holders[i].facts.reminded.insert(due, at);
            }
        }
        Ok(holders)
    }

    /// One active user's password facts.
    pub async fn password_holder(&self, staff_id: &str) -> anyhow::Result<Option<Holder>> {
        let row: Option<HolderRow> = sqlx::query_as(&format!("{HOLDERS_SQL} AND u.staff_id = $1"))
            .bind(staff_id)
            .fetch_optional(self.pool())
            .await
            .context("load password holder")?;
        let Some(mut holder) = row.map(Holder::from) else {
            return Ok(None);
        };
        let firsts: Vec<(String, String, i64)> = sqlx::query_as(&format!(
            "{FIRST_REMINDERS_SQL} WHERE staff_id = $1 GROUP BY staff_id, due_date"
        ))
        .bind(staff_id)
        .fetch_all(self.pool())
        .await
        .context("list first password reminders")?;
        for (_, due, at) in firsts {
            if let Some(due) = parse_date(&due) {
                holder.facts.reminded.insert(due, at);
            }
        }
        Ok(Some(holder))
    }

    /// Forced changes still pending for active users, oldest campaign first.
    pub async fn pending_resets(&self) -> anyhow::Result<Vec<PendingReset>> {
        let rows: Vec<ResetRow> = sqlx::query_as(&format!(
            "{PENDING_RESETS_SQL} ORDER BY t.reset_id, t.staff_id COLLATE \"binary\""
        ))
        .fetch_all(self.pool())
        .await
        .context("list pending forced changes")?;
        Ok(rows.into_iter().map(PendingReset::from).collect())
    }

    /// Forced changes still pending for one user.
    pub async fn pending_resets_of(&self, staff_id: &str) -> anyhow::Result<Vec<PendingReset>> {
        let rows: Vec<ResetRow> = sqlx::query_as(&format!(
            "{PENDING_RESETS_SQL} AND t.staff_id = $1 ORDER BY t.reset_id"
        ))
        .bind(staff_id)
        .fetch_all(self.pool())
        .await
        .context("list a user's pending forced changes")?;
        Ok(rows.into_iter().map(PendingReset::from).collect())
    }

    /// Keys ([`password::Action::key`]) of what was already sent: reminders
    /// since `since_ms`, every escalation, and forced-change reminders of `today`.
    pub async fn password_sent_keys(
        &self,
        since_ms: i64,
        today: NaiveDate,
    ) -> anyhow::Result<HashSet<String>> {
        let mut keys = HashSet::new();
        let reminders: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT staff_id, due_date, threshold FROM password_reminders WHERE sent_at >= $1",
        )
        .bind(since_ms)
        .fetch_all(self.pool())
        .await
        .context("list sent password reminders")?;
        for (staff, due, threshold) in reminders {
            keys.extend(parse_date(&due).map(|d| password::remind_key(&staff, d, threshold)));
        }
        let escalations: Vec<(String, String)> =
            sqlx::query_as("SELECT staff_id, due_date FROM password_escalations")
                .fetch_all(self.pool())
                .await
                .context("list password escalations")?;
        for (staff, due) in escalations {
            keys.extend(parse_date(&due).map(|d| password::escalate_key(&staff, d)));
        }
        let resets: Vec<(i64, String)> = sqlx::query_as(
            "SELECT reset_id, staff_id FROM password_reset_reminders WHERE local_date = $1",
        )
        .bind(today.to_string())
        .fetch_all(self.pool())
        .await
        .context("list forced-change reminders")?;
        for (id, staff) in resets {
            keys.insert(password::reset_remind_key(id, &staff, today));
        }
        Ok(keys)
    }
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Stores the policy inside the caller's transaction.
pub async fn put_policy(
    conn: &mut AnyConnection,
    policy: &Policy,
    now_ms: i64,
) -> anyhow::Result<()> {
    put_setting(conn, POLICY_SETTING, &policy.encode(), now_ms).await
}

/// Records `password done`: a new cycle starts now and the user's pending
/// forced changes are done. Returns the ids of the forced changes closed.
pub async fn record_confirmation(
    conn: &mut AnyConnection,
    staff_id: &str,
    now_ms: i64,
) -> anyhow::Result<Vec<i64>> {
    sqlx::query("INSERT INTO password_confirmations (staff_id, confirmed_at) VALUES ($1, $2)")
        .bind(staff_id)
        .bind(now_ms)
        .execute(&mut *conn)
        .await
        .context("record password confirmation")?;
    let closed: Vec<i64> = sqlx::query_scalar(
        "SELECT reset_id FROM password_reset_targets WHERE staff_id = $1 AND done_at IS NULL \
         ORDER BY reset_id",
    )
    .bind(staff_id)
    .fetch_all(&mut *conn)
    .await
    .context("list pending forced changes")?;
    sqlx::query(
        "UPDATE password_reset_targets SET done_at = $1 WHERE staff_id = $2 AND done_at IS NULL",
    )
    .bind(now_ms)
    .bind(staff_id)
    .execute(conn)
    .await
    .context("close forced changes")?;
    Ok(closed)
}

/// A forced-change campaign to create.
#[derive(Clone, Copy, Debug)]
pub struct NewReset<'a> {
    pub reason: &'a str,
    /// The audience as people read it (`all`, `dept 研发部`…).
    pub audience: &'a str,
    pub created_by: &'a str,
    /// Who must change their password.
    pub staff_ids: &'a [String],
}

/// Creates a forced-change campaign pending for its people; returns its id.
pub async fn create_reset(
    conn: &mut AnyConnection,
    new: &NewReset<'_>,
    now_ms: i64,
) -> anyhow::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO password_resets (reason, audience, created_by, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(new.reason)
    .bind(new.audience)
    .bind(new.created_by)
    .bind(now_ms)
    .fetch_one(&mut *conn)
    .await
    .context("create forced change")?;
    for staff_id in new.staff_ids {
        sqlx::query(
            "INSERT INTO password_reset_targets (reset_id, staff_id, notified_at) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(staff_id)
        .bind(now_ms)
        .execute(&mut *conn)
        .await
        .context("add forced-change target")?;
    }
    Ok(id)
}

/// The reply languages of these users (Chinese when unknown), in order.
pub async fn languages(
    conn: &mut AnyConnection,
    staff_ids: &[String],
) -> anyhow::Result<Vec<(String, Lang)>> {
    let known: Vec<(String, String)> = sqlx::query_as("SELECT staff_id, lang FROM users")
        .fetch_all(conn)
        .await
        .context("look up languages")?;
    let known: std::collections::HashMap<String, String> = known.into_iter().collect();
    Ok(staff_ids
        .iter()
        .map(|id| {
            (
                id.clone(),
                known.get(id).map_or(Lang::Zh, |l| Lang::from_code(l)),
            )
        })
        .collect())
}
