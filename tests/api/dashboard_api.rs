//! The admin/HR JSON and CSV API over data made through chat: notice
//! progress and acknowledgement exports, quiz banks, stats and attempt
//! exports, password status, incidents, the outbox and the audit log as
//! NDJSON. Reads of personal data are audited; the notice list is not.

use axum::http::StatusCode;
use serde_json::Value;

use crate::dashboard::{BEARER, TITLE, get, seed, with_token};
use crate::dual_backend;
use crate::helpers::TestApp;

async fn api(app: &TestApp, path: &str) -> Value {
    let (status, _, body) = get(app, path, &[BEARER]).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
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
        dingwarden::cli::export::quiz::to_csv(&rows, tz).unwrap()
    );
    let json = api(&app, "/api/v1/quiz/default/attempts.json").await;
    assert_eq!(json, dingwarden::cli::export::quiz::to_json(&rows, tz));
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

dual_backend!(
    notice_endpoints_show_progress,
    quiz_password_incident_outbox_and_audit_endpoints,
);
