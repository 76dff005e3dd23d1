//! `POST /dingtalk/events`: encrypted event-subscription pushes
//! (PROTOCOL.md §5). At most 64 KiB (413); the signature is verified, then
//! the `timestamp` must lie within the signature window (401
//! `stale_timestamp`), then the push is decrypted. `check_url` is answered;
//! staff leaving or joining the organisation updates the roster, its dedupe
//! claim and the change committed together. Every accepted push is answered
//! with the encrypted `success` DingTalk expects; a rejected one changes
//! nothing.

use std::collections::HashMap;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use rand::Rng as _;
use rand::distributions::Alphanumeric;
use serde::Deserialize;
use serde_json::Value;

use super::MAX_BODY_BYTES;
use crate::dingtalk::crypto::{CryptoError, EventCrypto};
use crate::dingtalk::events::{self, TimestampError};
use crate::error::AppError;
use crate::ingress;
use crate::state::AppState;

#[derive(Deserialize)]
struct Push {
    encrypt: String,
}

pub async fn events(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, AppError> {
    let crypto = state
        .event_crypto
        .as_ref()
        .ok_or_else(|| AppError::not_found("event subscription is not configured"))?;
    let now_ms = state.clock.now().timestamp_millis();
    let param = |a: &str, b: &str| {
        q.get(a)
            .or_else(|| q.get(b))
            .map(String::as_str)
            .unwrap_or_default()
    };
    let (signature, timestamp, nonce) = (
        param("msg_signature", "signature"),
        param("timeStamp", "timestamp"),
        param("nonce", "nonce"),
    );
    let bytes = read_limited(&headers, body).await?;
    let push: Push = serde_json::from_slice(&bytes)
        .map_err(|_| AppError::bad_request("malformed", "expected {\"encrypt\": …}"))?;
    crypto
        .verify(signature, timestamp, nonce, &push.encrypt)
        .map_err(|e| {
            tracing::warn!(reason = %e, "event push rejected");
            AppError::unauthorized("bad_signature", e.to_string())
        })?;
    fresh(&state, timestamp, now_ms)?;
    let plain = crypto.decrypt(&push.encrypt).map_err(|e| match e {
        CryptoError::Owner => AppError::unauthorized("wrong_receiver", e.to_string()),
        _ => AppError::bad_request("malformed", e.to_string()),
    })?;
    let event =
        events::from_push(&plain).map_err(|e| AppError::bad_request("malformed", e.to_string()))?;
    ingress::admit_event(&state, &event, now_ms)
        .await
        .map_err(|e| AppError::unavailable(&e))?;
    Ok(Json(reply(crypto, &state)))
}

/// The push's timestamp must lie within the signature window of now.
fn fresh(state: &AppState, timestamp: &str, now_ms: i64) -> Result<(), AppError> {
    let window_ms =
        i64::try_from(state.config.signature_window.as_millis()).unwrap_or(i64::MAX / 4);
    events::check_timestamp(timestamp, now_ms, window_ms).map_err(|e| {
        tracing::warn!(reason = %e, "event push rejected");
        let code = match e {
            TimestampError::Invalid => "bad_timestamp",
            TimestampError::Stale => "stale_timestamp",
        };
        AppError::unauthorized(code, e.to_string())
    })
}

/// The body, refused with 413 above 64 KiB (by its declared length first).
async fn read_limited(headers: &HeaderMap, body: Body) -> Result<Bytes, AppError> {
    let too_large = || {
        AppError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "body exceeds 64 KiB",
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| too_large())
}

fn reply(crypto: &EventCrypto, state: &AppState) -> Value {
    let mut rng = rand::thread_rng();
    let random: [u8; 16] = std::array::from_fn(|_| rng.sample(Alphanumeric));
    let nonce: String = (0..12)
        .map(|_| char::from(rng.sample(Alphanumeric)))
        .collect();
    let timestamp = state.clock.now().timestamp_millis().to_string();
    crypto.success_reply(&timestamp, &nonce, &random)
}
