//! `GET /api/v1/outbox[?limit=N]`: how many rows wait, fail and are dead,
//! how long the oldest due row has waited, and the failing rows and dead
//! letters with their last error (recipient counts only, no staff ids).

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use super::ApiCaller;
use super::respond::{self, Params, internal};
use crate::error::AppError;
use crate::reports::outbox::health;
use crate::state::AppState;
use crate::store::delivery::ListedRow;

const LIMIT_DEFAULT: i64 = 20;
const LIMIT_MAX: i64 = 200;

#[derive(Deserialize)]
pub struct Limit {
    limit: Option<i64>,
}

fn row(r: &ListedRow, tz: chrono_tz::Tz) -> Value {
    json!({
        "id": r.id, "channel": r.channel, "recipients": r.recipient_count(),
        "attempts": r.attempts, "next_attempt_at": respond::time(tz, r.next_attempt_at),
        "last_error": r.last_error,
    })
}

/// `GET /api/v1/outbox`.
pub async fn show(
    _: ApiCaller,
    State(state): State<AppState>,
    Params(p): Params<Limit>,
) -> Result<Json<Value>, AppError> {
    let limit = respond::limit(p.limit, LIMIT_DEFAULT, LIMIT_MAX)?;
    let now_ms = state.clock.now().timestamp_millis();
    let h = health(&state.store, now_ms, limit)
        .await
        .map_err(internal)?;
    let tz = state.config.timezone;
    Ok(Json(json!({
        "health": h.level().as_str(),
        "pending": h.pending,
        "failing": h.failing,
        "dead": h.dead,
        "oldest_due_at": respond::opt_time(tz, h.oldest_due_ms),
        "oldest_wait_secs": h.oldest_wait_secs(),
        "failing_rows": h.failing_rows.iter().map(|r| row(r, tz)).collect::<Vec<_>>(),
        "dead_letters": h.dead_rows.iter().map(|r| row(r, tz)).collect::<Vec<_>>(),
    })))
}
