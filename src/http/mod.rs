//! The HTTP surface: routes, and the layers every request passes through
//! (request id, tracing span, panic guard).

pub mod admin;
pub mod api;
mod dev;
pub(crate) mod events;
mod health;
mod robot;

use axum::Router;
use axum::http::{HeaderName, Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use crate::error::AppError;
use crate::state::AppState;

/// Largest request body accepted (DESIGN.md: 413 above 64 KiB).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The service's router over `state`.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .merge(api::routes())
        .merge(admin::routes());
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
