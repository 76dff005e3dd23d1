//! Roles in chat: refusals (every admin and HR command, from the
//! catalogue), `role grant|revoke`, the last administrator, @mentions,
//! DingTalk's organisation-admin flag, and the configured roles.

use dingwarden::commands::catalogue::CATALOGUE;
use dingwarden::domain::Access;
use serde_json::json;

use crate::dual_backend;
use crate::helpers::{TestApp, message_text};

/// Every admin and HR command, by the first example of each.
fn guarded() -> Vec<(&'static str, &'static str, Access)> {
    CATALOGUE
        .iter()
        .filter(|s| s.access != Access::Everyone)
        .map(|s| (s.name, s.examples[0], s.access))
        .collect()
}

async fn refused_by(app: &TestApp, actor: &str) -> Vec<String> {
    app.audit_entries()
        .await
        .into_iter()
        .filter(|e| e.0 == actor && e.1 == "command.refused")
        .map(|e| e.2)
        .collect()
}

async fn every_admin_command_is_refused_for_an_employee(app: TestApp) {
    app.seed_user("emp", "员工", Some("总部/研发部"), None)
        .await;
    let commands = guarded();
    assert!(commands.len() >= 20);
    for (name, example, access) in &commands {
        let reply = app.say_text("emp", example).await;
        let expected = match access {
            Access::Staff => "抱歉，这项操作仅限管理员和人事使用。",
            _ => "抱歉，这项操作仅限管理员使用。",
        };
        assert!(reply.starts_with(expected), "{name}: {reply}");
        // Polite, and names nothing internal.
        for word in ["admin", "role", "catalogue", "Access", "参考编号", "ref "] {
            assert!(!reply.contains(word), "{name}: {reply}");
        }
    }
    let names: Vec<&str> = commands.iter().map(|c| c.0).collect();
    assert_eq!(refused_by(&app, "emp").await, names);
    // The audit records who, which command and where; never what was written.
    let details = app.audit_details("command.refused").await;
    assert_eq!(details[0], json!({"needs": "admin", "chat": "direct"}));
    let log: Vec<String> = sqlx::query_scalar("SELECT details FROM audit_log")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    assert!(
        !log.iter()
            .any(|d| d.contains("phishing") || d.contains("钓鱼"))
    );
    // Nothing happened on the way.
    assert_eq!(app.count("incidents").await, 0);
    assert_eq!(app.outbox().await.len(), 0);
    let roles: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_roles")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(roles, 2);
    // In English too, and in groups.
    app.say("emp", "lang en").await;
    let reply = app.say_text("emp", "incidents").await;
    assert!(
        reply.starts_with("Sorry, only administrators and HR can do that."),
        "{reply}"
    );
    app.post(&app.group("emp", "cidG", "role grant emp admin"))
        .await;
    app.state.settle().await;
    let group = app.webhook_posts("cidG").await;
    assert!(message_text(&group[0]).contains("only administrators"));
    assert_eq!(
        app.audit_details("command.refused").await.last().unwrap()["chat"],
        "group"
    );
}

async fn hr_is_refused_admin_commands_but_reads_reports(app: TestApp) {
    let mut refused = Vec::new();
    for (name, example, access) in guarded() {
        let reply = app.say_text("hr1", example).await;
        if access == Access::Admin {
            assert!(
                reply.starts_with("抱歉，这项操作仅限管理员使用。"),
                "{name}: {reply}"
            );
            refused.push(name);
        } else {
            assert!(!reply.contains("仅限"), "{name}: {reply}");
        }
    }
    assert_eq!(refused_by(&app, "hr1").await, refused);
    assert!(app.say_text("hr1", "incidents").await.contains("安全事件"));
    let help = app.say_text("hr1", "help").await;
    assert!(
        help.contains("事件列表") && !help.contains("角色 授予"),
        "{help}"
    );
}

