//! `GET /api/v1/notices` (the list with progress), `GET
//! /api/v1/notices/{id}` (status: per department, per checklist item, who
//! has not acknowledged) and the evidence export `…/{id}/acks.csv|.json`.
//! Figures come from [`crate::reports::notices`], the evidence from the
//! export action (which audits it); a database that cannot be reached is a 503.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::{Value, json};

use super::ApiCaller;
use super::respond::{self, ListParams, Params, opt_time, parse_id};
use crate::actions::notices::{ExportFormat, export_acks};
use crate::actions::{ActionError, Actor, Ctx};
use crate::domain::notice::export::{to_csv, to_json};
use crate::domain::notice::{NoticeStatus, percent};
use crate::error::AppError;
use crate::reports::notices::{self, DeptTally, Listed, NoticeRow, Status};
use crate::state::AppState;
use crate::store::Unavailable;

/// Notices listed when no `limit` is given, and the most one may ask for.
const LIST_DEFAULT: i64 = 50;
const LIST_MAX: i64 = 500;
/// People named as not acknowledged when no `names` is given, and the most.
const NAMES_DEFAULT: i64 = 100;
const NAMES_MAX: i64 = 1000;

#[derive(Deserialize)]
pub struct ShowParams {
    names: Option<i64>,
}

/// A failure reading or writing: 503 when the database cannot be reached,
/// 500 otherwise (logged once, opaque to the caller).
#[expect(clippy::needless_pass_by_value, reason = "made for `.map_err(failed)`")]
fn failed(e: anyhow::Error) -> AppError {
    if e.is::<Unavailable>() {
        AppError::unavailable(&e)
    } else {
        AppError::internal(&e)
    }
}

/// 404 for a notice that does not exist.
fn no_such_notice(id: i64) -> AppError {
    AppError::not_found(format!("there is no notice #{id}"))
}

/// A notice's fields shared by the list and the status.
fn summary(n: &NoticeRow, tz: Tz) -> Value {
    json!({
        "id": n.id, "kind": n.kind.as_str(), "title": n.title, "status": n.status.as_str(),
        "deadline": n.deadline_date, "checklist_total": n.checklist_total,
        "created_at": respond::time(tz, n.created_at), "sent_at": opt_time(tz, n.sent_at),
        "closed_at": opt_time(tz, n.closed_at),
    })
}

fn listed(l: &Listed, tz: Tz) -> Value {
    let mut v = summary(&l.notice, tz);
    v["recipients"] = json!(l.total);
    v["acked"] = json!(l.acked);
    v["percent"] = json!(percent(l.acked, l.total));
    v
}

/// `GET /api/v1/notices[?status=draft|sent|closed][&limit=N]`, newest first.
pub async fn list(
    _: ApiCaller,
    State(state): State<AppState>,
    Params(p): Params<ListParams>,
) -> Result<Json<Value>, AppError> {
    let status = match p.status.as_deref() {
        None | Some("" | "all") => None,
        Some(s) => Some(NoticeStatus::parse(s).ok_or_else(|| {
            AppError::bad_request("bad_status", "status must be draft, sent, closed or all")
        })?),
    };
    let limit = respond::limit(p.limit, LIST_DEFAULT, LIST_MAX)?;
    let rows = notices::list(&state.store, status, limit)
        .await
        .map_err(failed)?;
    let tz = state.config.timezone;
    Ok(Json(json!({
        "notices": rows.iter().map(|l| listed(l, tz)).collect::<Vec<_>>(),
    })))
}

fn tally(d: &DeptTally) -> Value {
    json!({
        "department": d.department, "recipients": d.total, "acked": d.acked,
        "percent": percent(d.acked, d.total), "left": d.left_count, "delivered": d.delivered,
        "undeliverable": d.undeliverable, "checklist_complete": d.checklist_complete,
    })
}

