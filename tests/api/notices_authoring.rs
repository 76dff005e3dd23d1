//! Notices end to end, authoring and evidence: the exit template, status
//! for HR, `me`, the recipient snapshot, refused notices, group posts,
//! offboarding and the acknowledgement export.

use axum::http::StatusCode;
use serde_json::Value;

use crate::dual_backend;
use crate::helpers::{TestApp, message_text, t0};
use crate::notices::{EXIT, button_replies, deliver_all, local, notice_rows, roster};

async fn the_exit_template_makes_a_notice_with_the_six_steps(app: TestApp) {
    let posts = app.say("admin1", "notice template exit").await;
    assert_eq!(posts.len(), 2);
    let template = message_text(&posts[1]);
    assert!(template.starts_with("通知 新建 退出"), "{template}");
    assert!(template.contains("截止: 2026-12-14"), "{template}");
    let reply = app.say_text("admin1", &template).await;
    assert!(reply.contains("截止 2026-12-14，清单 6 项"), "{reply}");
    for step in [
        "备份个人文件和聊天记录",
        "导出通讯录联系人",
        "迁移到【新平台】",
        "移交你负责的共享文档",
        "确认新账号",
        "反馈",
    ] {
        assert!(reply.contains(step), "missing {step} in {reply}");
    }
    app.say("admin1", "lang en").await;
    let template = message_text(&app.say("admin1", "notice template exit").await[1]);
    let reply = app.say_text("admin1", &template).await;
    assert!(
        reply.contains("Created notice #2") && reply.contains("6 checklist items"),
        "{reply}"
    );
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM notices ORDER BY id")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    assert_eq!(kinds, vec!["exit", "exit"]);
}

async fn hr_sees_status_and_employees_do_not(app: TestApp) {
    roster(&app).await;
    app.say("admin1", EXIT).await;
    app.say("admin1", "notice send 1 to all").await;
    app.say("u1", "确认 1").await;
    let status = app.say_text("hr1", "通知 状态 #1").await;
    assert!(
        status.contains("已确认 1/7（14%）") && status.contains("待确认 6"),
        "{status}"
    );
    let list = app.say_text("hr1", "通知列表").await;
    assert!(
        list.contains("#1 [退出] 停用旧平台 · 已发送 · 已确认 1/7（14%） · 截止 2026-12-02"),
        "{list}"
    );
    assert!(
        app.say_text("hr1", "notice send 1 to all")
            .await
            .contains("仅限管理员使用")
    );
    assert!(
        app.say_text("u1", "notice status 1")
            .await
            .contains("仅限管理员和人事使用")
    );
    assert!(
        app.say_text("hr1", "notice status 99")
            .await
            .contains("没有编号为 #99")
    );
    app.say("hr1", "lang en").await;
    let status = app.say_text("hr1", "notice status 1").await;
    assert!(status.contains("Acknowledged 1/7 (14%)"), "{status}");
    assert!(status.contains("总部/研发部: 1/3 (33%)"), "{status}");
}

async fn me_lists_pending_notices_and_open_checklist_items(app: TestApp) {
    roster(&app).await;
    app.say("admin1", EXIT).await;
    app.say("admin1", "notice send 1 to users u1").await;
    let me = app.say_text("u1", "我的").await;
    assert!(me.contains("#1 停用旧平台（截止 2026-12-02）"), "{me}");
    assert!(me.contains("待确认：回复「确认 #1」"), "{me}");
    assert!(me.contains("完成 #1 1") && me.contains("完成 #1 2"), "{me}");
    app.say("u1", "完成 1 1").await;
    app.say("u1", "确认 1").await;
    let me = app.say_text("u1", "me").await;
    assert!(!me.contains("待确认") && !me.contains("完成 #1 1"), "{me}");
    assert!(me.contains("完成 #1 2"), "{me}");
    assert!(
        app.say_text("u1", "完成 1 2")
            .await
            .contains("清单已全部完成")
    );
    // Nothing of the notice is left; other features (the password due date) may still show.
    let me = app.say_text("u1", "me").await;
    assert!(!me.contains("#1"), "{me}");
    app.say("u2", "lang en").await;
    let me = app.say_text("u2", "me").await;
    assert!(
        me.contains("What is pending for you") && !me.contains("#1"),
        "{me}"
    );
}

