//! Offboarding as organisations run it (issue 18 point 11): HR starts it
//! too (with the confirmation code), the leaver's manager gets a handover
//! checklist of their own, HR gets the summary, and `notice status` of the
//! admins' checklist shows who did what.

use crate::dual_backend;
use crate::helpers::TestApp;
use crate::notices::roster;

/// The outbox rows to exactly `to`.
async fn texts_to(app: &TestApp, to: &[&str]) -> Vec<String> {
    app.outbox()
        .await
        .into_iter()
        .filter(|r| r.recipients == to)
        .map(|r| r.text())
        .collect()
}

async fn hr_starts_it_and_everyone_gets_their_part(app: TestApp) {
    roster(&app).await;
    app.seed_user("hr2", "人事二", Some("总部/人事部"), None)
        .await;
    sqlx::query(
        "INSERT INTO user_roles (staff_id, role, granted_at) VALUES ('m2', 'admin', 0), ('hr2', 'hr', 0)",
    )
    .execute(app.store.pool())
    .await
    .unwrap();
    // Employees may not; HR may, once confirmed.
    let refused = app.say_text("u3", "离职 u2").await;
    assert!(refused.contains("仅限管理员和人事"), "{refused}");
    let asked = app.say_text("hr1", "离职 u2").await;
    assert!(asked.starts_with("将为 李四（u2）发起离职流程"), "{asked}");
    assert_eq!(app.count("notices").await, 0);
    let done = app.say_confirmed("hr1", "离职 u2").await;
    assert!(
        done.contains("离职流程已经开始") || done.contains("已为 李四"),
        "{done}"
    );
    let started = app.audit_details("offboard.start").await;
    assert_eq!(started.len(), 1, "{started:?}");
    assert_eq!(started[0]["manager"], "m1");
    assert_eq!(started[0]["hr"], 1);
    assert_eq!(started[0]["manager_notice"], 3);

    // The leaver, the admins, the manager and HR each got their part.
    assert!(texts_to(&app, &["u2"]).await[0].contains("归还公司设备"));
    assert!(texts_to(&app, &["admin1", "m2"]).await[0].contains("撤销其系统"));
    let manager = texts_to(&app, &["m1"]).await.join("\n");
    assert!(
        manager.contains("交接清单：李四（u2）") && manager.contains("客户和合作伙伴联系人"),
        "{manager}"
    );
    for item in ["工作文件", "业务账号", "群主身份", "客户"] {
        assert!(manager.contains(item), "{item}: {manager}");
    }
    let summary = texts_to(&app, &["hr2"]).await.join("\n");
    assert!(
        summary.contains("离职流程已发起：李四（u2）")
            && summary.contains("由 人事（hr1） 发起")
            && summary.contains("主管交接清单 #3 已发送给 王经理（m1）")
            && summary.contains("通知 状态 2"),
        "{summary}"
    );
    // The one who started it is answered, not sent the summary.
    assert!(texts_to(&app, &["hr1"]).await.is_empty());

    // Who did what, on the admins' checklist.
    app.say("admin1", "完成 2 1").await;
    app.advance(chrono::Duration::minutes(30));
    app.say("m2", "完成 2 3").await;
    app.say("m2", "完成 2 1").await;
    let status = app.say_text("hr1", "notice status 2").await;
    assert!(status.contains("谁完成了哪一项"), "{status}");
    assert!(
        status.contains(
            "\n1. 管理员（admin1）（2026-11-30 10:00）、赵经理（m2）（2026-11-30 10:30）"
        ),
        "{status}"
    );
    assert!(status.contains("\n2. 尚未完成"), "{status}");
    assert!(
        status.contains("\n3. 赵经理（m2）（2026-11-30 10:30）"),
        "{status}"
    );
    // And on the manager's.
    app.say("m1", "完成 3 4").await;
    let status = app.say_text("admin1", "notice status 3").await;
    assert!(status.contains("\n4. 王经理（m1）"), "{status}");
    // An ordinary notice's status names no tickers.
    let leaver = app.say_text("admin1", "notice status 1").await;
    assert!(!leaver.contains("谁完成了哪一项"), "{leaver}");

    // Closing the manager's checklist leaves the offboarding open; the
    // admins' completes it.
    app.say("admin1", "notice close 3").await;
    let active: i64 = sqlx::query_scalar("SELECT active FROM users WHERE staff_id = 'u2'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(active, 1);
    app.say("admin1", "notice close 2").await;
    let active: i64 = sqlx::query_scalar("SELECT active FROM users WHERE staff_id = 'u2'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(active, 0);
}

async fn a_leaver_without_a_manager_is_said_so(app: TestApp) {
    roster(&app).await;
    app.say("admin1", "lang en").await;
    let done = app.say_confirmed("admin1", "offboard m2").await;
    assert!(
        done.contains("the roster names no active manager") && done.contains("HR told (1 person)"),
        "{done}"
    );
    assert!(done.contains("notice status 2"), "{done}");
    let summary = texts_to(&app, &["hr1"]).await.join("\n");
    assert!(summary.contains("未发送主管交接清单"), "{summary}");
    assert_eq!(app.count("notices").await, 2);
}

dual_backend!(
    hr_starts_it_and_everyone_gets_their_part,
    a_leaver_without_a_manager_is_said_so,
);
