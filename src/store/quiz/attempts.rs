//! Attempts: one active per user (a partial unique index), their sampled
//! questions with the shuffled option order, answers recorded once, and
//! results.

use std::collections::HashSet;

use anyhow::Context as _;
use sqlx::AnyConnection;

use super::banks::BankVersion;
use super::{opt_text, text};
pub use crate::domain::quiz::AttemptKind as Kind;
use crate::domain::quiz::{Asked, AttemptStatus, Text, pick};

/// An attempt as its handlers need it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Attempt {
    pub id: i64,
    pub staff_id: String,
    pub bank_id: i64,
    pub bank_key: String,
    pub title_zh: String,
    pub title_en: String,
    #[sqlx(try_from = "String")]
    pub kind: Kind,
    #[sqlx(try_from = "String")]
    pub status: AttemptStatus,
    pub total: i64,
    pub pass_percent: i64,
    pub answered: i64,
    pub score: i64,
}

impl Attempt {
    pub fn title(&self) -> Text {
        text(self.title_zh.clone(), self.title_en.clone())
    }

    pub fn is_followup(&self) -> bool {
        self.kind == Kind::Followup
    }
}

const ATTEMPT_SELECT: &str = "SELECT a.id, a.staff_id, a.bank_id, b.bank_key, v.title_zh, v.title_en, \
     a.kind, a.status, a.total, a.pass_percent, \
     (SELECT COUNT(*) FROM quiz_attempt_questions x WHERE x.attempt_id = a.id AND x.answer IS NOT NULL) AS answered, \
     (SELECT COUNT(*) FROM quiz_attempt_questions x WHERE x.attempt_id = a.id AND x.correct = 1) AS score \
     FROM quiz_attempts a JOIN quiz_banks b ON b.id = a.bank_id \
     JOIN quiz_bank_versions v ON v.id = a.version_id";

/// The user's quiz in progress.
pub async fn active(conn: &mut AnyConnection, staff_id: &str) -> anyhow::Result<Option<Attempt>> {
    sqlx::query_as(&format!(
        "{ATTEMPT_SELECT} WHERE a.staff_id = $1 AND a.status = 'active'"
    ))
    .bind(staff_id)
    .fetch_optional(conn)
    .await
    .context("load active attempt")
}

