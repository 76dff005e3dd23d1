//! Personal API tokens (issue 16.3): administrators make them in the
//! console (shown once, stored as a digest, scope read or admin, owner and
//! last use listed) and revoke them; `/api/v1` takes them as bearer tokens
//! and audits the owner; a token stops working when revoked or when its
//! owner loses the role. The bootstrap token still works, audited as `api`,
//! and wrong bearer tokens are throttled per client address.

use axum::http::StatusCode;

use crate::dual_backend;
use crate::helpers::TestApp;
use crate::helpers::console::BOOTSTRAP;

/// The token shown once on the page that answers the form.
fn shown_token(body: &str) -> String {
    let at = body.find("dwt_").expect("the token is shown");
    body[at..at + 47].to_owned()
}

async fn make(app: &TestApp, cookie: &str, form: &str) -> crate::helpers::console::Resp {
    let csrf = TestApp::console_csrf(cookie);
    app.console_post("/admin/tokens", cookie, &format!("csrf={csrf}&{form}"))
        .await
}

async fn api(app: &TestApp, path: &str, token: &str, from: Option<&str>) -> StatusCode {
    let bearer = format!("Bearer {token}");
    app.request("GET", path, &[("authorization", &bearer)], "", from)
        .await
        .status
}

async fn admins_make_list_and_revoke_personal_tokens(app: TestApp) {
    let app = app.with_console().await;
    let admin = app.console_cookie("admin1").await;
    let page = app.console_get("/admin/tokens", &admin).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("还没有令牌") && page.body.contains("name=\"csrf\""));

    let r = make(&app, &admin, "label=SIEM+%E5%AF%BC%E5%87%BA&scope=read").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let mine = shown_token(&r.body);
    assert!(
        r.body.contains("请立即复制") && r.body.contains("SIEM 导出"),
        "{}",
        r.body
    );
    let hash: String = sqlx::query_scalar("SELECT token_hash FROM api_tokens WHERE id = 1")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert!(!hash.contains(&mine[4..]), "only a digest is stored");

    assert_eq!(
        api(&app, "/api/v1/incidents", &mine, None).await,
        StatusCode::OK
    );
    let e = (
        "admin1".to_owned(),
        "incidents.view".to_owned(),
        "incidents".to_owned(),
    );
    assert!(
        app.audit_entries().await.contains(&e),
        "audited as the owner"
    );
    let list = app.console_get("/admin/tokens", &admin).await;
    assert!(!list.body.contains(&mine), "shown once only");
    assert!(
        list.body.contains("2026-11-30 10:00") && list.body.contains("admin1"),
        "{}",
        list.body
    );

    // For HR: read, never admin; their uses are theirs.
    let r = make(&app, &admin, "label=hr&owner=hr1&scope=admin").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("hr1 不是在职管理员"), "{}", r.body);
    let hr_token = shown_token(
        &make(&app, &admin, "label=hr&owner=hr1&scope=read")
            .await
            .body,
    );
    assert_eq!(
        api(&app, "/api/v1/passwords/status", &hr_token, None).await,
        StatusCode::OK
    );
    let e = (
        "hr1".to_owned(),
        "password.status.view".to_owned(),
        "passwords".to_owned(),
    );
    assert!(app.audit_entries().await.contains(&e));
    let e = (
        "admin1".to_owned(),
        "api_token.create".to_owned(),
        "hr1".to_owned(),
    );
    assert!(app.audit_entries().await.contains(&e));

    // No form token, or HR at the forms: nothing made.
    let before = app.count("api_tokens").await;
    let r = app
        .console_post("/admin/tokens", &admin, "label=x&scope=read")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let hr = app.console_cookie("hr1").await;
    assert_eq!(
        make(&app, &hr, "label=x&scope=read").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("api_tokens").await, before);

    // Revoked: refused from then on.
    let csrf = TestApp::console_csrf(&admin);
    let r = app
        .console_post("/admin/tokens/1/revoke", &admin, &format!("csrf={csrf}"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        api(&app, "/api/v1/incidents", &mine, None).await,
        StatusCode::UNAUTHORIZED
    );
    let r = app
        .console_post("/admin/tokens/1/revoke", &admin, &format!("csrf={csrf}"))
        .await;
    assert!(r.body.contains("已经撤销"), "{}", r.body);
    // An owner who loses the role loses the token's power too.
    app.say_confirmed("admin1", "role revoke hr1 hr").await;
    assert_eq!(
        api(&app, "/api/v1/passwords/status", &hr_token, None).await,
        StatusCode::UNAUTHORIZED
    );
}

