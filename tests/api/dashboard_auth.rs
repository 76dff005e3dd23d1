//! Who gets into the admin API and the dashboard: everything off without a
//! configured token, 401 on a wrong or missing one (and refused reads not
//! audited), the login cookie (set, used, forged, expired, cleared, ended by
//! a new token) and cross-site or guessed logins refused.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use chrono::Duration;
use dingwarden::http::admin::session;

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

/// The session cookie a `Set-Cookie` header sets, as `dw_admin=VALUE`.
fn cookie_of(headers: &HeaderMap) -> String {
    let set = headers["set-cookie"].to_str().unwrap();
    set.split(';').next().unwrap().to_owned()
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
    let (status, headers, _) = post_form(&app, "/admin/login", "token=x", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(headers.get("set-cookie").is_none());
}

async fn wrong_or_missing_tokens_get_401(app: TestApp) {
    let app = with_token(app).await;
    seed(&app).await;
    let before = app.count("audit_log").await;
    for path in API_PATHS {
        for auth in [None, Some("Bearer wrong"), Some(TOKEN), Some("Bearer ")] {
            let headers: Vec<(&str, &str)> =
                auth.map(|a| ("authorization", a)).into_iter().collect();
            let (status, _, body) = get(&app, path, &headers).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path} {auth:?}");
            assert!(body.contains("\"error\":\"unauthorized\""), "{body}");
        }
    }
    // The dashboard: a wrong bearer is refused; no credentials at all go to the login page.
    let (status, _, _) = get(&app, "/admin/", &[("authorization", "Bearer wrong")]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
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

async fn login_sets_a_cookie_that_works_and_logout_clears_it(app: TestApp) {
    let app = with_token(app).await;
    seed(&app).await;
    let (status, _, form) = get(&app, "/admin/login", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains("name=\"token\"") && form.contains("method=\"post\""),
        "{form}"
    );
    let local = [
        ("host", "127.0.0.1:8080"),
        ("origin", "http://127.0.0.1:8080"),
    ];
    let (status, headers, page) = post_form(&app, "/admin/login", "token=nope", &local).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers.get("set-cookie").is_none());
    assert!(page.contains("令牌不正确"), "{page}");

    let (status, headers, _) = post_form(
        &app,
        "/admin/login",
        &format!("token={TOKEN}&lang=en"),
        &local,
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/admin/?lang=en");
    let set = headers["set-cookie"].to_str().unwrap().to_owned();
    for part in [
        "dw_admin=",
        "HttpOnly",
        "SameSite=Strict",
        "Path=/admin",
        "Max-Age=43200",
    ] {
        assert!(set.contains(part), "{set}");
    }
    assert!(!set.contains("Secure"), "plain HTTP on loopback: {set}");
    assert!(!set.contains(TOKEN), "the token never goes into the cookie");
    let cookie = cookie_of(&headers);
    let (status, _, page) = get(&app, "/admin/notices/1", &[("cookie", &cookie)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("李四（u2）"));
    let (status, _, csv) = get(&app, "/admin/notices/1/acks.csv", &[("cookie", &cookie)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("notice_id,staff_id"));
    let (status, _, _) = get(&app, "/api/v1/notices", &[("cookie", &cookie)]).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the API takes only the bearer token"
    );

    // Off loopback the cookie is Secure.
    let public = [
        ("host", "ops.example.com"),
        ("origin", "https://ops.example.com"),
    ];
    let (status, headers, _) =
        post_form(&app, "/admin/login", &format!("token={TOKEN}"), &public).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers["set-cookie"].to_str().unwrap().contains("; Secure"));

    let (status, headers, _) = post_form(
        &app,
        "/admin/logout",
        "",
        &[("cookie", &cookie), local[0], local[1]],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/admin/login");
    let cleared = headers["set-cookie"].to_str().unwrap();
    assert!(
        cleared.starts_with("dw_admin=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
}

async fn cross_site_logins_are_refused(app: TestApp) {
    let app = with_token(app).await;
    let form = format!("token={TOKEN}");
    for headers in [
        vec![
            ("host", "ops.example.com"),
            ("origin", "https://evil.example"),
        ],
        vec![("host", "ops.example.com"), ("origin", "null")],
        vec![
            ("host", "ops.example.com"),
            ("sec-fetch-site", "cross-site"),
        ],
        vec![
            ("host", "ops.example.com"),
            ("referer", "https://evil.example/page"),
        ],
    ] {
        let (status, resp, body) = post_form(&app, "/admin/login", &form, &headers).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(resp.get("set-cookie").is_none());
        assert!(body.contains("\"error\":\"forbidden\""), "{body}");
    }
    let (status, _, _) = post_form(
        &app,
        "/admin/logout",
        "",
        &[("host", "a.example"), ("origin", "https://b.example")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Guessing is slowed down: 10 attempts a minute.
    let local = [("host", "127.0.0.1:8080")];
    let mut statuses = Vec::new();
    for _ in 0..11 {
        statuses.push(
            post_form(&app, "/admin/login", "token=guess", &local)
                .await
                .0,
        );
    }
    assert_eq!(statuses[..10], [StatusCode::UNAUTHORIZED; 10]);
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);
}

async fn forged_and_expired_cookies_are_refused(app: TestApp) {
    let app = with_token(app).await;
    let local = [("host", "127.0.0.1:8080")];
    let (_, headers, _) = post_form(&app, "/admin/login", &format!("token={TOKEN}"), &local).await;
    let cookie = cookie_of(&headers);
    assert_eq!(
        get(&app, "/admin/", &[("cookie", &cookie)]).await.0,
        StatusCode::OK
    );

    let now = app.now().timestamp_millis();
    let forged = [
        format!(
            "dw_admin={}",
            session::sign("another token", now + 3_600_000)
        ),
        format!("dw_admin={}.AAAA", now + 3_600_000),
        "dw_admin=garbage".to_owned(),
        format!("dw_admin={}", session::sign(TOKEN, now + 400 * 86_400_000)),
    ];
    for c in &forged {
        let (status, headers, _) = get(&app, "/admin/", &[("cookie", c)]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{c}");
        assert_eq!(headers["location"], "/admin/login");
        assert!(
            headers["set-cookie"]
                .to_str()
                .unwrap()
                .contains("Max-Age=0"),
            "a bad cookie is cleared"
        );
    }
    // A login lasts 12 hours.
    app.advance(Duration::hours(11));
    assert_eq!(
        get(&app, "/admin/", &[("cookie", &cookie)]).await.0,
        StatusCode::OK
    );
    app.advance(Duration::hours(1));
    assert_eq!(
        get(&app, "/admin/", &[("cookie", &cookie)]).await.0,
        StatusCode::SEE_OTHER
    );
    // A new token ends every session made with the old one.
    let (_, headers, _) = post_form(&app, "/admin/login", &format!("token={TOKEN}"), &local).await;
    let fresh = cookie_of(&headers);
    assert_eq!(
        get(&app, "/admin/", &[("cookie", &fresh)]).await.0,
        StatusCode::OK
    );
    let app = app
        .reconfigure(|c| c.admin_token = Some("rotated-token".to_owned().into()))
        .await;
    assert_eq!(
        get(&app, "/admin/", &[("cookie", &fresh)]).await.0,
        StatusCode::SEE_OTHER
    );
}

dual_backend!(
    everything_is_off_without_a_token,
    wrong_or_missing_tokens_get_401,
    login_sets_a_cookie_that_works_and_logout_clears_it,
    cross_site_logins_are_refused,
    forged_and_expired_cookies_are_refused,
);
