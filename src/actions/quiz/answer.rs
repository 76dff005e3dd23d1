//! Answering: which question an answer is for (the tapped one, checked to
//! be the person's, still open and unanswered, or the current one), the
//! answer recorded once, and when it was the last: the score, campaign
//! passes, a follow-up for a failed quiz, and the `quiz.complete` audit.

use serde_json::json;
use sqlx::AnyConnection;

use crate::actions::{ActionResult, Ctx, Refusal, Tx};
use crate::domain::quiz::bank::{letter, letter_index};
use crate::domain::quiz::render::Outcome;
use crate::domain::quiz::{Asked, AttemptStatus, pick};
use crate::store::quiz::attempts::{self, Attempt};
use crate::store::quiz::campaigns;
use crate::store::quiz::review::{self, NewFollowup, Noted};

const DAY_MS: i64 = 24 * 3600 * 1000;

/// An asked question's id, as answer buttons carry it (`答 B #42`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AskedId(pub i64);

/// An answer `A`–`F` from a chat.
#[derive(Clone, Copy, Debug)]
pub struct Answer {
    pub choice: char,
    /// The question a button answers; typed answers answer the current one.
    pub question: Option<AskedId>,
    /// Sent in a group chat (answers are taken in the 1:1 chat only).
    pub in_group: bool,
}

/// What comes after an answer.
#[derive(Clone, Debug)]
pub enum Next {
    /// The next question.
    Question(Box<Asked>),
    /// That was the last: how the attempt ended.
    Finished(Outcome),
}

/// A recorded answer.
#[derive(Clone, Debug)]
pub struct Answered {
    /// The question with the answer given.
    pub asked: Asked,
    pub next: Next,
}

/// Records the acting person's answer.
#[tracing::instrument(skip_all, fields(question = answer.question.map(|q| q.0)))]
pub async fn answer(ctx: &Ctx<'_>, answer: Answer) -> ActionResult<Answered> {
    if answer.in_group {
        return Err(Refusal::AnswerInGroup.into());
    }
    let mut tx = ctx.begin().await?;
    let (attempt, mut q) = target(ctx, tx.conn(), answer.question).await?;
    let now_ms = ctx.now_ms();
    let Some(option) = letter_index(answer.choice).and_then(|i| pick::option_at(&q.order, i))
    else {
        let last = letter(q.order.len().saturating_sub(1));
        return Err(Refusal::NoSuchOption { last }.into());
    };
    if !attempts::record_answer(tx.conn(), &q, option, now_ms).await? {
        return Err(Refusal::AnsweredTwice.into());
    }
    q.answer = Some(option);
    let noted = Noted {
        staff_id: &attempt.staff_id,
        bank_id: attempt.bank_id,
        question_key: &q.question_key,
        correct: option == q.correct,
    };
    review::note_answer(tx.conn(), &noted, now_ms).await?;
    let next = match attempts::current(tx.conn(), attempt.id).await? {
        Some(next) => Next::Question(Box::new(next)),
        None => Next::Finished(finish(ctx, &mut tx, &attempt).await?),
    };
    tx.commit().await?;
    Ok(Answered { asked: q, next })
}

/// The attempt and question an answer is for.
async fn target(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    question: Option<AskedId>,
) -> ActionResult<(Attempt, Asked)> {
    let staff = &ctx.person_who("takes a quiz")?.staff_id;
    let Some(AskedId(id)) = question else {
        let Some(attempt) = attempts::active(conn, staff).await? else {
            return Err(Refusal::NoQuizInProgress.into());
        };
        let Some(q) = attempts::current(conn, attempt.id).await? else {
            return Err(anyhow::anyhow!("active attempt {} has no question", attempt.id).into());
        };
        return Ok((attempt, q));
    };
    let q = attempts::asked(conn, id).await?;
    let attempt = match &q {
        Some(q) => attempts::by_id(conn, q.attempt_id).await?,
        None => None,
    };
    let (Some(q), Some(attempt)) = (q, attempt) else {
        return Err(Refusal::StaleQuestion.into());
    };
    if attempt.staff_id != *staff {
        return Err(Refusal::StaleQuestion.into());
    }
    open_and_next(conn, attempt, q).await
}

/// The tapped question, if its quiz is open and it is the one to answer now.
async fn open_and_next(
    conn: &mut AnyConnection,
    attempt: Attempt,
    q: Asked,
) -> ActionResult<(Attempt, Asked)> {
    match attempt.status {
        AttemptStatus::Active => {}
        AttemptStatus::Completed => {
            let score = Some((attempt.score, attempt.total));
            return Err(Refusal::QuizOver { score }.into());
        }
        AttemptStatus::Quit => return Err(Refusal::QuizOver { score: None }.into()),
    }
    if let Some(chosen) = q.answer {
        let letter = letter(pick::shown_index(&q.order, chosen));
        return Err(Refusal::QuestionAnswered { letter }.into());
    }
    match attempts::current(conn, attempt.id).await? {
        Some(current) if current.id != q.id => Err(Refusal::AnswerInOrder {
            position: current.position,
        }
        .into()),
        _ => Ok((attempt, q)),
    }
}

/// Completes an attempt whose last question was just answered.
async fn finish(ctx: &Ctx<'_>, tx: &mut Tx, attempt: &Attempt) -> anyhow::Result<Outcome> {
    let now_ms = ctx.now_ms();
    let staff = attempt.staff_id.as_str();
    let score = attempts::complete(tx.conn(), attempt, now_ms).await?;
    let followup = attempt.is_followup();
    let mut campaigns_passed = Vec::new();
    if score.passed && !followup {
        campaigns_passed =
            campaigns::mark_passed(tx.conn(), staff, attempt.bank_id, now_ms).await?;
    }
    let days = ctx.config.quiz_followup_days;
    let mut followup_in_days = None;
    if !score.passed && !followup && days > 0 {
        let topics = attempts::missed_topics(tx.conn(), attempt.id).await?;
        if !topics.is_empty() {
            let new = NewFollowup {
                staff_id: staff,
                bank_id: attempt.bank_id,
                source_attempt_id: attempt.id,
                topics: &topics,
                due_ms: now_ms + i64::from(days) * DAY_MS,
            };
            review::schedule_followup(tx.conn(), &new, now_ms).await?;
            followup_in_days = Some(days);
        }
    }
    let details = json!({
        "bank": attempt.bank_key, "kind": attempt.kind.as_str(), "score": score.score,
        "total": score.total, "passed": score.passed, "pass_percent": attempt.pass_percent,
        "campaigns": campaigns_passed,
    });
    let subject = format!("quiz_attempt:{}", attempt.id);
    tx.audit("quiz.complete", &subject, details).await?;
    Ok(Outcome {
        bank_title: attempt.title(),
        score: score.score,
        total: score.total,
        pass_percent: attempt.pass_percent,
        passed: score.passed,
        followup,
        followup_in_days,
    })
}
