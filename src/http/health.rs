//! Liveness, readiness and metrics.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde_json::json;

use crate::config::Ingress;
use crate::error::AppError;
use crate::state::AppState;

/// `GET /healthz`: the process is up.
pub async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// `GET /readyz`: the dedupe writer runs, the database answers within the
/// claim timeout, every migration is applied and, in stream mode, a Stream
/// connection is open.
pub async fn readyz(State(state): State<AppState>) -> Result<Json<serde_json::Value>, AppError> {
    if !state.deduper.is_up() {
        return Err(AppError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "dedupe_writer_down",
            "the dedupe writer is being restarted",
        ));
    }
    state
        .store
        .ready(state.config.timeouts.claim)
        .await
        .map_err(|e| AppError::unavailable(&e))?;
    let ingress = state.config.stream.ingress;
    let connected = state.metrics.stream.is_connected();
    if ingress == Ingress::Stream && !connected {
        return Err(AppError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "stream_disconnected",
            "no Stream connection to DingTalk is open",
        ));
    }
    if ingress.stream() {
        let stream = if connected {
            "connected"
        } else {
            "disconnected"
        };
        return Ok(Json(json!({"status": "ready", "stream": stream})));
    }
    Ok(Json(json!({"status": "ready"})))
}

/// `GET /metrics`: Prometheus text format.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
