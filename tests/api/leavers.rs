//! Leavers hold no power: whoever has left (DingTalk's `user_leave_org`, a
//! roster import or sync, a completed offboarding) is an employee without
//! roles from that moment; their roles are suspended and audited, and a
//! return does not bring chat-granted roles back.

use serde_json::json;

use crate::dual_backend;
use crate::helpers::TestApp;

const REFUSED: &str = "仅限管理员";

/// What `user_leave_org` (`left`) or `user_add_org` applies, in one transaction.
async fn org_event(app: &TestApp, left: bool, staff_id: &str) {
    use dingwarden::store::users::{mark_joined, mark_left};
    let ids = [staff_id.to_owned()];
    let now = app.now().timestamp_millis();
    let mut tx = app.store.begin_write().await.unwrap();
    if left {
        mark_left(tx.conn(), &ids, now).await.unwrap();
    } else {
        mark_joined(tx.conn(), &ids, now).await.unwrap();
    }
    tx.commit().await.unwrap();
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
    app.say("admin1", "role grant alice hr").await;
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
    app.say("admin1", "role grant bob admin").await;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("r.csv");
    std::fs::write(
        &csv,
        "staff_id,name,role,active\nbob,Bob,admin,false\nadmin1,A,,true\n",
    )
    .unwrap();
    let run = app
        .cli(&["roster", "import", &csv.display().to_string()], &[])
        .await;
    assert!(run.ok, "{run:?}");
    assert!(
        roles_of(&app, "bob").await.is_empty(),
        "no role for a leaver, not even from the file"
    );
    assert!(
        app.say_text("bob", "role grant bob admin")
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
    app.say("admin1", "role grant carol admin").await;
    app.say("admin1", "offboard carol").await;
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
    app.say("admin1", "role grant dave admin").await;
    // Dave left, but a role row survived (a configured role granted again at start).
    sqlx::query("UPDATE users SET active = 0 WHERE staff_id = 'dave'")
        .execute(app.store.pool())
        .await
        .unwrap();
    assert!(app.say_text("dave", "incidents").await.contains(REFUSED));
    let reply = app.say_text("admin1", "role revoke admin1 admin").await;
    assert!(reply.contains("最后一位管理员"), "{reply}");
    assert_eq!(roles_of(&app, "admin1").await, vec!["admin"]);
}

dual_backend!(
    a_leaver_with_the_hr_role_can_no_longer_read_reports,
    an_import_that_marks_an_admin_as_left_suspends_the_role,
    completing_an_offboarding_takes_every_role,
    the_last_admin_guard_counts_only_active_admins,
);
