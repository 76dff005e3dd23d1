//! Admission of what DingTalk sends, whatever carried it (an HTTP callback
//! or a Stream frame): a verified robot message is claimed against the
//! msgId dedupe, and once the claim is durable its command runs and the
//! reply goes back to the conversation; an organisation event is claimed
//! and applied together ([`admit_event`]). Transports verify and parse; they
//! answer (200, ack) only after admission returns.

mod event;
mod fallback;

pub use event::admit_event;

use chrono::{DateTime, Utc};
use tracing::Instrument as _;

use crate::domain::chat::ChatMessage;
use crate::state::AppState;
use crate::store::inbound::{Claim, ClaimRequest};

/// The callback signature a message came with (HTTP callbacks carry one;
/// Stream messages arrive over an authenticated connection instead).
#[derive(Clone, Debug)]
pub struct Signature {
    /// The `timestamp` header, milliseconds.
    pub timestamp: i64,
    /// The `sign` header.
    pub sign: String,
}

/// A message that passed admission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admitted {
    /// New: its command is running.
    New,
    /// Its msgId was admitted before: nothing happens again.
    Duplicate,
}

/// Why a message was not admitted.
#[derive(Debug)]
pub enum AdmitError {
    /// The signature pair came earlier with another msgId.
    Replay,
    /// The claim could not be made durable (database unreachable…).
    Unavailable(anyhow::Error),
}

/// Claims `msg` and, when it is new, runs its command in the background
/// (one message at a time per sender) and delivers the reply. Returns once
/// the verdict is durable.
pub async fn admit_message(
    state: &AppState,
    msg: ChatMessage,
    signature: Option<Signature>,
    now: DateTime<Utc>,
) -> Result<Admitted, AdmitError> {
    // A message without a callback signature gets a pair of its own, so the
    // replay rule (same pair, another msgId) never matches it.
    let (sign_timestamp, sign) = match signature {
        Some(s) => (s.timestamp, s.sign),
        None => (now.timestamp_millis(), format!("unsigned:{}", msg.msg_id)),
    };
    let claim = ClaimRequest {
        msg_id: msg.msg_id.clone(),
        sign_timestamp,
        sign,
        now_ms: now.timestamp_millis(),
    };
    match state.deduper.claim(claim).await {
        Ok(Claim::New) => {
            spawn_handler(state, msg, now);
            Ok(Admitted::New)
        }
        Ok(Claim::Duplicate) => {
            tracing::debug!(msg_id = %msg.msg_id, "duplicate message ignored");
            Ok(Admitted::Duplicate)
        }
        Ok(Claim::Replay) => {
            tracing::warn!(msg_id = %msg.msg_id, "replayed signature rejected");
            Err(AdmitError::Replay)
        }
        Err(e) => Err(AdmitError::Unavailable(e)),
    }
}

/// Runs the command of an admitted message and delivers its reply.
fn spawn_handler(state: &AppState, msg: ChatMessage, received: DateTime<Utc>) {
    let task_state = state.clone();
    let span = tracing::Span::current();
    state.tasks.spawn(
        async move {
            let key = msg.sender_staff_id.clone().unwrap_or_default();
            let _turn = task_state.sender_locks.lock(&key).await;
            let reply = crate::commands::handle_message(&task_state, &msg, received).await;
            let posted = task_state
                .delivery
                .reply(&msg.reply, &reply, received)
                .await;
            if let Err(unposted) = posted {
                fallback::fall_back(&task_state, &msg.reply, unposted).await;
            }
        }
        .instrument(span),
    );
}
