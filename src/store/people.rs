//! What the console shows about people: one person's roster profile and the
//! notices addressed to them, the department paths to choose an audience
//! from, and the instants of the week's acknowledgements and finished
//! quizzes (the overview's trend).

use anyhow::Context as _;
use sqlx::AnyConnection;

/// A person as the roster has them.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Profile {
    pub staff_id: String,
    pub name: String,
    /// Their primary department's path (empty when none).
    pub department: String,
    pub manager_staff_id: Option<String>,
    pub active: i64,
    pub left_at: Option<i64>,
}

/// The profile of `staff_id`, if they are known.
pub async fn profile(conn: &mut AnyConnection, staff_id: &str) -> anyhow::Result<Option<Profile>> {
    sqlx::query_as(
        "SELECT u.staff_id, u.name, COALESCE(d.path, '') AS department, u.manager_staff_id, \
         u.active, u.left_at FROM users u LEFT JOIN departments d ON d.id = u.department_id \
         WHERE u.staff_id = $1",
    )
    .bind(staff_id)
    .fetch_optional(conn)
    .await
    .context("load a profile")
}

/// A notice addressed to someone, and what they did with it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Addressed {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub deadline_date: Option<String>,
    pub deadline_at: Option<i64>,
    pub acked_at: Option<i64>,
    pub checklist_total: i64,
    pub checklist_done: i64,
}

/// The newest `limit` notices addressed to `staff_id`, whatever their state.
pub async fn notices_for(
    conn: &mut AnyConnection,
    staff_id: &str,
    limit: i64,
) -> anyhow::Result<Vec<Addressed>> {
    sqlx::query_as(
        "SELECT n.id, n.title, n.status, n.deadline_date, n.deadline_at, r.acked_at, \
         n.checklist_total, r.checklist_done FROM notice_recipients r \
         JOIN notices n ON n.id = r.notice_id WHERE r.staff_id = $1 ORDER BY n.id DESC LIMIT $2",
    )
    .bind(staff_id)
    .bind(limit)
    .fetch_all(conn)
    .await
    .context("list a person's notices")
}

/// Every open department's path, in order.
pub async fn department_paths(conn: &mut AnyConnection) -> anyhow::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT path FROM departments WHERE active = 1 ORDER BY path COLLATE \"binary\"",
    )
    .fetch_all(conn)
    .await
    .context("list departments")
}

/// When acknowledgements and finished quizzes happened since `since_ms`:
/// `(acks, quizzes)`, each a list of instants.
pub async fn activity_since(
    conn: &mut AnyConnection,
    since_ms: i64,
) -> anyhow::Result<(Vec<i64>, Vec<i64>)> {
    let acks = sqlx::query_scalar(
        "SELECT acked_at FROM notice_recipients WHERE acked_at IS NOT NULL AND acked_at >= $1",
    )
    .bind(since_ms)
    .fetch_all(&mut *conn)
    .await
    .context("list recent acknowledgements")?;
    let quizzes = sqlx::query_scalar(
        "SELECT finished_at FROM quiz_attempts WHERE status = 'completed' AND finished_at >= $1",
    )
    .bind(since_ms)
    .fetch_all(conn)
    .await
    .context("list recent quizzes")?;
    Ok((acks, quizzes))
}
