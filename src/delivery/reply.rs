//! Answering in the conversation a message came from: each reply message is
//! POSTed to the message's sessionWebhook, after the host check, with
//! DingTalk's `errcode` checked. Failures are logged and counted. When the
//! webhook cannot be used — missing, expired (by `sessionWebhookExpiredTime`
//! or DingTalk answering 300001), refused by the host check, or still failing
//! after a retry — the messages not yet posted are handed back to the caller,
//! which queues them through the outbox (ingress does, with
//! `actions::replies::fall_back`) and wakes the worker.

use chrono::{DateTime, Utc};

use super::Delivery;
use crate::dingtalk::message::webhook_body;
use crate::dingtalk::webhook::WebhookError;
use crate::domain::chat::ReplyRoute;
use crate::domain::{Message, Reply};

/// A sessionWebhook this close to its expiry is treated as expired.
const EXPIRY_MARGIN_MS: i64 = 30_000;

impl Delivery {
    /// Posts `reply` to the route's sessionWebhook; `received` is when the
    /// message arrived (for the latency metric). The messages it could not
    /// post come back as the error, for the caller to queue.
    #[tracing::instrument(name = "reply", skip_all, fields(messages = reply.messages.len()))]
    pub async fn reply<'r>(
        &self,
        route: &ReplyRoute,
        reply: &'r Reply,
        received: DateTime<Utc>,
    ) -> Result<(), &'r [Message]> {
        if reply.messages.is_empty() {
            return Ok(());
        }
        if let Err((posted, e)) = self.post_all(route, reply).await {
            self.metrics.reply_failed(e.kind());
            tracing::warn!(error = %e, reason = e.kind(), "reply not delivered at the sessionWebhook");
            return Err(&reply.messages[posted..]);
        }
        let elapsed = (self.clock.now() - received).num_milliseconds().max(0) as f64 / 1000.0;
        self.metrics.reply_latency.observe(elapsed);
        Ok(())
    }

    /// Posts every message; on failure, how many were posted and why the next was not.
    async fn post_all(
        &self,
        route: &ReplyRoute,
        reply: &Reply,
    ) -> Result<(), (usize, WebhookError)> {
        let raw = route
            .session_webhook
            .as_deref()
            .ok_or((0, WebhookError::Missing))?;
        let url = self.webhooks.check(raw).map_err(|e| (0, e))?;
        if route
            .expires_at_ms
            .is_some_and(|exp| exp - EXPIRY_MARGIN_MS <= self.clock.now().timestamp_millis())
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
            let result = match self.webhooks.post(&url, &body).await {
                // One immediate retry for a failure that may pass.
                Err(WebhookError::Status(_) | WebhookError::Transport(_)) => {
                    self.webhooks.post(&url, &body).await
                }
                other => other,
            };
            result.map_err(|e| (i, e))?;
        }
        Ok(())
    }
}
