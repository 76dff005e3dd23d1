//! Reads for the evidence bundle, over one consistent snapshot: notices of
//! a period with who closed them, quiz campaigns with their figures,
//! password confirmations and forced changes, incidents and feedback, and
//! the roster as it stands. Every query takes `since_ms` (`i64::MIN` for
//! everything); records still open count as part of any period.

use anyhow::Context as _;
use sqlx::{Any, AnyConnection, Transaction};

use super::{Backend, Store};

/// A read-only transaction over one snapshot of the database (PostgreSQL:
/// REPEATABLE READ; SQLite in WAL mode: from its first read on), so every
/// file of a bundle describes the same moment.
pub async fn snapshot(store: &Store) -> anyhow::Result<Transaction<'static, Any>> {
    let mut tx = store.pool().begin().await.context("begin snapshot")?;
    if store.backend() == Backend::Postgres {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *tx)
            .await
            .context("set snapshot isolation")?;
    }
    Ok(tx)
}

/// A notice with its author and who closed it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NoticeRecord {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub deadline_date: Option<String>,
    pub status: String,
    pub author: String,
    pub subject_staff_id: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub closed_by: Option<String>,
}

const NOTICE_COLUMNS: &str = "SELECT id, kind, title, body, deadline_date, status, author, \
     subject_staff_id, created_at, sent_at, closed_at, closed_by FROM notices";

/// Notices created since `since_ms` or still open then, oldest first.
pub async fn notices(conn: &mut AnyConnection, since_ms: i64) -> anyhow::Result<Vec<NoticeRecord>> {
    sqlx::query_as(&format!(
        "{NOTICE_COLUMNS} WHERE created_at >= $1 OR closed_at IS NULL OR closed_at >= $1 ORDER BY id"
    ))
    .bind(since_ms)
    .fetch_all(conn)
    .await
    .context("list notices for evidence")
}

/// One notice by id.
pub async fn notice(conn: &mut AnyConnection, id: i64) -> anyhow::Result<Option<NoticeRecord>> {
    sqlx::query_as(&format!("{NOTICE_COLUMNS} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
        .context("load notice for evidence")
}

/// A quiz campaign with its figures.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct CampaignRecord {
    pub id: i64,
    pub bank: String,
    pub audience: String,
    pub assigned_by: String,
    pub deadline_date: Option<String>,
    pub status: String,
    pub escalated_at: Option<i64>,
    pub created_at: i64,
    pub members: i64,
    pub passed: i64,
}

/// Campaigns created since `since_ms` or still open.
pub async fn campaigns(
    conn: &mut AnyConnection,
    since_ms: i64,
) -> anyhow::Result<Vec<CampaignRecord>> {
    sqlx::query_as(
        "SELECT c.id, b.bank_key AS bank, c.audience, c.assigned_by, c.deadline_date, c.status, \
         c.escalated_at, c.created_at, \
         (SELECT COUNT(*) FROM quiz_campaign_members m WHERE m.campaign_id = c.id) AS members, \
         (SELECT COUNT(*) FROM quiz_campaign_members m WHERE m.campaign_id = c.id \
           AND m.passed_at IS NOT NULL) AS passed \
         FROM quiz_campaigns c JOIN quiz_banks b ON b.id = c.bank_id \
         WHERE c.created_at >= $1 OR c.status = 'open' ORDER BY c.id",
    )
    .bind(since_ms)
    .fetch_all(conn)
    .await
    .context("list quiz campaigns for evidence")
}

/// A person and an instant: a password confirmation, or a forced change's target.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PersonAt {
    /// The forced change (`password_resets.id`); 0 for confirmations.
    pub reset_id: i64,
    pub staff_id: String,
    pub name: String,
    pub department: String,
    pub at: i64,
    /// When a forced change was done.
    pub done_at: Option<i64>,
}

const PERSON: &str = "COALESCE(u.name, '') AS name, COALESCE(d.path, '') AS department";
const PERSON_JOIN: &str = "LEFT JOIN users u ON u.staff_id = x.staff_id \
     LEFT JOIN departments d ON d.id = u.department_id";

/// `password done` confirmations since `since_ms`, oldest first.
pub async fn confirmations(
    conn: &mut AnyConnection,
    since_ms: i64,
) -> anyhow::Result<Vec<PersonAt>> {
    sqlx::query_as(&format!(
        "SELECT CAST(0 AS BIGINT) AS reset_id, x.staff_id, {PERSON}, x.confirmed_at AS at, \
         CAST(NULL AS BIGINT) AS done_at FROM password_confirmations x {PERSON_JOIN} \
         WHERE x.confirmed_at >= $1 ORDER BY x.confirmed_at, x.id"
    ))
    .bind(since_ms)
    .fetch_all(conn)
    .await
    .context("list password confirmations for evidence")
}

/// A forced password change (`password reset-required`).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ResetRecord {
    pub id: i64,
    pub reason: String,
    pub audience: String,
    pub created_by: String,
    pub created_at: i64,
    pub targets: i64,
    pub done: i64,
}

