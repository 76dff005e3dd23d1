//! Outbound URLs: a forged sessionWebhook (another robot's `robot/send`,
//! another path) is never POSTed to, a redirecting one is not followed; the
//! reply goes through the OpenAPI instead.

use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};

use crate::dual_backend;
use crate::helpers::TestApp;

async fn a_forged_session_webhook_is_never_used(app: TestApp) {
    for forged in [
        format!("{}/robot/send?access_token=attackers-robot", app.fake.uri()),
        format!("{}/robot/sendBySession/../send?session=x", app.fake.uri()),
        format!("{}/other?session=x", app.fake.uri()),
    ] {
        let mut body = app.direct("alice", "help");
        body["sessionWebhook"] = json!(forged);
        assert_eq!(app.post(&body).await.0, axum::http::StatusCode::OK);
    }
    app.state.settle().await;
    app.drain().await;
    assert!(app.requests_to("/robot/send").await.is_empty());
    assert!(app.requests_to("/other").await.is_empty());
    assert_eq!(
        app.dm_texts("alice").len(),
        3,
        "each reply went by batchSend"
    );
}

async fn a_redirecting_session_webhook_is_not_followed(app: TestApp) {
    let stolen = format!("{}/stolen", app.fake.uri());
    Mock::given(method("POST"))
        .and(path("/robot/sendBySession"))
        .and(query_param("session", "cid-alice"))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", stolen.as_str()))
        .with_priority(1)
        .mount(&app.fake)
        .await;
    app.say("alice", "help").await;
    app.drain().await;
    assert!(app.requests_to("/stolen").await.is_empty());
    assert_eq!(
        app.dm_texts("alice").len(),
        1,
        "the reply went by batchSend"
    );
}

dual_backend!(
    a_forged_session_webhook_is_never_used,
    a_redirecting_session_webhook_is_not_followed,
);