async fn admins_grant_and_revoke_roles_and_the_last_admin_stays(app: TestApp) {
    let reply = app.say_confirmed("admin1", "role grant bob hr").await;
    assert!(reply.contains("我还不认识工号 bob"), "{reply}");
    app.seed_user("bob", "鲍勃", Some("总部/人事部"), None)
        .await;
    let reply = app.say_confirmed("admin1", "角色 授予 bob 人事").await;
    assert!(reply.contains("已授予 鲍勃（bob）「人事」角色"), "{reply}");
    let out = app.outbox().await;
    assert_eq!(out[0].recipients, vec!["bob"]);
    assert!(
        out[0].text().contains("授予了你「人事」角色"),
        "{}",
        out[0].text()
    );
    assert!(
        app.say_confirmed("admin1", "role grant bob hr")
            .await
            .contains("已拥有「人事」角色")
    );
    assert!(app.say_text("bob", "incidents").await.contains("安全事件"));
    assert!(
        app.say_text("bob", "incident close 1")
            .await
            .contains("仅限管理员使用")
    );
    assert!(
        app.say_confirmed("admin1", "role revoke bob hr")
            .await
            .contains("已撤销")
    );
    assert!(
        app.say_text("bob", "incidents")
            .await
            .contains("仅限管理员和人事")
    );
    assert!(
        app.say_confirmed("admin1", "role revoke bob hr")
            .await
            .contains("没有「人事」角色")
    );
    // The last administrator cannot be removed, not even by themselves.
    let reply = app
        .say_confirmed("admin1", "role revoke admin1 admin")
        .await;
    assert!(reply.contains("最后一位管理员"), "{reply}");
    assert_eq!(app.audit_details("role.revoke.refused").await.len(), 1);
    // With a second admin, the first may step down (and is told about the config).
    app.say_confirmed("admin1", "role grant bob admin").await;
    let reply = app
        .say_confirmed("admin1", "role revoke admin1 admin")
        .await;
    assert!(
        reply.contains("已撤销") && reply.contains("DINGWARDEN_ADMINS"),
        "{reply}"
    );
    assert!(
        app.say_text("admin1", "feedback list")
            .await
            .contains("仅限管理员")
    );
    assert!(
        app.say_confirmed("bob", "role revoke bob admin")
            .await
            .contains("最后一位管理员")
    );
    // Every change is in the log with who did it.
    let changes: Vec<(String, String, String)> = app
        .audit_entries()
        .await
        .into_iter()
        .filter(|e| e.1.starts_with("role."))
        .skip(2)
        .collect();
    let expect = |a: &str, b: &str, c: &str| (a.to_owned(), b.to_owned(), c.to_owned());
    assert_eq!(
        changes,
        vec![
            expect("admin1", "role.grant.requested", "bob"),
            expect("admin1", "role.grant.confirmed", "bob"),
            expect("admin1", "role.grant", "bob"),
            expect("admin1", "role.revoke.requested", "bob"),
            expect("admin1", "role.revoke.confirmed", "bob"),
            expect("admin1", "role.revoke", "bob"),
            expect("admin1", "role.revoke.refused", "admin1"),
            expect("admin1", "role.grant.requested", "bob"),
            expect("admin1", "role.grant.confirmed", "bob"),
            expect("admin1", "role.grant", "bob"),
            expect("admin1", "role.revoke.requested", "admin1"),
            expect("admin1", "role.revoke.confirmed", "admin1"),
            expect("admin1", "role.revoke", "admin1"),
            expect("bob", "role.revoke.refused", "bob"),
        ]
    );
}

async fn roles_can_name_people_by_mention(app: TestApp) {
    app.seed_user("bob", "鲍勃", None, None).await;
    let mut body = app.group("admin1", "cidG", "role grant @鲍勃 hr");
    body["atUsers"] =
        json!([{"dingtalkId": crate::helpers::BOT_ID}, {"dingtalkId": "$:x", "staffId": "bob"}]);
    app.post(&body).await;
    app.state.settle().await;
    let posts = app.webhook_posts("cidG").await;
    let asked = message_text(&posts[0]);
    assert!(
        asked.contains("将授予 鲍勃（bob）「人事」角色"),
        "{posts:?}"
    );
    // Confirmed in the group it was asked in.
    let code = crate::helpers::confirmation_code(&asked).unwrap();
    app.post(&app.group("admin1", "cidG", &format!("确认执行 {code}")))
        .await;
    app.state.settle().await;
    let posts = app.webhook_posts("cidG").await;
    assert!(
        message_text(&posts[1]).contains("已授予 鲍勃（bob）"),
        "{posts:?}"
    );
    assert!(app.say_text("bob", "incidents").await.contains("安全事件"));
    // Two mentions are ambiguous.
    let mut body = app.group("admin1", "cidG", "role revoke @鲍勃 hr");
    body["atUsers"] =
        json!([{"dingtalkId": "$:x", "staffId": "bob"}, {"dingtalkId": "$:y", "staffId": "carol"}]);
    app.post(&body).await;
    app.state.settle().await;
    let posts = app.webhook_posts("cidG").await;
    assert!(
        message_text(&posts[2]).contains("只 @ 一位同事"),
        "{posts:?}"
    );
}

