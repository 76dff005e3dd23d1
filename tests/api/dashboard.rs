//! The admin/HR API and the dashboard: off without a token, 401 on a wrong
//! one, every endpoint's answer over data made through chat, HTML pages
//! that escape what people typed, the login cookie (set, used, forged,
//! expired, cleared) and cross-site logins refused. Reads of personal data
//! are audited.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use chrono::Duration;
use dingwarden::http::admin::session;
use http_body_util::BodyExt as _;
use serde_json::Value;
use tower::ServiceExt as _;

use crate::dual_backend;
use crate::helpers::TestApp;
use crate::quiz::answer_all;

const TOKEN: &str = "dash-Token-7f3a9c";
const BEARER: (&str, &str) = ("authorization", "Bearer dash-Token-7f3a9c");
const TITLE: &str = "<script>alert('t')</script> 停用旧平台";

async fn with_token(app: TestApp) -> TestApp {
    app.reconfigure(|c| c.admin_token = Some(TOKEN.to_owned().into()))
        .await
}

/// A notice sent to five people (one acked and ticked an item), a quiz
/// passed, an incident, an overdue password and a forced change, and a dead
/// outbox row.
async fn seed(app: &TestApp) {
    for (id, name, dept) in [
        ("admin1", "管理员", "总部/信息部"),
        ("hr1", "人事", "总部/人事部"),
        ("u1", "张三", "总部/研发部"),
        ("u2", "李四", "总部/研发部"),
        ("u3", "<b>王五</b>", "总部/销售部"),
    ] {
        app.seed_user(id, name, Some(dept), None).await;
    }
    let notice = format!(
        "notice new exit {TITLE}\n请迁移 <img src=x onerror=alert(1)>\n\
         - [ ] 备份文件\n- [ ] 导出通讯录\n截止：2026-12-02"
    );
    assert!(app.say_text("admin1", &notice).await.contains("#1"));
    app.say("admin1", "notice send 1 to all").await;
    app.say("u1", "ack 1").await;
    app.say("u1", "done 1 1").await;
    app.say("u1", "quiz").await;
    answer_all(app, "u1", |_| true).await;
    app.say("u2", "report 可疑邮件 <script>steal()</script>")
        .await;
    let long_ago = app.now().timestamp_millis() - 200 * 86_400_000;
    sqlx::query("UPDATE users SET password_changed_at = $1 WHERE staff_id = 'u2'")
        .bind(long_ago)
        .execute(app.store.pool())
        .await
        .unwrap();
    app.say("admin1", "password reset-required users u3 账号疑似泄露")
        .await;
    sqlx::query(
        "UPDATE outbox SET status = 'dead', attempts = 12, last_error = 'errcode 33012: boom' \
         WHERE id = (SELECT MIN(id) FROM outbox)",
    )
    .execute(app.store.pool())
    .await
    .unwrap();
}

