//! Spaced repetition: the questions a user missed (by bank and question
//! key, so they survive new bank versions) until answered right twice, and
//! follow-up quizzes on the topics a failed attempt missed.

use anyhow::Context as _;
use sqlx::AnyConnection;

use crate::domain::quiz::pick::REVIEW_RETIRE_AFTER;

/// Keys the user missed in a bank, most urgent first.
pub async fn keys(
    conn: &mut AnyConnection,
    staff_id: &str,
    bank_id: i64,
) -> anyhow::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT question_key FROM quiz_review WHERE staff_id = $1 AND bank_id = $2 \
         ORDER BY box, misses DESC, last_missed_at",
    )
    .bind(staff_id)
    .bind(bank_id)
    .fetch_all(conn)
    .await
    .context("load review questions")
}

/// One answer as review keeps it: by person, bank and question key.
#[derive(Clone, Copy, Debug)]
pub struct Noted<'a> {
    pub staff_id: &'a str,
    pub bank_id: i64,
    pub question_key: &'a str,
    pub correct: bool,
}

/// Notes an answer: a miss puts the question (back) in review; a right
/// answer moves it towards leaving review.
pub async fn note_answer(
    conn: &mut AnyConnection,
    answer: &Noted<'_>,
    now_ms: i64,
) -> anyhow::Result<()> {
    let (staff_id, bank_id, question_key) = (answer.staff_id, answer.bank_id, answer.question_key);
    if !answer.correct {
        sqlx::query(
            "INSERT INTO quiz_review (staff_id, bank_id, question_key, misses, box, last_missed_at, updated_at) \
             VALUES ($1, $2, $3, 1, 0, $4, $4) ON CONFLICT (staff_id, bank_id, question_key) \
             DO UPDATE SET misses = quiz_review.misses + 1, box = 0, last_missed_at = $4, updated_at = $4",
        )
        .bind(staff_id)
        .bind(bank_id)
        .bind(question_key)
        .bind(now_ms)
        .execute(conn)
        .await
        .context("note missed question")?;
        return Ok(());
    }
    sqlx::query(
        "UPDATE quiz_review SET box = box + 1, updated_at = $4 \
         WHERE staff_id = $1 AND bank_id = $2 AND question_key = $3",
    )
    .bind(staff_id)
    .bind(bank_id)
    .bind(question_key)
    .bind(now_ms)
    .execute(&mut *conn)
    .await
    .context("note reviewed question")?;
    sqlx::query(
        "DELETE FROM quiz_review WHERE staff_id = $1 AND bank_id = $2 AND question_key = $3 AND box >= $4",
    )
    .bind(staff_id)
    .bind(bank_id)
    .bind(question_key)
    .bind(REVIEW_RETIRE_AFTER)
    .execute(conn)
    .await
    .context("retire reviewed question")?;
    Ok(())
}

/// A follow-up quiz offered to a user.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Followup {
    pub id: i64,
    pub staff_id: String,
    pub bank_id: i64,
    pub topics: String,
    pub due_at: i64,
    pub sent_at: Option<i64>,
}

impl Followup {
    /// The topic keys it covers.
    pub fn topic_keys(&self) -> Vec<String> {
        serde_json::from_str(&self.topics).unwrap_or_default()
    }
}

/// A follow-up quiz to offer after a failed attempt.
#[derive(Clone, Copy, Debug)]
pub struct NewFollowup<'a> {
    pub staff_id: &'a str,
    pub bank_id: i64,
    /// The failed attempt it follows up.
    pub source_attempt_id: i64,
    /// Topic keys of the questions missed.
    pub topics: &'a [String],
    /// When it is offered (ms).
    pub due_ms: i64,
}

/// A person's follow-up of a bank not taken yet, through the person's index
/// (`quiz_followups_person`), not a scan of every follow-up.
pub(crate) const PENDING_FOLLOWUP: &str = "SELECT id, topics FROM quiz_followups WHERE staff_id = $1 AND bank_id = $2 AND attempt_id IS NULL";

/// Schedules a follow-up; a follow-up of the same bank that has not been
/// taken yet absorbs the topics instead.
pub async fn schedule_followup(
    conn: &mut AnyConnection,
    new: &NewFollowup<'_>,
    now_ms: i64,
) -> anyhow::Result<()> {
    let (staff_id, bank_id, topics) = (new.staff_id, new.bank_id, new.topics);
    let pending: Option<(i64, String)> = sqlx::query_as(PENDING_FOLLOWUP)
        .bind(staff_id)
        .bind(bank_id)
        .fetch_optional(&mut *conn)
        .await
        .context("find pending follow-up")?;
    if let Some((id, existing)) = pending {
        let mut all: Vec<String> = serde_json::from_str(&existing).unwrap_or_default();
        all.extend(topics.iter().cloned());
        all.sort();
        all.dedup();
        sqlx::query("UPDATE quiz_followups SET topics = $1 WHERE id = $2")
            .bind(serde_json::to_string(&all).context("encode topics")?)
            .bind(id)
            .execute(conn)
            .await
            .context("extend follow-up")?;
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO quiz_followups (staff_id, bank_id, source_attempt_id, topics, due_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source_attempt_id) DO NOTHING",
    )
    .bind(staff_id)
    .bind(bank_id)
    .bind(new.source_attempt_id)
    .bind(serde_json::to_string(topics).context("encode topics")?)
    .bind(new.due_ms)
    .bind(now_ms)
    .execute(conn)
    .await
    .context("schedule follow-up")?;
    Ok(())
}

const FOLLOWUP_SELECT: &str =
    "SELECT id, staff_id, bank_id, topics, due_at, sent_at FROM quiz_followups";

/// Follow-ups due at `now_ms` whose invitation has not been sent.
pub async fn due_followups(conn: &mut AnyConnection, now_ms: i64) -> anyhow::Result<Vec<Followup>> {
    sqlx::query_as(&format!(
        "{FOLLOWUP_SELECT} WHERE sent_at IS NULL AND attempt_id IS NULL AND due_at <= $1 ORDER BY due_at, id"
    ))
    .bind(now_ms)
    .fetch_all(conn)
    .await
    .context("load due follow-ups")
}

/// Marks a follow-up's invitation as sent; `false` if someone else did.
pub async fn mark_followup_sent(
    conn: &mut AnyConnection,
    id: i64,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let done =
        sqlx::query("UPDATE quiz_followups SET sent_at = $1 WHERE id = $2 AND sent_at IS NULL")
            .bind(now_ms)
            .bind(id)
            .execute(conn)
            .await
            .context("mark follow-up sent")?;
    Ok(done.rows_affected() == 1)
}

/// The user's follow-up that is due (or already offered) and not taken yet.
pub async fn ready_followup(
    conn: &mut AnyConnection,
    staff_id: &str,
    now_ms: i64,
) -> anyhow::Result<Option<Followup>> {
    sqlx::query_as(&format!(
        "{FOLLOWUP_SELECT} WHERE staff_id = $1 AND attempt_id IS NULL AND (sent_at IS NOT NULL OR due_at <= $2) \
         ORDER BY due_at, id LIMIT 1"
    ))
    .bind(staff_id)
    .bind(now_ms)
    .fetch_optional(conn)
    .await
    .context("load ready follow-up")
}

/// Ties a follow-up to the attempt that takes it.
pub async fn attach_followup(
    conn: &mut AnyConnection,
    id: i64,
    attempt_id: i64,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE quiz_followups SET attempt_id = $1 WHERE id = $2")
        .bind(attempt_id)
        .bind(id)
        .execute(conn)
        .await
        .context("attach follow-up")?;
    Ok(())
}
