//! What every API handler shares: a database connection (503 when the
//! database is down), ids from the path, query strings whose errors are JSON
//! 400s, audited reads, file downloads and RFC 3339 times.

use axum::extract::{FromRequestParts, Query};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use chrono_tz::Tz;
use serde::de::DeserializeOwned;
use sqlx::Any;
use sqlx::pool::PoolConnection;

use crate::error::AppError;
use crate::state::AppState;

/// A query string deserialised into `T`; malformed ones get a JSON 400.
pub struct Params<T>(pub T);

/// `?status=…&limit=…`, the query of every list endpoint.
#[derive(serde::Deserialize)]
pub struct ListParams {
    pub status: Option<String>,
    pub limit: Option<i64>,
}

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Params<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(t)| Params(t))
            .map_err(|e| AppError::bad_request("bad_query", e.body_text()))
    }
}

/// A pooled connection for reads.
pub async fn conn(state: &AppState) -> Result<PoolConnection<Any>, AppError> {
    state
        .store
        .pool()
        .acquire()
        .await
        .map_err(|e| AppError::unavailable(&e.into()))
}

/// An internal failure (logged once, opaque to the caller).
#[expect(
    clippy::needless_pass_by_value,
    reason = "made for `.map_err(internal)`"
)]
pub fn internal(e: anyhow::Error) -> AppError {
    AppError::internal(&e)
}

/// A positive id from the path (`3`; `#3` too, as chat shows ids).
pub fn parse_id(raw: &str, what: &str) -> Result<i64, AppError> {
    raw.trim_start_matches('#')
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            AppError::bad_request("bad_id", format!("the {what} id must be a positive number"))
        })
}

/// `limit` within `1..=max`, `default` when absent.
pub fn limit(given: Option<i64>, default: i64, max: i64) -> Result<i64, AppError> {
    match given {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(AppError::bad_request(
            "bad_limit",
            format!("limit must be between 1 and {max}"),
        )),
    }
}

/// Audits a read of personal data by `actor` (see [`crate::reports::audit_read`]).
pub async fn audited(
    state: &AppState,
    actor: &str,
    action: &str,
    subject: &str,
    details: serde_json::Value,
) -> Result<(), AppError> {
    let now_ms = state.clock.now().timestamp_millis();
    crate::reports::audit_read(&state.store, actor, action, subject, details, now_ms)
        .await
        .map_err(internal)
}

/// A CSV download named `filename`.
pub fn csv_file(body: impl Into<axum::body::Body>, filename: &str) -> Response {
    (
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body.into(),
    )
        .into_response()
}

/// An instant as RFC 3339 in `tz`.
pub fn time(tz: Tz, ms: i64) -> String {
    crate::domain::notice::export::rfc3339(tz, ms)
}

/// An optional instant as RFC 3339 in `tz`, or null.
pub fn opt_time(tz: Tz, ms: Option<i64>) -> Option<String> {
    ms.map(|ms| time(tz, ms))
}
