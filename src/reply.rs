//! Answering in the conversation a message came from: each reply message is
//! POSTed to the callback's sessionWebhook, after the host check, with
//! DingTalk's `errcode` checked. Failures are logged and counted.

use chrono::{DateTime, Utc};

use crate::app::AppState;
use crate::dingtalk::message::webhook_body;
use crate::dingtalk::webhook::WebhookError;
use crate::domain::Reply;
use crate::domain::chat::ReplyRoute;

/// Posts `reply` to the route's sessionWebhook; `received` is when the
/// callback arrived (for the latency metric).
pub async fn deliver(state: &AppState, route: &ReplyRoute, reply: &Reply, received: DateTime<Utc>) {
    if reply.messages.is_empty() {
        return;
    }
    if let Err(e) = post_all(state, route, reply).await {
        state.metrics.reply_failed(e.kind());
        tracing::warn!(error = %e, reason = e.kind(), "reply not delivered");
        return;
    }
    let elapsed = (state.clock.now() - received).num_milliseconds().max(0) as f64 / 1000.0;
    state.metrics.reply_latency.observe(elapsed);
}

async fn post_all(state: &AppState, route: &ReplyRoute, reply: &Reply) -> Result<(), WebhookError> {
    let raw = route
        .session_webhook
        .as_deref()
        .ok_or(WebhookError::Forbidden)?;
    let url = state.webhooks.check(raw)?;
    if route
        .expires_at_ms
        .is_some_and(|exp| exp <= state.clock.now().timestamp_millis())
    {
        return Err(WebhookError::Expired);
    }
    let group = route.conversation.as_ref().is_some_and(|c| c.is_group());
    let at = if group {
        route.sender_staff_id.as_deref()
    } else {
        None
    };
    for m in &reply.messages {
        state.webhooks.post(&url, &webhook_body(m, at)).await?;
    }
    Ok(())
}
