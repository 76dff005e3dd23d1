//! Notices end to end: authoring, sending (snapshots, batches, languages,
//! groups), acknowledgements and checklist ticks, `me`, reports, reminders
//! and escalation with moved time, quiet hours, people who left, a crash
//! before delivery, two replicas, offboarding and the evidence export.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use chrono::{Duration, TimeZone, Utc};
use dingwarden::AppState;
use dingwarden::store::Store;
use dingwarden::store::delivered::{on_delivered, on_undeliverable};
use serde_json::Value;

use crate::dual_backend;
use crate::helpers::{OutboxRow, TestApp, message_text, t0};

const EXIT: &str = "notice new exit 停用旧平台\n旧平台将于 12 月 2 日停用，请尽快迁移。\n\
                    - [ ] 备份文件和聊天记录\n- [ ] 导出通讯录\n截止：2026-12-02";

/// Seven people in three departments; m1 manages u1 and u2, m2 manages u3.
async fn roster(app: &TestApp) {
    for (id, name, dept, manager) in [
        ("admin1", "管理员", "总部/信息部", None),
        ("hr1", "人事", "总部/人事部", None),
        ("m1", "王经理", "总部/研发部", None),
        ("u1", "张三", "总部/研发部", Some("m1")),
        ("u2", "李四", "总部/研发部", Some("m1")),
        ("m2", "赵经理", "总部/销售部", None),
        ("u3", "王五", "总部/销售部", Some("m2")),
    ] {
        app.seed_user(id, name, Some(dept), manager).await;
    }
}

/// A local time on a given day of the test week (Asia/Shanghai).
fn local(day: u32, hour: u32, min: u32) -> chrono::DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 12, day, hour, min, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// Outbox rows caused by notices, with their delivery fields.
async fn notice_rows(app: &TestApp) -> Vec<OutboxRow> {
    let ids: BTreeSet<i64> = sqlx::query_scalar("SELECT id FROM outbox WHERE ref_kind = 'notice'")
        .fetch_all(app.store.pool())
        .await
        .unwrap()
        .into_iter()
        .collect();
    app.outbox()
        .await
        .into_iter()
        .filter(|r| ids.contains(&r.id))
        .collect()
}

