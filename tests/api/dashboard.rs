//! The admin/HR dashboard, and the fixture its tests share: a token set by
//! configuration, data made through chat (a notice, a quiz, an incident,
//! passwords, a dead letter) with markup in what people typed, and requests
//! through the router. The HTML pages render and escape that markup; reading
//! personal data on them is audited under the signed-in person.
//! `dashboard_auth` has who gets into the API, `console_*` the console's
//! sign-in, sessions and tokens, `dashboard_api` the JSON/CSV API.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

use crate::dual_backend;
use crate::helpers::TestApp;
use crate::quiz::answer_all;

pub(crate) const TOKEN: &str = crate::helpers::console::BOOTSTRAP;
pub(crate) const BEARER: (&str, &str) = (
    "authorization",
    "Bearer bootstrap-token-0123456789abcdefghijklmnop",
);
pub(crate) const TITLE: &str = "<script>alert('t')</script> 停用旧平台";

/// The app with the console on and the bootstrap token set.
pub(crate) async fn with_token(app: TestApp) -> TestApp {
    app.with_console().await
}

/// A notice sent to five people (one acked and ticked an item), a quiz
/// passed, an incident, an overdue password and a forced change, and a dead
/// outbox row.
pub(crate) async fn seed(app: &TestApp) {
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
pub(crate) async fn send(app: &TestApp, req: Request<Body>) -> (StatusCode, HeaderMap, String) {
    let resp = app.router.clone().oneshot(req).await.unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

pub(crate) async fn get(
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

async fn dashboard_pages_render_and_escape_what_people_typed(app: TestApp) {
    let app = with_token(app).await;
    seed(&app).await;
    let cookie = app.console_cookie("admin1").await;
    let signed_in = [("cookie", cookie.as_str())];
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
        let (status, headers, html) = get(&app, path, &signed_in).await;
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
    let (_, _, overview) = get(&app, "/admin/", &signed_in).await;
    assert!(
        overview.contains("&lt;script&gt;alert('t')&lt;/script&gt; 停用旧平台"),
        "{overview}"
    );
    assert!(
        overview.contains("进行中的通知") && overview.contains("测验通过率"),
        "{overview}"
    );
    assert!(overview.contains("1/5 (20%)"), "{overview}");
    let (_, _, notice) = get(&app, "/admin/notices/1", &signed_in).await;
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
    let (_, _, en) = get(&app, "/admin/notices/1?lang=en", &signed_in).await;
    assert!(
        en.contains("By department") && en.contains("Not acknowledged yet"),
        "{en}"
    );
    assert!(
        en.contains("href=\"/admin/?lang=en\""),
        "links keep the language"
    );
    let (_, _, incidents) = get(&app, "/admin/incidents", &signed_in).await;
    assert!(
        incidents.contains("可疑邮件 &lt;script&gt;steal()&lt;/script&gt;"),
        "{incidents}"
    );
    let (_, _, pw) = get(&app, "/admin/passwords", &signed_in).await;
    assert!(pw.contains("李四（u2）") && pw.contains("#1"), "{pw}");
    let (_, _, quiz) = get(&app, "/admin/quiz", &signed_in).await;
    assert!(
        quiz.contains("信息安全意识基础") && quiz.contains("/admin/quiz/default/attempts.csv"),
        "{quiz}"
    );
    // On a phone, wide tables scroll sideways inside their wrapper.
    let mut tables = 0;
    for page in [&incidents, &pw, &quiz] {
        tables += page.matches("<table").count();
        assert_eq!(
            page.matches("<div class=\"scroll\"><table").count(),
            page.matches("<table").count(),
            "{page}"
        );
    }
    assert!(tables >= 3, "{tables} tables");
    let (status, _, missing) = get(&app, "/admin/notices/9", &signed_in).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // In the page's language, not the API's English message.
    assert!(
        missing.contains("没有这个页面或记录") && missing.contains("not_found"),
        "{missing}"
    );
    assert!(!missing.contains("there is no notice"), "{missing}");
    let (status, _, missing) = get(&app, "/admin/notices/9?lang=en", &signed_in).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        missing.contains("There is no such page or record"),
        "{missing}"
    );
    assert!(!missing.contains("找不到"), "{missing}");
    let (status, _, bad) = get(&app, "/admin/notices/abc", &signed_in).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad.contains("链接中的编号无效"), "{bad}");
    let (status, _, nowhere) = get(&app, "/admin/nowhere?lang=en", &signed_in).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        nowhere.contains("<html lang=\"en\"") && nowhere.contains("Not found"),
        "{nowhere}"
    );

    let reads: Vec<String> = app
        .audit_entries()
        .await
        .into_iter()
        .filter(|(actor, ..)| actor == "admin1")
        .map(|(_, action, _)| action)
        .collect();
    assert!(reads.contains(&"notice.view".to_owned()), "{reads:?}");
    assert!(
        reads.contains(&"password.status.view".to_owned()),
        "{reads:?}"
    );
    assert!(reads.contains(&"incidents.view".to_owned()), "{reads:?}");
}

dual_backend!(dashboard_pages_render_and_escape_what_people_typed);
