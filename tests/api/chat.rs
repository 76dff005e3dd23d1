//! Chat behaviour of the spine: help, language, hints, groups, outsiders.

use serde_json::json;

use crate::dual_backend;
use crate::helpers::{TestApp, message_text};

async fn language_is_stored_per_user(app: TestApp) {
    assert!(
        app.say_text("alice", "lang")
            .await
            .contains("当前语言：中文")
    );
    assert!(app.say_text("alice", "/LANG en").await.contains("English"));
    let help = app.say_text("alice", "帮助").await;
    assert!(help.contains("Everyone"), "{help}");
    // Bob still gets Chinese.
    assert!(app.say_text("bob", "help").await.contains("所有人"));
    let lang: String = sqlx::query_scalar("SELECT lang FROM users WHERE staff_id = $1")
        .bind("alice")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(lang, "en");
}

async fn unknown_text_gets_a_hint_never_silence(app: TestApp) {
    assert!(
        app.say_text("alice", "what is this?")
            .await
            .contains("帮助")
    );
    app.say("alice", "lang en").await;
    let hint = app.say_text("alice", "hmm").await;
    assert!(hint.contains("help"), "{hint}");
    // A misused command that works shows its usage.
    assert!(
        app.say_text("alice", "lang fr")
            .await
            .contains("Usage: lang zh|en")
    );
}

async fn help_lists_exactly_what_each_role_may_run(app: TestApp) {
    use dingwarden::commands::catalogue::CATALOGUE;
    use dingwarden::domain::Access;
    app.seed_user("alice", "Alice", None, None).await;
    let everyone = app.say_text("alice", "help").await;
    let staff = app.say_text("hr1", "help").await;
    let admin = app.say_text("admin1", "help").await;
    for spec in CATALOGUE.iter().filter(|s| s.available) {
        let line = format!("**{}**", spec.usage(dingwarden::i18n::Lang::Zh));
        assert!(admin.contains(&line), "admin help lacks {line}");
        assert_eq!(
            staff.contains(&line),
            spec.access != Access::Admin,
            "hr help and {line}"
        );
        assert_eq!(
            everyone.contains(&line),
            spec.access == Access::Everyone,
            "employee help and {line}"
        );
    }
}

async fn non_text_messages_get_a_polite_reply(app: TestApp) {
    let mut body = app.direct("alice", "");
    body["msgtype"] = json!("picture");
    body.as_object_mut().unwrap().remove("text");
    body["content"] = json!({"downloadCode": "x"});
    app.post(&body).await;
    app.state.settle().await;
    let posts = app.webhook_posts("cid-alice").await;
    assert_eq!(posts.len(), 1);
    assert!(message_text(&posts[0]).contains("文字消息"));
}

async fn group_replies_mention_the_sender_and_ignore_the_bot_mention(app: TestApp) {
    app.post(&app.group("alice", "cidGroup1", " @dingwarden 帮助"))
        .await;
    app.state.settle().await;
    app.post(&app.group("bob", "cidGroup1", " lang")).await;
    app.state.settle().await;
    let posts = app.webhook_posts("cidGroup1").await;
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0]["msgtype"], "markdown");
    assert_eq!(posts[1]["at"], json!({"atUserIds": ["bob"]}));
}

async fn people_outside_the_organisation_are_told_politely(app: TestApp) {
    let mut body = app.direct("x", "help");
    body.as_object_mut().unwrap().remove("senderStaffId");
    app.post(&body).await;
    app.state.settle().await;
    let posts = app.webhook_posts("cid-x").await;
    assert!(message_text(&posts[0]).contains("organisation"));
    assert_eq!(app.count("users").await, 0);
}

async fn first_contact_records_the_user_once(app: TestApp) {
    app.say("alice", "help").await;
    app.say("alice", "help").await;
    let name: String = sqlx::query_scalar("SELECT name FROM users WHERE staff_id = 'alice'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(name, "Nick alice");
    assert_eq!(app.count("users").await, 1);
}

dual_backend!(
    language_is_stored_per_user,
    unknown_text_gets_a_hint_never_silence,
    help_lists_exactly_what_each_role_may_run,
    non_text_messages_get_a_polite_reply,
    group_replies_mention_the_sender_and_ignore_the_bot_mention,
    people_outside_the_organisation_are_told_politely,
    first_contact_records_the_user_once,
);
