//! Who gets into the admin API and the console: everything off without the
//! console or a bootstrap token, 401 on a wrong or missing token (and
//! refused reads not audited), the console's pages only after sign-in. The
//! console's sign-in, sessions and tokens have their own `console_*` files.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};

use crate::dashboard::{BEARER, TOKEN, get, seed, send, with_token};
use crate::dual_backend;
use crate::helpers::TestApp;

async fn post_form(
    app: &TestApp,
    path: &str,
    form: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, String) {
    let mut req = Request::post(path).header("content-type", "application/x-www-form-urlencoded");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    send(app, req.body(Body::from(form.to_owned())).unwrap()).await
}

const API_PATHS: [&str; 12] = [
    "/api/v1/notices",
    "/api/v1/notices/1",
    "/api/v1/notices/1/acks.csv",
    "/api/v1/notices/1/acks.json",
    "/api/v1/quiz/banks",
    "/api/v1/quiz/stats?bank=default",
    "/api/v1/quiz/default/attempts.csv",
    "/api/v1/quiz/default/attempts.json",
    "/api/v1/passwords/status",
    "/api/v1/incidents",
    "/api/v1/outbox",
    "/api/v1/audit?since=2026-11-30",
];

async fn everything_is_off_without_a_token(app: TestApp) {
    seed(&app).await;
    for path in API_PATHS
        .iter()
        .chain(&["/admin/", "/admin/login", "/admin/notices/1"])
    {
        let (status, _, body) = get(&app, path, &[BEARER]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(body.contains("\"error\":\"not_found\""), "{path}: {body}");
    }
    let (status, headers, _) = post_form(&app, "/admin/logout", "csrf=x", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(headers.get("set-cookie").is_none());
    let (status, _, _) = get(&app, "/admin/auth/callback?authCode=c&state=s", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn wrong_or_missing_tokens_get_401(app: TestApp) {
    let app = with_token(app).await;
    seed(&app).await;
    let before = app.count("audit_log").await;
    for path in API_PATHS {
        // Wrong tokens are throttled per address: let each path start afresh.
        app.advance(chrono::Duration::minutes(1));
        for auth in [None, Some("Bearer wrong"), Some(TOKEN), Some("Bearer ")] {
            let headers: Vec<(&str, &str)> =
                auth.map(|a| ("authorization", a)).into_iter().collect();
            let (status, _, body) = get(&app, path, &headers).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path} {auth:?}");
            assert!(body.contains("\"error\":\"unauthorized\""), "{body}");
        }
    }
    // The console takes no bearer token: without a session it is the sign-in page.
    let (status, headers, _) = get(&app, "/admin/", &[BEARER]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/admin/login");
    let (status, headers, _) = get(&app, "/admin/notices/1?lang=en", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/admin/login?lang=en");
    let (status, _, _) = get(&app, "/admin/notices/1/acks.csv", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("audit_log").await,
        before,
        "refused reads are not audited"
    );
}

dual_backend!(
    everything_is_off_without_a_token,
    wrong_or_missing_tokens_get_401,
);
