//! Banks and their versions. Importing a bank whose content changed writes
//! a new version with its own copy of every question; attempts point at the
//! version they were taken on, so editing a bank never rewrites them.

use anyhow::Context as _;
use sqlx::AnyConnection;

use super::text;
use crate::domain::quiz::{Bank, Text};

/// A bank's current version, as quizzes need it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct BankVersion {
    pub bank_id: i64,
    pub bank_key: String,
    pub version_id: i64,
    pub version: i64,
    pub title_zh: String,
    pub title_en: String,
    pub pass_percent: i64,
    pub questions_per_attempt: i64,
    pub followup_questions: i64,
    pub question_count: i64,
}

impl BankVersion {
    pub fn title(&self) -> Text {
        text(self.title_zh.clone(), self.title_en.clone())
    }
}

/// A question of a version, as sampling needs it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StoredQuestion {
    pub id: i64,
    pub question_key: String,
    pub topic: String,
    pub topic_zh: String,
    pub topic_en: String,
    pub options: String,
}

impl StoredQuestion {
    /// How many options the question has.
    pub fn option_count(&self) -> usize {
        serde_json::from_str::<Vec<Text>>(&self.options).map_or(0, |o| o.len())
    }
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Imported {
    /// The content equals the current version's.
    Unchanged { version: i64 },
    /// A new version was written.
    New { version: i64, questions: usize },
}

const VERSION_SELECT: &str = "SELECT b.id AS bank_id, b.bank_key, v.id AS version_id, v.version, \
     v.title_zh, v.title_en, v.pass_percent, v.questions_per_attempt, v.followup_questions, \
     (SELECT COUNT(*) FROM quiz_questions q WHERE q.version_id = v.id) AS question_count \
     FROM quiz_banks b JOIN quiz_bank_versions v ON v.id = b.current_version_id";

/// The current version of the bank `key`.
pub async fn current(conn: &mut AnyConnection, key: &str) -> anyhow::Result<Option<BankVersion>> {
    sqlx::query_as(&format!("{VERSION_SELECT} WHERE b.bank_key = $1"))
        .bind(key)
        .fetch_optional(conn)
        .await
        .context("load quiz bank")
}

/// The current version of the bank with id `bank_id`.
pub async fn current_by_id(
    conn: &mut AnyConnection,
    bank_id: i64,
) -> anyhow::Result<Option<BankVersion>> {
    sqlx::query_as(&format!("{VERSION_SELECT} WHERE b.id = $1"))
        .bind(bank_id)
        .fetch_optional(conn)
        .await
        .context("load quiz bank")
}

/// Every bank's current version, by key.
pub async fn list(conn: &mut AnyConnection) -> anyhow::Result<Vec<BankVersion>> {
    sqlx::query_as(&format!(
        "{VERSION_SELECT} ORDER BY b.bank_key COLLATE \"binary\""
    ))
    .fetch_all(conn)
    .await
    .context("list quiz banks")
}

/// The questions of a version, in file order.
pub async fn questions(
    conn: &mut AnyConnection,
    version_id: i64,
) -> anyhow::Result<Vec<StoredQuestion>> {
    sqlx::query_as(
        "SELECT id, question_key, topic, topic_zh, topic_en, options FROM quiz_questions \
         WHERE version_id = $1 ORDER BY position",
    )
    .bind(version_id)
    .fetch_all(conn)
    .await
    .context("load quiz questions")
}

/// The content hash of bank `key`'s current version, if there is one.
pub async fn current_hash(conn: &mut AnyConnection, key: &str) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT v.content_hash FROM quiz_banks b JOIN quiz_bank_versions v ON v.id = b.current_version_id \
         WHERE b.bank_key = $1",
    )
    .bind(key)
    .fetch_optional(conn)
    .await
    .context("check quiz bank version")
}

