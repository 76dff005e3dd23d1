//! `GET /api/v1/quiz/banks`, `GET /api/v1/quiz/stats?bank=ID` (completion
//! and pass rate per department, campaigns, most missed questions) and the
//! attempt export `GET /api/v1/quiz/{bank}/attempts.csv|.json` (the same as
//! `dingwarden export quiz`).

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::respond::{self, Params, internal, opt_time};
use super::{ACTOR, AdminToken};
use crate::domain::quiz::bank::DEFAULT_BANK;
use crate::domain::quiz::pick::percent;
use crate::error::AppError;
use crate::reports::quiz::export::{to_csv, to_json};
use crate::reports::quiz::{self, BankVersion, DeptStats, Stats};
use crate::state::AppState;

/// Campaigns and most-missed questions the stats show.
pub const CAMPAIGNS_SHOWN: usize = 20;
pub const MISSED_SHOWN: i64 = 10;

#[derive(Deserialize)]
pub struct StatsParams {
    bank: Option<String>,
}

fn bank_json(b: &BankVersion) -> Value {
    json!({
        "id": b.bank_key, "version": b.version,
        "title": {"zh": b.title_zh, "en": b.title_en},
        "pass_percent": b.pass_percent, "questions_per_attempt": b.questions_per_attempt,
        "questions": b.question_count,
    })
}

/// A report that could not be read: 503 when the database is down, else 500.
pub(crate) fn failed(e: anyhow::Error) -> AppError {
    if e.downcast_ref::<quiz::Unavailable>().is_some() {
        AppError::unavailable(&e)
    } else {
        internal(e)
    }
}

/// `GET /api/v1/quiz/banks`.
pub async fn banks(_: AdminToken, State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    let banks = quiz::banks(&state.store).await.map_err(failed)?;
    Ok(Json(
        json!({"banks": banks.iter().map(bank_json).collect::<Vec<_>>()}),
    ))
}

fn dept_json(d: &DeptStats) -> Value {
    json!({
        "department": d.department, "members": d.members,
        "completed": d.completed, "completed_percent": percent(d.completed, d.members),
        "passed": d.passed, "passed_percent": percent(d.passed, d.members),
    })
}

/// A bank's figures as JSON.
fn stats_json(s: &Stats, tz: chrono_tz::Tz) -> Value {
    let mut total = dept_json(&s.total);
    if let Some(t) = total.as_object_mut() {
        t.remove("department");
    }
    json!({
        "bank": bank_json(&s.bank),
        "total": total,
        "departments": s.departments.iter().map(dept_json).collect::<Vec<_>>(),
        "campaigns": s.campaigns.iter().map(|c| json!({
            "id": c.campaign.id, "status": c.campaign.status.as_str(),
            "deadline": c.campaign.deadline_date,
            "created_at": respond::time(tz, c.campaign.created_at),
            "escalated_at": opt_time(tz, c.campaign.escalated_at),
            "members": c.members, "passed": c.passed,
        })).collect::<Vec<_>>(),
        "most_missed": s.most_missed.iter().map(|m| json!({
            "question": m.question_key, "prompt": {"zh": m.prompt_zh, "en": m.prompt_en},
            "answered": m.answered, "missed": m.missed,
        })).collect::<Vec<_>>(),
    })
}

/// A bank's figures, or 404 naming the bank.
pub(crate) async fn load_stats(state: &AppState, key: &str) -> Result<Stats, AppError> {
    quiz::stats(&state.store, key, CAMPAIGNS_SHOWN, MISSED_SHOWN)
        .await
        .map_err(failed)?
        .ok_or_else(|| AppError::not_found(format!("there is no quiz bank '{key}'")))
}

/// `GET /api/v1/quiz/stats[?bank=ID]` (the default bank when none is named).
pub async fn stats(
    _: AdminToken,
    State(state): State<AppState>,
    Params(p): Params<StatsParams>,
) -> Result<Json<Value>, AppError> {
    let key = p.bank.filter(|b| !b.is_empty());
    let stats = load_stats(&state, key.as_deref().unwrap_or(DEFAULT_BANK)).await?;
    Ok(Json(stats_json(&stats, state.config.timezone)))
}

/// Every attempt of bank `key` as `format` (`csv` | `json`), audited as an export by `actor`.
pub(crate) async fn attempts_export(
    state: &AppState,
    key: &str,
    format: &str,
    actor: &str,
) -> Result<Response, AppError> {
    let key = key.to_lowercase();
    let rows = quiz::attempts(&state.store, &key)
        .await
        .map_err(failed)?
        .ok_or_else(|| AppError::not_found(format!("there is no quiz bank '{key}'")))?;
    let details = json!({"format": format, "rows": rows.len()});
    respond::audited(
        state,
        actor,
        "quiz.export",
        &format!("quiz_bank:{key}"),
        details,
    )
    .await?;
    let tz = state.config.timezone;
    if format == "csv" {
        let body = to_csv(&rows, tz).map_err(internal)?;
        Ok(respond::csv_file(body, &format!("quiz-{key}-attempts.csv")))
    } else {
        Ok(Json(to_json(&rows, tz)).into_response())
    }
}

/// `GET /api/v1/quiz/{bank}/attempts.csv`.
pub async fn attempts_csv(
    _: AdminToken,
    State(state): State<AppState>,
    Path(bank): Path<String>,
) -> Result<Response, AppError> {
    attempts_export(&state, &bank, "csv", ACTOR).await
}

/// `GET /api/v1/quiz/{bank}/attempts.json`.
pub async fn attempts_json(
    _: AdminToken,
    State(state): State<AppState>,
    Path(bank): Path<String>,
) -> Result<Response, AppError> {
    attempts_export(&state, &bank, "json", ACTOR).await
}
