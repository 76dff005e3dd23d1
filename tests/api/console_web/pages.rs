//! The console's pages (a notice's progress per department as SVG, its
//! recipients filtered by department and status, a person, the week's
//! trend) escaping what people typed, and the people and quiz actions
//! (roles, offboarding, campaigns) with their audit entries.

use axum::http::StatusCode;

use super::{dashboard_actions, sign_in};
use crate::api_write::people;
use crate::dashboard::{seed, with_token};
use crate::dual_backend;
use crate::helpers::TestApp;

async fn pages_show_progress_people_and_trend_escaped(app: TestApp) {
    let app = with_token(app).await;
    seed(&app).await;
    let b = sign_in(&app).await;
    let (status, page) = b.page(&app, "/admin/notices/1").await;
    assert_eq!(status, StatusCode::OK);
    for part in [
        "<svg class=\"share\"",
        "role=\"img\" aria-label=\"总部/研发部: 1/2 (50%)\"",
        "<label for=\"f-dept\"",
        "href=\"/admin/people/u2\">李四（u2）",
        "&lt;b&gt;王五&lt;/b&gt;（u3）",
    ] {
        assert!(page.contains(part), "{part}: {page}");
    }
    assert!(page.contains("符合条件的有 4 人"), "{page}");
    assert!(!page.contains("<b>王五"), "{page}");
    let (_, rd) = b
        .page(
            &app,
            "/admin/notices/1?dept=%E6%80%BB%E9%83%A8%2F%E7%A0%94%E5%8F%91%E9%83%A8&status=all",
        )
        .await;
    assert!(rd.contains("符合条件的有 2 人"), "{rd}");
    assert!(
        rd.contains("张三（u1）") && rd.contains("李四（u2）") && !rd.contains("（u3）</a>"),
        "{rd}"
    );
    let (_, acked) = b.page(&app, "/admin/notices/1?status=acked&lang=en").await;
    assert!(
        acked.contains("1 people match.") && acked.contains("张三 (u1)"),
        "{acked}"
    );

    let (status, person) = b.page(&app, "/admin/people/u3").await;
    assert_eq!(status, StatusCode::OK, "{person}");
    assert!(
        person.contains("&lt;b&gt;王五&lt;/b&gt;（u3）") && !person.contains("<b>王五"),
        "{person}"
    );
    assert!(
        person.contains("总部/销售部") && person.contains("待确认"),
        "{person}"
    );
    assert!(person.contains("尚未完成的强制改密：1"), "{person}");
    let (_, u1) = b.page(&app, "/admin/people/u1?lang=en").await;
    assert!(u1.contains("passed") && u1.contains("Quiz results"), "{u1}");
    let (_, u2) = b.page(&app, "/admin/people/u2").await;
    assert!(u2.contains("已逾期"), "{u2}");
    let (status, _) = b.page(&app, "/admin/people/nobody").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        app.audit_entries()
            .await
            .iter()
            .any(|(a, act, s)| a == "admin1" && act == "person.view" && s == "user:u3")
    );

    let (_, overview) = b.page(&app, "/admin/").await;
    assert!(overview.contains("<svg class=\"trend\""), "{overview}");
    assert!(
        overview.contains("本周趋势")
            && overview.contains(
                "<td class=\"num\">2026-11-30</td><td class=\"num\">1</td><td class=\"num\">1</td>"
            ),
        "{overview}"
    );
}

