//! The admin/HR API under `/api/v1`: JSON, CSV and JSON-lines reads and
//! exports, and writes for integrators ([`write`]: notices, quiz campaigns). Every route needs `Authorization: Bearer
//! $DINGWARDEN_ADMIN_TOKEN` ([`AdminToken`]); without a configured token the
//! API is off (404). Errors are JSON `{"error", "message"}`. Every read of
//! personal data (names, attempts, incidents, the audit log) is audited with
//! actor `api`. One file per resource; the figures come from
//! [`crate::reports`].

mod audit;
mod auth;
pub(crate) mod incidents;
pub(crate) mod notices;
mod outbox;
pub(crate) mod passwords;
pub(crate) mod quiz;
pub(crate) mod respond;
pub(crate) mod write;

pub use auth::AdminToken;
pub(crate) use auth::{bearer, configured_token, token_matches};

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

/// Who API reads are audited as.
pub const ACTOR: &str = "api";

/// The API's routes (merged into the service's router).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/notices",
            get(notices::list).post(write::notices::create),
        )
        .route("/api/v1/notices/{id}", get(notices::show))
        .route("/api/v1/notices/{id}/send", post(write::notices::send))
        .route("/api/v1/notices/{id}/remind", post(write::notices::remind))
        .route("/api/v1/notices/{id}/close", post(write::notices::close))
        .route("/api/v1/quiz/campaigns", post(write::quiz::create))
        .route("/api/v1/notices/{id}/acks.csv", get(notices::acks_csv))
        .route("/api/v1/notices/{id}/acks.json", get(notices::acks_json))
        .route("/api/v1/quiz/banks", get(quiz::banks))
        .route("/api/v1/quiz/stats", get(quiz::stats))
        .route("/api/v1/quiz/{bank}/attempts.csv", get(quiz::attempts_csv))
        .route(
            "/api/v1/quiz/{bank}/attempts.json",
            get(quiz::attempts_json),
        )
        .route("/api/v1/passwords/status", get(passwords::status))
        .route("/api/v1/incidents", get(incidents::list))
        .route("/api/v1/outbox", get(outbox::show))
        .route("/api/v1/audit", get(audit::export))
}
