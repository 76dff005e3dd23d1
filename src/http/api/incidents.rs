//! `GET /api/v1/incidents[?status=open|closed][&limit=N]`: security
//! incidents reported in chat, newest first, with who reported them.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::ApiCaller;
use super::respond::{self, ListParams, Params, failed, opt_time};
use crate::error::AppError;
use crate::reports::incidents::page;
use crate::state::AppState;
use crate::store::incidents::{IncidentRow, IncidentStatus};

const LIMIT_DEFAULT: i64 = 100;
const LIMIT_MAX: i64 = 500;

/// Incidents with `status`, newest first, and how many have it in all;
/// audited as a read by `actor`.
pub(crate) async fn load(
    state: &AppState,
    status: IncidentStatus,
    limit: i64,
    actor: &str,
) -> Result<(Vec<IncidentRow>, i64), AppError> {
    let (rows, count) = page(&state.store, status, limit).await.map_err(failed)?;
    let details = json!({"status": status.as_str(), "rows": rows.len()});
    respond::audited(state, actor, "incidents.view", "incidents", details).await?;
    Ok((rows, count))
}

/// `GET /api/v1/incidents`.
pub async fn list(
    caller: ApiCaller,
    State(state): State<AppState>,
    Params(p): Params<ListParams>,
) -> Result<Json<Value>, AppError> {
    let status = match p.status.as_deref() {
        None | Some("" | "open") => IncidentStatus::Open,
        Some("closed") => IncidentStatus::Closed,
        Some(_) => {
            return Err(AppError::bad_request(
                "bad_status",
                "status must be open or closed",
            ));
        }
    };
    let limit = respond::limit(p.limit, LIMIT_DEFAULT, LIMIT_MAX)?;
    let (rows, count) = load(&state, status, limit, caller.audit_name()).await?;
    let tz = state.config.timezone;
    Ok(Json(json!({
        "status": status.as_str(),
        "count": count,
        "incidents": rows.iter().map(|i| json!({
            "id": i.id, "reporter": i.reporter, "reporter_name": i.reporter_name,
            "text": i.text, "status": i.status, "created_at": respond::time(tz, i.created_at),
            "closed_at": opt_time(tz, i.closed_at), "closed_by": i.closed_by,
            "close_note": i.close_note,
        })).collect::<Vec<_>>(),
    })))
}
