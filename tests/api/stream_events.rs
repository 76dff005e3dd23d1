//! Organisation events over the Stream: applied once through the same
//! claim-and-apply transaction as HTTP pushes, acked `SUCCESS` once applied
//! and `LATER` when applying failed, then applied on redelivery.

use serde_json::{Value, json};

use crate::dual_backend;
use crate::fake_gateway::Conn;
use crate::helpers::TestApp;
use crate::stream::{ACK_WITHIN, streaming};

async fn event_status(conn: &mut Conn, id: &str) -> String {
    let ack = conn.ack(id, ACK_WITHIN).await;
    assert_eq!(ack["code"], 200, "{ack}");
    let data: Value = serde_json::from_str(ack["data"].as_str().unwrap()).unwrap();
    data["status"].as_str().unwrap().to_owned()
}

async fn active(app: &TestApp, staff_id: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT active FROM users WHERE staff_id = $1")
        .bind(staff_id)
        .fetch_optional(app.store.pool())
        .await
        .unwrap()
}

async fn events_are_applied_once_and_acked_success_or_later(app: TestApp) {
    let s = streaming(app, |_| {}).await;
    s.app
        .seed_user("u-leaver", "离职者", Some("总部"), None)
        .await;
    s.app
        .seed_user("u-stays", "留任者", Some("总部"), None)
        .await;
    let mut conn = s.connection().await;
    let leave = json!({"timeStamp": "1685501863357", "userId": ["u-leaver"]});
    // Applying fails: LATER, and no claim is left behind.
    s.app.fail_user_updates(true).await;
    let id = conn.event("user_leave_org", "ev-1", &leave).await;
    assert_eq!(event_status(&mut conn, &id).await, "LATER");
    assert_eq!(active(&s.app, "u-leaver").await, Some(1));
    s.app.fail_user_updates(false).await;
    // The redelivery applies it; a second one changes nothing.
    for _ in 0..2 {
        let id = conn.event("user_leave_org", "ev-1", &leave).await;
        assert_eq!(event_status(&mut conn, &id).await, "SUCCESS");
    }
    assert_eq!(active(&s.app, "u-leaver").await, Some(0));
    assert_eq!(active(&s.app, "u-stays").await, Some(1));
    let joined = json!({"timeStamp": "1685501863400", "userId": ["u-new"]});
    let id = conn.event("user_add_org", "ev-2", &joined).await;
    assert_eq!(event_status(&mut conn, &id).await, "SUCCESS");
    let id = conn.event("user_add_org", "ev-2", &joined).await;
    assert_eq!(event_status(&mut conn, &id).await, "SUCCESS");
    assert_eq!(active(&s.app, "u-new").await, Some(1));
    let id = conn
        .event("chat_update_title", "ev-3", &json!({"chatId": "c"}))
        .await;
    assert_eq!(event_status(&mut conn, &id).await, "SUCCESS");
    let audit = s.app.audit_entries().await;
    let count = |action: &str| audit.iter().filter(|(_, a, _)| a == action).count();
    assert_eq!((count("roster.left"), count("roster.joined")), (1, 1));
    assert_eq!(
        s.metric("dingwarden_org_events_total{outcome=\"duplicate\"}")
            .await,
        2.0
    );
    assert_eq!(
        s.metric("dingwarden_org_events_total{outcome=\"ignored\"}")
            .await,
        1.0
    );
    s.stop().await;
}

dual_backend!(events_are_applied_once_and_acked_success_or_later);
