//! Leavers hold no power: whoever has left (DingTalk's `user_leave_org`, a
//! roster import or sync, a completed offboarding) is an employee without
//! roles from that moment; their roles are suspended and audited, and a
//! return does not bring chat-granted roles back.

use serde_json::json;

use crate::dual_backend;
use crate::helpers::TestApp;

const REFUSED: &str = "仅限管理员";

/// What `user_leave_org` (`left`) or `user_add_org` applies, in one
/// transaction (the action the event endpoint and Stream ingress call).
async fn org_event(app: &TestApp, left: bool, staff_id: &str) {
    use dingwarden::domain::org_event::{OrgChange, OrgEvent};
    let (change, event_type) = if left {
        (OrgChange::Left, "user_leave_org")
    } else {
        (OrgChange::Joined, "user_add_org")
    };
    let event = OrgEvent {
        key: format!("event:{event_type}-{staff_id}"),
        event_type: event_type.to_owned(),
        change,
        user_ids: vec![staff_id.to_owned()],
    };
    let ctx = dingwarden::actions::Ctx::new(
        &app.store,
        &app.state.config,
        app.now(),
        dingwarden::actions::Actor::System("dingtalk"),
    );
    dingwarden::actions::roster::apply_org_event(&ctx, &event)
        .await
        .unwrap();
}

async fn roles_of(app: &TestApp, staff_id: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT role FROM user_roles WHERE staff_id = $1 ORDER BY role")
        .bind(staff_id)
        .fetch_all(app.store.pool())
        .await
        .unwrap()
}

async fn a_leaver_with_the_hr_role_can_no_longer_read_reports(app: TestApp) {
    app.seed_user("alice", "爱丽丝", None, None).await;
    app.say_confirmed("admin1", "role grant alice hr").await;
    assert!(
        app.say_text("alice", "incidents")
            .await
            .contains("安全事件")
    );
    org_event(&app, true, "alice").await;
    for cmd in ["incidents", "password status", "notices", "quiz stats"] {
        let reply = app.say_text("alice", cmd).await;
        assert!(reply.contains("仅限管理员和人事"), "{cmd}: {reply}");
    }
    assert!(roles_of(&app, "alice").await.is_empty());
    let suspended = app.audit_details("role.suspend").await;
    assert_eq!(
        suspended,
        vec![json!({"role": "hr", "source": "chat", "via": "event"})]
    );
    // Back in the organisation, without the role granted in chat.
    org_event(&app, false, "alice").await;
    assert!(
        app.say_text("alice", "incidents")
            .await
            .contains("仅限管理员和人事")
    );
    assert!(roles_of(&app, "alice").await.is_empty());
}

async fn an_import_that_marks_an_admin_as_left_suspends_the_role(app: TestApp) {
    app.seed_user("bob", "Bob", None, None).await;
    app.say_confirmed("admin1", "role grant bob admin").await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("r.csv");
    std::fs::write(
        &csv,
        "staff_id,name,role,active\nbob,Bob,admin,false\nadmin1,A,,true\n",
    )
    .unwrap();
    let path = csv.display().to_string();
    // One of two active users leaving needs --allow-leavers (issue 18.4).
    let run = app.cli(&["roster", "import", &path], &[]).await;
    assert!(
        !run.ok && run.stderr.contains("--allow-leavers 1"),
        "{run:?}"
    );
    let args = ["roster", "import", &path, "--allow-leavers", "1"];
    let run = app.cli(&args, &[]).await;
    assert!(run.ok, "{run:?}");
    assert!(
        roles_of(&app, "bob").await.is_empty(),
        "no role for a leaver, not even from the file"
    );
    assert!(
        app.say_confirmed("bob", "role grant bob admin")
            .await
            .contains(REFUSED)
    );
    let suspended = app.audit_details("role.suspend").await;
    assert_eq!(
        suspended,
        vec![json!({"role": "admin", "source": "chat", "via": "import"})]
    );
    // Listed again as active with the role: the import grants it again.
    std::fs::write(
        &csv,
        "staff_id,name,role,active\nbob,Bob,admin,true\nadmin1,A,,true\n",
    )
    .unwrap();
    let run = app
        .cli(&["roster", "import", &csv.display().to_string()], &[])
        .await;
    assert!(run.ok, "{run:?}");
    assert_eq!(roles_of(&app, "bob").await, vec!["admin"]);
}

async fn completing_an_offboarding_takes_every_role(app: TestApp) {
    app.seed_user("carol", "Carol", None, None).await;
    app.say_confirmed("admin1", "role grant carol admin").await;
    app.say_confirmed("admin1", "offboard carol").await;
    // Still working through her checklist: still an admin.
    assert!(
        app.say_text("carol", "incidents")
            .await
            .contains("安全事件")
    );
    let reply = app.say_text("admin1", "notice close 1").await;
    assert!(!reply.contains("离职流程已完成"), "her own notice: {reply}");
    let reply = app.say_text("admin1", "notice close 2").await;
    assert!(reply.contains("离职流程已完成"), "{reply}");
    assert!(app.say_text("carol", "incidents").await.contains(REFUSED));
    let suspended = app.audit_details("role.suspend").await;
    assert_eq!(
        suspended,
        vec![json!({"role": "admin", "source": "chat", "via": "offboarding"})]
    );
    let left: i64 = sqlx::query_scalar("SELECT active FROM users WHERE staff_id = 'carol'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(left, 0);
}

async fn the_last_admin_guard_counts_only_active_admins(app: TestApp) {
    app.seed_user("dave", "Dave", None, None).await;
    app.say_confirmed("admin1", "role grant dave admin").await;
    // Dave left, but a role row survived (a configured role granted again at start).
    sqlx::query("UPDATE users SET active = 0 WHERE staff_id = 'dave'")
        .execute(app.store.pool())
        .await
        .unwrap();
    assert!(app.say_text("dave", "incidents").await.contains(REFUSED));
    let reply = app
        .say_confirmed("admin1", "role revoke admin1 admin")
        .await;
    assert!(reply.contains("最后一位管理员"), "{reply}");
    assert_eq!(roles_of(&app, "admin1").await, vec!["admin"]);
}

async fn the_last_admin_cannot_complete_their_own_offboarding(app: TestApp) {
    app.say_confirmed("admin1", "offboard admin1").await;
    let reply = app.say_text("admin1", "notice close 2").await;
    assert!(reply.contains("最后一位管理员"), "{reply}");
    assert_eq!(roles_of(&app, "admin1").await, vec!["admin"]);
    assert!(app.audit_details("role.suspend").await.is_empty());
    // Refused as a whole: the checklist is still open.
    let status = app.say_text("admin1", "notice status 2").await;
    assert!(!status.contains("已关闭"), "{status}");
    // With a second administrator, the same close completes it.
    app.seed_user("erin", "Erin", None, None).await;
    app.say_confirmed("admin1", "role grant erin admin").await;
    let reply = app.say_text("admin1", "notice close 2").await;
    assert!(reply.contains("离职流程已完成"), "{reply}");
    assert!(roles_of(&app, "admin1").await.is_empty());
}

dual_backend!(
    a_leaver_with_the_hr_role_can_no_longer_read_reports,
    an_import_that_marks_an_admin_as_left_suspends_the_role,
    completing_an_offboarding_takes_every_role,
    the_last_admin_guard_counts_only_active_admins,
    the_last_admin_cannot_complete_their_own_offboarding,
);
