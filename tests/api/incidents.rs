//! Incident reports and feedback: recorded as #N, admins notified through
//! the outbox, listed for admins (and HR, read-only), closed with a note.

use crate::dual_backend;
use crate::helpers::TestApp;

async fn reports_become_incidents_and_admins_are_told(app: TestApp) {
    app.seed_user("alice", "爱丽丝", Some("总部/研发部"), None)
        .await;
    app.seed_user("eve", "Eve", None, None).await;
    app.say_confirmed("admin1", "role grant eve admin").await;
    app.say("eve", "lang en").await;
    let before = app.outbox().await.len();
    let reply = app
        .say_text(
            "alice",
            "上报 收到可疑邮件，要求我点链接 http://evil.example 重置密码",
        )
        .await;
    assert!(
        reply.contains("谢谢你的上报") && reply.contains("#1"),
        "{reply}"
    );
    let rows = app.outbox().await.split_off(before);
    assert_eq!(rows.len(), 2, "one message per language: {rows:?}");
    let zh = rows.iter().find(|r| r.recipients == ["admin1"]).unwrap();
    let en = rows.iter().find(|r| r.recipients == ["eve"]).unwrap();
    assert!(zh.text().contains("新的安全事件 #1"), "{}", zh.text());
    assert!(zh.text().contains("爱丽丝（alice）"));
    assert!(
        zh.text().contains("> 收到可疑邮件"),
        "quoted: {}",
        zh.text()
    );
    assert!(en.text().contains("New security incident #1"));
    assert!(en.text().contains("[List incidents]"));
    assert_eq!(zh.dedupe_key.as_deref(), Some("incident:1:admins:zh"));
    // Audited without the text.
    let entries = app.audit_entries().await;
    assert!(entries.contains(&(
        "alice".into(),
        "incident.report".into(),
        "incident:1".into()
    )));
    let details = app.audit_details("incident.report").await;
    assert_eq!(details[0], serde_json::json!({"id": 1, "in_group": false}));
    // In English, and from a group.
    app.say("alice", "lang en").await;
    let reply = app.say_text("alice", "report lost my badge").await;
    assert!(
        reply.contains("Thank you for reporting this") && reply.contains("#2"),
        "{reply}"
    );
    app.post(&app.group("bob", "cidG", "上报 群里有人发了钓鱼链接"))
        .await;
    app.state.settle().await;
    let in_group: i64 = sqlx::query_scalar("SELECT in_group FROM incidents WHERE id = 3")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(in_group, 1);
    // Too long is refused and records nothing.
    let long = format!("report {}", "x".repeat(2001));
    assert!(app.say_text("alice", &long).await.contains("too long"));
    assert_eq!(app.count("incidents").await, 3);
}

async fn incidents_are_listed_for_staff_and_closed_by_admins(app: TestApp) {
    app.seed_user("alice", "爱丽丝", None, None).await;
    app.say("alice", "上报 电脑中了勒索病毒").await;
    app.say("alice", "上报 U盘丢失").await;
    let list = app.say_text("hr1", "事件列表").await;
    assert!(list.contains("未处理（2）"), "{list}");
    assert!(
        list.contains("#2") && list.contains("爱丽丝（alice）：U盘丢失"),
        "{list}"
    );
    assert!(
        !list.contains("事件 关闭"),
        "HR gets no closing hint: {list}"
    );
    assert!(
        app.say_text("hr1", "incident close 1")
            .await
            .contains("仅限管理员使用")
    );
    let before = app.outbox().await.len();
    let reply = app.say_text("admin1", "事件 关闭 #1 已隔离并重装").await;
    assert!(reply.contains("已关闭安全事件 #1"), "{reply}");
    let told = app.outbox().await.split_off(before);
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].recipients, vec!["alice"]);
    assert!(told[0].text().contains("#1") && told[0].text().contains("> 已隔离并重装"));
    let again = app.say_text("admin1", "incident close 1").await;
    assert!(again.contains("已于 2026-11-30 10:00 关闭"), "{again}");
    assert!(
        app.say_text("admin1", "incident close 9")
            .await
            .contains("没有编号为 #9")
    );
    let list = app.say_text("admin1", "incidents").await;
    assert!(
        list.contains("未处理（1）") && list.contains("最近关闭"),
        "{list}"
    );
    assert!(
        list.contains("事件 关闭 编号"),
        "admins get the hint: {list}"
    );
    let (closed_by, note): (String, String) =
        sqlx::query_as("SELECT closed_by, close_note FROM incidents WHERE id = 1")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(
        (closed_by.as_str(), note.as_str()),
        ("admin1", "已隔离并重装")
    );
    let closes = app.audit_details("incident.close").await;
    assert_eq!(closes.len(), 1);
    assert_eq!(closes[0], serde_json::json!({"id": 1, "with_note": true}));
    assert_eq!(app.audit_details("incident.list").await.len(), 2);
}

async fn feedback_is_stored_and_listed_for_admins(app: TestApp) {
    app.seed_user("alice", "爱丽丝", None, None).await;
    let reply = app.say_text("alice", "反馈 很好用 希望支持英文题库").await;
    assert!(
        reply.contains("谢谢你的反馈") && reply.contains("#1"),
        "{reply}"
    );
    app.say("bob", "feedback the quiz was too easy").await;
    assert!(
        app.say_text("alice", "反馈 列表")
            .await
            .contains("仅限管理员使用")
    );
    assert!(
        app.say_text("hr1", "feedback list")
            .await
            .contains("仅限管理员使用")
    );
    let list = app.say_text("admin1", "feedback list").await;
    assert!(list.contains("反馈（共 2 条）"), "{list}");
    let bob = list.find("#2").unwrap();
    let alice = list.find("#1").unwrap();
    assert!(bob < alice, "newest first: {list}");
    assert!(list.contains("爱丽丝（alice）：很好用 希望支持英文题库"));
    assert_eq!(app.count("feedback").await, 2);
    assert_eq!(app.outbox().await.len(), 0, "feedback notifies nobody");
    let entries = app.audit_entries().await;
    assert!(entries.contains(&("bob".into(), "feedback.submit".into(), "feedback:2".into())));
    assert!(entries.contains(&("admin1".into(), "feedback.list".into(), String::new())));
}

async fn a_closing_note_too_long_closes_nothing(app: TestApp) {
    app.seed_user("alice", "爱丽丝", None, None).await;
    app.say("alice", "上报 电脑中了勒索病毒").await;
    let before = app.outbox().await.len();
    let long = format!("incident close 1 {}", "x".repeat(2001));
    let reply = app.say_text("admin1", &long).await;
    assert!(reply.contains("内容太长了（最多 2000 字）"), "{reply}");
    let status: String = sqlx::query_scalar("SELECT status FROM incidents WHERE id = 1")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(status, "open");
    assert_eq!(app.outbox().await.len(), before, "the reporter is not told");
    assert!(app.audit_details("incident.close").await.is_empty());
}

dual_backend!(
    reports_become_incidents_and_admins_are_told,
    a_closing_note_too_long_closes_nothing,
    incidents_are_listed_for_staff_and_closed_by_admins,
    feedback_is_stored_and_listed_for_admins,
);
