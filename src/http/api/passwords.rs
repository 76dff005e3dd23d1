//! `GET /api/v1/passwords/status`: the policy, counts in total and per
//! department, who is overdue and who still owes a forced change.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use super::respond::{self, internal};
use super::{ACTOR, AdminToken};
use crate::domain::password::report::Counts;
use crate::error::AppError;
use crate::reports::passwords::{self, Status};
use crate::state::AppState;

fn counts(c: &Counts) -> Value {
    json!({
        "staff": c.total, "due_soon": c.due_soon, "overdue": c.overdue,
        "confirmed": c.confirmed, "forced_pending": c.forced,
    })
}

/// The report as JSON.
fn status_json(s: &Status) -> Value {
    let r = &s.report;
    json!({
        "policy": s.policy,
        "today": s.today.to_string(),
        "total": counts(&r.total),
        "departments": r.by_department.iter().map(|(d, c)| {
            let mut v = counts(c);
            v["department"] = json!(d);
            v
        }).collect::<Vec<_>>(),
        "overdue": r.overdue.iter().map(|o| json!({
            "staff_id": o.staff_id, "name": o.name, "department": o.department,
            "due": o.due.to_string(), "days_overdue": o.days,
        })).collect::<Vec<_>>(),
        "forced_pending": r.forced.iter().map(|f| json!({
            "staff_id": f.staff_id, "name": f.name, "department": f.department,
            "resets": f.reset_ids,
        })).collect::<Vec<_>>(),
    })
}

/// The report at the clock's now, audited as a read by `actor`.
pub(crate) async fn load(state: &AppState, actor: &str) -> Result<Status, AppError> {
    let now = state.clock.now();
    let status = passwords::status(&state.store, state.config.timezone, now)
        .await
        .map_err(internal)?;
    let r = &status.report;
    let details = json!({"overdue": r.overdue.len(), "forced": r.forced.len()});
    respond::audited(state, actor, "password.status.view", "passwords", details).await?;
    Ok(status)
}

/// `GET /api/v1/passwords/status`.
pub async fn status(_: AdminToken, State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    Ok(Json(status_json(&load(&state, ACTOR).await?)))
}
