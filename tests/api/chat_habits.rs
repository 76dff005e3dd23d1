//! People typing as they type in DingTalk, through the real router and
//! store: full-width and punctuated commands, one-word Chinese commands,
//! natural phrasings, typos answered with "did you mean" buttons, bad
//! values named, free text kept as typed, `导出 ID` for HR, and the
//! checklist tip for a plain `- item` list.

use dingwarden::dingtalk::message::dtmd_text;
use serde_json::Value;

use crate::dual_backend;
use crate::helpers::TestApp;

/// What the buttons of the bot's replies send.
fn button_sends(posts: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    for p in posts {
        let card = &p["actionCard"];
        let urls = card["singleURL"].as_str().into_iter().chain(
            card["btns"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|b| b["actionURL"].as_str()),
        );
        out.extend(urls.filter_map(dtmd_text));
    }
    out
}

fn texts(posts: &[Value]) -> String {
    posts
        .iter()
        .map(crate::helpers::message_text)
        .collect::<Vec<_>>()
        .join("\n")
}

/// alice, bob and notice #1 sent to both (and #2 to alice when `two`).
async fn notices_for_alice(app: &TestApp, two: bool) {
    app.seed_user("alice", "Alice", Some("总部/研发部"), None)
        .await;
    app.seed_user("bob", "Bob", Some("总部/研发部"), None).await;
    app.say("admin1", "notice new 钓鱼邮件提醒").await;
    let sent = app
        .say_text("admin1", "notice send 1 to users alice,bob")
        .await;
    assert!(sent.contains('2'), "{sent}");
    if two {
        app.say("admin1", "通知 新建 第二条通知").await;
        app.say("admin1", "通知 发送 2 给 用户 alice").await;
    }
}

async fn acked(app: &TestApp, notice: i64, who: &str) -> bool {
    let at: Option<i64> = sqlx::query_scalar(
        "SELECT acked_at FROM notice_recipients WHERE notice_id = $1 AND staff_id = $2",
    )
    .bind(notice)
    .bind(who)
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    at.is_some()
}

async fn full_width_and_punctuated_commands_work(app: TestApp) {
    notices_for_alice(&app, false).await;
    let reply = app.say_text("alice", "确认 １。").await;
    assert!(reply.contains("已确认通知 #1"), "{reply}");
    assert!(acked(&app, 1, "alice").await);
    let me = app.say_text("bob", "我的！").await;
    assert!(me.contains("#1"), "{me}");
    let help = app.say_text("bob", "帮助？").await;
    assert!(help.contains("所有人"), "{help}");
    let list = app.say_text("admin1", "测验列表").await;
    assert!(list.contains("default"), "{list}");
    let status = app.say_text("hr1", "通知状态＃１").await;
    assert!(status.contains("已确认 1/2"), "{status}");
}

async fn phrasings_acknowledge_confirm_and_greet(app: TestApp) {
    notices_for_alice(&app, true).await;
    // bob has exactly one notice waiting: "收到" acknowledges it.
    let reply = app.say_text("bob", "收到").await;
    assert!(reply.contains("已确认通知 #1"), "{reply}");
    assert!(acked(&app, 1, "bob").await);
    // alice has two: the bot asks which, with a button each, and acks nothing.
    let posts = app.say("alice", "确认已读").await;
    let text = texts(&posts);
    assert!(text.contains("2 条通知待确认"), "{text}");
    let mut sends = button_sends(&posts);
    sends.sort();
    assert_eq!(sends, ["确认 #1", "确认 #2"]);
    assert!(!acked(&app, 1, "alice").await && !acked(&app, 2, "alice").await);
    // Password done, in words.
    let done = app.say_text("alice", "我已修改密码").await;
    assert!(done.contains("已记录"), "{done}");
    // A greeting: three lines and the two buttons.
    let posts = app.say("alice", "在吗？").await;
    let text = texts(&posts);
    assert!(
        text.contains("安全助手") && text.contains("我的") && text.contains("帮助"),
        "{text}"
    );
    assert_eq!(button_sends(&posts), ["我的", "帮助"]);
    app.say("alice", "lang en").await;
    let posts = app.say("alice", "hi").await;
    assert_eq!(button_sends(&posts), ["me", "help"]);
    // help lists the phrasings.
    let help = app.say_text("bob", "help").await;
    assert!(help.contains("也可以说：确认已读、已读"), "{help}");
}

