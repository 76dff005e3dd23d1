//! Operations: health, readiness, metrics, errors, and the scheduler
//! going on when one of its jobs fails.

use axum::http::StatusCode;

use crate::dual_backend;
use crate::helpers::TestApp;
use crate::notices::{local, notice_rows, roster};

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

async fn a_failing_scheduler_job_does_not_hold_back_the_others(app: TestApp) {
    roster(&app).await;
    app.say("admin1", "notice new 演练\n请确认。\n截止: 2026-12-10")
        .await;
    app.say("admin1", "notice send 1 to users u1,u2").await;
    assert_eq!(notice_rows(&app).await.len(), 1);
    // The password job reads this table on every tick: without it, it fails.
    sqlx::query("DROP TABLE password_reminders")
        .execute(app.store.pool())
        .await
        .unwrap();
    app.clock.set(local(2, 10, 0));
    let err = dingwarden::scheduler::tick(&app.state, app.now())
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("passwords: "), "{err}");
    // The notice job after it still ran: the reminder is queued.
    assert_eq!(notice_rows(&app).await.len(), 2);
}

dual_backend!(
    a_failing_scheduler_job_does_not_hold_back_the_others,
    health_and_readiness,
    metrics_count_callbacks_by_outcome,
    unknown_routes_are_json_404
);
