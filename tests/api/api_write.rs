//! The write API (issue 16.5): notices created, sent, reminded and closed
//! and quiz campaigns assigned over JSON, through the actions chat uses —
//! the same audit entries (actor `api` for the bootstrap token) and the
//! same outbox rows. Bad bodies are 400s naming the field; a closed notice
//! is a 409; nothing changes when a request is refused.

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use serde_json::{Value, json};

use crate::dashboard::{BEARER, send, with_token};
use crate::dual_backend;
use crate::helpers::TestApp;

/// A POST with a JSON body (or none) and the bootstrap token.
pub(crate) async fn post(app: &TestApp, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let (status, _, v) = post_with(app, path, body, &[BEARER]).await;
    (status, v)
}

pub(crate) async fn post_with(
    app: &TestApp,
    path: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Value) {
    let mut req = Request::post(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = match body {
        Some(b) => req
            .header("content-type", "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    };
    let (status, headers, text) = send(app, req.unwrap()).await;
    let v = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, headers, v)
}

/// Five people in three departments.
pub(crate) async fn people(app: &TestApp) {
    for (id, name, dept) in [
        ("admin1", "管理员", "总部/信息部"),
        ("hr1", "人事", "总部/人事部"),
        ("u1", "张三", "总部/研发部"),
        ("u2", "李四", "总部/研发部"),
        ("u3", "王五", "总部/销售部"),
    ] {
        app.seed_user(id, name, Some(dept), None).await;
    }
}

fn exit_notice() -> Value {
    json!({"kind": "exit", "title": "停用旧平台", "body": "请在截止日期前迁移。",
        "checklist": ["备份文件", "导出通讯录"], "deadline": "2026-12-10"})
}

async fn api_creates_sends_reminds_and_closes_a_notice(app: TestApp) {
    let app = with_token(app).await;
    people(&app).await;
    let (status, headers, v) =
        post_with(&app, "/api/v1/notices", Some(exit_notice()), &[BEARER]).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["id"], 1);
    assert_eq!(v["checklist"], json!(["备份文件", "导出通讯录"]));
    assert_eq!(v["deadline"], "2026-12-10");
    assert_eq!(headers["location"], "/api/v1/notices/1");
    let (_, _, shown) = crate::dashboard::get(&app, "/api/v1/notices/1", &[BEARER]).await;
    let shown: Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["notice"]["status"], "draft");
    assert_eq!(shown["notice"]["kind"], "exit");
    assert_eq!(shown["notice"]["checklist_total"], 2);
    assert_eq!(shown["notice"]["author"], "api");

    let to = json!({"audience": {"departments": ["研发部", "总部/销售部"]}});
    let (status, v) = post(&app, "/api/v1/notices/1/send", Some(to)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{v}");
    assert_eq!(
        (v["queued"].as_i64(), v["already_addressed"].as_i64()),
        (Some(3), Some(0))
    );
    let cards: Vec<_> = app.outbox().await;
    assert_eq!(cards.len(), 1, "one batch in Chinese");
    assert_eq!(cards[0].recipients, ["u1", "u2", "u3"]);
    let text = cards[0].message.to_string();
    assert!(
        text.contains("通知 #1：停用旧平台") && text.contains("确认已读"),
        "{text}"
    );

    let again = json!({"users": ["u1", "ghost"]});
    let (status, v) = post(&app, "/api/v1/notices/1/send", Some(again)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{v}");
    assert_eq!(v["queued"], 0);
    assert_eq!(v["already_addressed"], 1);
    assert_eq!(v["unknown"], json!(["ghost"]));
    app.drain().await;
    assert!(app.dm_texts("u3")[0].contains("停用旧平台"));

    let (status, v) = post(&app, "/api/v1/notices/1/remind", None).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{v}");
    assert_eq!(v["reminded"], 3);
    // Within the hour: refused with when, unless ?now=true (issue 18.10)…
    let (status, v) = post(&app, "/api/v1/notices/1/remind", None).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (StatusCode::CONFLICT, Some("reminded_recently"))
    );
    assert!(
        v["message"]
            .as_str()
            .unwrap_or_default()
            .contains("was reminded at"),
        "{v}"
    );
    // …and two rounds at the very same instant are still one.
    let (status, v) = post(&app, "/api/v1/notices/1/remind?now=true", None).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (StatusCode::CONFLICT, Some("just_reminded"))
    );

    let (status, v) = post(&app, "/api/v1/notices/1/close", Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        (v["status"].as_str(), v["previous_status"].as_str()),
        (Some("closed"), Some("sent"))
    );
    for (path, body, code) in [
        ("/api/v1/notices/1/close", None, "already_closed"),
        ("/api/v1/notices/1/remind", None, "notice_closed"),
        (
            "/api/v1/notices/1/send",
            Some(json!({"audience": {"all": true}})),
            "notice_closed",
        ),
    ] {
        let (status, v) = post(&app, path, body).await;
        assert_eq!(status, StatusCode::CONFLICT, "{path}: {v}");
        assert_eq!(v["error"], code, "{path}");
    }
    let ours: Vec<(String, String)> = app
        .audit_entries()
        .await
        .into_iter()
        .filter(|(actor, ..)| actor == "api")
        .map(|(_, action, subject)| (action, subject))
        .filter(|(action, _)| action != "notice.view")
        .collect();
    let want = [
        "notice.create",
        "notice.send",
        "notice.send",
        "notice.remind",
        "notice.close",
    ];
    assert_eq!(
        ours.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(),
        want
    );
    assert!(ours.iter().all(|(_, s)| s == "notice:1"));
    let sends = app.audit_details("notice.send").await;
    assert_eq!(sends[0]["audience"], "depts:研发部|总部/销售部");
    assert_eq!(sends[1]["audience"], "users:u1,ghost");
}