/// Adds or updates a bank inside the caller's transaction, `by` naming who
/// imported it (the caller audits). Unchanged content writes nothing.
pub async fn import(
    conn: &mut AnyConnection,
    bank: &Bank,
    builtin: bool,
    by: &str,
    now_ms: i64,
) -> anyhow::Result<Imported> {
    let hash = bank.content_hash();
    sqlx::query(
        "INSERT INTO quiz_banks (bank_key, builtin, created_at, updated_at) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (bank_key) DO NOTHING",
    )
    .bind(&bank.id)
    .bind(i64::from(builtin))
    .bind(now_ms)
    .execute(&mut *conn)
    .await
    .context("record quiz bank")?;
    let (bank_id, current): (i64, Option<i64>) =
        sqlx::query_as("SELECT id, current_version_id FROM quiz_banks WHERE bank_key = $1")
            .bind(&bank.id)
            .fetch_one(&mut *conn)
            .await
            .context("load quiz bank")?;
    if let Some(version_id) = current {
        let (version, current_hash): (i64, String) =
            sqlx::query_as("SELECT version, content_hash FROM quiz_bank_versions WHERE id = $1")
                .bind(version_id)
                .fetch_one(&mut *conn)
                .await
                .context("load quiz bank version")?;
        if current_hash == hash {
            return Ok(Imported::Unchanged { version });
        }
    }
    let version = insert_version(conn, bank_id, bank, &hash, by, now_ms).await?;
    Ok(Imported::New {
        version,
        questions: bank.questions.len(),
    })
}

async fn insert_version(
    conn: &mut AnyConnection,
    bank_id: i64,
    bank: &Bank,
    hash: &str,
    by: &str,
    now_ms: i64,
) -> anyhow::Result<i64> {
    let version: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM quiz_bank_versions WHERE bank_id = $1",
    )
    .bind(bank_id)
    .fetch_one(&mut *conn)
    .await
    .context("next bank version")?;
    let version_id: i64 = sqlx::query_scalar(
        "INSERT INTO quiz_bank_versions (bank_id, version, content_hash, title_zh, title_en, \
         pass_percent, questions_per_attempt, followup_questions, imported_by, imported_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(bank_id)
    .bind(version)
    .bind(hash)
    .bind(&bank.title.zh)
    .bind(&bank.title.en)
    .bind(i64::from(bank.pass_percent))
    .bind(bank.per_attempt as i64)
    .bind(bank.followup as i64)
    .bind(by)
    .bind(now_ms)
    .fetch_one(&mut *conn)
    .await
    .context("insert bank version")?;
    insert_questions(conn, version_id, bank).await?;
    sqlx::query("UPDATE quiz_banks SET current_version_id = $1, updated_at = $2 WHERE id = $3")
        .bind(version_id)
        .bind(now_ms)
        .bind(bank_id)
        .execute(&mut *conn)
        .await
        .context("point bank at its new version")?;
    Ok(version)
}

/// Copies every question of `bank` into version `version_id`.
async fn insert_questions(
    conn: &mut AnyConnection,
    version_id: i64,
    bank: &Bank,
) -> anyhow::Result<()> {
    for (position, q) in bank.questions.iter().enumerate() {
        let topic = bank
            .topic(&q.topic)
            .map(|t| t.name.clone())
            .unwrap_or_default();
        sqlx::query(
            "INSERT INTO quiz_questions (version_id, question_key, position, topic, topic_zh, topic_en, \
             prompt_zh, prompt_en, options, correct, explanation_zh, explanation_en, source_zh, source_en) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(version_id)
        .bind(&q.id)
        .bind(position as i64 + 1)
        .bind(&q.topic)
        .bind(&topic.zh)
        .bind(&topic.en)
        .bind(&q.prompt.zh)
        .bind(&q.prompt.en)
        .bind(serde_json::to_string(&q.options).context("encode options")?)
        .bind(q.correct as i64)
        .bind(&q.explanation.zh)
        .bind(&q.explanation.en)
        .bind(q.source.as_ref().map(|s| s.zh.as_str()))
        .bind(q.source.as_ref().map(|s| s.en.as_str()))
        .execute(&mut *conn)
        .await
        .context("insert quiz question")?;
    }
    Ok(())
}
