//! Operations endpoints: health, readiness, metrics, errors.

use axum::http::StatusCode;

use crate::dual_backend;
use crate::helpers::TestApp;

async fn health_and_readiness(app: TestApp) {
    assert_eq!(app.get_text("/healthz").await.0, StatusCode::OK);
    let (status, body) = app.get_text("/readyz").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.store.close().await;
    let (status, body) = app.get_text("/readyz").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("\"error\":\"unavailable\""), "{body}");
}

async fn metrics_count_callbacks_by_outcome(app: TestApp) {
    let body = app.direct("alice", "help");
    app.post(&body).await;
    app.post(&body).await;
    app.post_raw(&[], b"{}".to_vec()).await;
    app.state.settle().await;
    let (status, text) = app.get_text("/metrics").await;
    assert_eq!(status, StatusCode::OK);
    for line in [
        "dingwarden_callbacks_total{outcome=\"accepted\"} 1",
        "dingwarden_callbacks_total{outcome=\"duplicate\"} 1",
        "dingwarden_callbacks_total{outcome=\"missing_signature\"} 1",
        "dingwarden_dedupe_hits_total 1",
        "dingwarden_reply_latency_seconds_count 1",
    ] {
        assert!(text.contains(line), "missing {line} in\n{text}");
    }
}

async fn unknown_routes_are_json_404(app: TestApp) {
    let (status, body) = app.get_text("/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("\"error\":\"not_found\""));
    assert_eq!(app.get_text("/dev/sink").await.0, StatusCode::NOT_FOUND);
}

dual_backend!(
    health_and_readiness,
    metrics_count_callbacks_by_outcome,
    unknown_routes_are_json_404
);