async fn api_sends_to_all_like_chat(app: TestApp) {
    let app = with_token(app).await;
    people(&app).await;
    app.say("admin1", "lang en").await;
    let body = json!({"title": "Phishing drill", "body": "Watch out."});
    let (status, v) = post(&app, "/api/v1/notices", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["deadline"], Value::Null);
    let (status, v) = post(
        &app,
        "/api/v1/notices/1/send",
        Some(json!({"audience": {"all": true}})),
    )
    .await;
    assert_eq!(
        (status, v["queued"].as_i64()),
        (StatusCode::ACCEPTED, Some(5))
    );
    assert_eq!(v["batches"], 2, "one card per language, as chat sends");
    app.drain().await;
    let en = app.dm_texts("admin1").last().cloned().unwrap();
    assert!(
        en.contains("### Phishing drill") && en.contains("Notice #1: tap"),
        "{en}"
    );
    let zh = app.dm_texts("u1")[0].clone();
    assert!(
        zh.contains("### Phishing drill") && zh.contains("通知 #1：请点击"),
        "{zh}"
    );
    // Acknowledging in chat counts against the API's notice.
    app.say("u1", "ack 1").await;
    let (_, _, s) = crate::dashboard::get(&app, "/api/v1/notices/1", &[BEARER]).await;
    let s: Value = serde_json::from_str(&s).unwrap();
    assert_eq!(s["progress"]["acked"], 1);
}