/// The status as JSON (also what the dashboard's notice page shows).
pub fn status_json(s: &Status, tz: Tz) -> Value {
    let n = &s.notice;
    let mut notice = summary(n, tz);
    notice["body"] = json!(n.body);
    notice["author"] = json!(n.author);
    notice["subject_staff_id"] = json!(n.subject_staff_id);
    let mut progress = tally(&s.all);
    if let Some(p) = progress.as_object_mut() {
        p.remove("department");
    }
    progress["pending"] = json!(s.pending);
    progress["overdue"] = json!(s.overdue);
    let total = s.all.total;
    json!({
        "notice": notice,
        "progress": progress,
        "departments": s.departments.iter().map(tally).collect::<Vec<_>>(),
        "checklist": s.checklist.iter().map(|i| json!({
            "n": i.n, "text": i.text, "done": i.done, "percent": percent(i.done, total),
        })).collect::<Vec<_>>(),
        "not_acknowledged": {
            "count": s.all.waiting(),
            "shown": s.waiting.len(),
            "people": s.waiting.iter().map(|(staff_id, name)| json!({
                "staff_id": staff_id, "name": name,
            })).collect::<Vec<_>>(),
        },
        "exports": {
            "csv": format!("/api/v1/notices/{}/acks.csv", n.id),
            "json": format!("/api/v1/notices/{}/acks.json", n.id),
        },
    })
}

/// Loads a notice's status, audited as a read by `actor`; 404 when there is none.
pub(crate) async fn load_status(
    state: &AppState,
    id: i64,
    names: i64,
    actor: &str,
) -> Result<Status, AppError> {
    let now = state.clock.now();
    let status = notices::status(&state.store, id, now, names)
        .await
        .map_err(failed)?
        .ok_or_else(|| no_such_notice(id))?;
    let details = json!({"names": status.waiting.len()});
    respond::audited(
        state,
        actor,
        "notice.view",
        &format!("notice:{id}"),
        details,
    )
    .await?;
    Ok(status)
}

/// `GET /api/v1/notices/{id}[?names=N]`.
pub async fn show(
    caller: ApiCaller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Params(p): Params<ShowParams>,
) -> Result<Json<Value>, AppError> {
    let id = parse_id(&id, "notice")?;
    let names = respond::limit(p.names, NAMES_DEFAULT, NAMES_MAX)?;
    let status = load_status(&state, id, names, caller.audit_name()).await?;
    Ok(Json(status_json(&status, state.config.timezone)))
}

/// The evidence of notice `id` as `format`, audited as an export by `actor`.
pub(crate) async fn acks_export(
    state: &AppState,
    id: &str,
    format: ExportFormat,
    actor: Actor<'_>,
) -> Result<Response, AppError> {
    let id = parse_id(id, "notice")?;
    let ctx = Ctx::new(&state.store, &state.config, state.clock.now(), actor);
    let rows = match export_acks(&ctx, id, format).await {
        Ok(rows) => rows,
        Err(ActionError::Refused(r)) if r.is_not_found() => return Err(no_such_notice(id)),
        Err(ActionError::Refused(r)) => return Err(failed(r.into())),
        Err(ActionError::Internal(e)) => return Err(failed(e)),
    };
    let tz = state.config.timezone;
    if format == ExportFormat::Csv {
        let body = to_csv(&rows, tz).map_err(failed)?;
        Ok(respond::csv_file(body, &format!("notice-{id}-acks.csv")))
    } else {
        Ok(Json(to_json(&rows, tz)).into_response())
    }
}

/// `GET /api/v1/notices/{id}/acks.csv`.
pub async fn acks_csv(
    caller: ApiCaller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    acks_export(&state, &id, ExportFormat::Csv, caller.actor()).await
}

/// `GET /api/v1/notices/{id}/acks.json`.
pub async fn acks_json(
    caller: ApiCaller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    acks_export(&state, &id, ExportFormat::Json, caller.actor()).await
}