async fn recipients_are_a_snapshot_taken_at_send_time(app: TestApp) {
    roster(&app).await;
    app.say("u2", "lang en").await;
    app.say("admin1", EXIT).await;
    let reply = app.say_text("admin1", "notice send 1 to dept 研发部").await;
    assert!(reply.contains("已发送给 3 人。"), "{reply}");
    let rows = notice_rows(&app).await;
    assert_eq!(rows[0].recipients, vec!["m1", "u1"]);
    assert_eq!(rows[1].recipients, vec!["u2"]);
    assert_eq!(button_replies(&rows[1])[0], "ack #1");
    assert!(rows[1].text().contains("Notice #1: tap"));

    app.seed_user("u9", "新人", Some("总部/研发部"), Some("m1"))
        .await;
    assert!(
        app.say_text("admin1", "notice status 1")
            .await
            .contains("已确认 0/3")
    );
    let reply = app
        .say_text("admin1", "notice send 1 to users u9,ghost")
        .await;
    assert!(reply.contains("1 人") && reply.contains("ghost"), "{reply}");
    let reply = app.say_text("admin1", "notice send 1 to all").await;
    assert!(
        reply.contains("4 人") && reply.contains("另有 4 人此前已收到"),
        "{reply}"
    );
    let before = app.count("outbox").await;
    assert!(
        app.say_text("admin1", "notice send 1 to dept 市场部")
            .await
            .contains("找不到部门")
    );
    assert!(
        app.say_text("admin1", "notice send 1 to users ghost")
            .await
            .contains("没有可以发送的对象")
    );
    assert_eq!(app.count("outbox").await, before);
    assert_eq!(app.count("notice_recipients").await, 8);
}

async fn bad_notices_are_refused_and_change_nothing(app: TestApp) {
    for (text, answer) in [
        ("notice new T\n截止: 明天", "看不懂"),
        ("notice new T\ndeadline: 2026-11-29", "已经过去了"),
        (
            "notice new T\n截止: 2026-12-01\n截止: 2026-12-02",
            "两行截止日期",
        ),
        ("notice new T\n- [ ] ", "第 1 项"),
    ] {
        let reply = app.say_text("admin1", text).await;
        assert!(reply.contains(answer), "{text}: {reply}");
    }
    assert_eq!(app.count("notices").await, 0);
    assert!(app.say_text("u1", EXIT).await.contains("仅限管理员"));
    let reply = app.say_text("admin1", "notice send 7 to all").await;
    assert!(reply.contains("没有编号为 #7"), "{reply}");
    app.say("admin1", "notice new T\n截止：2026-11-30").await;
    app.clock.set(local(1, 9, 0));
    assert!(
        app.say_text("admin1", "notice send 1 to all")
            .await
            .contains("截止日期已过")
    );
    assert!(
        app.say_text("admin1", "notice remind 1")
            .await
            .contains("还没有发送")
    );
}

async fn a_group_post_counts_whoever_acknowledges(app: TestApp) {
    roster(&app).await;
    app.say("admin1", EXIT).await;
    assert!(
        app.say_text("admin1", "notice send 1 to group")
            .await
            .contains("只能在群聊")
    );
    for _ in 0..2 {
        app.post(&app.group("admin1", "cidGroup9", "@bot notice send 1 to group"))
            .await;
        app.state.settle().await;
    }
    let posts: Vec<String> = app
        .webhook_posts("cidGroup9")
        .await
        .iter()
        .map(message_text)
        .collect();
    assert!(posts[0].contains("已发到本群"), "{posts:?}");
    assert!(posts[1].contains("已经发到本群过了"), "{posts:?}");
    let rows = notice_rows(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].channel, "group");
    assert_eq!(rows[0].recipients, vec!["cidGroup9"]);
    assert!(rows[0].text().contains("回复「确认 #1」"));
    assert!(
        app.say_text("u1", "确认 #1")
            .await
            .contains("已确认通知 #1")
    );
    let via: String = sqlx::query_scalar("SELECT via FROM notice_recipients WHERE staff_id = 'u1'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(via, "group");
    assert!(
        app.say_text("admin1", "notice status 1")
            .await
            .contains("已确认 1/1")
    );
}

