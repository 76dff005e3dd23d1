//! `POST /dingtalk/robot`: a robot callback is verified (timestamp window and
//! signature), size-checked and parsed, then admitted by [`crate::ingress`]
//! (dedupe claim, command, reply) before it is answered
//! `200 {"msgtype":"empty"}`. Every rejection is a JSON error and changes
//! nothing.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::MAX_BODY_BYTES;
use crate::dingtalk::inbound::RobotCallback;
use crate::dingtalk::signature::{self, SignatureError};
use crate::error::AppError;
use crate::ingress::{self, AdmitError, Admitted, Signature};
use crate::state::AppState;

pub async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, AppError> {
    let now = state.clock.now();
    match accept(&state, &headers, body, now).await {
        Ok(Admitted::New) => {
            state.metrics.callback("accepted");
            Ok(Json(json!({"msgtype": "empty"})))
        }
        Ok(Admitted::Duplicate) => {
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

type Rejection = (&'static str, AppError);

async fn accept(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
    now: DateTime<Utc>,
) -> Result<Admitted, Rejection> {
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
    let signature = Signature {
        timestamp: ts,
        sign: sign.to_owned(),
    };
    match ingress::admit_message(state, msg, Some(signature), now).await {
        Ok(admitted) => Ok(admitted),
        Err(AdmitError::Replay) => Err((
            "replay",
            AppError::unauthorized("replay", "this signature was already used"),
        )),
        Err(AdmitError::Unavailable(e)) => Err(("unavailable", AppError::unavailable(&e))),
        Err(AdmitError::Busy) => Err((
            "busy",
            AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "too many messages are waiting; try again shortly",
            ),
        )),
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
