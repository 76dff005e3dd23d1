//! Signing in to the console with DingTalk (issue 16.1): the login page's
//! link to DingTalk's sign-in, the callback that checks `state` against the
//! browser's cookie and turns the code into a staff id at the fake
//! DingTalk, sessions for admins and HR only (a polite 403 for anyone
//! else), every outcome audited under the staff id, failed attempts
//! throttled per address, and "sign in as" under `--dev` only.

use axum::http::StatusCode;
use serde_json::json;

use crate::dual_backend;
use crate::fake_oauth::FakeOAuth;
use crate::helpers::TestApp;
use crate::helpers::console::{PUBLIC_URL, Resp};

/// The DingTalk link on the login page, and the state cookie it is bound to.
pub(crate) async fn start(app: &TestApp, from: Option<&str>) -> (url::Url, String) {
    let page = app.request("GET", "/admin/login", &[], "", from).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let at = page.body.find("/oauth2/auth?").expect("a DingTalk link");
    let start = page.body[..at].rfind("href=\"").unwrap() + 6;
    let end = start + page.body[start..].find('"').unwrap();
    let href = page.body[start..end].replace("&amp;", "&");
    (
        url::Url::parse(&href).unwrap(),
        page.cookie("dw_oauth").expect("state cookie"),
    )
}

fn param(url: &url::Url, name: &str) -> String {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// DingTalk's return to the callback with `code` and `state`.
pub(crate) async fn callback(
    app: &TestApp,
    code: &str,
    state: &str,
    cookie: &str,
    from: Option<&str>,
) -> Resp {
    let path = format!("/admin/auth/callback?authCode={code}&state={state}");
    app.request("GET", &path, &[("cookie", cookie)], "", from)
        .await
}

/// A whole sign-in of `staff_id`; the response to the callback.
pub(crate) async fn sign_in(app: &TestApp, oauth: &FakeOAuth, staff_id: &str) -> Resp {
    let (link, cookie) = start(app, None).await;
    callback(
        app,
        &oauth.code_for(staff_id),
        &param(&link, "state"),
        &cookie,
        None,
    )
    .await
}

async fn admins_and_hr_sign_in_with_dingtalk(app: TestApp) {
    let app = app.with_console().await;
    let oauth = FakeOAuth::mount(&app.fake, &app.dingtalk).await;
    let (link, state_cookie) = start(&app, None).await;
    assert_eq!(link.path(), "/oauth2/auth");
    assert!(
        app.fake
            .uri()
            .starts_with(&format!("http://{}", link.host_str().unwrap()))
    );
    let redirect = format!("{PUBLIC_URL}/admin/auth/callback");
    for (k, v) in [
        ("redirect_uri", redirect.as_str()),
        ("response_type", "code"),
        ("client_id", "dingtestappkey"),
        ("scope", "openid"),
        ("prompt", "consent"),
    ] {
        assert_eq!(param(&link, k), v, "{k}");
    }
    let state = param(&link, "state");
    assert!(state.len() >= 20, "{state}");
    assert_eq!(state_cookie, format!("dw_oauth={state}.zh"));

    let done = callback(&app, &oauth.code_for("admin1"), &state, &state_cookie, None).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/admin/");
    let set = done.set_cookies().join("\n");
    let session = done
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("dw_session="))
        .unwrap();
    for part in [
        "HttpOnly",
        "Secure",
        "SameSite=Lax",
        "Path=/admin",
        "Max-Age=86400",
    ] {
        assert!(session.contains(part), "{session}");
    }
    assert!(
        set.contains("dw_oauth=; Max-Age=0"),
        "the state is forgotten: {set}"
    );
    let cookie = done.cookie("dw_session").unwrap();
    let overview = app.console_get("/admin/", &cookie).await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(
        overview.body.contains("admin1") && overview.body.contains("管理员"),
        "{}",
        overview.body
    );
    assert!(
        overview.body.contains("/admin/tokens"),
        "admins see the tokens page"
    );

    // HR too, with `code` instead of `authCode`; HR are not admins.
    let (link, state_cookie) = start(&app, None).await;
    let path = format!(
        "/admin/auth/callback?code={}&state={}",
        oauth.code_for("hr1"),
        param(&link, "state")
    );
    let hr = app
        .request("GET", &path, &[("cookie", &state_cookie)], "", None)
        .await;
    assert_eq!(hr.status, StatusCode::SEE_OTHER, "{}", hr.body);
    let hr_cookie = hr.cookie("dw_session").unwrap();
    let page = app.console_get("/admin/notices", &hr_cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("人事") && !page.body.contains("/admin/tokens"));
    assert_eq!(
        app.console_get("/admin/tokens", &hr_cookie).await.status,
        StatusCode::FORBIDDEN
    );

    let entries = app.audit_entries().await;
    for who in ["admin1", "hr1"] {
        let e = (who.to_owned(), "console.sign_in".to_owned(), who.to_owned());
        assert!(entries.contains(&e), "{entries:?}");
    }
    assert_eq!(
        app.audit_details("console.sign_in").await,
        vec![
            json!({"via": "dingtalk", "role": "admin"}),
            json!({"via": "dingtalk", "role": "hr"})
        ]
    );
    assert_eq!(app.count("console_sessions").await, 2);
}

