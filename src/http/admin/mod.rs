//! `/admin/`: a small server-rendered dashboard for HR and admins, read-only
//! (login and logout are its only POSTs), Chinese by default with
//! `?lang=en`. Pages: overview, notices and one notice, quiz stats, password
//! status, incidents; plus the notice and quiz exports for logged-in
//! browsers. Auth is the admin token ([`auth`]); every page that names
//! people is audited with actor `dashboard`. Every response carries a strict
//! Content-Security-Policy (no scripts), `no-store` and framing denial.

mod auth;
mod incidents;
mod layout;
mod notices;
mod overview;
mod passwords;
mod quiz;
pub mod session;

use axum::extract::Extension;
use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::response::{Redirect, Response};
use axum::routing::get;
use axum::{Router, middleware};

use crate::state::AppState;

/// Who dashboard reads are audited as.
pub const ACTOR: &str = "dashboard";

/// The dashboard's routes (merged into the service's router).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(|| async { Redirect::permanent("/admin/") }))
        .route("/admin/", get(overview::show))
        .route("/admin/login", get(auth::login_page).post(auth::login))
        .route("/admin/logout", axum::routing::post(auth::logout))
        .route("/admin/notices", get(notices::list))
        .route("/admin/notices/{id}", get(notices::show))
        .route("/admin/notices/{id}/acks.csv", get(notices::acks_csv))
        .route("/admin/notices/{id}/acks.json", get(notices::acks_json))
        .route("/admin/quiz", get(quiz::show))
        .route("/admin/quiz/{bank}/attempts.csv", get(quiz::attempts_csv))
        .route("/admin/quiz/{bank}/attempts.json", get(quiz::attempts_json))
        .route("/admin/passwords", get(passwords::show))
        .route("/admin/incidents", get(incidents::show))
        .layer(Extension(auth::LoginLimiter::default()))
        .layer(middleware::map_response(security_headers))
}

/// Headers on every dashboard response: no scripts, no framing, no caching
/// of pages that name people, no referrer leaving the site.
async fn security_headers(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    h.insert(CONTENT_SECURITY_POLICY, layout::CSP.clone());
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}