/// Any request through the router: status, headers, body.
async fn send(app: &TestApp, req: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let resp = app.router.clone().oneshot(req).await.unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

async fn get(
    app: &TestApp,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, String) {
    let mut req = Request::get(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    send(app, req.body(Body::empty()).unwrap()).await
}

async fn api(app: &TestApp, path: &str) -> Value {
    let (status, _, body) = get(app, path, &[BEARER]).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}

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

async fn notice_endpoints_show_progress(app: TestApp) {
    let app = with_token(app).await;
    seed(&app).await;
    let list = api(&app, "/api/v1/notices").await;
    let n = &list["notices"][0];
    assert_eq!(n["title"], TITLE);
    assert_eq!(
        (n["recipients"].as_i64(), n["acked"].as_i64()),
        (Some(5), Some(1))
    );
    assert_eq!(n["percent"], 20);
    assert_eq!(n["status"], "sent");
    assert_eq!(n["deadline"], "2026-12-02");
    assert_eq!(
        api(&app, "/api/v1/notices?status=draft").await["notices"],
        serde_json::json!([])
    );

    let s = api(&app, "/api/v1/notices/1?names=2").await;
    assert_eq!(s["progress"]["recipients"], 5);
    assert_eq!(s["progress"]["acked"], 1);
    assert_eq!(s["progress"]["pending"], 4);
    let rd = s["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["department"] == "总部/研发部")
        .unwrap();
    assert_eq!(
        (rd["recipients"].as_i64(), rd["acked"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(s["checklist"][0]["text"], "备份文件");
    assert_eq!(s["checklist"][0]["done"], 1);
    assert_eq!(s["checklist"][1]["done"], 0);
    assert_eq!(s["not_acknowledged"]["count"], 4);
    assert_eq!(s["not_acknowledged"]["shown"], 2);
    assert_eq!(s["not_acknowledged"]["people"][0]["staff_id"], "admin1");
    assert_eq!(s["exports"]["csv"], "/api/v1/notices/1/acks.csv");

    let (status, headers, csv) = get(&app, "/api/v1/notices/1/acks.csv", &[BEARER]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("1,u1,张三,总部/研发部,"), "{csv}");
    assert_eq!(
        api(&app, "/api/v1/notices/1/acks.json")
            .await
            .as_array()
            .unwrap()
            .len(),
        5
    );

    for (path, status) in [
        ("/api/v1/notices/9", StatusCode::NOT_FOUND),
        ("/api/v1/notices/x", StatusCode::BAD_REQUEST),
        ("/api/v1/notices?status=bogus", StatusCode::BAD_REQUEST),
        ("/api/v1/notices?limit=0", StatusCode::BAD_REQUEST),
        ("/api/v1/notices?limit=many", StatusCode::BAD_REQUEST),
        ("/api/v1/notices/1?names=100000", StatusCode::BAD_REQUEST),
    ] {
        let (got, _, body) = get(&app, path, &[BEARER]).await;
        assert_eq!(got, status, "{path}: {body}");
        assert!(body.starts_with("{\"error\":"), "{path}: {body}");
    }
    let reads: Vec<(String, String, String)> = app
        .audit_entries()
        .await
        .into_iter()
        .filter(|(actor, ..)| actor == "api")
        .collect();
    let actions: Vec<&str> = reads.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(
        actions,
        ["notice.view", "acks.export", "acks.export"],
        "the list is not personal data"
    );
    assert_eq!(reads[0].2, "notice:1");
}

async fn quiz_password_incident_outbox_and_audit_endpoints(app: TestApp) {
    let app = with_token(app).await;
    seed(&app).await;
    let banks = api(&app, "/api/v1/quiz/banks").await;
    assert_eq!(banks["banks"][0]["id"], "default");
    assert_eq!(banks["banks"][0]["title"]["zh"], "信息安全意识基础");
    let stats = api(&app, "/api/v1/quiz/stats").await;
    assert_eq!(stats["bank"]["id"], "default");
    assert_eq!(stats["total"]["members"], 5);
    assert_eq!(stats["total"]["passed"], 1);
    let rd = stats["departments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["department"] == "总部/研发部")
        .unwrap();
    assert_eq!(rd["passed_percent"], 50);
    assert_eq!(
        api(&app, "/api/v1/quiz/stats?bank=DEFAULT").await["bank"]["id"],
        "default"
    );
    assert_eq!(
        get(&app, "/api/v1/quiz/stats?bank=nosuch", &[BEARER])
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    // The attempt export is `dingwarden export quiz`'s.
    let (status, headers, csv) = get(&app, "/api/v1/quiz/default/attempts.csv", &[BEARER]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("quiz-default-attempts.csv")
    );
    let mut conn = app.store.pool().acquire().await.unwrap();
    let bank = dingwarden::store::quiz::banks::current(&mut conn, "default")
        .await
        .unwrap()
        .unwrap();
    let rows = dingwarden::store::quiz::stats::export(&mut conn, bank.bank_id)
        .await
        .unwrap();
    drop(conn);
    let tz = chrono_tz::Asia::Shanghai;
    assert_eq!(
        csv,
        dingwarden::cli::export_quiz::to_csv(&rows, tz).unwrap()
    );
    let json = api(&app, "/api/v1/quiz/default/attempts.json").await;
    assert_eq!(json, dingwarden::cli::export_quiz::to_json(&rows, tz));
    assert_eq!(json[0]["staff_id"], "u1");
    assert_eq!(
        get(&app, "/api/v1/quiz/nosuch/attempts.csv", &[BEARER])
            .await
            .0,
        StatusCode::NOT_FOUND
    );

    let pw = api(&app, "/api/v1/passwords/status").await;
    assert_eq!(pw["policy"]["profile"], "periodic");
    assert_eq!(pw["total"]["staff"], 5);
    assert_eq!(pw["total"]["overdue"], 1);
    assert_eq!(pw["overdue"][0]["staff_id"], "u2");
    assert_eq!(pw["overdue"][0]["name"], "李四");
    assert_eq!(pw["forced_pending"][0]["staff_id"], "u3");
    assert_eq!(pw["forced_pending"][0]["resets"], serde_json::json!([1]));

    let inc = api(&app, "/api/v1/incidents").await;
    assert_eq!(inc["count"], 1);
    assert_eq!(inc["incidents"][0]["reporter"], "u2");
    assert_eq!(
        inc["incidents"][0]["text"],
        "可疑邮件 <script>steal()</script>"
    );
    assert_eq!(
        api(&app, "/api/v1/incidents?status=closed").await["count"],
        0
    );

    let out = api(&app, "/api/v1/outbox").await;
    assert_eq!(out["dead"], 1);
    assert_eq!(out["health"], "failing");
    assert_eq!(out["dead_letters"][0]["last_error"], "errcode 33012: boom");
    assert_eq!(out["dead_letters"][0]["attempts"], 12);
    assert!(out["pending"].as_i64().unwrap() > 0);

    let (status, headers, lines) = get(&app, "/api/v1/audit?since=2026-11-30", &[BEARER]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["content-type"],
        "application/x-ndjson; charset=utf-8"
    );
    let entries: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(entries.len() as i64, app.count("audit_log").await);
    assert!(entries.iter().any(|e| e["action"] == "notice.send"));
    assert_eq!(
        entries.last().unwrap()["action"],
        "audit.export",
        "the export is audited first"
    );
    assert_eq!(entries[0]["seq"], 1);
    let later = api_lines(&app, "/api/v1/audit?since=2026-12-01").await;
    assert_eq!(later.len(), 0, "nothing was written on or after Dec 1");
    assert_eq!(
        get(&app, "/api/v1/audit?since=yesterday", &[BEARER])
            .await
            .0,
        StatusCode::BAD_REQUEST
    );

    let actions: Vec<String> = app
        .audit_entries()
        .await
        .into_iter()
        .filter(|(actor, ..)| actor == "api")
        .map(|(_, action, _)| action)
        .collect();
    assert_eq!(
        actions,
        [
            "quiz.export",
            "quiz.export",
            "password.status.view",
            "incidents.view",
            "incidents.view",
            "audit.export",
            "audit.export"
        ]
    );
}

async fn api_lines(app: &TestApp, path: &str) -> Vec<String> {
    let (status, _, body) = get(app, path, &[BEARER]).await;
    assert_eq!(status, StatusCode::OK);
    body.lines().map(str::to_owned).collect()
}

async fn dashboard_pages_render_and_escape_what_people_typed(app: TestApp) {
    let app = with_token(app).await;
    seed(&app).await;
    for path in [
        "/admin/",
        "/admin/notices",
        "/admin/notices/1",
        "/admin/quiz",
        "/admin/passwords",
        "/admin/incidents",
        "/admin/?lang=en",
        "/admin/notices/1?lang=en",
    ] {
        let (status, headers, html) = get(&app, path, &[BEARER]).await;
        assert_eq!(status, StatusCode::OK, "{path}: {html}");
        assert_eq!(
            headers["content-type"], "text/html; charset=utf-8",
            "{path}"
        );
        assert!(html.starts_with("<!DOCTYPE html>"), "{path}");
        assert!(!html.contains("<script"), "{path}: unescaped script");
        assert!(!html.contains("<b>王五"), "{path}: unescaped name");
        assert!(!html.contains("<img"), "{path}: unescaped body");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'none'") && !csp.contains("script-src"),
            "{csp}"
        );
        assert_eq!(headers["x-frame-options"], "DENY");
        assert_eq!(headers["cache-control"], "no-store");
    }
    let (_, _, overview) = get(&app, "/admin/", &[BEARER]).await;
    assert!(
        overview.contains("&lt;script&gt;alert('t')&lt;/script&gt; 停用旧平台"),
        "{overview}"
    );
    assert!(
        overview.contains("进行中的通知") && overview.contains("测验通过率"),
        "{overview}"
    );
    assert!(overview.contains("1/5 (20%)"), "{overview}");
    let (_, _, notice) = get(&app, "/admin/notices/1", &[BEARER]).await;
    for part in [
        "总部/研发部",
        "备份文件",
        "李四（u2）",
        "&lt;b&gt;王五&lt;/b&gt;（u3）",
        "&lt;img src=x onerror=alert(1)&gt;",
        "href=\"/admin/notices/1/acks.csv\"",
        "href=\"/admin/notices/1/acks.json\"",
    ] {
        assert!(notice.contains(part), "missing {part} in {notice}");
    }
    let (_, _, en) = get(&app, "/admin/notices/1?lang=en", &[BEARER]).await;
    assert!(
        en.contains("By department") && en.contains("Not acknowledged yet"),
        "{en}"
    );
    assert!(
        en.contains("href=\"/admin/?lang=en\""),
        "links keep the language"
    );
    let (_, _, incidents) = get(&app, "/admin/incidents", &[BEARER]).await;
    assert!(
        incidents.contains("可疑邮件 &lt;script&gt;steal()&lt;/script&gt;"),
        "{incidents}"
    );
    let (_, _, pw) = get(&app, "/admin/passwords", &[BEARER]).await;
    assert!(pw.contains("李四（u2）") && pw.contains("#1"), "{pw}");
    let (_, _, quiz) = get(&app, "/admin/quiz", &[BEARER]).await;
    assert!(
        quiz.contains("信息安全意识基础") && quiz.contains("/admin/quiz/default/attempts.csv"),
        "{quiz}"
    );
    let (status, _, missing) = get(&app, "/admin/notices/9", &[BEARER]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing.contains("there is no notice #9"), "{missing}");

    let reads: Vec<String> = app
        .audit_entries()
        .await
        .into_iter()
        .filter(|(actor, ..)| actor == "dashboard")
        .map(|(_, action, _)| action)
        .collect();
    assert!(reads.contains(&"notice.view".to_owned()), "{reads:?}");
    assert!(
        reads.contains(&"password.status.view".to_owned()),
        "{reads:?}"
    );
    assert!(reads.contains(&"incidents.view".to_owned()), "{reads:?}");
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
    notice_endpoints_show_progress,
    quiz_password_incident_outbox_and_audit_endpoints,
    dashboard_pages_render_and_escape_what_people_typed,
    login_sets_a_cookie_that_works_and_logout_clears_it,
    cross_site_logins_are_refused,
    forged_and_expired_cookies_are_refused,
);
