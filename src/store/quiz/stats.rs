//! Quiz reports: completion and pass rate per department, the most missed
//! questions, and every attempt for export.

use anyhow::Context as _;
use serde::Serialize;
use sqlx::AnyConnection;

/// One department's figures for a bank (active users on the roster).
#[derive(Clone, Debug, sqlx::FromRow, PartialEq, Eq)]
pub struct DeptStats {
    /// Department path; empty for users without one.
    pub department: String,
    pub members: i64,
    /// Members with at least one completed full quiz.
    pub completed: i64,
    /// Members who passed at least once.
    pub passed: i64,
}

/// Completion and pass figures per department for a bank.
pub async fn by_department(
    conn: &mut AnyConnection,
    bank_id: i64,
) -> anyhow::Result<Vec<DeptStats>> {
    sqlx::query_as(
        "SELECT COALESCE(d.path, '') AS department, COUNT(*) AS members, \
         CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM quiz_attempts a WHERE a.staff_id = u.staff_id \
           AND a.bank_id = $1 AND a.kind = 'regular' AND a.status = 'completed') THEN 1 ELSE 0 END) AS BIGINT) AS completed, \
         CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM quiz_attempts a WHERE a.staff_id = u.staff_id \
           AND a.bank_id = $1 AND a.kind = 'regular' AND a.passed = 1) THEN 1 ELSE 0 END) AS BIGINT) AS passed \
         FROM users u LEFT JOIN departments d ON d.id = u.department_id WHERE u.active = 1 \
         GROUP BY COALESCE(d.path, '') ORDER BY COALESCE(d.path, '') COLLATE \"binary\"",
    )
    .bind(bank_id)
    .fetch_all(conn)
    .await
    .context("quiz stats by department")
}

/// A question and how often it was missed, over every version of a bank.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Missed {
    pub question_key: String,
    pub prompt_zh: String,
    pub prompt_en: String,
    pub answered: i64,
    pub missed: i64,
}

/// The questions of a bank missed most often.
pub async fn most_missed(
    conn: &mut AnyConnection,
    bank_id: i64,
    limit: i64,
) -> anyhow::Result<Vec<Missed>> {
    sqlx::query_as(
        "SELECT q.question_key, MAX(q.prompt_zh) AS prompt_zh, MAX(q.prompt_en) AS prompt_en, \
         COUNT(*) AS answered, CAST(SUM(1 - aq.correct) AS BIGINT) AS missed \
         FROM quiz_attempt_questions aq JOIN quiz_attempts a ON a.id = aq.attempt_id \
         JOIN quiz_questions q ON q.id = aq.question_id \
         WHERE a.bank_id = $1 AND aq.answer IS NOT NULL \
         GROUP BY q.question_key HAVING SUM(1 - aq.correct) > 0 \
         ORDER BY missed DESC, answered DESC, q.question_key COLLATE \"binary\" LIMIT $2",
    )
    .bind(bank_id)
    .bind(limit)
    .fetch_all(conn)
    .await
    .context("most missed questions")
}

/// One attempt as exported (`dingwarden export quiz`).
#[derive(Clone, Debug, sqlx::FromRow, Serialize)]
pub struct ExportRow {
    pub attempt_id: i64,
    pub bank: String,
    pub bank_version: i64,
    pub staff_id: String,
    pub name: String,
    pub department: String,
    pub kind: String,
    pub campaign_id: Option<i64>,
    pub status: String,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub score: Option<i64>,
    pub total: i64,
    pub pass_percent: i64,
    pub passed: Option<i64>,
}

const EXPORT_SELECT: &str = "SELECT a.id AS attempt_id, b.bank_key AS bank, v.version AS bank_version, \
     a.staff_id, COALESCE(u.name, '') AS name, COALESCE(d.path, '') AS department, a.kind, \
     a.campaign_id, a.status, a.started_at, a.finished_at, a.score, a.total, a.pass_percent, a.passed \
     FROM quiz_attempts a JOIN quiz_banks b ON b.id = a.bank_id \
     JOIN quiz_bank_versions v ON v.id = a.version_id \
     LEFT JOIN users u ON u.staff_id = a.staff_id LEFT JOIN departments d ON d.id = u.department_id";

/// Every attempt of a bank, oldest first.
pub async fn export(conn: &mut AnyConnection, bank_id: i64) -> anyhow::Result<Vec<ExportRow>> {
    sqlx::query_as(&format!(
        "{EXPORT_SELECT} WHERE a.bank_id = $1 ORDER BY a.id"
    ))
    .bind(bank_id)
    .fetch_all(conn)
    .await
    .context("export quiz attempts")
}

/// Every attempt of every bank started at or after `since_ms`, oldest first.
pub async fn export_since(
    conn: &mut AnyConnection,
    since_ms: i64,
) -> anyhow::Result<Vec<ExportRow>> {
    sqlx::query_as(&format!(
        "{EXPORT_SELECT} WHERE a.started_at >= $1 ORDER BY a.id"
    ))
    .bind(since_ms)
    .fetch_all(conn)
    .await
    .context("export quiz attempts of a period")
}
