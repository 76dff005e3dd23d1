//! The console's actions and pages (issue 16.4, 16.6): composing,
//! previewing, sending (after the number of people is shown), reminding and
//! closing notices, offboarding, roles and quiz campaigns from a browser —
//! each a POST with the session's form token from the console's origin,
//! through the actions chat uses (same audit entries, same outbox rows) —
//! and the pages: SVG progress per department, recipients filtered by
//! department and status, a person's page, the week's trend, all escaping
//! what people typed.

mod browser;
mod pages;
mod roster;

use axum::body::Body;
use axum::http::{Request, StatusCode};

use crate::api_write::people;
use crate::dashboard::{send, with_token};
use crate::dual_backend;
use crate::helpers::TestApp;
use browser::{HOST, ORIGIN, sign_in, sign_in_as};

pub(crate) fn dashboard_actions(entries: &[(String, String, String)]) -> Vec<&str> {
    entries
        .iter()
        .filter(|(actor, action, _)| {
            actor == "admin1" && !action.ends_with(".view") && !action.starts_with("console.")
        })
        .map(|(_, action, _)| action.as_str())
        .collect()
}

const HOSTILE_TITLE: &str = "<script>alert(1)</script> 停用旧平台";

async fn compose_preview_count_send_remind_close(app: TestApp) {
    let app = with_token(app).await;
    people(&app).await;
    let b = sign_in(&app).await;
    let (status, form) = b.page(&app, "/admin/notices/new").await;
    assert_eq!(status, StatusCode::OK);
    for part in [
        "<label for=\"title\"",
        "<label for=\"checklist\"",
        "name=\"csrf\"",
        "type=\"date\"",
    ] {
        assert!(form.contains(part), "{part}: {form}");
    }
    let draft = [
        ("kind", "exit"),
        ("title", HOSTILE_TITLE),
        ("body", "请迁移 <img src=x onerror=alert(1)>"),
        ("checklist", "备份文件\n\n导出通讯录\n"),
        ("deadline", "2026-12-10"),
    ];
    let mut preview = draft.to_vec();
    preview.push(("do", "preview"));
    let (status, page) = b.post(&app, "/admin/notices/new", &preview).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    for part in [
        "### [退出] &lt;script&gt;alert(1)&lt;/script&gt; 停用旧平台",
        "1. 备份文件\n2. 导出通讯录",
        "**截止日期：2026-12-10**",
        "<span>确认已读</span>",
        "<span>完成 2. 导出通讯录</span>",
        "&lt;img src=x onerror=alert(1)&gt;",
    ] {
        assert!(page.contains(part), "{part}: {page}");
    }
    assert!(
        !page.contains("<script>alert") && !page.contains("<img"),
        "{page}"
    );
    assert_eq!(app.count("notices").await, 0, "a preview stores nothing");

    let mut create = draft.to_vec();
    create.push(("do", "create"));
    let (status, page) = b.post(&app, "/admin/notices/new", &create).await;
    assert_eq!(status, StatusCode::CREATED, "{page}");
    assert!(page.contains("href=\"/admin/notices/1\""), "{page}");

    let (_, notice) = b.page(&app, "/admin/notices/1").await;
    for part in [
        "action=\"/admin/notices/1/send\"",
        "value=\"总部/研发部\"",
        "name=\"dept\"",
    ] {
        assert!(notice.contains(part), "{part}: {notice}");
    }
    let choose = [
        ("audience", "departments"),
        ("dept", "总部/研发部"),
        ("dept", "总部/销售部"),
    ];
    let mut count = choose.to_vec();
    count.push(("do", "count"));
    let (status, page) = b.post(&app, "/admin/notices/1/send", &count).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("将发送给 3 人"), "{page}");
    assert!(
        page.contains("name=\"dept\" value=\"总部/销售部\""),
        "the confirmation keeps the choice: {page}"
    );
    assert_eq!(app.count("outbox").await, 0, "counting sends nothing");
    let mut go = choose.to_vec();
    go.push(("do", "send"));
    let (status, page) = b.post(&app, "/admin/notices/1/send", &go).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{page}");
    assert!(page.contains("已排队发送给 3 人"), "{page}");
    let rows = app.outbox().await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].recipients, ["u1", "u2", "u3"]);

    let (status, page) = b.post(&app, "/admin/notices/1/remind", &[]).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{page}");
    assert!(page.contains("已提醒 3 位"), "{page}");
    let (status, _) = b.post(&app, "/admin/notices/1/close", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, page) = b.post(&app, "/admin/notices/1/close?lang=en", &[]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    assert!(page.contains("Notice #1 is already closed."), "{page}");
    let entries = app.audit_entries().await;
    assert_eq!(
        dashboard_actions(&entries),
        [
            "notice.create",
            "notice.send",
            "notice.remind",
            "notice.close"
        ]
    );
    assert_eq!(
        app.audit_details("notice.send").await[0]["audience"],
        "depts:总部/研发部|总部/销售部"
    );
}