async fn the_bootstrap_token_works_and_wrong_tokens_are_throttled_per_address(app: TestApp) {
    let app = app.with_console().await;
    assert_eq!(
        api(&app, "/api/v1/incidents", BOOTSTRAP, None).await,
        StatusCode::OK
    );
    let e = (
        "api".to_owned(),
        "incidents.view".to_owned(),
        "incidents".to_owned(),
    );
    assert!(app.audit_entries().await.contains(&e));

    let (a, b) = (Some("198.51.100.20:5000"), Some("198.51.100.21:5000"));
    for i in 0..10 {
        let got = api(&app, "/api/v1/notices", &format!("dwt_guess{i}"), a).await;
        assert_eq!(got, StatusCode::UNAUTHORIZED, "guess {i}");
    }
    let bearer = format!("Bearer {BOOTSTRAP}");
    let r = app
        .request(
            "GET",
            "/api/v1/notices",
            &[("authorization", &bearer)],
            "",
            a,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "blocked, right token or not"
    );
    assert!(r.body.contains("\"error\":\"too_many_attempts\""));
    assert!(r.headers.contains_key("retry-after"));
    assert_eq!(
        api(&app, "/api/v1/notices", BOOTSTRAP, b).await,
        StatusCode::OK
    );
    // No header is no guess.
    let r = app.request("GET", "/api/v1/notices", &[], "", b).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    app.advance(chrono::Duration::seconds(61));
    assert_eq!(
        api(&app, "/api/v1/notices", BOOTSTRAP, a).await,
        StatusCode::OK
    );
}

async fn read_tokens_cannot_write_and_admin_tokens_write_as_their_owner(app: TestApp) {
    let app = app.with_console().await;
    let admin = app.console_cookie("admin1").await;
    let read = shown_token(&make(&app, &admin, "label=r&scope=read").await.body);
    let write = shown_token(&make(&app, &admin, "label=w&scope=admin").await.body);
    let notice = serde_json::json!({"title": "停用旧平台", "body": "请迁移。"});
    let post = |token: String| {
        let app = &app;
        let notice = notice.to_string();
        async move {
            let bearer = format!("Bearer {token}");
            let headers = [
                ("authorization", bearer.as_str()),
                ("content-type", "application/json"),
            ];
            let mut req = axum::http::Request::post("/api/v1/notices");
            for (k, v) in headers {
                req = req.header(k, v);
            }
            crate::dashboard::send(app, req.body(axum::body::Body::from(notice)).unwrap()).await
        }
    };
    let (status, _, body) = post(read).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("\"error\":\"forbidden\""), "{body}");
    assert_eq!(app.count("notices").await, 0);
    let (status, _, body) = post(write).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let by_admin = app
        .audit_entries()
        .await
        .into_iter()
        .any(|(actor, action, _)| actor == "admin1" && action.starts_with("notice."));
    assert!(by_admin, "the write is audited as the token's owner");
}

async fn a_leavers_tokens_are_revoked_and_later_pseudonymised(app: TestApp) {
    let app = app.with_console().await;
    app.seed_user("u9", "赵九", None, None).await;
    app.say_confirmed("admin1", "role grant u9 hr").await;
    let admin = app.console_cookie("admin1").await;
    let token = shown_token(
        &make(
            &app,
            &admin,
            "label=u9+%E8%B5%B5%E4%B9%9D&owner=u9&scope=read",
        )
        .await
        .body,
    );
    assert_eq!(
        api(&app, "/api/v1/incidents", &token, None).await,
        StatusCode::OK
    );
    crate::console_sessions::leaves(&app, "u9").await;
    assert_eq!(
        api(&app, "/api/v1/incidents", &token, None).await,
        StatusCode::UNAUTHORIZED
    );
    let revoked_by: Option<String> = sqlx::query_scalar("SELECT revoked_by FROM api_tokens")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(revoked_by.as_deref(), Some("left"));
    let days = [("DINGWARDEN_RETENTION_LEAVER_DAYS", "0")];
    let run = app.cli(&["retention", "run"], &days).await;
    assert!(run.ok, "{run:?}");
    let (owner, label): (String, String) = sqlx::query_as("SELECT owner, label FROM api_tokens")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert!(
        owner != "u9" && !label.contains("u9") && !label.contains("赵九"),
        "{owner} {label}"
    );
}

async fn behind_a_trusted_proxy_the_forwarded_address_is_throttled(app: TestApp) {
    let app = app.with_console().await;
    let app = app
        .reconfigure(|c| c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()])
        .await;
    let proxy = Some("127.0.0.1:9000");
    let call = |token: &'static str, client: &'static str| {
        let app = &app;
        async move {
            let bearer = format!("Bearer {token}");
            let headers = [
                ("authorization", bearer.as_str()),
                ("x-forwarded-for", client),
            ];
            app.request("GET", "/api/v1/notices", &headers, "", proxy)
                .await
                .status
        }
    };
    for _ in 0..10 {
        assert_eq!(
            call("dwt_wrong", "203.0.113.50").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        call(BOOTSTRAP, "203.0.113.50").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Another client through the same proxy, even one claiming to be the first.
    assert_eq!(call(BOOTSTRAP, "203.0.113.51").await, StatusCode::OK);
    assert_eq!(
        call(BOOTSTRAP, "203.0.113.50, 203.0.113.52").await,
        StatusCode::OK
    );
}

dual_backend!(
    admins_make_list_and_revoke_personal_tokens,
    behind_a_trusted_proxy_the_forwarded_address_is_throttled,
    a_leavers_tokens_are_revoked_and_later_pseudonymised,
    read_tokens_cannot_write_and_admin_tokens_write_as_their_owner,
    the_bootstrap_token_works_and_wrong_tokens_are_throttled_per_address,
);
