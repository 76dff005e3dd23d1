//! Security incidents and feedback reported in chat. Free functions on the
//! caller's transaction, so the record, its audit entry and the admins'
//! notification commit together.

use anyhow::Context as _;
use sqlx::AnyConnection;

/// A stored incident, with the reporter's name from the roster.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct IncidentRow {
    pub id: i64,
    pub reporter: String,
    pub reporter_name: String,
    pub text: String,
    pub status: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub closed_by: Option<String>,
    pub close_note: Option<String>,
}

impl IncidentRow {
    pub fn is_open(&self) -> bool {
        self.status == IncidentStatus::Open.as_str()
    }
}

/// Where an incident stands (`incidents.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncidentStatus {
    Open,
    Closed,
}

impl IncidentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::Open => "open",
            IncidentStatus::Closed => "closed",
        }
    }
}

/// A stored piece of feedback, with the sender's name.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FeedbackRow {
    pub id: i64,
    pub staff_id: String,
    pub name: String,
    pub text: String,
    pub created_at: i64,
}

const INCIDENT_COLUMNS: &str = "SELECT i.id, i.reporter, COALESCE(u.name, '') AS reporter_name, i.text, \
     i.status, i.created_at, i.closed_at, i.closed_by, i.close_note \
     FROM incidents i LEFT JOIN users u ON u.staff_id = i.reporter";

/// Records an incident; returns its id.
pub async fn create_incident(
    conn: &mut AnyConnection,
    reporter: &str,
    text: &str,
    in_group: bool,
    now_ms: i64,
) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO incidents (reporter, text, in_group, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(reporter)
    .bind(text)
    .bind(i64::from(in_group))
    .bind(now_ms)
    .fetch_one(conn)
    .await
    .context("record incident")
}

/// One incident by id.
pub async fn incident(conn: &mut AnyConnection, id: i64) -> anyhow::Result<Option<IncidentRow>> {
    sqlx::query_as(&format!("{INCIDENT_COLUMNS} WHERE i.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
        .context("load incident")
}

/// Incidents with `status`, newest first, at most `limit`.
pub async fn incidents(
    conn: &mut AnyConnection,
    status: IncidentStatus,
    limit: i64,
) -> anyhow::Result<Vec<IncidentRow>> {
    sqlx::query_as(&format!(
        "{INCIDENT_COLUMNS} WHERE i.status = $1 ORDER BY i.id DESC LIMIT $2"
    ))
    .bind(status.as_str())
    .bind(limit)
    .fetch_all(conn)
    .await
    .context("list incidents")
}

/// How many incidents have `status`.
pub async fn count_incidents(
    conn: &mut AnyConnection,
    status: IncidentStatus,
) -> anyhow::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM incidents WHERE status = $1")
        .bind(status.as_str())
        .fetch_one(conn)
        .await
        .context("count incidents")
}

/// Closes an open incident; `false` when it was not open (already closed
/// by someone else in the meantime).
pub async fn close_incident(
    conn: &mut AnyConnection,
    id: i64,
    by: &str,
    note: Option<&str>,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE incidents SET status = 'closed', closed_at = $1, closed_by = $2, close_note = $3 \
         WHERE id = $4 AND status = 'open'",
    )
    .bind(now_ms)
    .bind(by)
    .bind(note)
    .bind(id)
    .execute(conn)
    .await
    .context("close incident")?;
    Ok(done.rows_affected() == 1)
}

/// Stores feedback; returns its id.
pub async fn add_feedback(
    conn: &mut AnyConnection,
    staff_id: &str,
    text: &str,
    now_ms: i64,
) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO feedback (staff_id, text, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(staff_id)
    .bind(text)
    .bind(now_ms)
    .fetch_one(conn)
    .await
    .context("record feedback")
}

/// The latest feedback, newest first, at most `limit`, and how much there is in all.
pub async fn recent_feedback(
    conn: &mut AnyConnection,
    limit: i64,
) -> anyhow::Result<(Vec<FeedbackRow>, i64)> {
    let rows = sqlx::query_as(
        "SELECT f.id, f.staff_id, COALESCE(u.name, '') AS name, f.text, f.created_at \
         FROM feedback f LEFT JOIN users u ON u.staff_id = f.staff_id ORDER BY f.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&mut *conn)
    .await
    .context("list feedback")?;
    let total = sqlx::query_scalar("SELECT COUNT(*) FROM feedback")
        .fetch_one(conn)
        .await
        .context("count feedback")?;
    Ok((rows, total))
}