async fn bad_forms_are_refused_with_the_reason(app: TestApp) {
    let app = with_token(app).await;
    people(&app).await;
    let b = sign_in(&app).await;
    for (form, words) in [
        (vec![("title", " "), ("do", "create")], "请填写标题"),
        (
            vec![("title", "T"), ("deadline", "2026-01-01"), ("do", "create")],
            "截止日期 2026-01-01 已经过去了",
        ),
        (
            vec![("title", "T"), ("deadline", "明天"), ("do", "create")],
            "截止日期「明天」看不懂",
        ),
    ] {
        let (status, page) = b.post(&app, "/admin/notices/new", &form).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{form:?}: {page}");
        assert!(page.contains(words), "{words}: {page}");
        assert!(page.contains("role=\"alert\""), "{page}");
    }
    assert_eq!(app.count("notices").await, 0);
    b.post(
        &app,
        "/admin/notices/new",
        &[("title", "T"), ("do", "create")],
    )
    .await;
    for (form, want) in [
        (
            vec![("audience", "departments"), ("do", "count")],
            StatusCode::BAD_REQUEST,
        ),
        (
            vec![("audience", "users"), ("users", " , "), ("do", "send")],
            StatusCode::BAD_REQUEST,
        ),
        (
            vec![
                ("audience", "departments"),
                ("dept", "火星部"),
                ("do", "count"),
            ],
            StatusCode::BAD_REQUEST,
        ),
        (
            vec![("audience", "users"), ("users", "ghost"), ("do", "send")],
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (status, page) = b.post(&app, "/admin/notices/1/send", &form).await;
        assert_eq!(status, want, "{form:?}: {page}");
    }
    let (status, _) = b.post(&app, "/admin/notices/9/remind", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = b.post(&app, "/admin/notices/1/remind", &[]).await;
    assert_eq!(status, StatusCode::CONFLICT, "a draft is not reminded");
    assert_eq!(app.count("outbox").await, 0);
}

/// A form's fields and the request's extra headers.
type Case<'a> = (Vec<(&'a str, String)>, Vec<(&'a str, &'a str)>);

async fn posts_without_the_form_token_or_from_elsewhere_are_refused(app: TestApp) {
    let app = with_token(app).await;
    people(&app).await;
    let b = sign_in(&app).await;
    let other = sign_in(&app).await;
    let create = [("title", "T"), ("do", "create")];
    let with = |token: &str| {
        let mut f = vec![("csrf", token.to_owned())];
        f.extend(create.iter().map(|(k, v)| (*k, (*v).to_owned())));
        f
    };
    let wrong_cases: Vec<Case<'_>> = vec![
        (with(""), vec![ORIGIN]),
        (
            create.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
            vec![ORIGIN],
        ),
        (with("forged"), vec![ORIGIN]),
        (with(&b.csrf[..b.csrf.len() - 1]), vec![ORIGIN]),
        (with(&b.csrf), vec![("origin", "https://evil.example")]),
        (with(&b.csrf), vec![("origin", "null")]),
        (with(&b.csrf), vec![("referer", "https://evil.example/x")]),
        (with(&b.csrf), vec![("sec-fetch-site", "cross-site")]),
    ];
    for (form, headers) in wrong_cases {
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, _, page) = b
            .post_raw(&app, "/admin/notices/new", &pairs, &headers)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{headers:?}: {page}");
    }
    assert_ne!(other.csrf, b.csrf, "form tokens are per session");
    let pairs = [
        ("csrf", other.csrf.as_str()),
        ("title", "T"),
        ("do", "create"),
    ];
    let (status, _, _) = b
        .post_raw(&app, "/admin/notices/new", &pairs, &[ORIGIN])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "another session's token");
    for path in [
        "/admin/notices/1/send",
        "/admin/notices/1/remind",
        "/admin/notices/1/close",
        "/admin/people/u1/offboard",
        "/admin/people/u1/roles",
        "/admin/quiz/assign",
        "/admin/roster",
        "/admin/confirm",
    ] {
        let (status, _, _) = b
            .post_raw(&app, path, &[("csrf", "x"), ("role", "hr")], &[ORIGIN])
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        let req = Request::post(path)
            .header(HOST.0, HOST.1)
            .body(Body::empty())
            .unwrap();
        let (status, headers, _) = send(&app, req).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{path}: signed out");
        assert_eq!(headers["location"], "/admin/login");
    }
    assert_eq!(app.count("notices").await, 0);
    assert_eq!(app.count("outbox").await, 0);
    let (status, _) = b.post(&app, "/admin/notices/new", &create).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the right token from the right origin"
    );
}

