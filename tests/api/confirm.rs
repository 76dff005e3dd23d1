//! Confirmation before what changes someone's power (issue 12 point 2):
//! `role grant`, `role revoke` and `offboard` do nothing until the same
//! person, in the same conversation, within five minutes, sends the one-time
//! code; the wrong person, conversation or code, an expired or reused code,
//! and too many wrong codes change nothing and say so.

use chrono::Duration;
use serde_json::json;

use crate::dual_backend;
use crate::helpers::{TestApp, confirmation_code, message_text};

/// A second administrator and an employee on the roster.
async fn roster(app: &TestApp) {
    app.seed_user("admin2", "二号管理员", None, None).await;
    app.seed_user("u2", "李四", Some("总部/研发部"), Some("admin2"))
        .await;
    sqlx::query(
        "INSERT INTO user_roles (staff_id, role, granted_at) VALUES ('admin2', 'admin', 0)",
    )
    .execute(app.store.pool())
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

/// The audit actions after the start-up grants, in order.
async fn trail(app: &TestApp) -> Vec<String> {
    app.audit_entries()
        .await
        .into_iter()
        .skip(2)
        .map(|e| e.1)
        .collect()
}

async fn a_grant_waits_for_its_code_from_the_same_person_and_chat(app: TestApp) {
    roster(&app).await;
    let asked = app.say_text("admin1", "role grant u2 hr").await;
    assert!(
        asked.starts_with("将授予 李四（u2）「人事」角色。"),
        "{asked}"
    );
    assert!(asked.contains("5 分钟内"), "{asked}");
    let code = confirmation_code(&asked).expect("a code");
    assert_eq!(code.len(), 6, "{code}");
    assert!(
        code.chars()
            .all(|c| "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".contains(c)),
        "{code}"
    );
    // Nothing changed yet, and the code is not in the database.
    assert!(roles_of(&app, "u2").await.is_empty());
    assert!(app.outbox().await.is_empty());
    let stored: Vec<(String, String, String)> =
        sqlx::query_as("SELECT venue, request, code_hash FROM confirmations")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(
        !format!("{stored:?}").contains(&code),
        "{stored:?} holds {code}"
    );
    assert_eq!(stored[0].0, "chat:cid-admin1");
    let requested = app.audit_details("role.grant.requested").await;
    assert_eq!(requested[0]["role"], "hr");
    assert_eq!(requested[0]["venue"], "chat");

    // Someone else with the same code, the same person elsewhere, a wrong code.
    let other = app.say_text("admin2", &format!("confirm {code}")).await;
    assert!(other.contains("确认码不对"), "{other}");
    app.post(&app.group("admin1", "cidG", &format!("确认执行 {code}")))
        .await;
    app.state.settle().await;
    let group = message_text(&app.webhook_posts("cidG").await[0]);
    assert!(group.contains("确认码不对"), "{group}");
    let wrong = app.say_text("admin1", "确认执行 ABCDEF").await;
    assert!(
        wrong.contains("确认码不对") && wrong.contains("未执行任何操作"),
        "{wrong}"
    );
    assert!(roles_of(&app, "u2").await.is_empty());
    assert!(app.outbox().await.is_empty());

    // `确认` alone is still the acknowledgement, and says nothing of codes.
    let ack = app.say_text("admin1", "确认").await;
    assert!(!ack.contains("确认码"), "{ack}");

    // The right code, typed in lower case and glued to the command.
    let done = app
        .say_text("admin1", &format!("确认执行{}", code.to_lowercase()))
        .await;
    assert!(done.contains("已授予 李四（u2）「人事」角色"), "{done}");
    assert_eq!(roles_of(&app, "u2").await, vec!["hr"]);
    assert_eq!(app.outbox().await[0].recipients, vec!["u2"]);
    // Once only.
    let again = app.say_text("admin1", &format!("confirm {code}")).await;
    assert!(again.contains("已经用过了"), "{again}");
    // Two grants from the configuration at start, and this one.
    assert_eq!(app.audit_details("role.grant").await.len(), 3);
    assert_eq!(
        trail(&app).await,
        vec![
            "role.grant.requested",
            "confirmation.rejected",
            "confirmation.rejected",
            "confirmation.rejected",
            "role.grant.confirmed",
            "role.grant",
            "confirmation.rejected",
        ]
    );
    let reasons: Vec<_> = app
        .audit_details("confirmation.rejected")
        .await
        .into_iter()
        .map(|d| d["reason"].clone())
        .collect();
    assert_eq!(
        reasons,
        vec![
            json!("wrong"),
            json!("wrong"),
            json!("wrong"),
            json!("used")
        ]
    );
}

async fn an_expired_code_changes_nothing(app: TestApp) {
    roster(&app).await;
    let asked = app.say_text("admin1", "role revoke admin2 admin").await;
    assert!(
        asked.starts_with("将撤销 二号管理员（admin2）的「管理员」角色。"),
        "{asked}"
    );
    let code = confirmation_code(&asked).unwrap();
    app.advance(Duration::minutes(5));
    let late = app.say_text("admin1", &format!("confirm {code}")).await;
    assert!(
        late.contains("已过期") && late.contains("未执行任何操作"),
        "{late}"
    );
    assert_eq!(roles_of(&app, "admin2").await, vec!["admin"]);
    // Just inside the five minutes, a new request goes through, in English too.
    app.say("admin1", "lang en").await;
    let asked = app.say_text("admin1", "role revoke admin2 admin").await;
    assert!(
        asked.starts_with("This will take the administrator role away from 二号管理员 (admin2)."),
        "{asked}"
    );
    assert!(asked.contains("\nconfirm "), "{asked}");
    let code = confirmation_code(&asked).unwrap();
    app.advance(Duration::seconds(299));
    let done = app.say_text("admin1", &format!("confirm {code}")).await;
    assert!(
        done.contains("no longer has the administrator role"),
        "{done}"
    );
    assert!(roles_of(&app, "admin2").await.is_empty());
}

async fn too_many_wrong_codes_void_what_waits(app: TestApp) {
    roster(&app).await;
    let asked = app.say_text("admin1", "role grant u2 admin").await;
    let code = confirmation_code(&asked).unwrap();
    for n in 1..=5 {
        let wrong = app.say_text("admin1", "confirm 222222").await;
        assert_eq!(wrong.contains("已作废"), n == 5, "{n}: {wrong}");
    }
    let late = app.say_text("admin1", &format!("confirm {code}")).await;
    assert!(
        late.contains("已作废") && late.contains("未执行任何操作"),
        "{late}"
    );
    assert!(roles_of(&app, "u2").await.is_empty());
    // A fresh request works again.
    let done = app.say_confirmed("admin1", "role grant u2 admin").await;
    assert!(done.contains("已授予"), "{done}");
}

async fn offboarding_waits_for_its_code(app: TestApp) {
    roster(&app).await;
    let asked = app.say_text("admin1", "离职 u2").await;
    assert!(asked.starts_with("将为 李四（u2）发起离职流程"), "{asked}");
    assert_eq!(app.count("notices").await, 0);
    let leaving: Option<i64> =
        sqlx::query_scalar("SELECT leaving_at FROM users WHERE staff_id = 'u2'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(leaving, None);
    assert_eq!(app.audit_details("offboard.requested").await.len(), 1);
    let code = confirmation_code(&asked).unwrap();
    // Another admin cannot carry it out for them.
    let other = app.say_text("admin2", &format!("确认执行 {code}")).await;
    assert!(other.contains("确认码不对"), "{other}");
    assert_eq!(app.count("notices").await, 0);
    let done = app.say_text("admin1", &format!("确认执行 {code}")).await;
    assert!(done.contains("已为 李四 发起离职流程"), "{done}");
    assert!(app.count("notices").await >= 2);
    let actions = trail(&app).await;
    let at = |a: &str| actions.iter().position(|x| x == a).unwrap();
    assert!(at("offboard.requested") < at("offboard.confirmed"));
    assert!(at("offboard.confirmed") < at("offboard.start"));
}

async fn a_tapped_link_can_ask_but_not_confirm(app: TestApp) {
    roster(&app).await;
    // What a `dtmd://…sendMessage?content=role grant u999 admin` link sends
    // as the admin who taps it: a request, and nothing else.
    app.seed_user("u999", "外人", None, None).await;
    let asked = app.say_text("admin1", "role grant u999 admin").await;
    assert!(asked.contains("将授予"), "{asked}");
    // A second link can only guess.
    let guessed = app.say_text("admin1", "confirm K7M2QX").await;
    assert!(guessed.contains("确认码不对"), "{guessed}");
    assert!(roles_of(&app, "u999").await.is_empty());
}

async fn the_confirmer_must_still_hold_the_role(app: TestApp) {
    roster(&app).await;
    let asked = app.say_text("admin2", "role grant u2 hr").await;
    let code = confirmation_code(&asked).unwrap();
    let revoked = app
        .say_confirmed("admin1", "role revoke admin2 admin")
        .await;
    assert!(revoked.contains("已撤销"), "{revoked}");
    let late = app.say_text("admin2", &format!("confirm {code}")).await;
    assert!(
        late.contains("仅限管理员使用") && late.contains("未执行"),
        "{late}"
    );
    assert!(roles_of(&app, "u2").await.is_empty());
    // An employee who types a code is told it matches nothing.
    let emp = app.say_text("u2", &format!("confirm {code}")).await;
    assert!(emp.contains("确认码不对"), "{emp}");
    // Requests that could not succeed hand out no code at all.
    let refused = app.say_text("admin1", "role grant ghost hr").await;
    assert!(confirmation_code(&refused).is_none(), "{refused}");
    assert_eq!(app.audit_details("role.grant.requested").await.len(), 1);
}

dual_backend!(
    a_grant_waits_for_its_code_from_the_same_person_and_chat,
    an_expired_code_changes_nothing,
    too_many_wrong_codes_void_what_waits,
    offboarding_waits_for_its_code,
    a_tapped_link_can_ask_but_not_confirm,
    the_confirmer_must_still_hold_the_role,
);
