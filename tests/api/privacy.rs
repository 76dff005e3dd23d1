//! Private answers to private questions (issue 12 point 3): a report whose
//! answer names people or quotes what they wrote, asked in a group, answers
//! the group with one short line and the asker 1:1 through the outbox. Both
//! tests walk the catalogue, so a report added later is covered without
//! being listed here.

use dingwarden::commands::catalogue::CATALOGUE;
use dingwarden::commands::{Privacy, parse};

use crate::dual_backend;
use crate::helpers::{TestApp, message_text};

/// Someone whose name, incident and feedback no group may read.
const CANARY_NAME: &str = "王小明";
const CANARY_INCIDENT: &str = "可疑U盘插在前台电脑上";
const CANARY_FEEDBACK: &str = "测验题目太难了";

async fn canary(app: &TestApp) {
    app.seed_user("canary", CANARY_NAME, Some("总部/财务部"), None)
        .await;
    // Long past their password's due date, so `password status` names them.
    sqlx::query("UPDATE users SET password_changed_at = $1 WHERE staff_id = 'canary'")
        .bind(app.now().timestamp_millis() - 400 * 86_400_000)
        .execute(app.store.pool())
        .await
        .unwrap();
    app.say("canary", &format!("上报 {CANARY_INCIDENT}")).await;
    app.say("canary", &format!("反馈 {CANARY_FEEDBACK}")).await;
    for n in 1..=3 {
        app.say("admin1", &format!("notice new 通知{n}\n请阅读。"))
            .await;
        app.say("admin1", &format!("notice send {n} to all")).await;
    }
}

/// The catalogue's commands whose answers are private, by their first example.
fn personal() -> Vec<(&'static str, &'static str)> {
    CATALOGUE
        .iter()
        .filter(|s| parse(s.examples[0]).unwrap().privacy() == Privacy::Personal)
        .map(|s| (s.name, s.examples[0]))
        .collect()
}

/// Says `text` as `staff_id` in group `cidG`; returns what the group got.
async fn in_group(app: &TestApp, staff_id: &str, text: &str) -> Vec<String> {
    let before = app.webhook_posts("cidG").await.len();
    app.post(&app.group(staff_id, "cidG", text)).await;
    app.state.settle().await;
    app.webhook_posts("cidG")
        .await
        .split_off(before)
        .iter()
        .map(message_text)
        .collect()
}

/// The newest outbox rows to `staff_id` alone, after `from` rows.
async fn direct_to(app: &TestApp, staff_id: &str, from: usize) -> Vec<String> {
    app.outbox()
        .await
        .split_off(from)
        .into_iter()
        .filter(|r| r.channel == "direct" && r.recipients == [staff_id])
        .map(|r| r.text())
        .collect()
}

async fn reports_asked_in_a_group_go_to_the_asker_privately(app: TestApp) {
    canary(&app).await;
    let reports = personal();
    let names: Vec<&str> = reports.iter().map(|r| r.0).collect();
    for name in [
        "notice status",
        "notices",
        "password status",
        "incidents",
        "feedback list",
        "quiz stats",
        "me",
    ] {
        assert!(names.contains(&name), "{name} is not private: {names:?}");
    }
    for (name, example) in &reports {
        let from = app.outbox().await.len();
        let group = in_group(&app, "admin1", example).await;
        assert_eq!(group, vec!["已私信发给你。"], "{name}");
        let private = direct_to(&app, "admin1", from).await;
        assert_eq!(private.len(), 1, "{name}: {private:?}");
        assert!(!private[0].contains("私信"), "{name}: {private:?}");
    }
    // What the admin got privately is the full answer.
    let from = app.outbox().await.len();
    in_group(&app, "admin1", "incidents").await;
    let full = direct_to(&app, "admin1", from).await.join("\n");
    assert!(
        full.contains(CANARY_INCIDENT) && full.contains(CANARY_NAME),
        "{full}"
    );
    // It is delivered 1:1 through the OpenAPI.
    app.drain().await;
    assert!(
        app.dm_texts("admin1")
            .iter()
            .any(|t| t.contains(CANARY_INCIDENT)),
        "{:?}",
        app.dm_texts("admin1")
    );
    // HR too, in English.
    app.say("hr1", "lang en").await;
    let group = in_group(&app, "hr1", "notice status 1").await;
    assert_eq!(group, vec!["Sent to you in a direct message."]);
    // Asked 1:1, the answer comes straight back; nothing is queued.
    let from = app.outbox().await.len();
    let direct = app.say_text("admin1", "feedback list").await;
    assert!(direct.contains(CANARY_FEEDBACK), "{direct}");
    assert!(direct_to(&app, "admin1", from).await.is_empty());
    // Refusals and answers that name nobody stay in the group.
    let refused = in_group(&app, "admin1", "notice status 99").await;
    assert!(refused[0].contains("#99"), "{refused:?}");
    let help = in_group(&app, "admin1", "help").await;
    assert!(help[0].contains("通知"), "{help:?}");
    // An employee refused a report is refused in the group, as before.
    let emp = in_group(&app, "canary", "incidents").await;
    assert!(emp[0].contains("仅限管理员和人事"), "{emp:?}");
}

async fn no_group_answer_names_anyone_else(app: TestApp) {
    canary(&app).await;
    let mut seen = Vec::new();
    for spec in CATALOGUE {
        for example in spec.examples {
            for text in in_group(&app, "admin1", example).await {
                seen.push((spec.name, example, text));
            }
        }
        app.say("admin1", "lang zh").await;
    }
    assert!(seen.len() > 50, "{}", seen.len());
    for (name, example, text) in &seen {
        for secret in ["canary", CANARY_NAME, CANARY_INCIDENT, CANARY_FEEDBACK] {
            assert!(
                !text.contains(secret),
                "{name} ({example:?}) told the group {secret:?}: {text}"
            );
        }
    }
}

dual_backend!(
    reports_asked_in_a_group_go_to_the_asker_privately,
    no_group_answer_names_anyone_else,
);
