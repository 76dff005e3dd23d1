//! `POST /dingtalk/robot`: a robot callback is verified (timestamp window and
//! signature), size-checked, parsed, and claimed against the msgId dedupe
//! before it is answered `200 {"msgtype":"empty"}`; the command runs after
//! that and its reply goes to the sessionWebhook. Every rejection is a JSON
//! error and changes nothing.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tracing::Instrument as _;

use super::MAX_BODY_BYTES;
use crate::app::AppState;
use crate::dingtalk::inbound::RobotCallback;
use crate::dingtalk::signature::{self, SignatureError};
use crate::domain::chat::ChatMessage;
use crate::error::AppError;
use crate::store::inbound::{Claim, ClaimRequest};

pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, AppError> {
    let now = state.clock.now();
    let outcome = accept(&state, &headers, body, now).await;
    match outcome {
        Ok(Accepted::New(msg)) => {
            state.metrics.callback("accepted");
            let task_state = state.clone();
            let span = tracing::Span::current();
            state.tasks.spawn(
                async move {
                    let key = msg.sender_staff_id.clone().unwrap_or_default();
                    let _turn = task_state.sender_locks.lock(&key).await;
                    let reply = crate::commands::handle_message(&task_state, &msg, now).await;
                    crate::reply::deliver(&task_state, &msg.reply, &reply, now).await;
                }
                .instrument(span),
            );
            Ok(Json(json!({"msgtype": "empty"})))
        }
        Ok(Accepted::Duplicate) => {
            state.metrics.callback("duplicate");
            state.metrics.dedupe_hits.inc();
            Ok(Json(json!({"msgtype": "empty"})))
        }
        Err((outcome, e)) => {
            state.metrics.callback(outcome);
            Err(e)
        }
    }
}

enum Accepted {
    New(Box<ChatMessage>),
    Duplicate,
}

type Rejection = (&'static str, AppError);

async fn accept(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    now: DateTime<Utc>,
) -> Result<Accepted, Rejection> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(too_large());
    }
    let (ts, sign) = verify(state, headers, now)?;
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| too_large())?;
    let callback = RobotCallback::parse(&bytes).map_err(malformed)?;
    let msg = callback.into_chat_message().map_err(malformed)?;
    let claim = ClaimRequest {
        msg_id: msg.msg_id.clone(),
        sign_timestamp: ts,
        sign: sign.to_owned(),
        now_ms: now.timestamp_millis(),
    };
    match state.deduper.claim(claim).await {
        Ok(Claim::New) => Ok(Accepted::New(Box::new(msg))),
        Ok(Claim::Duplicate) => {
            tracing::debug!(msg_id = %msg.msg_id, "duplicate callback ignored");
            Ok(Accepted::Duplicate)
        }
        Ok(Claim::Replay) => {
            tracing::warn!(msg_id = %msg.msg_id, "replayed signature rejected");
            Err((
                "replay",
                AppError::unauthorized("replay", "this signature was already used"),
            ))
        }
        Err(e) => Err(("unavailable", AppError::unavailable(&e))),
    }
}

/// Checks the `timestamp` and `sign` headers; returns the timestamp and sign.
fn verify<'h>(
    state: &AppState,
    headers: &'h HeaderMap,
    now: DateTime<Utc>,
) -> Result<(i64, &'h str), Rejection> {
    let header = |name: &'static str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .ok_or(SignatureError::MissingHeader(name))
    };
    let window_ms =
        i64::try_from(state.config.signature_window.as_millis()).unwrap_or(i64::MAX / 4);
    let result = header("timestamp").and_then(|ts| {
        let sign = header("sign")?;
        let ts = signature::verify(
            &state.config.app_secrets,
            ts,
            sign,
            now.timestamp_millis(),
            window_ms,
        )?;
        Ok((ts, sign))
    });
    result.map_err(|e| {
        tracing::warn!(reason = %e, "callback signature rejected");
        let (outcome, code) = match e {
            SignatureError::MissingHeader(_) => ("missing_signature", "missing_signature"),
            SignatureError::BadTimestamp => ("bad_timestamp", "bad_timestamp"),
            SignatureError::Stale => ("stale_timestamp", "stale_timestamp"),
            SignatureError::Mismatch => ("bad_signature", "bad_signature"),
        };
        (outcome, AppError::unauthorized(code, e.to_string()))
    })
}

fn too_large() -> Rejection {
    (
        "too_large",
        AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "body exceeds 64 KiB",
        ),
    )
}

fn malformed(e: impl std::fmt::Display) -> Rejection {
    tracing::warn!(reason = %e, "malformed callback body");
    (
        "malformed",
        AppError::bad_request("malformed", e.to_string()),
    )
}