/// One attempt by id.
pub async fn by_id(conn: &mut AnyConnection, id: i64) -> anyhow::Result<Option<Attempt>> {
    sqlx::query_as(&format!("{ATTEMPT_SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
        .context("load attempt")
}

/// A new attempt: which questions, in which order, with which option order.
pub struct NewAttempt<'a> {
    pub staff_id: &'a str,
    pub bank: &'a BankVersion,
    pub kind: Kind,
    pub campaign_id: Option<i64>,
    /// `(question id, option order)` in the order asked.
    pub picks: &'a [(i64, Vec<usize>)],
}

/// Writes an attempt and its questions. `None` when the user already has a
/// quiz in progress (another message started one at the same moment).
pub async fn create(
    conn: &mut AnyConnection,
    new: &NewAttempt<'_>,
    now_ms: i64,
) -> anyhow::Result<Option<i64>> {
    // The partial unique index allows one active attempt per user; a
    // conflict (a second message starting a quiz at the same moment) inserts
    // nothing and leaves the transaction usable on PostgreSQL too.
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO quiz_attempts (staff_id, bank_id, version_id, kind, campaign_id, total, pass_percent, started_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(new.staff_id)
    .bind(new.bank.bank_id)
    .bind(new.bank.version_id)
    .bind(new.kind.as_str())
    .bind(new.campaign_id)
    .bind(new.picks.len() as i64)
    .bind(new.bank.pass_percent)
    .bind(now_ms)
    .fetch_optional(&mut *conn)
    .await
    .context("insert attempt")?;
    let Some(id) = inserted else {
        return Ok(None);
    };
    for (i, (question_id, order)) in new.picks.iter().enumerate() {
        sqlx::query(
            "INSERT INTO quiz_attempt_questions (attempt_id, position, question_id, option_order) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(i as i64 + 1)
        .bind(question_id)
        .bind(serde_json::to_string(order).context("encode option order")?)
        .execute(&mut *conn)
        .await
        .context("insert attempt question")?;
    }
    Ok(Some(id))
}

#[derive(sqlx::FromRow)]
struct AskedRow {
    id: i64,
    attempt_id: i64,
    position: i64,
    total: i64,
    title_zh: String,
    title_en: String,
    question_key: String,
    topic_zh: String,
    topic_en: String,
    prompt_zh: String,
    prompt_en: String,
    options: String,
    correct: i64,
    explanation_zh: String,
    explanation_en: String,
    source_zh: Option<String>,
    source_en: Option<String>,
    option_order: String,
    answer: Option<i64>,
}

impl AskedRow {
    fn into_asked(self) -> anyhow::Result<Asked> {
        Ok(Asked {
            id: self.id,
            attempt_id: self.attempt_id,
            position: self.position,
            total: self.total,
            bank_title: text(self.title_zh, self.title_en),
            question_key: self.question_key,
            topic: text(self.topic_zh, self.topic_en),
            prompt: text(self.prompt_zh, self.prompt_en),
            options: serde_json::from_str(&self.options).context("decode options")?,
            correct: usize::try_from(self.correct).unwrap_or(0),
            explanation: text(self.explanation_zh, self.explanation_en),
            source: opt_text(self.source_zh, self.source_en),
            order: serde_json::from_str(&self.option_order).context("decode option order")?,
            answer: self.answer.and_then(|a| usize::try_from(a).ok()),
        })
    }
}

const ASKED_SELECT: &str = "SELECT aq.id, aq.attempt_id, aq.position, a.total, v.title_zh, v.title_en, \
     q.question_key, q.topic_zh, q.topic_en, q.prompt_zh, q.prompt_en, q.options, q.correct, \
     q.explanation_zh, q.explanation_en, q.source_zh, q.source_en, aq.option_order, aq.answer \
     FROM quiz_attempt_questions aq JOIN quiz_attempts a ON a.id = aq.attempt_id \
     JOIN quiz_questions q ON q.id = aq.question_id JOIN quiz_bank_versions v ON v.id = a.version_id";

/// One asked question by its id.
pub async fn asked(conn: &mut AnyConnection, id: i64) -> anyhow::Result<Option<Asked>> {
    let row: Option<AskedRow> = sqlx::query_as(&format!("{ASKED_SELECT} WHERE aq.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
        .context("load asked question")?;
    row.map(AskedRow::into_asked).transpose()
}

/// The first unanswered question of an attempt.
pub async fn current(conn: &mut AnyConnection, attempt_id: i64) -> anyhow::Result<Option<Asked>> {
    let row: Option<AskedRow> = sqlx::query_as(&format!(
        "{ASKED_SELECT} WHERE aq.attempt_id = $1 AND aq.answer IS NULL ORDER BY aq.position LIMIT 1"
    ))
    .bind(attempt_id)
    .fetch_optional(conn)
    .await
    .context("load current question")?;
    row.map(AskedRow::into_asked).transpose()
}

/// Records the answer to an asked question; `false` when it was already
/// answered (a repeated tap), so nothing is scored twice.
pub async fn record_answer(
    conn: &mut AnyConnection,
    asked: &Asked,
    option: usize,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let letter = crate::domain::quiz::bank::letter(pick::shown_index(&asked.order, option));
    let done = sqlx::query(
        "UPDATE quiz_attempt_questions SET answer = $1, answer_letter = $2, correct = $3, answered_at = $4 \
         WHERE id = $5 AND answer IS NULL",
    )
    .bind(option as i64)
    .bind(letter.to_string())
    .bind(i64::from(option == asked.correct))
    .bind(now_ms)
    .bind(asked.id)
    .execute(conn)
    .await
    .context("record answer")?;
    Ok(done.rows_affected() == 1)
}

/// An attempt's score once completed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Score {
    pub score: i64,
    pub total: i64,
    pub passed: bool,
}

/// Closes an attempt as completed with its score.
pub async fn complete(
    conn: &mut AnyConnection,
    attempt: &Attempt,
    now_ms: i64,
) -> anyhow::Result<Score> {
    let score: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM quiz_attempt_questions WHERE attempt_id = $1 AND correct = 1",
    )
    .bind(attempt.id)
    .fetch_one(&mut *conn)
    .await
    .context("score attempt")?;
    let passed = pick::passed(score, attempt.total, attempt.pass_percent);
    sqlx::query(
        "UPDATE quiz_attempts SET status = 'completed', score = $1, passed = $2, finished_at = $3 \
         WHERE id = $4 AND status = 'active'",
    )
    .bind(score)
    .bind(i64::from(passed))
    .bind(now_ms)
    .bind(attempt.id)
    .execute(conn)
    .await
    .context("complete attempt")?;
    Ok(Score {
        score,
        total: attempt.total,
        passed,
    })
}

/// Abandons an attempt; it keeps its answers but gets no score.
pub async fn quit(conn: &mut AnyConnection, attempt_id: i64, now_ms: i64) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE quiz_attempts SET status = 'quit', finished_at = $1 WHERE id = $2 AND status = 'active'",
    )
    .bind(now_ms)
    .bind(attempt_id)
    .execute(conn)
    .await
    .context("quit attempt")?;
    Ok(())
}

/// Topic keys of the questions answered wrongly in an attempt.
pub async fn missed_topics(
    conn: &mut AnyConnection,
    attempt_id: i64,
) -> anyhow::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT q.topic COLLATE \"binary\" AS topic FROM quiz_attempt_questions aq \
         JOIN quiz_questions q ON q.id = aq.question_id \
         WHERE aq.attempt_id = $1 AND aq.correct = 0 ORDER BY 1",
    )
    .bind(attempt_id)
    .fetch_all(conn)
    .await
    .context("load missed topics")
}