const RESETS_IN_PERIOD: &str = "r.created_at >= $1 OR EXISTS (SELECT 1 FROM password_reset_targets p \
     WHERE p.reset_id = r.id AND p.done_at IS NULL)";

/// Forced changes made since `since_ms` or still pending for someone.
pub async fn resets(conn: &mut AnyConnection, since_ms: i64) -> anyhow::Result<Vec<ResetRecord>> {
    sqlx::query_as(&format!(
        "SELECT r.id, r.reason, r.audience, r.created_by, r.created_at, \
         (SELECT COUNT(*) FROM password_reset_targets t WHERE t.reset_id = r.id) AS targets, \
         (SELECT COUNT(*) FROM password_reset_targets t WHERE t.reset_id = r.id \
           AND t.done_at IS NOT NULL) AS done \
         FROM password_resets r WHERE {RESETS_IN_PERIOD} ORDER BY r.id"
    ))
    .bind(since_ms)
    .fetch_all(conn)
    .await
    .context("list forced password changes for evidence")
}

/// The targets of those forced changes: notified when, done when.
pub async fn reset_targets(
    conn: &mut AnyConnection,
    since_ms: i64,
) -> anyhow::Result<Vec<PersonAt>> {
    sqlx::query_as(&format!(
        "SELECT x.reset_id, x.staff_id, {PERSON}, x.notified_at AS at, x.done_at \
         FROM password_reset_targets x {PERSON_JOIN} \
         WHERE x.reset_id IN (SELECT r.id FROM password_resets r WHERE {RESETS_IN_PERIOD}) \
         ORDER BY x.reset_id, x.staff_id"
    ))
    .bind(since_ms)
    .fetch_all(conn)
    .await
    .context("list forced-change targets for evidence")
}

/// An incident (kind `incident`) or a piece of feedback (kind `feedback`).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ReportRecord {
    pub id: i64,
    pub staff_id: String,
    pub name: String,
    pub text: String,
    pub in_group: i64,
    pub status: String,
    pub created_at: i64,
    pub closed_at: Option<i64>,
    pub closed_by: Option<String>,
    pub close_note: Option<String>,
    /// When retention erased the text.
    pub text_erased_at: Option<i64>,
}

/// Incidents reported since `since_ms`, closed since, or still open.
pub async fn incidents(
    conn: &mut AnyConnection,
    since_ms: i64,
) -> anyhow::Result<Vec<ReportRecord>> {
    sqlx::query_as(
        "SELECT i.id, i.reporter AS staff_id, COALESCE(u.name, '') AS name, i.text, i.in_group, \
         i.status, i.created_at, i.closed_at, i.closed_by, i.close_note, i.text_erased_at \
         FROM incidents i LEFT JOIN users u ON u.staff_id = i.reporter \
         WHERE i.created_at >= $1 OR i.status = 'open' OR i.closed_at >= $1 ORDER BY i.id",
    )
    .bind(since_ms)
    .fetch_all(conn)
    .await
    .context("list incidents for evidence")
}

/// Feedback sent since `since_ms`.
pub async fn feedback(
    conn: &mut AnyConnection,
    since_ms: i64,
) -> anyhow::Result<Vec<ReportRecord>> {
    sqlx::query_as(
        "SELECT f.id, f.staff_id, COALESCE(u.name, '') AS name, f.text, CAST(0 AS BIGINT) AS in_group, \
         'received' AS status, f.created_at, CAST(NULL AS BIGINT) AS closed_at, \
         CAST(NULL AS TEXT) AS closed_by, CAST(NULL AS TEXT) AS close_note, f.text_erased_at \
         FROM feedback f LEFT JOIN users u ON u.staff_id = f.staff_id \
         WHERE f.created_at >= $1 ORDER BY f.id",
    )
    .bind(since_ms)
    .fetch_all(conn)
    .await
    .context("list feedback for evidence")
}

/// A user on the roster, as it stands.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRecord {
    pub staff_id: String,
    pub name: String,
    pub department: String,
    pub manager_staff_id: Option<String>,
    pub active: i64,
    pub left_at: Option<i64>,
    pub leaving_at: Option<i64>,
    pub source: String,
    pub first_seen_at: i64,
    pub password_changed_at: Option<i64>,
}

/// Every user, by staff id.
pub async fn users(conn: &mut AnyConnection) -> anyhow::Result<Vec<UserRecord>> {
    sqlx::query_as(
        "SELECT u.staff_id, u.name, COALESCE(d.path, '') AS department, u.manager_staff_id, \
         u.active, u.left_at, u.leaving_at, u.source, u.first_seen_at, u.password_changed_at \
         FROM users u LEFT JOIN departments d ON d.id = u.department_id ORDER BY u.staff_id",
    )
    .fetch_all(conn)
    .await
    .context("list users for evidence")
}

/// Every `(staff_id, role)` held, by staff id.
pub async fn roles(conn: &mut AnyConnection) -> anyhow::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT staff_id, role FROM user_roles ORDER BY staff_id, role")
        .fetch_all(conn)
        .await
        .context("list roles for evidence")
}
