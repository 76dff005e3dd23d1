//! `/admin/`: the console for HR and admins, server-rendered, Chinese by
//! default with `?lang=en`. People sign in with DingTalk ([`login`]; under
//! `serve --dev` also "sign in as"); sessions live server-side
//! ([`crate::actions::console`]) and every page extracts
//! [`ConsoleSession`] (or [`ConsoleAdmin`]). Pages: overview (with the
//! week's trend), notices and one notice (progress, departments, people
//! filtered by department and status), a person, quiz stats, password
//! status, incidents, API tokens; the notice and quiz exports; and actions
//! ([`act`]: compose and send notices, remind, close, offboard, roles, quiz
//! campaigns). Every page that names people is audited with
//! the signed-in person as actor. Every POST carries the session's form
//! token and comes from our own origin. Every response carries a strict
//! Content-Security-Policy (no scripts), `no-store` and framing denial.
//! The console is on when `DINGWARDEN_PUBLIC_URL` is set (or under `--dev`).

mod act;
mod auth;
mod charts;
mod incidents;
mod layout;
mod login;
mod notices;
mod overview;
mod passwords;
mod quiz;
mod recipients;
pub mod session;
mod tokens;
mod views;

pub use auth::{CSRF_FIELD, ConsoleAdmin, ConsoleSession, same_origin};

use axum::http::HeaderValue;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::response::{Redirect, Response};
use axum::routing::{any, get, post};
use axum::{Router, middleware};

use crate::config::Config;
use crate::error::AppError;
use crate::state::AppState;

/// Whether the console is set up: a public URL to return to from
/// DingTalk, or `serve --dev`.
pub fn console_on(config: &Config) -> bool {
    config.public_url.is_some() || config.dev
}

/// 404 when the console is off.
pub(crate) fn console_enabled(state: &AppState) -> Result<(), AppError> {
    if console_on(&state.config) {
        Ok(())
    } else {
        Err(AppError::not_found(
            "the console is off: set DINGWARDEN_PUBLIC_URL",
        ))
    }
}

/// The console's routes (merged into the service's router); "sign in as"
/// exists only under `--dev`.
pub fn routes(dev: bool) -> Router<AppState> {
    let mut router = Router::new()
        .route("/admin", get(|| async { Redirect::permanent("/admin/") }))
        .route("/admin/", get(overview::show))
        .route("/admin/login", get(login::page))
        .route("/admin/auth/callback", get(login::callback))
        .route("/admin/logout", post(login::logout))
        .route("/admin/notices", get(notices::list))
        .route(
            "/admin/notices/new",
            get(act::notices::compose).post(act::notices::compose_post),
        )
        .route("/admin/notices/{id}", get(notices::show))
        .route("/admin/notices/{id}/send", post(act::notices::send))
        .route("/admin/notices/{id}/remind", post(act::notices::remind))
        .route("/admin/notices/{id}/close", post(act::notices::close))
        .route("/admin/people/{staff_id}", get(act::people::show))
        .route(
            "/admin/people/{staff_id}/offboard",
            post(act::people::offboard),
        )
        .route("/admin/people/{staff_id}/roles", post(act::people::role))
        .route("/admin/confirm", post(act::people::confirm_code))
        .route(
            "/admin/quiz/assign",
            get(act::quiz::page).post(act::quiz::assign),
        )
        .route(
            act::roster::PATH,
            get(act::roster::page).post(act::roster::post),
        )
        .route("/admin/notices/{id}/acks.csv", get(notices::acks_csv))
        .route("/admin/notices/{id}/acks.json", get(notices::acks_json))
        .route("/admin/quiz", get(quiz::show))
        .route("/admin/quiz/{bank}/attempts.csv", get(quiz::attempts_csv))
        .route("/admin/quiz/{bank}/attempts.json", get(quiz::attempts_json))
        .route("/admin/passwords", get(passwords::show))
        .route("/admin/incidents", get(incidents::show))
        .route("/admin/tokens", get(tokens::list).post(tokens::create))
        .route("/admin/tokens/{id}/revoke", post(tokens::revoke))
        .route("/admin/{*rest}", any(layout::not_found));
    if dev {
        router = router.route("/admin/login/dev", post(login::dev));
    }
    router.layer(middleware::map_response(security_headers))
}

/// Headers on every console response: no scripts, no framing, no caching
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