/// Plays the delivery worker: every pending notice row is marked sent and
/// its recipients delivered. Returns how many rows it delivered.
async fn deliver_all(app: &TestApp) -> usize {
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT id, channel, recipients, ref_id FROM outbox \
         WHERE status = 'pending' AND ref_kind = 'notice' ORDER BY id",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    let now = app.now().timestamp_millis();
    let mut tx = app.store.begin_write().await.unwrap();
    for (id, _, recipients, ref_id) in &rows {
        let ids: Vec<String> = serde_json::from_str(recipients).unwrap();
        on_delivered(tx.conn(), "notice", *ref_id, &ids, now)
            .await
            .unwrap();
        sqlx::query("UPDATE outbox SET status = 'sent', sent_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(tx.conn())
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    rows.len()
}

async fn recipient_i64(app: &TestApp, notice: i64, staff: &str, column: &str) -> Option<i64> {
    sqlx::query_scalar(&format!(
        "SELECT {column} FROM notice_recipients WHERE notice_id = $1 AND staff_id = $2"
    ))
    .bind(notice)
    .bind(staff)
    .fetch_one(app.store.pool())
    .await
    .unwrap()
}

fn button_replies(row: &OutboxRow) -> Vec<String> {
    row.message["buttons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["reply"].as_str().unwrap().to_owned())
        .collect()
}

fn keys(rows: &[OutboxRow]) -> Vec<String> {
    rows.iter().filter_map(|r| r.dedupe_key.clone()).collect()
}

async fn the_whole_life_of_an_exit_notice(app: TestApp) {
    roster(&app).await;
    let reply = app.say_text("admin1", EXIT).await;
    assert!(reply.contains("已创建通知 #1「停用旧平台」"), "{reply}");
    assert!(reply.contains("截止 2026-12-02，清单 2 项"), "{reply}");
    let reply = app.say_text("admin1", "通知 发送 #1 给 全员").await;
    assert!(reply.contains("已排队发送给 7 人（1 批）"), "{reply}");

    let rows = notice_rows(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].message["type"], "action_card");
    assert_eq!(
        rows[0].recipients,
        vec!["admin1", "hr1", "m1", "m2", "u1", "u2", "u3"]
    );
    assert_eq!(
        button_replies(&rows[0]),
        vec!["确认 #1", "完成 #1 1", "完成 #1 2"]
    );
    let card = rows[0].text();
    assert!(card.contains("1. 备份文件和聊天记录"), "{card}");
    assert!(card.contains("截止日期：2026-12-02"), "{card}");
    assert_eq!(deliver_all(&app).await, 1);

    // Button, plain `ack` (the only pending notice) and a repeat.
    assert!(
        app.say_text("u1", "确认 #1")
            .await
            .contains("已确认通知 #1")
    );
    assert!(app.say_text("u3", "ack").await.contains("已确认通知 #1"));
    let again = app.say_text("u1", "确认 1").await;
    assert!(
        again.contains("你已于 2026-11-30 10:00 确认过通知 #1"),
        "{again}"
    );
    assert!(app.say_text("u1", "完成 #1 1").await.contains("（1/2）"));

    // Nothing is due on the first day; each later day reminds once.
    app.tick().await;
    assert_eq!(notice_rows(&app).await.len(), 1);
    app.advance(Duration::hours(24));
    app.tick().await;
    app.tick().await;
    let rows = notice_rows(&app).await;
    assert_eq!(keys(&rows), vec!["notice:1:remind:1:zh"]);
    assert_eq!(rows[1].recipients, vec!["admin1", "hr1", "m1", "m2", "u2"]);
    assert!(rows[1].text().contains("提醒：请确认通知 #1"));
    app.advance(Duration::hours(24));
    app.tick().await;
    assert_eq!(notice_rows(&app).await.len(), 3);
    assert_eq!(
        recipient_i64(&app, 1, "u2", "reminders_sent").await,
        Some(2)
    );
    assert_eq!(
        recipient_i64(&app, 1, "u1", "reminders_sent").await,
        Some(0)
    );

    // The deadline (end of 12-02) passes at night; escalation waits for 08:00.
    app.clock.set(local(3, 7, 0));
    app.tick().await;
    assert_eq!(notice_rows(&app).await.len(), 3);
    app.clock.set(local(3, 8, 30));
    app.tick().await;
    app.tick().await;
    let rows = notice_rows(&app).await;
    assert_eq!(rows.len(), 5, "{rows:#?}");
    let to_m1 = rows.iter().find(|r| r.recipients == ["m1"]).unwrap();
    assert!(to_m1.text().contains("李四(u2)"), "{}", to_m1.text());
    assert!(!to_m1.text().contains("张三"));
    let summary = rows
        .iter()
        .find(|r| r.recipients == ["admin1", "hr1"])
        .unwrap();
    let text = summary.text();
    assert!(text.contains("已确认 2/7（28%）"), "{text}");
    assert!(
        text.contains("逾期未确认 5") && text.contains("已通知主管 1 位"),
        "{text}"
    );
    assert!(recipient_i64(&app, 1, "u2", "escalated_at").await.is_some());
    app.advance(Duration::hours(30));
    app.tick().await;
    assert_eq!(notice_rows(&app).await.len(), 5);

    let status = app.say_text("hr1", "notice status 1").await;
    for part in [
        "已确认 2/7（28%）",
        "逾期 5",
        "总部/研发部：1/3（33%）",
        "总部/销售部：1/2（50%）",
        "1. 备份文件和聊天记录：1/7（14%）",
        "李四(u2)",
    ] {
        assert!(status.contains(part), "missing {part} in\n{status}");
    }

    let app = app
        .reconfigure(|c| c.admin_token = Some("tok-123".to_owned().into()))
        .await;
    let (status, headers, body) = app
        .get_raw(
            "/api/v1/notices/1/acks.csv",
            &[("authorization", "Bearer tok-123")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    let csv = String::from_utf8(body[3..].to_vec()).unwrap();
    let u1 = csv.lines().find(|l| l.starts_with("1,u1,")).unwrap();
    assert_eq!(
        u1,
        "1,u1,张三,总部/研发部,2026-11-30T10:00:00+08:00,2026-11-30T10:00:00+08:00,button,1,2,0,acked"
    );
    let u2 = csv.lines().find(|l| l.starts_with("1,u2,")).unwrap();
    assert!(u2.ends_with(",,,0,2,2,overdue"), "{u2}");
    let u3 = csv.lines().find(|l| l.starts_with("1,u3,")).unwrap();
    assert!(u3.contains(",chat,0,2,0,acked"), "{u3}");
}

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

async fn acknowledgements_are_idempotent_and_answer_clearly(app: TestApp) {
    roster(&app).await;
    assert!(app.say_text("u1", "ack").await.contains("没有待确认的通知"));
    assert!(
        app.say_text("u1", "确认 9")
            .await
            .contains("没有编号为 #9 的通知")
    );
    app.say("admin1", EXIT).await;
    app.say("admin1", "notice new 第二条\n- [ ] 一\n- [ ] 二")
        .await;
    app.say("admin1", "notice new 草稿").await;
    app.say("admin1", "notice send 1 to users u1").await;
    app.say("admin1", "notice send 2 to users u1,u2").await;
    assert!(app.say_text("u2", "确认 1").await.contains("不是发给你的"));
    assert!(app.say_text("u1", "确认 3").await.contains("不是发给你的"));
    let which = app.say_text("u1", "ack").await;
    assert!(which.contains("2 条通知待确认") && which.contains("#1") && which.contains("#2"));
    app.say("u1", "确认 #1").await;
    assert!(app.say_text("u1", "ack").await.contains("已确认通知 #2"));
    let again = app.say_text("u1", "确认 #1").await;
    assert!(again.contains("已于 2026-11-30 10:00 确认过"), "{again}");
    let acks: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'ack.record'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(acks, 2);

    assert!(app.say_text("u1", "完成 1 5").await.contains("只有 2 项"));
    assert!(app.say_text("u1", "完成 1 1").await.contains("（1/2）"));
    assert!(
        app.say_text("u1", "done 1 1")
            .await
            .contains("已于 2026-11-30 10:00 完成")
    );
    assert_eq!(
        recipient_i64(&app, 1, "u1", "checklist_done").await,
        Some(1)
    );

    assert!(
        app.say_text("admin1", "notice close 2")
            .await
            .contains("已关闭通知 #2")
    );
    assert!(
        app.say_text("admin1", "notice close 2")
            .await
            .contains("已经关闭")
    );
    assert!(app.say_text("u2", "确认 2").await.contains("已关闭"));
    app.advance(Duration::hours(25));
    app.tick().await;
    assert!(
        notice_rows(&app)
            .await
            .iter()
            .all(|r| r.dedupe_key.is_none())
    );
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
    assert!(reply.contains("45 人（3 批）"), "{reply}");
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
        "notice",
        1,
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
    on_undeliverable(tx.conn(), "notice", 1, &["w45".to_owned()], now)
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
    assert!(reply.contains("3 人（2 批）"), "{reply}");
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
    assert!(posts[0].contains("已排队发到本群"), "{posts:?}");
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
    let reply = app.say_text("admin1", "离职 u2").await;
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
    assert!(
        app.say_text("admin1", "offboard u2")
            .await
            .contains("已经开始")
    );
    assert!(
        app.say_text("admin1", "offboard ghost")
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
            "notice_id,staff_id,name,department,delivered_at,acked_at,ack_via,checklist_done,checklist_total,reminders_sent,status",
            "1,u1,张三,总部/研发部,2026-11-30T10:00:00+08:00,2026-11-30T10:00:00+08:00,button,1,2,0,acked",
            "1,u2,李四,总部/研发部,2026-11-30T10:00:00+08:00,,,0,2,0,pending",
            "1,u3,王五,总部/销售部,2026-11-30T10:00:00+08:00,,,0,2,0,left",
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
    the_whole_life_of_an_exit_notice,
    quiet_hours_hold_reminders_until_morning,
    people_who_left_count_as_left,
    acknowledgements_are_idempotent_and_answer_clearly,
    a_crash_between_enqueue_and_delivery_loses_nothing,
    two_replicas_never_remind_twice,
    the_exit_template_makes_a_notice_with_the_six_steps,
    hr_sees_status_and_employees_do_not,
    me_lists_pending_notices_and_open_checklist_items,
    recipients_are_a_snapshot_taken_at_send_time,
    bad_notices_are_refused_and_change_nothing,
    a_group_post_counts_whoever_acknowledges,
    offboarding_opens_a_leavers_notice_and_an_admin_checklist,
    acks_export_as_csv_via_the_cli_and_the_api,
);
