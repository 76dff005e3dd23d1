//! `POST /dingtalk/events`: encrypted event-subscription pushes
//! (PROTOCOL.md §5). Verified and decrypted; `check_url` is answered, and
//! staff leaving or joining the organisation updates the roster. Every
//! accepted push is answered with the encrypted `success` DingTalk expects.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use rand::Rng as _;
use rand::distributions::Alphanumeric;
use serde::Deserialize;
use serde_json::Value;

use crate::dingtalk::crypto::{CryptoError, EventCrypto};
use crate::error::AppError;
use crate::state::AppState;
use crate::store::inbound::{Claim, ClaimRequest};

#[derive(Deserialize)]
struct Push {
    encrypt: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Event {
    event_type: String,
    #[serde(default)]
    user_id: Vec<String>,
    #[serde(default, rename = "eventId")]
    event_id: Option<String>,
}

pub async fn events(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, AppError> {
    let crypto = state
        .event_crypto
        .as_ref()
        .ok_or_else(|| AppError::not_found("event subscription is not configured"))?;
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
    let push: Push = serde_json::from_slice(&body)
        .map_err(|_| AppError::bad_request("malformed", "expected {\"encrypt\": …}"))?;
    crypto
        .verify(signature, timestamp, nonce, &push.encrypt)
        .map_err(|e| {
            tracing::warn!(reason = %e, "event push rejected");
            AppError::unauthorized("bad_signature", e.to_string())
        })?;
    let plain = crypto.decrypt(&push.encrypt).map_err(|e| match e {
        CryptoError::Owner => AppError::unauthorized("wrong_receiver", e.to_string()),
        _ => AppError::bad_request("malformed", e.to_string()),
    })?;
    let event: Event = serde_json::from_str(&plain)
        .map_err(|_| AppError::bad_request("malformed", "event is not JSON"))?;
    if let Some(id) = &event.event_id {
        let claim = ClaimRequest {
            msg_id: format!("event:{id}"),
            sign_timestamp: timestamp.parse().unwrap_or(0),
            sign: signature.to_owned(),
            now_ms: state.clock.now().timestamp_millis(),
        };
        if state
            .deduper
            .claim(claim)
            .await
            .map_err(|e| AppError::unavailable(&e))?
            != Claim::New
        {
            return Ok(Json(reply(crypto, &state)));
        }
    }
    apply(&state, &event)
        .await
        .map_err(|e| AppError::unavailable(&e))?;
    Ok(Json(reply(crypto, &state)))
}

async fn apply(state: &AppState, event: &Event) -> anyhow::Result<()> {
    let now = state.clock.now().timestamp_millis();
    tracing::info!(event_type = %event.event_type, users = event.user_id.len(), "event push");
    match event.event_type.as_str() {
        "user_leave_org" => state.store.users_left_org(&event.user_id, now).await,
        "user_add_org" | "user_active_org" => {
            state.store.users_joined_org(&event.user_id, now).await
        }
        _ => Ok(()),
    }
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
