//! Follow-up quizzes: once due, each is offered to its person once, with
//! the topics it covers, through the outbox.

use crate::actions::{ActionResult, Ctx};
use crate::domain::quiz::{Text, render};
use crate::store::outbox::{self, Outbound, Priority};
use crate::store::quiz::banks;
use crate::store::quiz::review::{self, Followup};
use crate::store::users;

/// Follow-ups due at the context's `now` whose offer has not gone out.
pub async fn due_followups(ctx: &Ctx<'_>) -> anyhow::Result<Vec<Followup>> {
    review::due_followups(&mut *ctx.read().await?, ctx.now_ms()).await
}

/// Offers follow-up `f` to its person (if still active and the bank still
/// exists); `false` when it was offered already.
#[tracing::instrument(skip_all, fields(followup = f.id))]
pub async fn offer_followup(ctx: &Ctx<'_>, f: &Followup) -> ActionResult<bool> {
    let now_ms = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    if !review::mark_followup_sent(tx.conn(), f.id, now_ms).await? {
        return Ok(false);
    }
    let user = users::load_user(tx.conn(), &f.staff_id).await?;
    let bank = banks::current_by_id(tx.conn(), f.bank_id).await?;
    if let (Some(user), Some(bank)) = (user.filter(|u| u.active), bank) {
        let keys = f.topic_keys();
        let mut topics: Vec<Text> = Vec::new();
        for q in banks::questions(tx.conn(), bank.version_id).await? {
            if keys.contains(&q.topic) && !topics.iter().any(|t| t.en == q.topic_en) {
                topics.push(Text::new(q.topic_zh, q.topic_en));
            }
        }
        let n = bank.followup_questions;
        let message = render::followup_invite(&bank.title(), &topics, n, user.lang);
        let key = format!("quiz-followup-{}", f.id);
        let to = [f.staff_id.clone()];
        let out = Outbound::direct(&to, &message)
            .priority(Priority::Normal)
            .dedupe_key(&key)
            .reference("quiz_followup", f.id);
        outbox::enqueue(tx.conn(), &out, now_ms).await?;
    }
    tx.commit().await?;
    Ok(true)
}
