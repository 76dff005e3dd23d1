//! Nothing lost, nothing doubled (issue 13.1), with real processes: a burst
//! of state-changing commands (acknowledgements, reports, feedback) from
//! many people to `dingwarden serve`, which is killed with SIGKILL the
//! moment the last 200 arrives and then started again: every effect is
//! present exactly once (database, audit log, outbox), and no conversation
//! got the same reply twice.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use dingwarden::store::inbox;
use tokio::task::JoinSet;

use crate::dual_backend;
use crate::helpers::{TestApp, message_text};

const SENDERS: usize = 24;

fn staff(i: usize) -> String {
    format!("s{i:02}")
}

/// Waits until the inbox has no row left to handle.
async fn inbox_drained(app: &TestApp) {
    let start = Instant::now();
    loop {
        let depth = inbox::depth(&app.store).await.unwrap();
        if depth == 0 {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(90),
            "{depth} messages never handled"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

/// A notice sent to every sender, to acknowledge in the burst.
async fn prepare(app: TestApp) -> TestApp {
    app.clock.set(chrono::Utc::now());
    let app = app.reconfigure(|c| c.quiet_hours = None).await;
    for i in 0..SENDERS {
        app.seed_user(&staff(i), &format!("员工{i}"), None, None)
            .await;
    }
    app.say("admin1", "notice new 演练通知\n请确认。").await;
    let all: Vec<String> = (0..SENDERS).map(staff).collect();
    let sent = app
        .say_text(
            "admin1",
            &format!("notice send 1 to users {}", all.join(",")),
        )
        .await;
    assert!(sent.contains(&SENDERS.to_string()), "{sent}");
    app
}

async fn a_burst_survives_sigkill_with_every_effect_once(app: TestApp) {
    let app = prepare(app).await;
    // Few handler slots, so the inbox holds plenty when the process dies.
    let env = [
        ("DINGWARDEN_INBOX_LEASE_SECS", "2"),
        ("DINGWARDEN_MAX_HANDLERS", "2"),
        ("DINGWARDEN_QUIET_HOURS", "off"),
    ];
    let serve = app.serve(&env).await;
    let client = reqwest::Client::new();
    let mut bodies = vec![];
    for i in 0..SENDERS {
        let s = staff(i);
        bodies.push(app.direct(&s, "确认 #1"));
        bodies.push(app.direct(&s, &format!("上报 演练 {s} 甲")));
        bodies.push(app.direct(&s, &format!("反馈 演练 {s} 乙")));
        bodies.push(app.direct(&s, &format!("上报 演练 {s} 丙")));
    }
    let sent = bodies.len();
    let mut posts = JoinSet::new();
    let url = serve.url.clone();
    for body in bodies {
        let (client, url) = (client.clone(), url.clone());
        posts.spawn(async move { post(&client, &url, &body).await });
    }
    let statuses = posts.join_all().await;
    serve.kill();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let pending = inbox::depth(&app.store).await.unwrap();
    assert!(pending > 0, "the kill came after everything was handled");

    // Started again with the defaults: what was accepted is handled.
    let serve = app.serve(&[("DINGWARDEN_QUIET_HOURS", "off")]).await;
    inbox_drained(&app).await;
    serve.stop();
    effects_once(&app, sent).await;
}

/// Posts a callback signed now; the status (0 when nothing answered).
async fn post(client: &reqwest::Client, url: &str, body: &serde_json::Value) -> u16 {
    let ts = chrono::Utc::now().timestamp_millis().to_string();
    client
        .post(format!("{url}/dingtalk/robot"))
        .header("timestamp", &ts)
        .header(
            "sign",
            dingwarden::dingtalk::signature::sign(crate::helpers::SECRET, &ts),
        )
        .json(body)
        .send()
        .await
        .map_or(0, |r| r.status().as_u16())
}

async fn effects_once(app: &TestApp, sent: usize) {
    let n = SENDERS as i64;
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM incidents").await, 2 * n);
    assert_eq!(
        scalar(app, "SELECT COUNT(DISTINCT text) FROM incidents").await,
        2 * n
    );
    assert_eq!(scalar(app, "SELECT COUNT(*) FROM feedback").await, n);
    assert_eq!(
        scalar(app, "SELECT COUNT(DISTINCT text) FROM feedback").await,
        n
    );
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM notice_recipients WHERE acked_at IS NOT NULL"
        )
        .await,
        n
    );
    for (action, want) in [
        ("incident.report", 2 * n),
        ("feedback.submit", n),
        ("ack.record", n),
    ] {
        let got = scalar(
            app,
            &format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}'"),
        )
        .await;
        assert_eq!(got, want, "{action}");
    }
    // Admins are told of each incident once.
    let keys: Vec<String> = app
        .outbox()
        .await
        .into_iter()
        .filter_map(|r| r.dedupe_key)
        .filter(|k| k.starts_with("incident:"))
        .collect();
    let incidents: HashSet<&str> = keys.iter().filter_map(|k| k.split(':').nth(1)).collect();
    assert_eq!(incidents.len() as i64, 2 * n, "{keys:?}");
    assert_eq!(keys.iter().collect::<HashSet<_>>().len(), keys.len());
    assert_eq!(
        scalar(
            app,
            "SELECT COUNT(*) FROM inbound_messages WHERE command IS NOT NULL"
        )
        .await,
        0,
        "no text kept"
    );
    replies_once(app, sent).await;
}

/// No conversation got the same reply twice; at most the replies of the
/// runs in flight at the kill (committed, not yet posted) are missing.
async fn replies_once(app: &TestApp, sent: usize) {
    let mut total = 0;
    for i in 0..SENDERS {
        let texts: Vec<String> = app
            .webhook_posts(&format!("cid-{}", staff(i)))
            .await
            .iter()
            .map(message_text)
            .collect();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for t in &texts {
            *seen.entry(t.as_str()).or_default() += 1;
        }
        assert!(seen.values().all(|n| *n == 1), "a reply twice: {texts:?}");
        total += texts.len();
    }
    assert!(total <= sent && total + 2 >= sent, "{total} of {sent}");
}

dual_backend!(a_burst_survives_sigkill_with_every_effect_once);