async fn bad_writes_name_the_field_and_change_nothing(app: TestApp) {
    let app = with_token(app).await;
    people(&app).await;
    let mut past = exit_notice();
    past["deadline"] = json!("2026-11-01");
    let mut bad_item = exit_notice();
    bad_item["checklist"] = json!(["ok", "two\n- [ ] lines"]);
    let cases = [
        (json!({"body": "no title"}), "title"),
        (json!({"title": "  "}), "title"),
        (json!({"title": "a\nb"}), "title"),
        (json!({"title": 5}), "title"),
        (json!({"title": "T", "kind": "memo"}), "kind"),
        (json!({"title": "T", "tilte": "x"}), "tilte"),
        (json!({"title": "T", "deadline": "next week"}), "deadline"),
        (json!({"title": "T", "checklist": "备份"}), "checklist"),
        (json!({"title": "x".repeat(101)}), "title"),
        (json!({"title": "T", "body": "x".repeat(4001)}), "body"),
        (past, "deadline"),
        (bad_item, "checklist"),
    ];
    for (body, field) in cases {
        let (status, v) = post(&app, "/api/v1/notices", Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {v}");
        assert_eq!(v["field"], field, "{body}: {v}");
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    }
    let raw = |ct: &'static str, body: &'static str| {
        Request::post("/api/v1/notices")
            .header(BEARER.0, BEARER.1)
            .header("content-type", ct)
            .body(Body::from(body))
            .unwrap()
    };
    let (status, _, text) = send(&app, raw("application/json", "{\"title\": ")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(text.contains("\"error\":\"bad_json\""), "{text}");
    let (status, _, text) = send(&app, raw("text/plain", "{}")).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{text}");
    let (status, _, text) = send(&app, raw("application/json", "[1]")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert_eq!(app.count("notices").await, 0, "nothing was stored");

    post(&app, "/api/v1/notices", Some(exit_notice())).await;
    let sends = [
        (
            "/api/v1/notices/1/send",
            json!({}),
            StatusCode::BAD_REQUEST,
            "audience",
        ),
        (
            "/api/v1/notices/1/send",
            json!({"audience": {"all": true, "users": ["u1"]}}),
            StatusCode::BAD_REQUEST,
            "audience",
        ),
        (
            "/api/v1/notices/1/send",
            json!({"audience": {"departments": ["火星部"]}}),
            StatusCode::BAD_REQUEST,
            "audience.departments",
        ),
        (
            "/api/v1/notices/1/send",
            json!({"audience": {"users": ["ghost"]}}),
            StatusCode::BAD_REQUEST,
            "audience",
        ),
        (
            "/api/v1/notices/9/send",
            json!({"audience": {"all": true}}),
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            "/api/v1/notices/x/send",
            json!({"audience": {"all": true}}),
            StatusCode::BAD_REQUEST,
            "",
        ),
        (
            "/api/v1/notices/9/close",
            json!({}),
            StatusCode::NOT_FOUND,
            "",
        ),
        (
            "/api/v1/notices/1/remind",
            json!({}),
            StatusCode::CONFLICT,
            "",
        ),
    ];
    for (path, body, want, field) in sends {
        let (status, v) = post(&app, path, Some(body.clone())).await;
        assert_eq!(status, want, "{path} {body}: {v}");
        if !field.is_empty() {
            assert_eq!(v["field"], field, "{path} {body}: {v}");
        }
    }
    assert_eq!(app.count("outbox").await, 0, "nothing was queued");
    assert_eq!(app.count("notice_recipients").await, 0);
}

async fn writes_need_the_admin_token(app: TestApp) {
    let off = post_with(&app, "/api/v1/notices", Some(exit_notice()), &[]).await;
    assert_eq!(
        off.0,
        StatusCode::NOT_FOUND,
        "no token configured: the API is off"
    );
    let app = with_token(app).await;
    people(&app).await;
    for headers in [vec![], vec![("authorization", "Bearer wrong")]] {
        for path in [
            "/api/v1/notices",
            "/api/v1/notices/1/send",
            "/api/v1/notices/1/close",
            "/api/v1/notices/1/remind",
            "/api/v1/quiz/campaigns",
        ] {
            let (status, _, v) = post_with(&app, path, Some(exit_notice()), &headers).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{path}: {v}");
        }
    }
    assert_eq!(app.count("notices").await, 0);
}

async fn api_assigns_a_quiz_campaign(app: TestApp) {
    let app = with_token(app).await;
    people(&app).await;
    let body = json!({"audience": {"users": ["u1", "u2", "nobody"]}, "deadline": "2026-12-31"});
    let (status, v) = post(&app, "/api/v1/quiz/campaigns", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(
        (v["id"].as_i64(), v["members"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(v["bank"], "default");
    assert_eq!(v["deadline"], "2026-12-31");
    assert_eq!(v["unknown"], json!(["nobody"]));
    let invites = app.outbox().await;
    assert_eq!(invites.len(), 1);
    assert_eq!(invites[0].recipients, ["u1", "u2"]);
    let audit = app.audit_entries().await;
    assert!(
        audit
            .iter()
            .any(|(a, act, s)| a == "api" && act == "quiz.assign" && s == "quiz_campaign:1")
    );
    let (status, v) = post(
        &app,
        "/api/v1/quiz/campaigns",
        Some(json!({"bank": "DEFAULT", "departments": ["研发部"]})),
    )
    .await;
    assert_eq!(
        (status, v["members"].as_i64()),
        (StatusCode::CREATED, Some(2)),
        "{v}"
    );

    for (body, field) in [
        (json!({"bank": "nope", "audience": {"all": true}}), "bank"),
        (
            json!({"audience": {"all": true}, "deadline": "2026-01-01"}),
            "deadline",
        ),
        (
            json!({"audience": {"all": true}, "deadline": "soon"}),
            "deadline",
        ),
        (json!({"deadline": "2026-12-31"}), "audience"),
        (json!({"audience": {"users": ["ghost"]}}), "audience"),
    ] {
        let (status, v) = post(&app, "/api/v1/quiz/campaigns", Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {v}");
        assert_eq!(v["field"], field, "{body}: {v}");
    }
    assert_eq!(
        app.count("quiz_campaigns").await,
        2,
        "refusals changed nothing"
    );
}

dual_backend!(
    api_creates_sends_reminds_and_closes_a_notice,
    api_sends_to_all_like_chat,
    bad_writes_name_the_field_and_change_nothing,
    writes_need_the_admin_token,
    api_assigns_a_quiz_campaign,
);
