//! One frame in, its ack out (PROTOCOL.md §6.3–§6.5). SYSTEM frames are
//! answered at once (`ping` echoes its data; `disconnect` is acked and ends
//! the connection); robot messages and organisation events run in a task
//! that sends the ack once the work is durable; unknown types and topics
//! get a 404 ack. Every frame is counted; one that is not JSON is logged
//! (its length, never its content) and dropped.

use std::sync::Arc;

use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::task::TaskTracker;

use super::Client;
use super::frame::{self, AckCode, Frame, FrameType, ROBOT_TOPIC};
use crate::dingtalk::events;
use crate::dingtalk::inbound::RobotCallback;
use crate::ingress::{self, AdmitError, Admitted};

/// An ack ready to be written, with when its frame arrived (for the latency metric).
#[derive(Debug)]
pub struct Outgoing {
    pub text: String,
    pub received: Instant,
}

/// What the connection does after a frame.
#[derive(Debug)]
pub enum Handled {
    /// Write this ack now.
    Reply(Outgoing),
    /// Write this ack, then close and reconnect (SYSTEM `disconnect`).
    Disconnect(Outgoing),
    /// A task writes the ack when the work is durable.
    Spawned,
    /// Nothing to answer.
    Nothing,
}

/// Handles one text frame.
pub fn frame(
    client: &Client,
    text: &str,
    acks: &mpsc::Sender<Outgoing>,
    inflight: &TaskTracker,
) -> Handled {
    let received = Instant::now();
    let Some((frame, id)) = parse(client, text) else {
        return Handled::Nothing;
    };
    let reply = |text: String| Outgoing { text, received };
    match (frame.frame_type, frame.topic()) {
        (FrameType::System, "ping") => {
            Handled::Reply(reply(frame::ack(&id, AckCode::Ok, "OK", &frame.data)))
        }
        (FrameType::System, "disconnect") => {
            tracing::info!("Stream: the gateway asked for a new connection");
            Handled::Disconnect(reply(frame::ack(&id, AckCode::Ok, "OK", "")))
        }
        (FrameType::Callback, ROBOT_TOPIC) | (FrameType::Event, _) => {
            spawn(client, frame, id, received, acks, inflight)
        }
        (frame_type, topic) => {
            tracing::info!(
                frame_type = frame_type.label(),
                topic,
                "Stream: unknown topic"
            );
            Handled::Reply(reply(frame::ack(
                &id,
                AckCode::NotFound,
                "unknown topic",
                "",
            )))
        }
    }
}

/// Parses and counts a frame; `None` (logged) when it cannot be answered.
fn parse(client: &Client, text: &str) -> Option<(Frame, String)> {
    let metrics = &client.state.metrics.stream;
    let frame = match Frame::parse(text) {
        Ok(f) => f,
        Err(e) => {
            metrics.frame("invalid", "");
            tracing::warn!(bytes = text.len(), error = %e, "Stream: invalid frame dropped");
            return None;
        }
    };
    metrics.frame(frame.frame_type.label(), frame.topic_label());
    let Some(id) = frame.message_id().map(str::to_owned) else {
        tracing::warn!(
            frame_type = frame.frame_type.label(),
            "Stream: frame without messageId dropped"
        );
        return None;
    };
    Some((frame, id))
}

/// Runs a message or event in a task, within the connection's capacity.
fn spawn(
    client: &Client,
    frame: Frame,
    id: String,
    received: Instant,
    acks: &mpsc::Sender<Outgoing>,
    inflight: &TaskTracker,
) -> Handled {
    let Ok(slot) = Arc::clone(&client.slots).try_acquire_owned() else {
        // Left unacked: DingTalk redelivers it, as the official SDKs rely on.
        tracing::warn!("Stream: too many frames in flight; one left for redelivery");
        return Handled::Nothing;
    };
    let (client, acks) = (client.clone(), acks.clone());
    inflight.spawn(async move {
        let text = match frame.frame_type {
            FrameType::Event => Some(event(&client, &frame, &id).await),
            _ => robot(&client, &frame, &id).await,
        };
        drop(slot);
        if let Some(text) = text {
            let _ = acks.send(Outgoing { text, received }).await;
        }
    });
    Handled::Spawned
}

/// Parses and admits a robot message; the ack is a success only once the
/// claim and the command are durable (`crate::ingress`: the inbox row), so
/// an acked message is handled even if this process dies right after, and
/// a redelivery is recognised as a duplicate. A message that could not be
/// claimed (database down, claim timeout) is not acked at all: DingTalk
/// redelivers an unacked message (PROTOCOL.md §1.6).
async fn robot(client: &Client, frame: &Frame, id: &str) -> Option<String> {
    let state = &client.state;
    let now = state.clock.now();
    let parsed = RobotCallback::parse(frame.data.as_bytes())
        .map_err(|e| e.to_string())
        .and_then(|c| c.into_chat_message().map_err(|e| e.to_string()));
    let msg = match parsed {
        Ok(msg) => msg,
        Err(reason) => {
            state.metrics.callback("malformed");
            tracing::warn!(%reason, "Stream: malformed robot message");
            return Some(frame::ack(id, AckCode::BadRequest, "malformed message", ""));
        }
    };
    match ingress::admit_message(state, msg, None, now).await {
        Ok(Admitted::New) => {
            state.metrics.callback("accepted");
            Some(frame::robot_ok(id))
        }
        Ok(Admitted::Duplicate) => {
            state.metrics.callback("duplicate");
            state.metrics.dedupe_hits.inc();
            Some(frame::robot_ok(id))
        }
        // Unsigned claims cannot be replays; answered like a duplicate.
        Err(AdmitError::Replay) => Some(frame::robot_ok(id)),
        Err(AdmitError::Busy) => {
            state.metrics.callback("busy");
            None
        }
        Err(AdmitError::Unavailable(e)) => {
            state.metrics.callback("unavailable");
            tracing::error!(error = ?e, "Stream: message could not be claimed; left unacked for redelivery");
            None
        }
    }
}

/// Applies an organisation event: `SUCCESS` once applied (or seen before),
/// `LATER` when applying failed, so DingTalk redelivers it.
async fn event(client: &Client, frame: &Frame, id: &str) -> String {
    let state = &client.state;
    let event_type = frame.header("eventType").unwrap_or_default();
    let event = match events::from_stream(event_type, frame.header("eventId"), &frame.data) {
        Ok(e) => e,
        Err(e) => {
            state.metrics.event("malformed");
            tracing::warn!(event_type, error = %e, "Stream: event data refused");
            return frame::ack(id, AckCode::BadRequest, "malformed event", "");
        }
    };
    let now_ms = state.clock.now().timestamp_millis();
    let applied = match ingress::admit_event(state, &event, now_ms).await {
        Ok(_) => true,
        Err(e) => {
            tracing::error!(error = ?e, "Stream: event not applied; asking for redelivery");
            false
        }
    };
    frame::event_status(id, applied)
}
