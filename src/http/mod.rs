//! The HTTP surface: routes, and the layers every request passes through
//! (request id, tracing span, panic guard, request timeout, body limit),
//! and the server that runs them ([`server`]).

pub mod admin;
pub mod api;
mod dev;
pub(crate) mod events;
mod health;
mod robot;
pub mod server;
pub mod throttle;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::Extension;
use axum::extract::Request as AxumRequest;
use axum::http::{HeaderName, Method, Request, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::error::AppError;
use crate::state::AppState;

/// Largest request body accepted (DESIGN.md: 413 above 64 KiB).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Largest roster upload in the console (`POST /admin/roster`): an HR
/// extract of tens of thousands of people, sent again as base64 with the
/// apply form. Read only once the sender is signed in as an administrator.
pub const MAX_UPLOAD_BYTES: usize = 8 * 1024 * 1024;
/// The one route whose body may exceed [`MAX_BODY_BYTES`].
pub const UPLOAD_PATH: &str = "/admin/roster";

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The service's router over `state`.
pub fn router(state: AppState) -> Router {
    // One count of failed sign-ins and bearer tokens per client address,
    // for the API and the console together.
    let throttle = Arc::new(throttle::Throttle::new(
        state.config.trusted_proxies.clone(),
    ));
    let mut router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .merge(api::routes().layer(Extension(throttle.clone())))
        .merge(admin::routes(state.config.dev).layer(Extension(throttle)));
    // In stream mode messages and events arrive over the Stream connection
    // only: the callback routes answer 404 like any unknown path.
    if state.config.stream.ingress.http() {
        router = router
            .route("/dingtalk/robot", post(robot::callback))
            .route("/dingtalk/events", post(events::events));
    }
    if state.config.dev {
        router = router.route("/dev/sink", get(dev::sink));
    }
    router
        .fallback(|| async { AppError::not_found("no such route") })
        .layer(axum::middleware::from_fn(limit_body))
        // Every route, the body read included: a request not answered in
        // time is dropped (a transaction it had open rolls back) and 503.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            state.config.timeouts.request,
        ))
        .layer(axum::middleware::from_fn(timeout_error))
        .layer(CatchPanicLayer::custom(|_| {
            AppError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error").into_response()
        }))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
            let path = req
                .extensions()
                .get::<axum::extract::MatchedPath>()
                .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned());
            tracing::info_span!("request", method = %req.method(), path = %path, request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// The body limit, for every route: a body is read at most
/// [`MAX_BODY_BYTES`] far ([`MAX_UPLOAD_BYTES`] for the console's roster
/// upload), so whatever reads it, an extractor or a handler reading it
/// itself, fails there; every 413 is the JSON error, except a console
/// page's own.
async fn limit_body(req: AxumRequest, next: Next) -> Response {
    let limit = if req.method() == Method::POST && req.uri().path() == UPLOAD_PATH {
        MAX_UPLOAD_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let req = req.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    let resp = next.run(req).await;
    let typed = |t: &[u8]| {
        resp.headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(t))
    };
    if resp.status() == StatusCode::PAYLOAD_TOO_LARGE
        && !typed(b"application/json")
        && !typed(b"text/html")
    {
        return payload_too_large().into_response();
    }
    resp
}

/// The request timeout's bare 503 as the JSON error (a handler's 503 is
/// JSON already).
async fn timeout_error(req: AxumRequest, next: Next) -> Response {
    let resp = next.run(req).await;
    if resp.status() == StatusCode::SERVICE_UNAVAILABLE
        && !resp.headers().contains_key(header::CONTENT_TYPE)
    {
        tracing::warn!("request timed out");
        return AppError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            "the request took too long",
        )
        .into_response();
    }
    resp
}

/// The error for a body over [`MAX_BODY_BYTES`].
pub fn payload_too_large() -> AppError {
    AppError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        "body exceeds 64 KiB",
    )
}
