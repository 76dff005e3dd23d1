//! `POST /api/v1/quiz/campaigns`: `{"bank", "audience", "deadline"}` → 201
//! `{"id", "members", …}`, through the assign action chat's `quiz assign` uses.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{Fields, JsonBody, Writer, action_failed, audience, refused};
use crate::actions::Refusal;
use crate::actions::quiz::{self, Assign};
use crate::domain::notice::compose::parse_deadline;
use crate::domain::quiz::bank::DEFAULT_BANK;
use crate::error::AppError;
use crate::state::AppState;

/// `POST /api/v1/quiz/campaigns` (`bank` defaults to `default`, `deadline`
/// is an optional `YYYY-MM-DD`, the last local day to pass).
pub async fn create(
    w: Writer,
    State(state): State<AppState>,
    JsonBody(v): JsonBody,
) -> Result<Response, AppError> {
    let tz = state.config.timezone;
    let allowed = [
        "bank",
        "audience",
        "all",
        "departments",
        "users",
        "deadline",
    ];
    let mut f = Fields::new(v, &allowed)?;
    let bank = f.text("bank")?.map_or(DEFAULT_BANK, str::trim).to_owned();
    let by = parse_deadline(f.text("deadline")?.unwrap_or_default())
        .map_err(|error| refused(&Refusal::BadNoticeBody { error }, tz))?;
    let audience = audience(&mut f)?;
    let assign = Assign { bank, audience, by };
    let a = quiz::assign(&w.ctx(&state), assign)
        .await
        .map_err(|e| action_failed(e, tz))?;
    let c = &a.campaign;
    let body = json!({"id": c.id, "bank": c.bank_key, "members": a.members,
        "deadline": c.deadline.map(|d| d.to_string()), "unknown": a.unknown});
    Ok((StatusCode::CREATED, Json(body)).into_response())
}