async fn dingtalk_org_admins_gain_nothing_unless_configured(app: TestApp) {
    let mut body = app.direct("boss", "incidents");
    body["isAdmin"] = json!(true);
    app.post(&body).await;
    app.state.settle().await;
    let posts = app.webhook_posts("cid-boss").await;
    assert!(message_text(&posts[0]).contains("仅限管理员和人事"));
    let app = app
        .reconfigure(|c| c.dingtalk_admins_are_admins = true)
        .await;
    let mut body = app.direct("boss", "incidents");
    body["isAdmin"] = json!(true);
    app.post(&body).await;
    app.state.settle().await;
    let posts = app.webhook_posts("cid-boss").await;
    assert!(message_text(&posts[1]).contains("安全事件"), "{posts:?}");
    let grants = app.audit_entries().await;
    assert!(grants.contains(&("dingtalk".into(), "role.grant".into(), "boss".into())));
    // No longer an org admin: the role that flag gave goes again.
    assert!(app.say_text("boss", "incidents").await.contains("仅限"));
    let source: Option<String> =
        sqlx::query_scalar("SELECT source FROM user_roles WHERE staff_id = 'boss'")
            .fetch_optional(app.store.pool())
            .await
            .unwrap();
    assert_eq!(source, None);
}

async fn configured_roles_follow_the_configuration(app: TestApp) {
    let now = app.now().timestamp_millis();
    let admins = vec!["admin2".to_owned()];
    app.store.bootstrap_roles(&admins, &[], now).await.unwrap();
    let roles: Vec<(String, String)> =
        sqlx::query_as("SELECT staff_id, role FROM user_roles ORDER BY staff_id, role")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    assert_eq!(roles, vec![("admin2".to_owned(), "admin".to_owned())]);
    // An empty list never removes the last administrator.
    app.store.bootstrap_roles(&[], &[], now).await.unwrap();
    assert_eq!(app.count("user_roles").await, 1);
    let revokes = app.audit_details("role.revoke").await;
    assert_eq!(revokes.len(), 2, "{revokes:?}");
    assert!(revokes.iter().all(|d| d["source"] == "config"));
}

async fn people_who_left_are_granted_nothing(app: TestApp) {
    app.seed_user("carol", "卡萝", None, None).await;
    sqlx::query("UPDATE users SET active = 0, left_at = 1 WHERE staff_id = 'carol'")
        .execute(app.store.pool())
        .await
        .unwrap();
    let grants = app.audit_details("role.grant").await.len();
    let before = (app.count("user_roles").await, app.outbox().await.len());
    let reply = app.say_confirmed("admin1", "role grant carol hr").await;
    assert!(reply.contains("carol 已离职，不能授予角色"), "{reply}");
    app.say("admin1", "lang en").await;
    let reply = app.say_confirmed("admin1", "role grant carol hr").await;
    assert!(reply.contains("carol has left the organisation"), "{reply}");
    assert_eq!(
        (app.count("user_roles").await, app.outbox().await.len()),
        before
    );
    assert_eq!(app.audit_details("role.grant").await.len(), grants);
}

dual_backend!(
    people_who_left_are_granted_nothing,
    every_admin_command_is_refused_for_an_employee,
    hr_is_refused_admin_commands_but_reads_reports,
    admins_grant_and_revoke_roles_and_the_last_admin_stays,
    roles_can_name_people_by_mention,
    dingtalk_org_admins_gain_nothing_unless_configured,
    configured_roles_follow_the_configuration,
);