async fn role_and_offboarding_changes_wait_for_the_code(app: TestApp) {
    let app = with_token(app).await;
    people(&app).await;
    let b = sign_in(&app).await;
    let (_, page) = b.page(&app, "/admin/people/u1").await;
    assert!(
        page.contains("action=\"/admin/people/u1/roles\"")
            && page.contains("action=\"/admin/people/u1/offboard\""),
        "{page}"
    );
    // As in chat, these only ask: the page shows a one-time code for this
    // session, and typing it does it.
    let grant = [("role", "hr"), ("do", "grant")];
    let (status, page) = b.post(&app, "/admin/people/u1/roles", &grant).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        app.store
            .user("u1")
            .await
            .unwrap()
            .unwrap()
            .roles
            .is_empty(),
        "asked, not done"
    );
    let at = page.find("<strong class=\"code\">").expect("a code") + 21;
    let code = page[at..].split('<').next().unwrap().to_owned();
    let other = sign_in(&app).await;
    let (status, _) = other.post(&app, "/admin/confirm", &[("code", &code)]).await;
    assert!(
        status.is_client_error(),
        "another session cannot confirm: {status}"
    );
    let (status, page) = b.post(&app, "/admin/confirm", &[("code", &code)]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let u1 = app.store.user("u1").await.unwrap().unwrap();
    assert!(u1.roles.contains(&dingwarden::domain::Role::Hr));
    let (status, _) = b.post(&app, "/admin/confirm", &[("code", &code)]).await;
    assert!(status.is_client_error(), "a code works once");
    let (status, _) = b
        .post(&app, "/admin/people/u1/roles", &[("role", "boss")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, page) = b.post(&app, "/admin/people/u2/offboard", &[]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(app.count("notices").await, 0, "asked, not done");
    let entries = app.audit_entries().await;
    let acts = super::dashboard_actions(&entries);
    assert!(
        acts.contains(&"role.grant.requested") && acts.contains(&"role.grant"),
        "{acts:?}"
    );
    assert!(acts.contains(&"offboard.requested"), "{acts:?}");
}

async fn quiz_campaigns_are_assigned(app: TestApp) {
    let app = with_token(app).await;
    people(&app).await;
    let b = sign_in(&app).await;
    let (status, page) = b.page(&app, "/admin/quiz/assign").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<option value=\"default\">"), "{page}");
    let choose = [
        ("bank", "default"),
        ("audience", "users"),
        ("users", "u1, u2\nghost"),
        ("deadline", "2026-12-31"),
    ];
    let mut count = choose.to_vec();
    count.push(("do", "count"));
    let (status, page) = b.post(&app, "/admin/quiz/assign", &count).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("将布置给 2 人"), "{page}");
    assert_eq!(app.count("quiz_campaigns").await, 0);
    let mut go = choose.to_vec();
    go.push(("do", "assign"));
    let (status, page) = b.post(&app, "/admin/quiz/assign", &go).await;
    assert_eq!(status, StatusCode::CREATED, "{page}");
    assert_eq!(app.count("quiz_campaigns").await, 1);
    assert_eq!(app.outbox().await[0].recipients, ["u1", "u2"]);
    let entries = app.audit_entries().await;
    assert_eq!(dashboard_actions(&entries), ["quiz.assign"]);
    let (status, _) = b
        .post(
            &app,
            "/admin/quiz/assign",
            &[("bank", "nope"), ("audience", "all"), ("do", "assign")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("quiz_campaigns").await, 1);
}

/// HR may start an offboarding from the console, as in chat: the same
/// action behind the same one-time code; roles stay with administrators.
/// The admins' checklist then shows who ticked each item.
async fn hr_offboards_with_the_code(app: TestApp) {
    let app = with_token(app).await;
    people(&app).await;
    app.seed_user("u2", "李四", Some("总部/研发部"), Some("u1"))
        .await;
    let hr = super::sign_in_as(&app, "hr1").await;
    let (_, page) = hr.page(&app, "/admin/people/u2").await;
    assert!(
        page.contains("action=\"/admin/people/u2/offboard\"")
            && !page.contains("action=\"/admin/people/u2/roles\""),
        "{page}"
    );
    let (status, page) = hr.post(&app, "/admin/people/u2/offboard", &[]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(app.count("notices").await, 0, "asked, not done");
    let at = page.find("<strong class=\"code\">").expect("a code") + 21;
    let code = page[at..].split('<').next().unwrap().to_owned();
    let (status, page) = hr.post(&app, "/admin/confirm", &[("code", &code)]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("已开始 李四 的离职流程")
            && page.contains("管理员清单 #2")
            && page.contains("主管交接清单 #3（张三（u1））"),
        "{page}"
    );
    assert_eq!(app.count("notices").await, 3);
    let entries = app.audit_entries().await;
    for action in ["offboard.requested", "offboard.start"] {
        assert!(
            entries
                .iter()
                .any(|(a, act, s)| a == "hr1" && act == action && s == "user:u2"),
            "{action}: {entries:?}"
        );
    }
    let (status, _) = hr.post(&app, "/admin/people/u2/offboard", &[]).await;
    assert_eq!(status, StatusCode::CONFLICT, "already under way");
    app.say("admin1", "完成 2 1").await;
    let (_, checklist) = hr.page(&app, "/admin/notices/2").await;
    assert!(
        checklist.contains("谁完成的")
            && checklist.contains("管理员（admin1）")
            && checklist.contains("尚未完成"),
        "{checklist}"
    );
    let (_, plain) = hr.page(&app, "/admin/notices/1").await;
    assert!(!plain.contains("谁完成的"), "{plain}");
}

dual_backend!(
    hr_offboards_with_the_code,
    pages_show_progress_people_and_trend_escaped,
    role_and_offboarding_changes_wait_for_the_code,
    quiz_campaigns_are_assigned,
);
