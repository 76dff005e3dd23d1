//! `GET /api/v1/audit[?since=YYYY-MM-DD]`: the audit log as JSON lines,
//! oldest first, streamed page by page (like `dingwarden audit export`;
//! `since` is a local date). The export itself is audited first.

use axum::body::Body;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use futures_util::TryStreamExt as _;
use serde::Deserialize;
use serde_json::json;

use super::ApiCaller;
use super::respond::{self, Params};
use crate::domain::roster::local_midnight_ms;
use crate::error::AppError;
use crate::reports::audit::json_lines;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct Since {
    since: Option<String>,
}

/// `GET /api/v1/audit`.
pub async fn export(
    caller: ApiCaller,
    State(state): State<AppState>,
    Params(p): Params<Since>,
) -> Result<Response, AppError> {
    let since = match p.since.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            AppError::bad_request("bad_date", "since must be a date like 2026-11-30")
        })?),
    };
    let tz = state.config.timezone;
    let from_ms = since.map_or(i64::MIN, |d| local_midnight_ms(tz, d));
    let details = json!({"since": since.map(|d| d.to_string())});
    respond::audited(
        &state,
        caller.audit_name(),
        "audit.export",
        "audit_log",
        details,
    )
    .await?;
    let lines = json_lines(state.store.clone(), from_ms, tz).inspect_err(|e| {
        tracing::error!(error = ?e, "audit export failed mid-stream");
    });
    Ok((
        [(CONTENT_TYPE, "application/x-ndjson; charset=utf-8")],
        Body::from_stream(lines.map_err(std::io::Error::other)),
    )
        .into_response())
}
