//! Which question an answer is for, and what happens when the last one is
//! answered: the score, campaign passes, a follow-up for a failed quiz, and
//! the audit record.

use serde_json::json;
use sqlx::AnyConnection;

use super::super::Ctx;
use crate::domain::quiz::Asked;
use crate::domain::quiz::bank::letter;
use crate::domain::quiz::pick;
use crate::domain::quiz::render::Outcome;
use crate::error::HandlerError;
use crate::store::audit::{self, AuditEntry};
use crate::store::quiz::attempts::{self, Attempt};
use crate::store::quiz::{campaigns, review};
use crate::user_error;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// The attempt and question an answer is for: the tapped question (checked
/// to be the user's, still open and unanswered) or the current one.
pub(super) async fn target(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    question: Option<i64>,
) -> Result<(Attempt, Asked), HandlerError> {
    let lang = ctx.lang();
    let staff = ctx.user.staff_id.as_str();
    let Some(id) = question else {
        let Some(attempt) = attempts::active(conn, staff).await? else {
            user_error!(
                lang,
                "你现在没有进行中的测验。发送「测验」开始。",
                "You have no quiz in progress. Send \"quiz\" to start one."
            );
        };
        let Some(q) = attempts::current(conn, attempt.id).await? else {
            return Err(anyhow::anyhow!("active attempt {} has no question", attempt.id).into());
        };
        return Ok((attempt, q));
    };
    tapped(ctx, conn, id).await
}

/// The tapped question `id`, if it is the user's current one.
async fn tapped(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    id: i64,
) -> Result<(Attempt, Asked), HandlerError> {
    let lang = ctx.lang();
    let q = attempts::asked(conn, id).await?;
    let attempt = match &q {
        Some(q) => attempts::by_id(conn, q.attempt_id).await?,
        None => None,
    };
    let (Some(q), Some(attempt)) = (q, attempt) else {
        return stale(ctx);
    };
    if attempt.staff_id != ctx.user.staff_id {
        return stale(ctx);
    }
    if attempt.status != "active" {
        return over(ctx, &attempt);
    }
    if let Some(chosen) = q.answer {
        let l = letter(pick::shown_index(&q.order, chosen));
        user_error!(
            lang,
            "这道题你已经答过了（你选了 {l}），不会重复计分。发送「测验」查看当前题目。",
            "You have already answered that question (you chose {l}); it is not scored twice. Send \"quiz\" to see the current question."
        );
    }
    match attempts::current(conn, attempt.id).await? {
        Some(current) if current.id != q.id => {
            let k = current.position;
            user_error!(
                lang,
                "请先回答第 {k} 题。发送「测验」查看当前题目。",
                "Please answer question {k} first. Send \"quiz\" to see it."
            );
        }
        _ => Ok((attempt, q)),
    }
}

/// The answer to a tap on a quiz that has ended.
fn over<T>(ctx: &Ctx<'_>, attempt: &Attempt) -> Result<T, HandlerError> {
    let lang = ctx.lang();
    let (score, total) = (attempt.score, attempt.total);
    if attempt.status == "completed" {
        user_error!(
            lang,
            "这次测验已经结束了（得分 {score}/{total}），这个答案不再计分。发送「测验」开始新的测验。",
            "That quiz is over (score {score}/{total}); this answer does not count. Send \"quiz\" to start a new one."
        );
    }
    user_error!(
        lang,
        "这次测验已经结束了，这个答案不再计分。发送「测验」开始新的测验。",
        "That quiz is over; this answer does not count. Send \"quiz\" to start a new one."
    );
}

/// The answer to a tap on a question that is not (or no longer) the user's.
fn stale<T>(ctx: &Ctx<'_>) -> Result<T, HandlerError> {
    user_error!(
        ctx.lang(),
        "找不到这道题，可能已经过期。发送「测验」继续或开始测验。",
        "I can't find that question; it may be out of date. Send \"quiz\" to continue or start a quiz."
    );
}

/// Completes an attempt whose last question was just answered.
pub(super) async fn finish(
    ctx: &Ctx<'_>,
    conn: &mut AnyConnection,
    attempt: &Attempt,
) -> anyhow::Result<Outcome> {
    let now_ms = ctx.now.timestamp_millis();
    let staff = attempt.staff_id.as_str();
    let (score, total, passed) = attempts::complete(conn, attempt, now_ms).await?;
    let followup = attempt.is_followup();
    let mut campaigns_passed = Vec::new();
    if passed && !followup {
        campaigns_passed = campaigns::mark_passed(conn, staff, attempt.bank_id, now_ms).await?;
    }
    let days = ctx.state.config.quiz_followup_days;
    let mut followup_in_days = None;
    if !passed && !followup && days > 0 {
        let topics = attempts::missed_topics(conn, attempt.id).await?;
        if !topics.is_empty() {
            let due = now_ms + i64::from(days) * DAY_MS;
            review::schedule_followup(
                conn,
                staff,
                attempt.bank_id,
                attempt.id,
                &topics,
                due,
                now_ms,
            )
            .await?;
            followup_in_days = Some(days);
        }
    }
    let details = json!({
        "bank": attempt.bank_key, "kind": attempt.kind, "score": score, "total": total,
        "passed": passed, "pass_percent": attempt.pass_percent, "campaigns": campaigns_passed,
    });
    let subject = format!("quiz_attempt:{}", attempt.id);
    let entry = AuditEntry {
        actor: staff,
        action: "quiz.complete",
        subject: &subject,
        details,
    };
    audit::append(conn, &entry, now_ms).await?;
    Ok(Outcome {
        bank_title: attempt.title(),
        score,
        total,
        pass_percent: attempt.pass_percent,
        passed,
        followup,
        followup_in_days,
    })
}
