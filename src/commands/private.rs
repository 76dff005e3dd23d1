//! Private answers to private questions (issue 12 point 3): a command whose
//! answer is [`Privacy::Personal`](super::Privacy::Personal), asked in a
//! group, answers the group with one short line; the full answer goes to
//! the asker 1:1 through the outbox.

use super::{Ctx, HandlerResult};
use crate::actions::replies;
use crate::domain::Reply;
use crate::tr;

/// Queues `answer` 1:1 to the asker and returns the line for the group.
pub async fn send(ctx: &Ctx<'_>, answer: Reply) -> HandlerResult {
    if answer.messages.is_empty() {
        return Ok(answer);
    }
    replies::in_private(&ctx.action(), &ctx.user.staff_id, &answer.messages).await?;
    ctx.state.delivery.wake();
    Ok(Reply::text(tr!(
        ctx.lang(),
        "已私信发给你。",
        "Sent to you in a direct message."
    )))
}