async fn hr_reads_and_reminds_but_does_not_act(app: TestApp) {
    let app = with_token(app).await;
    people(&app).await;
    let admin = sign_in(&app).await;
    admin
        .post(
            &app,
            "/admin/notices/new",
            &[("title", "T"), ("do", "create")],
        )
        .await;
    let to_all = [("audience", "all"), ("do", "send")];
    admin.post(&app, "/admin/notices/1/send", &to_all).await;
    let hr = sign_in_as(&app, "hr1").await;
    let (status, page) = hr.page(&app, "/admin/notices/1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("action=\"/admin/notices/1/remind\""),
        "{page}"
    );
    assert!(
        !page.contains("action=\"/admin/notices/1/send\"") && !page.contains("/close\""),
        "{page}"
    );
    assert_eq!(
        hr.page(&app, "/admin/notices/new").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        hr.page(&app, "/admin/quiz/assign").await.0,
        StatusCode::FORBIDDEN
    );
    for (path, form) in [
        ("/admin/notices/new", vec![("title", "T"), ("do", "create")]),
        ("/admin/notices/1/send", to_all.to_vec()),
        ("/admin/notices/1/close", vec![]),
        (
            "/admin/people/u1/roles",
            vec![("role", "hr"), ("do", "grant")],
        ),
        (
            "/admin/quiz/assign",
            vec![("audience", "all"), ("do", "assign")],
        ),
    ] {
        let (status, _) = hr.post(&app, path, &form).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let (status, page) = hr.post(&app, "/admin/notices/1/remind", &[]).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{page}");
    let entries = app.audit_entries().await;
    let by_hr: Vec<&str> = entries
        .iter()
        .filter(|(actor, action, _)| {
            actor == "hr1" && !action.ends_with(".view") && !action.starts_with("console.")
        })
        .map(|(_, action, _)| action.as_str())
        .collect();
    assert_eq!(by_hr, ["notice.remind"]);
    assert_eq!(app.count("notices").await, 1);
}

/// The console knows sessions only: the bootstrap token (or any bearer
/// token) opens no page and posts no form.
async fn the_shared_token_opens_no_console_page(app: TestApp) {
    let app = with_token(app).await;
    people(&app).await;
    let bearer = format!("Bearer {}", crate::helpers::console::BOOTSTRAP);
    for path in [
        "/admin/",
        "/admin/notices",
        "/admin/notices/new",
        "/admin/people/u1",
        "/admin/roster",
        "/admin/quiz/assign",
        "/admin/tokens",
    ] {
        let (status, headers, _) =
            crate::dashboard::get(&app, path, &[("authorization", bearer.as_str()), HOST]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(headers["location"], "/admin/login", "{path}");
    }
    let req = Request::post("/admin/notices/new")
        .header("authorization", &bearer)
        .header("content-type", "application/x-www-form-urlencoded")
        .header(HOST.0, HOST.1)
        .body(Body::from("title=T&do=create"))
        .unwrap();
    let (status, _, _) = send(&app, req).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("notices").await, 0);
}

dual_backend!(
    the_shared_token_opens_no_console_page,
    hr_reads_and_reminds_but_does_not_act,
    compose_preview_count_send_remind_close,
    bad_forms_are_refused_with_the_reason,
    posts_without_the_form_token_or_from_elsewhere_are_refused,
);
