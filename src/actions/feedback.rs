//! Feedback for the admins: stored as #N (nobody is notified), and the
//! audited list. The audit log records ids, never what people wrote.

use serde_json::json;

use super::incidents::check_length;
use super::{ActionResult, Ctx};
use crate::store::incidents::{self as sql, FeedbackRow};

/// The acting person's feedback; its id.
#[tracing::instrument(skip_all)]
pub async fn submit(ctx: &Ctx<'_>, text: &str) -> ActionResult<i64> {
    check_length(text)?;
    let me = ctx
        .actor
        .person()
        .ok_or_else(|| anyhow::anyhow!("only a person gives feedback"))?;
    let mut tx = ctx.begin().await?;
    let id = sql::add_feedback(tx.conn(), &me.staff_id, text, ctx.now_ms()).await?;
    tx.audit(
        "feedback.submit",
        &format!("feedback:{id}"),
        json!({"id": id}),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The latest `shown` pieces of feedback, newest first, and how many there
/// are in all; the read is audited.
#[tracing::instrument(skip_all)]
pub async fn list(ctx: &Ctx<'_>, shown: i64) -> anyhow::Result<(Vec<FeedbackRow>, i64)> {
    let mut tx = ctx.begin().await?;
    let (rows, total) = sql::recent_feedback(tx.conn(), shown).await?;
    tx.audit("feedback.list", "", json!({"total": total}))
        .await?;
    tx.commit().await?;
    Ok((rows, total))
}
