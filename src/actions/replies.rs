//! Replies that could not go through the conversation's sessionWebhook:
//! queued through the OpenAPI, ahead of bulk traffic — 1:1 chats by
//! batchSend to the sender, group chats by group send — and private
//! answers to questions asked in a group, queued 1:1 to the asker.

use super::Ctx;
use crate::domain::Message;
use crate::domain::chat::{Conversation, ReplyRoute};
use crate::store::outbox::{self, Channel, Outbound, Priority};

/// Queues `messages` as replies on the route's conversation, in one
/// transaction; the channel used, or `None` when the route names no
/// conversation to send to (the reply is lost).
#[tracing::instrument(skip_all, fields(messages = messages.len()))]
pub async fn fall_back(
    ctx: &Ctx<'_>,
    route: &ReplyRoute,
    messages: &[Message],
) -> anyhow::Result<Option<Channel>> {
    let (channel, to) = match (&route.conversation, &route.sender_staff_id) {
        (Some(Conversation::Group { id, .. }), _) => (Channel::Group, id.clone()),
        (Some(Conversation::Direct { .. }), Some(staff)) => (Channel::Direct, staff.clone()),
        _ => return Ok(None),
    };
    let recipients = [to];
    let mut tx = ctx.begin().await?;
    for m in messages {
        let out = Outbound {
            channel,
            ..Outbound::direct(&recipients, m)
        }
        .priority(Priority::Reply);
        outbox::enqueue(tx.conn(), &out, ctx.now_ms()).await?;
    }
    tx.commit().await?;
    Ok(Some(channel))
}

/// Queues `messages` 1:1 to `staff_id`, ahead of bulk traffic, in one
/// transaction: the full answer to a question whose answer is not for the
/// group it was asked in.
#[tracing::instrument(skip_all, fields(messages = messages.len()))]
pub async fn in_private(ctx: &Ctx<'_>, staff_id: &str, messages: &[Message]) -> anyhow::Result<()> {
    let recipients = [staff_id.to_owned()];
    let mut tx = ctx.begin().await?;
    for m in messages {
        let out = Outbound::direct(&recipients, m).priority(Priority::Reply);
        outbox::enqueue(tx.conn(), &out, ctx.now_ms()).await?;
    }
    tx.commit().await
}
