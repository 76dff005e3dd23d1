//! Reminder and escalation bookkeeping. A round (`remind` N, a `manual`
//! reminder, the deadline `escalate`) is claimed by inserting its unique key
//! in the transaction that does its work, so a second replica or a second
//! tick finds it taken and does nothing.

use std::collections::HashMap;

use anyhow::Context as _;
use sqlx::AnyConnection;

use super::recipients::stamp;
use super::{IDS_PER_STATEMENT, placeholders};
use crate::domain::Role;
use crate::domain::notice::round::RoundKind;

/// Whether a round was already claimed (a cheap read before taking the writer).
pub async fn exists(
    conn: &mut AnyConnection,
    notice_id: i64,
    kind: RoundKind,
    key: &str,
) -> anyhow::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM notice_rounds WHERE notice_id = $1 AND kind = $2 AND round_key = $3",
    )
    .bind(notice_id)
    .bind(kind.as_str())
    .bind(key)
    .fetch_one(conn)
    .await
    .context("look up round")?;
    Ok(n > 0)
}

/// Claims a round; `false` if someone already ran it.
pub async fn claim(
    conn: &mut AnyConnection,
    notice_id: i64,
    kind: RoundKind,
    key: &str,
    actor: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "INSERT INTO notice_rounds (notice_id, kind, round_key, at, actor) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (notice_id, kind, round_key) DO NOTHING",
    )
    .bind(notice_id)
    .bind(kind.as_str())
    .bind(key)
    .bind(now_ms)
    .bind(actor)
    .execute(conn)
    .await
    .context("claim round")?;
    Ok(done.rows_affected() == 1)
}

/// Records how many people a claimed round reached.
pub async fn set_count(
    conn: &mut AnyConnection,
    notice_id: i64,
    kind: RoundKind,
    key: &str,
    recipients: usize,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE notice_rounds SET recipients = $1 WHERE notice_id = $2 AND kind = $3 AND round_key = $4",
    )
    .bind(i64::try_from(recipients)?)
    .bind(notice_id)
    .bind(kind.as_str())
    .bind(key)
    .execute(conn)
    .await
    .context("count round")?;
    Ok(())
}

/// Someone to remind, with their current reply language.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Target {
    pub staff_id: String,
    pub lang: String,
}

/// Who has not acknowledged, is still in the organisation, was not refused
/// by DingTalk, and was neither reminded nor added after `quiet_since_ms`.
pub async fn remind_targets(
    conn: &mut AnyConnection,
    notice_id: i64,
    quiet_since_ms: i64,
) -> anyhow::Result<Vec<Target>> {
    sqlx::query_as(
        "SELECT r.staff_id, COALESCE(u.lang, r.lang) AS lang FROM notice_recipients r \
         LEFT JOIN users u ON u.staff_id = r.staff_id \
         WHERE r.notice_id = $1 AND r.acked_at IS NULL AND r.undeliverable_at IS NULL \
           AND COALESCE(u.active, 1) = 1 AND COALESCE(r.reminded_at, r.added_at) <= $2 \
         ORDER BY r.staff_id COLLATE \"binary\"",
    )
    .bind(notice_id)
    .bind(quiet_since_ms)
    .fetch_all(conn)
    .await
    .context("list people to remind")
}

/// Counts a reminder for each of these recipients.
pub async fn mark_reminded(
    conn: &mut AnyConnection,
    notice_id: i64,
    staff_ids: &[String],
    now_ms: i64,
) -> anyhow::Result<()> {
    for chunk in staff_ids.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "UPDATE notice_recipients SET reminded_at = $1, reminders_sent = reminders_sent + 1 \
             WHERE notice_id = $2 AND staff_id IN ({})",
            placeholders(3, chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(now_ms).bind(notice_id);
        for id in chunk {
            q = q.bind(id);
        }
        q.execute(&mut *conn).await.context("count reminders")?;
    }
    Ok(())
}

/// A recipient past the deadline without an acknowledgement.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Overdue {
    pub staff_id: String,
    /// Their name on the roster now.
    pub name: String,
    /// Their manager on the roster now.
    pub manager: Option<String>,
}

/// Everyone overdue on a notice (not acknowledged, still in the organisation).
pub async fn overdue(conn: &mut AnyConnection, notice_id: i64) -> anyhow::Result<Vec<Overdue>> {
    sqlx::query_as(
        "SELECT r.staff_id, COALESCE(u.name, r.name) AS name, u.manager_staff_id AS manager \
         FROM notice_recipients r \
         LEFT JOIN users u ON u.staff_id = r.staff_id \
         WHERE r.notice_id = $1 AND r.acked_at IS NULL AND COALESCE(u.active, 1) = 1 \
         ORDER BY r.staff_id COLLATE \"binary\"",
    )
    .bind(notice_id)
    .fetch_all(conn)
    .await
    .context("list overdue recipients")
}

/// Stamps the escalation on these recipients.
pub async fn mark_escalated(
    conn: &mut AnyConnection,
    notice_id: i64,
    staff_ids: &[String],
    now_ms: i64,
) -> anyhow::Result<()> {
    stamp(conn, "escalated_at", notice_id, staff_ids, now_ms).await?;
    Ok(())
}

/// The reply languages of these users (unknown users are left out).
pub async fn langs(
    conn: &mut AnyConnection,
    staff_ids: &[String],
) -> anyhow::Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for chunk in staff_ids.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "SELECT staff_id, lang FROM users WHERE staff_id IN ({})",
            placeholders(1, chunk.len())
        );
        let mut q = sqlx::query_as::<_, (String, String)>(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        out.extend(q.fetch_all(&mut *conn).await.context("load languages")?);
    }
    Ok(out)
}

/// Everyone holding `role` who has not left, by staff id.
pub async fn holders_of(conn: &mut AnyConnection, role: Role) -> anyhow::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT ur.staff_id FROM user_roles ur LEFT JOIN users u ON u.staff_id = ur.staff_id \
         WHERE ur.role = $1 AND COALESCE(u.active, 1) = 1 ORDER BY ur.staff_id COLLATE \"binary\"",
    )
    .bind(role.as_str())
    .fetch_all(conn)
    .await
    .context("list role holders")
}

/// How many rounds of `kind` a notice has had.
pub async fn count(
    conn: &mut AnyConnection,
    notice_id: i64,
    kind: RoundKind,
) -> anyhow::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM notice_rounds WHERE notice_id = $1 AND kind = $2")
        .bind(notice_id)
        .bind(kind.as_str())
        .fetch_one(conn)
        .await
        .context("count rounds")
}

/// When the latest reminder round (scheduled or manual) of a notice was claimed.
pub async fn last_reminded_at(
    conn: &mut AnyConnection,
    notice_id: i64,
) -> anyhow::Result<Option<i64>> {
    sqlx::query_scalar(
        "SELECT MAX(at) FROM notice_rounds WHERE notice_id = $1 AND kind IN ($2, $3)",
    )
    .bind(notice_id)
    .bind(RoundKind::Remind.as_str())
    .bind(RoundKind::Manual.as_str())
    .fetch_one(conn)
    .await
    .context("load the last reminder round")
}
