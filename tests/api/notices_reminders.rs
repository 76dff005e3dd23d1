//! Notice reminders over moved time: quiet hours hold them until morning,
//! people who left are neither reminded nor escalated, a crash between
//! enqueue and delivery loses nothing, and two replicas never remind twice.

use std::collections::BTreeSet;

use chrono::Duration;
use dingwarden::AppState;
use dingwarden::store::Store;
use dingwarden::store::delivered::{on_delivered, on_undeliverable};
use dingwarden::store::outbox::Reference;

use crate::dual_backend;
use crate::helpers::{TestApp, t0};
use crate::notices::{EXIT, deliver_all, keys, local, notice_rows, recipient_i64, roster};

async fn quiet_hours_hold_reminders_until_morning(app: TestApp) {
    roster(&app).await;
    app.say("admin1", "notice new 演练\n请确认。\n截止: 2026-12-10")
        .await;
    app.say("admin1", "notice send 1 to users u1,u2").await;
    app.clock.set(local(1, 22, 0));
    app.tick().await;
    app.clock.set(local(2, 7, 59));
    app.tick().await;
    assert_eq!(notice_rows(&app).await.len(), 1);
    app.clock.set(local(2, 8, 0));
    app.tick().await;
    let rows = notice_rows(&app).await;
    assert_eq!(keys(&rows), vec!["notice:1:remind:1:zh"]);

    // An admin's reminder during quiet hours waits for the morning.
    app.clock.set(local(2, 22, 30));
    let reply = app.say_text("admin1", "notice remind 1").await;
    assert!(
        reply.contains("免打扰") && reply.contains("2026-12-03 08:00"),
        "{reply}"
    );
    let due: i64 = sqlx::query_scalar("SELECT MAX(next_attempt_at) FROM outbox")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(due, local(3, 8, 0).timestamp_millis());
    assert_eq!(
        recipient_i64(&app, 1, "u1", "reminders_sent").await,
        Some(2)
    );
}

async fn people_who_left_count_as_left(app: TestApp) {
    roster(&app).await;
    app.say("admin1", EXIT).await;
    app.say("admin1", "notice send 1 to users u1,u2,u3").await;
    app.say("u1", "ack 1").await;
    for who in ["u1", "u3"] {
        sqlx::query("UPDATE users SET active = 0, left_at = $1 WHERE staff_id = $2")
            .bind(app.now().timestamp_millis())
            .bind(who)
            .execute(app.store.pool())
            .await
            .unwrap();
    }
    let status = app.say_text("admin1", "notice status 1").await;
    assert!(status.contains("已确认 1/3（33%）"), "{status}");
    assert!(status.contains("待确认 1 · 逾期 0 · 已离职 1"), "{status}");
    assert!(!status.contains("王五"), "{status}");

    app.advance(Duration::hours(24));
    app.tick().await;
    assert_eq!(notice_rows(&app).await[1].recipients, vec!["u2"]);
    app.clock.set(local(3, 9, 0));
    app.tick().await;
    let rows = notice_rows(&app).await;
    assert!(rows.iter().any(|r| r.recipients == ["m1"]));
    assert!(!rows.iter().any(|r| r.recipients == ["m2"]), "{rows:#?}");
    let summary = rows.iter().find(|r| r.text().contains("截止汇总")).unwrap();
    assert!(summary.text().contains("已离职 1"), "{}", summary.text());
}

async fn a_crash_between_enqueue_and_delivery_loses_nothing(app: TestApp) {
    app.seed_user("admin1", "管理员", None, None).await;
    for i in 1..=45 {
        app.seed_user(
            &format!("w{i:02}"),
            &format!("工人{i}"),
            Some("总部/工厂"),
            None,
        )
        .await;
    }
    app.say("admin1", "notice new 安全演练\n请确认。").await;
    let reply = app.say_text("admin1", "notice send 1 to dept 工厂").await;
    assert!(reply.contains("已发送给 45 人"), "{reply}");
    // The process dies before the worker delivers anything.
    let app = app.restart().await;
    let rows = notice_rows(&app).await;
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r.status == "pending"));
    let sizes: Vec<usize> = rows.iter().map(|r| r.recipients.len()).collect();
    assert_eq!(sizes, vec![20, 20, 5]);
    let everyone: BTreeSet<&String> = rows.iter().flat_map(|r| &r.recipients).collect();
    assert_eq!(everyone.len(), 45);
    app.tick().await;
    app.advance(Duration::hours(1));
    app.tick().await;
    assert_eq!(notice_rows(&app).await.len(), 3);

    // Delivered later; a repeated batch changes nothing.
    assert_eq!(deliver_all(&app).await, 3);
    let first = recipient_i64(&app, 1, "w01", "delivered_at").await;
    app.advance(Duration::minutes(5));
    let mut tx = app.store.begin_write().await.unwrap();
    on_delivered(
        tx.conn(),
        Reference::Notice(1),
        &rows[0].recipients,
        app.now().timestamp_millis(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(recipient_i64(&app, 1, "w01", "delivered_at").await, first);
    // DingTalk refuses one of them as unknown: no reminders for them.
    let mut tx = app.store.begin_write().await.unwrap();
    let now = app.now().timestamp_millis();
    on_undeliverable(tx.conn(), Reference::Notice(1), &["w45".to_owned()], now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let status = app.say_text("admin1", "notice status 1").await;
    assert!(status.contains("已送达 45 · 无法送达 1"), "{status}");

    app.advance(Duration::hours(24));
    app.tick().await;
    app.tick().await;
    let rows = notice_rows(&app).await;
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[5].recipients.len(), 4, "w45 is not reminded");
    assert_eq!(
        keys(&rows),
        vec![
            "notice:1:remind:1:zh",
            "notice:1:remind:1:zh#1",
            "notice:1:remind:1:zh#2"
        ]
    );
}

async fn two_replicas_never_remind_twice(app: TestApp) {
    roster(&app).await;
    app.say("admin1", EXIT).await;
    app.say("admin1", "notice send 1 to all").await;
    let other_store = Store::open(&app.db.url()).await.unwrap();
    let other = AppState::new((*app.state.config).clone(), other_store, app.clock.clone()).unwrap();
    for at in [t0() + Duration::hours(24), local(3, 9, 0)] {
        app.clock.set(at);
        let (a, b) = tokio::join!(
            dingwarden::scheduler::tick(&app.state, at),
            dingwarden::scheduler::tick(&other, at)
        );
        a.unwrap();
        b.unwrap();
    }
    let rows = notice_rows(&app).await;
    let kinds: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.dedupe_key.as_deref())
        .map(|k| k.rsplit_once(':').unwrap().0)
        .collect();
    assert_eq!(
        kinds,
        vec![
            "notice:1:remind:1",
            "notice:1:escalate",
            "notice:1:escalate",
            "notice:1:summary"
        ]
    );
    assert_eq!(
        recipient_i64(&app, 1, "u2", "reminders_sent").await,
        Some(1)
    );
}

dual_backend!(
    quiet_hours_hold_reminders_until_morning,
    people_who_left_count_as_left,
    a_crash_between_enqueue_and_delivery_loses_nothing,
    two_replicas_never_remind_twice,
);