async fn typos_get_did_you_mean_buttons(app: TestApp) {
    notices_for_alice(&app, false).await;
    let posts = app.say("admin1", "notice stauts 1").await;
    assert_eq!(button_sends(&posts), ["notice status 1"], "{posts:?}");
    assert!(texts(&posts).contains("你是不是想发"));
    // The button's text is a command that works.
    assert!(
        app.say_text("admin1", "notice status 1")
            .await
            .contains("已确认 0/2")
    );
    let posts = app.say("admin1", "password polcy").await;
    assert_eq!(button_sends(&posts), ["password policy"]);
    let posts = app.say("admin1", "quiz asign default to all").await;
    assert_eq!(button_sends(&posts), ["quiz assign default to all"]);
    let posts = app.say("admin1", "通知 撤回 1").await;
    let sends = button_sends(&posts);
    assert!(sends.iter().all(|s| s.starts_with("通知 ")), "{sends:?}");
    assert!(texts(&posts).contains("通知 关闭 编号"));
    // An employee is never offered what only staff may run.
    let hint = app.say("alice", "notice stauts 1").await;
    assert!(button_sends(&hint).is_empty());
    assert!(texts(&hint).contains("帮助"));
    let posts = app.say("alice", "帮主").await;
    assert_eq!(button_sends(&posts), ["帮助"]);
    // Bad values are named, with the usage of what was meant; nothing changes.
    let bad = app
        .say_text("admin1", "quiz assign default to all by 2026-13-45")
        .await;
    assert!(
        bad.contains("2026-13-45 不是有效日期（格式 2026-12-31）"),
        "{bad}"
    );
    assert!(bad.contains("用法：测验 布置"), "{bad}");
    assert_eq!(app.count("quiz_campaigns").await, 0);
    app.say("admin1", "lang en").await;
    let bad = app.say_text("admin1", "ack x").await;
    assert!(bad.contains("x is not a valid ID (e.g. 3 or #3)"), "{bad}");
}

async fn free_text_is_stored_as_typed(app: TestApp) {
    app.say("alice", "上报　收到可疑邮件！！链接：ｅｖｉｌ。")
        .await;
    let text: String = sqlx::query_scalar("SELECT text FROM incidents")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(text, "收到可疑邮件！！链接：ｅｖｉｌ。");
    app.say("admin1", "通知 新建 安全 钓鱼提醒！\n正文第一行。")
        .await;
    let (title, body): (String, String) = sqlx::query_as("SELECT title, body FROM notices")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(
        (title.as_str(), body.as_str()),
        ("钓鱼提醒！", "正文第一行。")
    );
}

async fn hr_gets_the_export_from_chat(app: TestApp) {
    notices_for_alice(&app, false).await;
    let reply = app.say_text("hr1", "导出 1").await;
    assert!(reply.contains("dingwarden export acks 1"), "{reply}");
    assert!(reply.contains("/api/v1/notices/1/acks.csv"), "{reply}");
    assert!(app.say_text("hr1", "help").await.contains("导出 编号"));
    assert!(!app.say_text("alice", "help").await.contains("导出 编号"));
    let console = app.say_text("hr1", "控制台").await;
    assert!(
        console.contains("/admin/") && console.contains("DINGWARDEN_PUBLIC_URL"),
        "{console}"
    );
    let refused = app.say_text("alice", "导出 1").await;
    assert!(refused.contains("仅限管理员和人事"), "{refused}");
    let missing = app.say_text("hr1", "export 99").await;
    assert!(missing.contains("99"), "{missing}");
    let app = app
        .reconfigure(|c| c.public_url = Some("https://sec.example.com/dw/".parse().unwrap()))
        .await;
    let reply = app.say_text("admin1", "export acks #1").await;
    assert!(
        reply.contains("(https://sec.example.com/dw/admin/notices/1/acks.csv)"),
        "{reply}"
    );
    assert!(!reply.contains("dingwarden export"), "{reply}");
    let console = app.say_text("hr1", "dashboard").await;
    assert!(
        console.contains("(https://sec.example.com/dw/admin/)"),
        "{console}"
    );
}

async fn role_list_in_one_word(app: TestApp) {
    app.seed_user("hr1", "人事小王", Some("总部/人事部"), None)
        .await;
    let list = app.say_text("admin1", "角色列表").await;
    assert!(
        list.contains("（admin1）：管理员（来源：服务配置）"),
        "{list}"
    );
    assert!(
        list.contains("人事小王（hr1）：人事（来源：服务配置）"),
        "{list}"
    );
    assert_eq!(
        app.say_text("admin1", "role list").await,
        app.say_text("admin1", "角色").await
    );
    let refused = app.say_text("hr1", "角色 列表").await;
    assert!(refused.contains("仅限管理员"), "{refused}");
}

/// Authors write lists as `- item`; only `- [ ] item` is a checklist, and
/// an author who wrote the first is told how to write the second.
async fn a_plain_list_gets_the_checklist_tip(app: TestApp) {
    let plain = app
        .say_text(
            "admin1",
            "通知 新建 迁移\n周五前完成：\n- 备份邮件\n- 导出通讯录",
        )
        .await;
    assert!(plain.contains("清单 0 项"), "{plain}");
    assert!(plain.contains("请把每项写成 \"- [ ] 事项\""), "{plain}");
    let checklist = app
        .say_text(
            "admin1",
            "notice new Move\n- [ ] back up mail\n- read the guide",
        )
        .await;
    assert!(checklist.contains("清单 1 项"), "{checklist}");
    assert!(!checklist.contains("- [ ]"), "{checklist}");
}

dual_backend!(
    a_plain_list_gets_the_checklist_tip,
    full_width_and_punctuated_commands_work,
    phrasings_acknowledge_confirm_and_greet,
    typos_get_did_you_mean_buttons,
    free_text_is_stored_as_typed,
    hr_gets_the_export_from_chat,
    role_list_in_one_word,
);
