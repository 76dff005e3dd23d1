//! Replies that could not be posted at the sessionWebhook: queued through
//! the outbox (the OpenAPI) by the reply fall-back action, and the delivery
//! worker woken.

use crate::actions::{self, Actor, Ctx};
use crate::domain::Message;
use crate::domain::chat::ReplyRoute;
use crate::metrics::ChannelLabels;
use crate::state::AppState;

/// Queues `messages` as replies through the OpenAPI and wakes the worker.
pub(super) async fn fall_back(state: &AppState, route: &ReplyRoute, messages: &[Message]) {
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