/// Question keys of a bank a person has answered, through the person's
/// index (`quiz_attempts_person`), not the whole bank's attempts.
pub(crate) const SEEN_KEYS: &str = "SELECT DISTINCT q.question_key FROM quiz_attempt_questions aq \
     JOIN quiz_attempts a ON a.id = aq.attempt_id JOIN quiz_questions q ON q.id = aq.question_id \
     WHERE a.staff_id = $1 AND a.bank_id = $2 AND aq.answer IS NOT NULL";

/// Question keys of a bank the user has been asked before.
pub async fn seen_keys(
    conn: &mut AnyConnection,
    staff_id: &str,
    bank_id: i64,
) -> anyhow::Result<HashSet<String>> {
    let keys: Vec<String> = sqlx::query_scalar(SEEN_KEYS)
        .bind(staff_id)
        .bind(bank_id)
        .fetch_all(conn)
        .await
        .context("load seen questions")?;
    Ok(keys.into_iter().collect())
}

/// A finished attempt, for `me`.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ResultRow {
    pub title_zh: String,
    pub title_en: String,
    #[sqlx(try_from = "String")]
    pub kind: Kind,
    pub score: Option<i64>,
    pub total: i64,
    pub passed: Option<i64>,
    pub finished_at: Option<i64>,
}

/// A person's latest results, through the person's index.
pub(crate) const RECENT_RESULTS: &str = "SELECT v.title_zh, v.title_en, a.kind, a.score, a.total, a.passed, a.finished_at \
     FROM quiz_attempts a JOIN quiz_bank_versions v ON v.id = a.version_id \
     WHERE a.staff_id = $1 AND a.status = 'completed' ORDER BY a.finished_at DESC, a.id DESC LIMIT $2";

/// The user's most recent completed attempts, newest first.
pub async fn recent_results(
    conn: &mut AnyConnection,
    staff_id: &str,
    limit: i64,
) -> anyhow::Result<Vec<ResultRow>> {
    sqlx::query_as(RECENT_RESULTS)
        .bind(staff_id)
        .bind(limit)
        .fetch_all(conn)
        .await
        .context("load recent results")
}
