//! Answering in the conversation a message came from: each reply message is
//! POSTed to the callback's sessionWebhook, after the host check, with
//! DingTalk's `errcode` checked. Failures are logged and counted. When the
//! webhook cannot be used — missing, expired (by `sessionWebhookExpiredTime`
//! or DingTalk answering 300001), refused by the host check, or still failing
//! after a retry — the messages not yet posted go through the outbox as
//! replies (ahead of bulk traffic): 1:1 chats by batchSend to the sender,
//! group chats by group send.

use chrono::{DateTime, Utc};

use crate::dingtalk::message::webhook_body;
use crate::dingtalk::webhook::WebhookError;
use crate::domain::chat::{Conversation, ReplyRoute};
use crate::domain::{Message, Reply};
use crate::state::AppState;
use crate::store::outbox::{self, Channel, Outbound, Priority};

/// A sessionWebhook this close to its expiry is treated as expired.
const EXPIRY_MARGIN_MS: i64 = 30_000;

/// Posts `reply` to the route's sessionWebhook; `received` is when the
/// callback arrived (for the latency metric).
pub async fn deliver(state: &AppState, route: &ReplyRoute, reply: &Reply, received: DateTime<Utc>) {
    if reply.messages.is_empty() {
        return;
    }
    if let Err((posted, e)) = post_all(state, route, reply).await {
        state.metrics.reply_failed(e.kind());
        tracing::warn!(error = %e, reason = e.kind(), "reply not delivered at the sessionWebhook");
        fall_back(state, route, &reply.messages[posted..]).await;
        return;
    }
    let elapsed = (state.clock.now() - received).num_milliseconds().max(0) as f64 / 1000.0;
    state.metrics.reply_latency.observe(elapsed);
}

/// Posts every message; on failure, how many were posted and why the next was not.
async fn post_all(
    state: &AppState,
    route: &ReplyRoute,
    reply: &Reply,
) -> Result<(), (usize, WebhookError)> {
    let raw = route
        .session_webhook
        .as_deref()
        .ok_or((0, WebhookError::Missing))?;
    let url = state.webhooks.check(raw).map_err(|e| (0, e))?;
    if route
        .expires_at_ms
        .is_some_and(|exp| exp - EXPIRY_MARGIN_MS <= state.clock.now().timestamp_millis())
    {
        return Err((0, WebhookError::Expired));
    }
    let group = route.conversation.as_ref().is_some_and(|c| c.is_group());
    let at = if group {
        route.sender_staff_id.as_deref()
    } else {
        None
    };
    for (i, m) in reply.messages.iter().enumerate() {
        let body = webhook_body(m, at);
        let result = match state.webhooks.post(&url, &body).await {
            // One immediate retry for a failure that may pass.
            Err(WebhookError::Status(_) | WebhookError::Transport(_)) => {
                state.webhooks.post(&url, &body).await
            }
            other => other,
        };
        result.map_err(|e| (i, e))?;
    }
    Ok(())
}

/// Queues `messages` as replies through the OpenAPI.
async fn fall_back(state: &AppState, route: &ReplyRoute, messages: &[Message]) {
    let (channel, to) = match (&route.conversation, &route.sender_staff_id) {
        (Some(Conversation::Group { id, .. }), _) => (Channel::Group, id.clone()),
        (Some(Conversation::Direct { .. }), Some(staff)) => (Channel::Direct, staff.clone()),
        _ => {
            tracing::warn!("reply lost: no conversation or staff id to send it to");
            state.metrics.reply_failed("no_fallback");
            return;
        }
    };
    let now_ms = state.clock.now().timestamp_millis();
    let recipients = [to];
    let queued = async {
        let mut tx = state.store.begin_write().await?;
        for m in messages {
            let out = Outbound {
                channel,
                ..Outbound::direct(&recipients, m)
            }
            .priority(Priority::Reply);
            outbox::enqueue(tx.conn(), &out, now_ms).await?;
        }
        tx.commit().await
    };
    match queued.await {
        Ok(()) => {
            state
                .metrics
                .delivery
                .reply_fallbacks
                .get_or_create(&crate::metrics::ChannelLabels {
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
        Err(e) => {
            state.metrics.reply_failed("fallback_failed");
            tracing::error!(error = ?e, "reply lost: could not queue the fallback");
        }
    }
}