async fn everyone_else_is_refused_politely_and_forged_states_change_nothing(app: TestApp) {
    let app = app.with_console().await;
    let oauth = FakeOAuth::mount(&app.fake, &app.dingtalk).await;
    app.seed_user("u1", "张三", None, None).await;
    for (who, reason) in [("u1", "no_role"), ("ghost", "unknown")] {
        let r = sign_in(&app, &oauth, who).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{who}");
        assert!(
            r.body.contains("管理后台仅供在职的管理员和人事使用") && r.body.contains(who),
            "{}",
            r.body
        );
        assert!(r.cookie("dw_session").is_none());
        let e = (
            who.to_owned(),
            "console.sign_in.refused".to_owned(),
            who.to_owned(),
        );
        assert!(app.audit_entries().await.contains(&e));
        assert!(
            app.audit_details("console.sign_in.refused")
                .await
                .contains(&json!({"via": "dingtalk", "reason": reason}))
        );
    }
    let audited = app.count("audit_log").await;
    let (link, cookie) = start(&app, None).await;
    let state = param(&link, "state");
    let code = oauth.code_for("admin1");
    // Another browser's state, no state, no cookie, a cookie for another state.
    for (s, c) in [
        ("forged", cookie.as_str()),
        ("", cookie.as_str()),
        (state.as_str(), ""),
        (state.as_str(), "dw_oauth=other.zh"),
    ] {
        let r = callback(&app, &code, s, c, None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{s} {c}");
        assert!(
            r.body.contains("请重新登录") && r.cookie("dw_session").is_none(),
            "{}",
            r.body
        );
    }
    assert_eq!(app.count("console_sessions").await, 0, "nothing stored");
    assert_eq!(app.count("audit_log").await, audited, "nothing audited");
    // A code DingTalk does not know (or one used before): nobody is named.
    let r = callback(&app, "made-up", &state, &cookie, None).await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY);
    assert!(r.body.contains("无法通过钉钉确认你的身份"), "{}", r.body);
    assert!(callback(&app, &code, &state, &cookie, None).await.status == StatusCode::SEE_OTHER);
    assert_eq!(
        callback(&app, &code, &state, &cookie, None).await.status,
        StatusCode::BAD_GATEWAY
    );
    assert_eq!(app.count("console_sessions").await, 1);
}

async fn failed_sign_ins_are_throttled_per_address(app: TestApp) {
    let app = app.with_console().await;
    let oauth = FakeOAuth::mount(&app.fake, &app.dingtalk).await;
    let (a, b) = (Some("203.0.113.7:40000"), Some("203.0.113.8:40000"));
    let (link, cookie) = start(&app, a).await;
    let state = param(&link, "state");
    for i in 0..10 {
        let r = callback(&app, "x", "forged", &cookie, a).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "attempt {i}");
    }
    // Blocked, even with a good state and code…
    let r = callback(&app, &oauth.code_for("admin1"), &state, &cookie, a).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("失败次数过多"), "{}", r.body);
    // …while another address signs in as usual.
    let (link_b, cookie_b) = start(&app, b).await;
    let r = callback(
        &app,
        &oauth.code_for("admin1"),
        &param(&link_b, "state"),
        &cookie_b,
        b,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    // A minute later the first address may try again.
    app.advance(chrono::Duration::seconds(61));
    let r = callback(&app, &oauth.code_for("admin1"), &state, &cookie, a).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
}

async fn sign_in_as_exists_only_under_dev(app: TestApp) {
    let app = app.with_console().await;
    let page = app.request("GET", "/admin/login", &[], "", None).await;
    assert!(!page.body.contains("/admin/login/dev"));
    let origin = [
        ("host", "127.0.0.1:8080"),
        ("origin", "http://127.0.0.1:8080"),
    ];
    let r = app
        .request("POST", "/admin/login/dev", &origin, "staff_id=admin1", None)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let app = app
        .reconfigure(|c| {
            c.dev = true;
            c.public_url = None;
        })
        .await;
    app.seed_user("hr1", "人事小王", None, None).await;
    let page = app.request("GET", "/admin/login", &[], "", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("/oauth2/auth"),
        "no DingTalk app under --dev"
    );
    assert!(
        page.body.contains("action=\"/admin/login/dev\"") && page.body.contains("人事小王（hr1）"),
        "{}",
        page.body
    );
    assert!(page.body.contains("value=\"admin1\""));
    let r = app
        .request(
            "POST",
            "/admin/login/dev",
            &origin,
            "staff_id=hr1&lang=en",
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/admin/?lang=en");
    let cookie = r.cookie("dw_session").unwrap();
    assert_eq!(
        app.console_get("/admin/", &cookie).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.audit_details("console.sign_in").await,
        vec![json!({"via": "dev", "role": "hr"})]
    );
    app.seed_user("u1", "张三", None, None).await;
    let r = app
        .request("POST", "/admin/login/dev", &origin, "staff_id=u1", None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let evil = [
        ("host", "127.0.0.1:8080"),
        ("origin", "http://evil.example"),
    ];
    let r = app
        .request("POST", "/admin/login/dev", &evil, "staff_id=admin1", None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.cookie("dw_session").is_none());
}

dual_backend!(
    admins_and_hr_sign_in_with_dingtalk,
    everyone_else_is_refused_politely_and_forged_states_change_nothing,
    failed_sign_ins_are_throttled_per_address,
    sign_in_as_exists_only_under_dev,
);
