//! Answering a handled message: its reply is posted to the conversation's
//! sessionWebhook ([`crate::delivery::Delivery::reply`]) while that is still
//! valid; whatever could not be posted there (missing, expired — as after a
//! recovery —, refused or failing) is queued through the outbox as replies
//! ([`actions::replies::fall_back`]: 1:1 to the sender, or into the group)
//! and the delivery worker is woken. The decision lives here, in the
//! ingress, so delivery never calls actions.

use chrono::{DateTime, Utc};

use crate::actions::{self, Actor, Ctx};
use crate::domain::Reply;
use crate::domain::chat::ReplyRoute;
use crate::metrics::ChannelLabels;
use crate::state::AppState;

/// Sends `reply` on the route, falling back to the outbox.
pub async fn send(state: &AppState, route: &ReplyRoute, reply: &Reply, received: DateTime<Utc>) {
    let Err(posted) = state.delivery.reply(route, reply, received).await else {
        return;
    };
    let messages = &reply.messages[posted..];
    let ctx = Ctx::new(
        &state.store,
        &state.config,
        state.clock.now(),
        Actor::System("dingtalk"),
    );
    match actions::replies::fall_back(&ctx, route, messages).await {
        Ok(Some(channel)) => {
            state
                .metrics
                .delivery
                .reply_fallbacks
                .get_or_create(&ChannelLabels {
                    channel: channel.as_str(),
                })
                .inc_by(messages.len() as u64);
            tracing::info!(
                channel = channel.as_str(),
                messages = messages.len(),
                "reply queued through the OpenAPI"
            );
            state.delivery.wake();
        }
        Ok(None) => {
            tracing::warn!("reply lost: no conversation or staff id to send it to");
            state.metrics.reply_failed("no_fallback");
        }
        Err(e) => {
            state.metrics.reply_failed("fallback_failed");
            tracing::error!(error = ?e, "reply lost: could not queue the fallback");
        }
    }
}
