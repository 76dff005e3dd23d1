//! `GET /dev/sink` (only in `serve --dev`): what the bot would have sent
//! through DingTalk's OpenAPI, for `dingwarden chat` to show.

use axum::Json;
use axum::extract::{Query, State};
use serde::Deserialize;

use crate::devsink::SinkEntry;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct SinkQuery {
    #[serde(default)]
    after: u64,
    staff_id: Option<String>,
}

pub async fn sink(
    State(state): State<AppState>,
    Query(q): Query<SinkQuery>,
) -> Result<Json<Vec<SinkEntry>>, AppError> {
    let sink = state
        .dev_sink
        .as_ref()
        .ok_or_else(|| AppError::not_found("dev sink is off"))?;
    Ok(Json(sink.since(q.after, q.staff_id.as_deref())))
}
