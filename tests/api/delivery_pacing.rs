//! Delivery rate limits with moved time: a custom robot's twenty a minute,
//! the OpenAPI sends per second with replies ahead of bulk, and the dev sink
//! fed through the same governor.

use chrono::Duration;
use dingwarden::store::outbox::{Channel, Priority};
use serde_json::Value;

use crate::delivery::{BATCH, dm, enqueue, row_state};
use crate::dual_backend;
use crate::helpers::TestApp;

async fn a_custom_robot_sends_twenty_a_minute(app: TestApp) {
    let secret = "SEC9d1c6a4f2e8b7a0c3d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8";
    let app = app
        .reconfigure(|c| {
            // Claim four rows at a time: blocked robot rows must not hold others back.
            c.delivery.concurrency = 1;
            c.delivery.custom_robots = vec![dingwarden::config::CustomRobot {
                name: "ops".into(),
                access_token: "robot-token".to_owned().into(),
                secret: Some(secret.to_owned().into()),
            }];
        })
        .await;
    app.dingtalk.add_robot("robot-token", Some(secret));
    for i in 0..25 {
        enqueue(
            &app,
            Channel::CustomRobot,
            &["ops"],
            &format!("alert {i}"),
            Priority::Normal,
        )
        .await;
    }
    let unknown = enqueue(
        &app,
        Channel::CustomRobot,
        &["nobody"],
        "x",
        Priority::Normal,
    )
    .await;
    let r = app.drain().await;
    assert_eq!((r.sent, r.dead), (20, 1));
    assert!(
        row_state(&app, unknown)
            .await
            .2
            .contains("no custom robot named")
    );
    app.advance(Duration::seconds(30));
    assert_eq!(app.drain().await.sent, 0);
    app.advance(Duration::seconds(30));
    assert_eq!(app.drain().await.sent, 5);
    let sent = app.requests_to("/robot/send").await;
    assert_eq!(sent.len(), 25, "the fake never had to refuse one");
    assert_eq!(app.dingtalk.accepted().len(), 25);
    for r in &sent {
        let q = r.url.query().unwrap();
        assert!(q.contains("timestamp=") && q.contains("&sign="), "{q}");
        let body: Value = r.body_json().unwrap();
        assert!(
            body["msgUuid"]
                .as_str()
                .unwrap()
                .starts_with("dingwarden-outbox-")
        );
    }
}

async fn openapi_sends_are_spread_and_replies_go_first(app: TestApp) {
    let app = app.reconfigure(|c| c.delivery.openapi_qps = 5).await;
    for i in 0..12 {
        enqueue(
            &app,
            Channel::Direct,
            &[&format!("b{i}")],
            "bulk",
            Priority::Bulk,
        )
        .await;
    }
    enqueue(
        &app,
        Channel::Direct,
        &["chatter"],
        "reply",
        Priority::Reply,
    )
    .await;
    assert_eq!(app.drain().await.sent, 5);
    assert_eq!(app.dm_texts("chatter"), vec!["reply"]);
    assert_eq!(app.drain().await.sent, 0);
    app.advance(Duration::seconds(1));
    assert_eq!(app.drain().await.sent, 5);
    app.advance(Duration::seconds(1));
    assert_eq!(app.drain().await.sent, 3);
    assert_eq!(app.requests_to(BATCH).await.len(), 13);
}

async fn the_dev_sink_gets_openapi_sends_through_the_governor(app: TestApp) {
    let app = app
        .reconfigure(|c| {
            c.dev = true;
            c.delivery.openapi_qps = 2;
        })
        .await;
    for i in 0..3 {
        dm(&app, &["alice"], &format!("hi {i}")).await;
    }
    assert_eq!(app.drain().await.sent, 2);
    app.advance(Duration::seconds(1));
    assert_eq!(app.drain().await.sent, 1);
    let sink = app.state.dev_sink.as_ref().unwrap();
    let got = sink.since(0, Some("alice"));
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].channel, "direct");
    assert!(app.fake.received_requests().await.unwrap().is_empty());
}

dual_backend!(
    a_custom_robot_sends_twenty_a_minute,
    openapi_sends_are_spread_and_replies_go_first,
    the_dev_sink_gets_openapi_sends_through_the_governor,
);