async fn offboarding_opens_a_leavers_notice_and_an_admin_checklist(app: TestApp) {
    roster(&app).await;
    sqlx::query("INSERT INTO user_roles (staff_id, role, granted_at) VALUES ('m2', 'admin', 0)")
        .execute(app.store.pool())
        .await
        .unwrap();
    let reply = app.say_confirmed("admin1", "离职 u2").await;
    assert!(
        reply.contains("已为 李四 发起离职流程（截止 2026-12-07）"),
        "{reply}"
    );
    assert!(
        reply.contains("离职须知 #1") && reply.contains("管理员清单 #2"),
        "{reply}"
    );
    assert!(reply.contains("2 位管理员"), "{reply}");
    let leaving: Option<i64> =
        sqlx::query_scalar("SELECT leaving_at FROM users WHERE staff_id = 'u2'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(leaving, Some(t0().timestamp_millis()));
    let rows = notice_rows(&app).await;
    assert_eq!(rows[0].recipients, vec!["u2"]);
    assert_eq!(button_replies(&rows[0]).len(), 5);
    assert!(rows[0].text().contains("归还公司设备"));
    assert_eq!(rows[1].recipients, vec!["admin1", "m2"]);
    assert!(rows[1].text().contains("撤销其系统"));
    // Their own kind: labelled [离职], not the platform-exit [退出].
    assert!(rows[0].text().contains("[离职]"), "{}", rows[0].text());
    assert!(!rows[1].text().contains("[退出]"), "{}", rows[1].text());
    let list = app.say_text("admin1", "通知列表").await;
    assert!(
        list.contains("#1 [离职]") && list.contains("#2 [离职]"),
        "{list}"
    );
    assert!(
        reply.contains("离职须知 #1 已发送给本人") && !reply.contains("排队"),
        "{reply}"
    );
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM notices ORDER BY id")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    // The leaver's notice, the admins' checklist, the manager's handover.
    assert_eq!(kinds, vec!["offboarding"; 3]);
    assert!(
        app.say_confirmed("admin1", "offboard u2")
            .await
            .contains("已经开始")
    );
    assert!(
        app.say_confirmed("admin1", "offboard ghost")
            .await
            .contains("花名册中没有")
    );
    app.say("u2", "确认 1").await;
    app.say("m2", "完成 2 1").await;
    let status = app.say_text("admin1", "notice status 2").await;
    assert!(
        status.contains("已确认 0/2") && status.contains("1/2（50%）"),
        "{status}"
    );
    assert!(
        app.say_text("admin1", "notices")
            .await
            .contains("离职清单：李四（u2）")
    );
}

async fn acks_export_as_csv_via_the_cli_and_the_api(app: TestApp) {
    roster(&app).await;
    app.say("admin1", "notice new 制度更新\n- [ ] 阅读\n- [ ] 签字")
        .await;
    app.say("admin1", "notice send 1 to users u1,u2,u3").await;
    deliver_all(&app).await;
    app.say("u1", "确认 #1").await;
    app.say("u1", "完成 1 1").await;
    sqlx::query("UPDATE users SET active = 0 WHERE staff_id = 'u3'")
        .execute(app.store.pool())
        .await
        .unwrap();

    let csv = cli(&app, &["export", "acks", "1"]).await.unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        vec![
            "notice_id,staff_id,name,department,delivered_at,acked_at,ack_via,checklist_done,checklist_total,reminders_sent,status,name_at_send,department_at_send",
            "1,u1,张三,总部/研发部,2026-11-30T10:00:00+08:00,2026-11-30T10:00:00+08:00,button,1,2,0,acked,张三,总部/研发部",
            "1,u2,李四,总部/研发部,2026-11-30T10:00:00+08:00,,,0,2,0,pending,李四,总部/研发部",
            "1,u3,王五,总部/销售部,2026-11-30T10:00:00+08:00,,,0,2,0,left,王五,总部/销售部",
        ]
    );
    let json = cli(&app, &["export", "acks", "#1", "--format", "json"])
        .await
        .unwrap();
    let v: Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert_eq!(v[0]["ack_via"], "button");
    let err = cli(&app, &["export", "acks", "9"]).await.unwrap_err();
    assert!(
        err.starts_with("dingwarden: there is no notice #9"),
        "{err}"
    );

    let (status, _, body) = app.get_raw("/api/v1/notices/1/acks.csv", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "API is off without a token");
    assert!(String::from_utf8_lossy(&body).contains("\"error\":\"not_found\""));
    let app = app
        .reconfigure(|c| c.admin_token = Some("s3cret".to_owned().into()))
        .await;
    for auth in [None, Some("Bearer wrong"), Some("s3cret")] {
        let headers: Vec<(&str, &str)> = auth.map(|a| ("authorization", a)).into_iter().collect();
        let (status, _, body) = app.get_raw("/api/v1/notices/1/acks.csv", &headers).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert!(String::from_utf8_lossy(&body).contains("\"error\":\"unauthorized\""));
    }
    let bearer = [("authorization", "Bearer s3cret")];
    let (status, headers, body) = app.get_raw("/api/v1/notices/1/acks.csv", &bearer).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains("notice-1-acks.csv")
    );
    assert_eq!(body, csv);
    let (status, _, body) = app.get_raw("/api/v1/notices/1/acks.json", &bearer).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(serde_json::from_slice::<Value>(&body).unwrap(), v);
    let exports: Vec<String> =
        sqlx::query_scalar("SELECT actor FROM audit_log WHERE action = 'acks.export' ORDER BY seq")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    assert_eq!(exports, vec!["cli", "cli", "api", "api"]);
    assert_eq!(
        app.get_raw("/api/v1/notices/9/acks.csv", &bearer).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_raw("/api/v1/notices/x/acks.csv", &bearer).await.0,
        StatusCode::BAD_REQUEST
    );
}

/// Runs the dingwarden binary against the app's database: stdout, or stderr on failure.
async fn cli(app: &TestApp, args: &[&str]) -> Result<Vec<u8>, String> {
    let url = app.db.url();
    let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_dingwarden"))
            .args(&args)
            .env("DINGWARDEN_DATABASE_URL", url)
            .env("DINGWARDEN_TIMEZONE", "Asia/Shanghai")
            .env("RUST_LOG", "error")
            .output()
            .expect("run dingwarden")
    })
    .await
    .unwrap();
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

dual_backend!(
    the_exit_template_makes_a_notice_with_the_six_steps,
    hr_sees_status_and_employees_do_not,
    me_lists_pending_notices_and_open_checklist_items,
    recipients_are_a_snapshot_taken_at_send_time,
    bad_notices_are_refused_and_change_nothing,
    a_group_post_counts_whoever_acknowledges,
    offboarding_opens_a_leavers_notice_and_an_admin_checklist,
    acks_export_as_csv_via_the_cli_and_the_api,
);
