//! `POST /api/v1/notices` (a draft → 201 `{"id"}`), `POST
//! /api/v1/notices/{id}/send` (→ 202 `{"queued": N}`), `…/remind` (→ 202)
//! and `…/close` (→ 200), through the notice actions chat uses.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::LOCATION;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use chrono_tz::Tz;

use super::{Fields, JsonBody, Writer, action_failed, audience, refused};
use crate::actions::Refusal;
use crate::actions::notices::{self, Draft, SendToPeople};
use crate::domain::notice::NoticeKind;
use crate::domain::notice::compose::compose_fields;
use crate::error::AppError;
use crate::http::api::respond::{opt_time, parse_id};
use crate::state::AppState;

/// A notice as its fields ask for it.
pub struct Drafted {
    pub kind: NoticeKind,
    pub title: String,
    /// The body with the deadline and checklist lines added.
    pub body: String,
}

/// The kind named by a form or JSON field (`general` when absent).
pub fn kind(given: Option<&str>) -> Result<NoticeKind, AppError> {
    let given = given.map(|k| k.trim().to_lowercase()).unwrap_or_default();
    if given.is_empty() {
        return Ok(NoticeKind::General);
    }
    NoticeKind::parse(&given).ok_or_else(|| {
        AppError::bad_request(
            "bad_field",
            "`kind` must be general, exit, policy or security",
        )
        .with_field("kind")
    })
}

/// A title: one line, not blank.
pub fn title(given: &str) -> Result<String, AppError> {
    let t = given.trim();
    if t.is_empty() || t.contains(['\n', '\r']) {
        return Err(
            AppError::bad_request("bad_field", "`title` must be one line, not blank")
                .with_field("title"),
        );
    }
    Ok(t.to_owned())
}

fn read_draft(v: serde_json::Value, tz: Tz) -> Result<Drafted, AppError> {
    let f = Fields::new(v, &["kind", "title", "body", "checklist", "deadline"])?;
    let kind = kind(f.text("kind")?)?;
    let title = title(f.required_text("title")?)?;
    let body = f.text("body")?.unwrap_or_default();
    let checklist = f.texts("checklist")?;
    let deadline = f.text("deadline")?.unwrap_or_default();
    let body = compose_fields(body, deadline, &checklist)
        .map_err(|error| refused(&Refusal::BadNoticeBody { error }, tz))?;
    Ok(Drafted { kind, title, body })
}

/// `POST /api/v1/notices`: `{"kind", "title", "body", "checklist", "deadline"}`
/// (only `title` is required) → 201 `{"id", "deadline", "checklist"}`.
pub async fn create(
    w: Writer,
    State(state): State<AppState>,
    JsonBody(v): JsonBody,
) -> Result<Response, AppError> {
    let tz = state.config.timezone;
    let d = read_draft(v, tz)?;
    let draft = Draft {
        kind: d.kind,
        title: &d.title,
        body: &d.body,
    };
    let created = notices::create(&w.ctx(&state), draft)
        .await
        .map_err(|e| action_failed(e, tz))?;
    let id = created.id;
    let body = json!({"id": id, "status": "draft",
        "deadline": created.parsed.deadline.map(|d| d.to_string()),
        "checklist": created.parsed.items});
    let location = format!("/api/v1/notices/{id}");
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(body)).into_response())
}

/// `POST /api/v1/notices/{id}/send`: `{"audience": {"all": true} |
/// {"departments": […]} | {"users": […]}}` → 202 `{"queued": N, …}`.
pub async fn send(
    w: Writer,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(v): JsonBody,
) -> Result<Response, AppError> {
    let id = parse_id(&id, "notice")?;
    let mut f = Fields::new(v, &["audience", "all", "departments", "users"])?;
    let to = audience(&mut f)?;
    let tz = state.config.timezone;
    let sent = notices::send(
        &w.ctx(&state),
        SendToPeople {
            notice: id,
            to: &to,
        },
    )
    .await
    .map_err(|e| action_failed(e, tz))?;
    let body = json!({"id": id, "queued": sent.queued.added, "batches": sent.queued.batches,
        "already_addressed": sent.already, "unknown": sent.unknown});
    Ok((StatusCode::ACCEPTED, Json(body)).into_response())
}

/// `?now=true` on a reminder: repeat it even within the hour.
#[derive(Debug, Default, serde::Deserialize)]
pub struct RemindQuery {
    #[serde(default)]
    now: bool,
}

/// `POST /api/v1/notices/{id}/remind[?now=true]`: everyone who has not
/// acknowledged is reminded now (or when the quiet hours end) → 202
/// `{"reminded": N}`; within an hour of the last round 409
/// `reminded_recently` unless `now=true`.
pub async fn remind(
    w: Writer,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<RemindQuery>,
) -> Result<Response, AppError> {
    let id = parse_id(&id, "notice")?;
    let tz = state.config.timezone;
    let r = notices::remind_now(&w.ctx(&state), id, q.now)
        .await
        .map_err(|e| action_failed(e, tz))?;
    let until = opt_time(tz, r.quiet_until.map(|t| t.timestamp_millis()));
    let body = json!({"id": id, "reminded": r.recipients, "quiet_until": until});
    Ok((StatusCode::ACCEPTED, Json(body)).into_response())
}

/// `POST /api/v1/notices/{id}/close` → 200 `{"id", "status": "closed", …}`;
/// 409 when it was closed before.
pub async fn close(
    w: Writer,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = parse_id(&id, "notice")?;
    let tz = state.config.timezone;
    let c = notices::close(&w.ctx(&state), id)
        .await
        .map_err(|e| action_failed(e, tz))?;
    let body = json!({"id": id, "status": "closed", "previous_status": c.previous.as_str(),
        "offboarded": c.offboarded});
    Ok(Json(body).into_response())
}
