//! Admission of what DingTalk sends, whatever carried it (an HTTP callback
//! or a Stream frame): a verified robot message is claimed against the
//! msgId dedupe together with its command (the durable inbox: what the
//! handler needs, without the text when it looks like a credential), so
//! once the claim is durable the message will be handled, crash or not; its
//! command then runs from the inbox ([`inbox`], [`sweep`]) and the reply goes
//! back to the conversation. An organisation event is claimed and applied
//! together ([`admit_event`]). Transports verify and parse; they answer
//! (200, ack) only after admission returns.

mod event;
mod fallback;
pub mod inbox;
pub mod sweep;

pub use event::admit_event;

use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use tokio::sync::OwnedSemaphorePermit;

use crate::domain::chat::{Body, ChatMessage};
use crate::state::AppState;
use crate::store::inbound::{Claim, ClaimRequest, InboxEntry};
use crate::store::inbox::Held;

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
    /// New: its command is in the inbox and will run.
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
    /// This replica already holds `DINGWARDEN_MAX_QUEUED` messages not yet
    /// finished, and none finished within the claim timeout: nothing was
    /// stored (the sender is answered 503; a Stream message is not acked).
    Busy,
}

/// Claims `msg` with its inbox entry and, when it is new, queues its command
/// (one message at a time per sender) to run and reply. Returns once the
/// verdict, and for a new message its command, is durable.
pub async fn admit_message(
    state: &AppState,
    mut msg: ChatMessage,
    signature: Option<Signature>,
    now: DateTime<Utc>,
) -> Result<Admitted, AdmitError> {
    // Before anything is stored: a pasted password is kept as the fact only.
    if matches!(&msg.body, Body::Text(t) if crate::commands::password::carries_credential(t)) {
        msg.body = Body::Withheld;
    }
    let command = serde_json::to_string(&msg)
        .context("encode the inbox entry")
        .map_err(AdmitError::Unavailable)?;
    let sender = msg.sender_staff_id.clone().unwrap_or_default();
    // A message without a callback signature gets a pair of its own, so the
    // replay rule (same pair, another msgId) never matches it.
    let (sign_timestamp, sign) = match signature {
        Some(s) => (s.timestamp, s.sign),
        None => (now.timestamp_millis(), format!("unsigned:{}", msg.msg_id)),
    };
    // Room first, then the claim: both within the one claim timeout.
    let started = Instant::now();
    let room = room(state).await?;
    let left = state
        .config
        .timeouts
        .claim
        .saturating_sub(started.elapsed());
    let claim = ClaimRequest {
        msg_id: msg.msg_id.clone(),
        sign_timestamp,
        sign,
        now_ms: now.timestamp_millis(),
        inbox: Some(InboxEntry {
            sender: sender.clone(),
            command: command.clone(),
        }),
    };
    match state.deduper.claim_within(claim, left).await {
        Ok(Claim::New) => {
            let held = Held {
                msg_id: msg.msg_id,
                sender,
                command: Some(command),
                received_at: now.timestamp_millis(),
                attempt: 1,
            };
            inbox::dispatch(state, held, Some(room));
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

/// A place among the messages this replica has accepted and not finished
/// (`DINGWARDEN_MAX_QUEUED`), waiting at most the claim timeout for one to
/// finish. Bounds what a burst holds in memory: past the bound the callback
/// waits, and then is refused, instead of being queued without end.
async fn room(state: &AppState) -> Result<OwnedSemaphorePermit, AdmitError> {
    let wait = Arc::clone(&state.admission).acquire_owned();
    match tokio::time::timeout(state.config.timeouts.claim, wait).await {
        Ok(Ok(permit)) => Ok(permit),
        Ok(Err(closed)) => Err(AdmitError::Unavailable(closed.into())),
        Err(_) => {
            tracing::warn!(
                queued = state.config.inbox.max_queued,
                "inbox full: a message was refused (DINGWARDEN_MAX_QUEUED)"
            );
            Err(AdmitError::Busy)
        }
    }
}
