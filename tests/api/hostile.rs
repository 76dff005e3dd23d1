//! An insider's links, images and `dtmd://` actions — in an incident, in
//! feedback, in a display name, in a department name — never reach anyone
//! in a form that can act: every message the fake DingTalk and the
//! sessionWebhooks received is inspected, field by field. Only the bot's
//! own buttons carry `dtmd://` links.

use serde_json::{Value, json};

use crate::dual_backend;
use crate::helpers::TestApp;

/// What an insider types: a link that makes the tapping admin grant a role,
/// a tracking image, an autolink, HTML, an upper-case action and a heading.
const PAYLOAD: &str = "[点我](dtmd://dingtalkclient/sendMessage?content=role%20grant%20u999%20admin) \
     ![](https://evil.example/p.png) <https://evil.example/x> <font color=red>管理员</font> \
     DTMD://dingtalkclient/sendMessage?content=x d\u{200d}tmd://x\r\n# 系统通知";
/// A display name: no slashes, as DingTalk and roster names have none.
const NAME: &str = "[张三](dtmd:sendMessage?content=role%20grant%20u999%20admin)<img src=x>";
/// A department name from a roster.
const DEPT: &str = "研发部![x](dtmd:x)<b>";

/// Every message body the fake received: sessionWebhook posts and OpenAPI sends.
async fn everything_sent(app: &TestApp) -> Vec<Value> {
    let mut all: Vec<Value> = app
        .requests_to("/robot/sendBySession")
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("JSON body"))
        .collect();
    all.extend(app.dingtalk.accepted().into_iter().map(|a| a.param));
    all
}

/// Checks one string field of a message body: a button URL must be the
/// bot's own `dtmd://` link carrying a plain command; any other text must
/// hold nothing that can link, load, or act.
fn check_field(key: &str, s: &str, whole: &Value) {
    if key.starts_with("actionURL") || key == "singleURL" {
        let content = dingwarden::dingtalk::message::dtmd_text(s)
            .unwrap_or_else(|| panic!("button URL {s:?} is not the bot's dtmd link"));
        assert!(
            dingwarden::commands::parse(&content).is_ok(),
            "button sends {content:?}, not a command of the bot: {whole}"
        );
        return;
    }
    // Buttons beyond the fifth are appended as `[title](dtmd://…)` lines.
    let kept: Vec<&str> = s.lines().filter(|l| !bot_button_line(l, whole)).collect();
    let s = kept.join("\n");
    let lower = s.to_lowercase();
    for bad in [
        "](",
        "![",
        "<img",
        "<font",
        "<a ",
        "<b>",
        "<https",
        "dtmd:",
        "dingtalk:",
        "https://evil",
        "evil.example",
        "\u{200d}",
        "\r",
    ] {
        assert!(!lower.contains(bad), "{bad:?} in {key}: {s:?}\n{whole}");
    }
    for line in s.lines() {
        let body = line.trim_start_matches(['>', ' ']);
        assert!(
            !body.starts_with("# 系统通知"),
            "a heading from user text in {key}: {s:?}"
        );
    }
}

/// Whether a line is a button the bot appended as a link (checked like one).
fn bot_button_line(line: &str, whole: &Value) -> bool {
    let Some((title, url)) = line
        .strip_prefix('[')
        .and_then(|l| l.strip_suffix(')'))
        .and_then(|l| l.split_once("]("))
    else {
        return false;
    };
    if !url.starts_with("dtmd://") || title.contains(['[', ']']) {
        return false;
    }
    check_field("actionURL", url, whole);
    true
}

fn check_value(key: &str, v: &Value, whole: &Value) {
    match v {
        Value::String(s) => check_field(key, s, whole),
        Value::Array(items) => items.iter().for_each(|i| check_value(key, i, whole)),
        Value::Object(map) => map.iter().for_each(|(k, v)| check_value(k, v, whole)),
        _ => {}
    }
}

async fn insider_text_never_reaches_anyone_in_clickable_form(app: TestApp) {
    app.seed_user("mgr1", "经理", Some("总部"), None).await;
    app.seed_user("mallory", NAME, Some(&format!("总部/{DEPT}")), Some("mgr1"))
        .await;
    // A newcomer whose DingTalk profile name is hostile, recorded on first contact.
    let mut first = app.direct("trudy", "我的");
    first["senderNick"] = json!(PAYLOAD);
    app.post(&first).await;
    app.state.settle().await;

    let reply = app.say_text("mallory", &format!("report {PAYLOAD}")).await;
    assert!(reply.contains("#1"), "{reply}");
    app.say("mallory", &format!("feedback {PAYLOAD}")).await;
    app.say("trudy", &format!("上报 {PAYLOAD}")).await;
    // A user-typed bank name is echoed back inert too.
    app.say(
        "mallory",
        "quiz [x](dtmd://dingtalkclient/sendMessage?content=y)",
    )
    .await;

    app.say("admin1", "notice new 迁移通知\n请迁移。\n截止: 2026-12-01")
        .await;
    app.say("admin1", "notice send 1 to all").await;
    for cmd in [
        "notice status 1",
        "incidents",
        "feedback list",
        "password status",
        "quiz stats",
        "role grant trudy hr",
        "role revoke trudy hr",
        "incident close 1 done, see [x](dtmd://dingtalkclient/sendMessage?content=z)",
        "notice send 1 to dept ![](dtmd:x)",
        "notice send 1 to users [a](dtmd:x),u2",
        // Refusals echo what the admin typed: inert too.
        "role grant [u](dtmd:x) hr",
        "role revoke [u](dtmd:x) hr",
        "offboard [u](dtmd:x)",
        "notice new 坏的截止日期\n截止: [x](dtmd:x)",
    ] {
        app.say_confirmed("admin1", cmd).await;
    }
    app.say("hr1", "incidents").await;
    app.say_confirmed("admin1", "offboard mallory").await;
    // Past the deadline: the manager and the author hear about overdue people.
    app.advance(chrono::Duration::days(2));
    app.tick().await;
    app.drain().await;

    let sent = everything_sent(&app).await;
    assert!(sent.len() > 20, "{} messages", sent.len());
    for body in &sent {
        check_value("", body, body);
    }
    // The admins did see what was reported, defanged.
    let card = app.dm_texts("admin1").join("\n");
    assert!(card.contains("hxxps://evil[.]example/x"), "{card}");
    assert!(card.contains("［点我］"), "{card}");
    let replies: Vec<String> = app
        .webhook_posts("cid-admin1")
        .await
        .iter()
        .map(crate::helpers::message_text)
        .collect();
    for (asked, shows) in [
        ("安全事件", "hxxps://evil[.]example/x"),
        ("反馈", "hxxps://evil[.]example/x"),
        ("尚未确认", "［张三］"),
        ("按部门", "研发部!［x］（dtmd[:]x）＜b＞"),
    ] {
        assert!(
            replies
                .iter()
                .any(|r| r.contains(asked) && r.contains(shows)),
            "{asked}: {replies:#?}"
        );
    }
    let escalation = app.dm_texts("mgr1").join("\n");
    assert!(escalation.contains("［张三］"), "{escalation}");
}

dual_backend!(insider_text_never_reaches_anyone_in_clickable_form);
