//! Admission of what arrives over the Stream: a robot message is parsed and
//! its msgId claimed (durable) before the ack, then its command runs and the
//! reply goes to the sessionWebhook, exactly as for an HTTP callback; an
//! organisation event is claimed and applied in one transaction.

use chrono::{DateTime, Utc};
use tracing::Instrument as _;

use crate::app::AppState;
use crate::dingtalk::inbound::RobotCallback;
use crate::domain::chat::ChatMessage;
use crate::domain::org_event::OrgEvent;
use crate::store::inbound::{Claim, ClaimRequest};

/// The verdict on a robot message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Durably claimed; its command runs now.
    Admitted,
    /// Its msgId was handled already.
    Duplicate,
    /// Not a robot message the bot can handle.
    Malformed,
    /// The claim could not be made durable: do not ack success.
    Unavailable,
}

/// Admits a robot message carried by a CALLBACK frame's `data`.
pub async fn robot_message(state: &AppState, data: &str) -> Admission {
    let now = state.clock.now();
    let parsed = RobotCallback::parse(data.as_bytes())
        .map_err(|e| e.to_string())
        .and_then(|c| c.into_chat_message().map_err(|e| e.to_string()));
    let msg = match parsed {
        Ok(msg) => msg,
        Err(reason) => {
            state.metrics.callback("malformed");
            tracing::warn!(%reason, "Stream: malformed robot message");
            return Admission::Malformed;
        }
    };
    // A Stream message carries no signature; the claim's pair is unique to
    // the msgId, so the replay rule (a pair reused by another msgId) can
    // never refuse it, and a redelivered msgId is a duplicate.
    let claim = ClaimRequest {
        msg_id: msg.msg_id.clone(),
        sign_timestamp: now.timestamp_millis(),
        sign: format!("stream:{}", msg.msg_id),
        now_ms: now.timestamp_millis(),
    };
    match state.deduper.claim(claim).await {
        Ok(Claim::New) => {
            state.metrics.callback("accepted");
            run_command(state, msg, now);
            Admission::Admitted
        }
        Ok(Claim::Duplicate | Claim::Replay) => {
            state.metrics.callback("duplicate");
            state.metrics.dedupe_hits.inc();
            tracing::debug!(msg_id = %msg.msg_id, "Stream: duplicate message ignored");
            Admission::Duplicate
        }
        Err(e) => {
            state.metrics.callback("unavailable");
            tracing::error!(error = ?e, "Stream: message could not be claimed");
            Admission::Unavailable
        }
    }
}

/// Runs the command after the ack, one message at a time per sender.
fn run_command(state: &AppState, msg: ChatMessage, now: DateTime<Utc>) {
    let task_state = state.clone();
    let span = tracing::info_span!("stream_message", msg_id = %msg.msg_id);
    state.tasks.spawn(
        async move {
            let key = msg.sender_staff_id.clone().unwrap_or_default();
            let _turn = task_state.sender_locks.lock(&key).await;
            let reply = crate::commands::handle_message(&task_state, &msg, now).await;
            crate::reply::deliver(&task_state, &msg.reply, &reply, now).await;
        }
        .instrument(span),
    );
}

/// Applies an organisation event; `true` once it is applied (or was
/// already), `false` when it should be redelivered later.
pub async fn org_event(state: &AppState, event: &OrgEvent, now_ms: i64) -> bool {
    match crate::http::events::apply(state, event, now_ms).await {
        Ok(_) => true,
        Err(e) => {
            tracing::error!(error = ?e, "Stream: event not applied; asking for redelivery");
            false
        }
    }
}
