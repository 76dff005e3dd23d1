//! The admin/HR API under `/api/v1`: every route needs
//! `Authorization: Bearer $DINGWARDEN_ADMIN_TOKEN` (compared in constant
//! time); without a configured token the API is off (404). Routes:
//! `GET /api/v1/notices/{id}/acks.csv` and `…/acks.json`.

use axum::Router;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::header::{AUTHORIZATION, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use secrecy::ExposeSecret as _;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

use crate::app::AppState;
use crate::domain::notice::export::{AckRow, to_csv, to_json};
use crate::error::AppError;
use crate::store::notices::stats;

/// The API's routes (merged into the service's router).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/notices/{id}/acks.csv", get(acks_csv))
        .route("/api/v1/notices/{id}/acks.json", get(acks_json))
}

/// Proof that a request carried the admin token; extract it first in every API handler.
pub struct AdminToken;

impl FromRequestParts<AppState> for AdminToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let Some(expected) = state.config.admin_token.as_ref() else {
            return Err(AppError::not_found(
                "the API is off: DINGWARDEN_ADMIN_TOKEN is not set",
            ));
        };
        let given = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        // Hashing first makes the comparison independent of the lengths too.
        let a = Sha256::digest(given.trim().as_bytes());
        let b = Sha256::digest(expected.expose_secret().as_bytes());
        if bool::from(a.as_slice().ct_eq(b.as_slice())) {
            Ok(AdminToken)
        } else {
            tracing::warn!("API request with a missing or wrong bearer token");
            Err(AppError::unauthorized(
                "unauthorized",
                "missing or wrong bearer token",
            ))
        }
    }
}

/// The export rows of the notice named in the path.
async fn rows(state: &AppState, id: &str, format: &str) -> Result<(i64, Vec<AckRow>), AppError> {
    let id: i64 = id.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
        AppError::bad_request("bad_id", "the notice id must be a positive number")
    })?;
    let mut conn = state
        .store
        .pool()
        .acquire()
        .await
        .map_err(|e| AppError::unavailable(&e.into()))?;
    let now_ms = state.clock.now().timestamp_millis();
    match stats::export(&mut conn, id, now_ms).await {
        Ok(Some(rows)) => {
            stats::audit_export(&state.store, "api", id, format, rows.len(), now_ms)
                .await
                .map_err(|e| AppError::internal(&e))?;
            Ok((id, rows))
        }
        Ok(None) => Err(AppError::not_found(format!("there is no notice #{id}"))),
        Err(e) => Err(AppError::internal(&e)),
    }
}

async fn acks_csv(
    _: AdminToken,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (id, rows) = rows(&state, &id, "csv").await?;
    let body = to_csv(&rows, state.config.timezone).map_err(|e| AppError::internal(&e))?;
    let disposition = format!("attachment; filename=\"notice-{id}-acks.csv\"");
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

async fn acks_json(
    _: AdminToken,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (_, rows) = rows(&state, &id, "json").await?;
    Ok(axum::Json(to_json(&rows, state.config.timezone)).into_response())
}
