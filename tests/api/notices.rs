//! Notices end to end, and the helpers their tests share: the whole life of
//! an exit notice (sending, acknowledgements and checklist ticks, reminders,
//! escalation, status and export), acknowledgements that are idempotent
//! and answer clearly, and the notice API with its database down.
//! `notices_reminders` has reminders over moved time, `notices_authoring`
//! authoring and evidence.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use chrono::{Duration, TimeZone, Utc};
use dingwarden::store::delivered::on_delivered;
use dingwarden::store::outbox::Reference;

use crate::dashboard::{BEARER, get, with_token};
use crate::dual_backend;
use crate::helpers::{OutboxRow, TestApp};

pub(crate) const EXIT: &str = "notice new exit 停用旧平台\n旧平台将于 12 月 2 日停用，请尽快迁移。\n\
                    - [ ] 备份文件和聊天记录\n- [ ] 导出通讯录\n截止：2026-12-02";

/// Seven people in three departments; m1 manages u1 and u2, m2 manages u3.
pub(crate) async fn roster(app: &TestApp) {
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
pub(crate) fn local(day: u32, hour: u32, min: u32) -> chrono::DateTime<Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 12, day, hour, min, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// Outbox rows caused by notices, with their delivery fields.
pub(crate) async fn notice_rows(app: &TestApp) -> Vec<OutboxRow> {
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
pub(crate) async fn deliver_all(app: &TestApp) -> usize {
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
        on_delivered(tx.conn(), Reference::Notice(*ref_id), &ids, now)
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

pub(crate) async fn recipient_i64(
    app: &TestApp,
    notice: i64,
    staff: &str,
    column: &str,
) -> Option<i64> {
    sqlx::query_scalar(&format!(
        "SELECT {column} FROM notice_recipients WHERE notice_id = $1 AND staff_id = $2"
    ))
    .bind(notice)
    .bind(staff)
    .fetch_one(app.store.pool())
    .await
    .unwrap()
}

pub(crate) fn button_replies(row: &OutboxRow) -> Vec<String> {
    row.message["buttons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["reply"].as_str().unwrap().to_owned())
        .collect()
}

pub(crate) fn keys(rows: &[OutboxRow]) -> Vec<String> {
    rows.iter().filter_map(|r| r.dedupe_key.clone()).collect()
}

async fn the_whole_life_of_an_exit_notice(app: TestApp) {
    roster(&app).await;
    let reply = app.say_text("admin1", EXIT).await;
    assert!(reply.contains("已创建通知 #1「停用旧平台」"), "{reply}");
    assert!(reply.contains("截止 2026-12-02，清单 2 项"), "{reply}");
    let reply = app.say_text("admin1", "通知 发送 #1 给 全员").await;
    assert!(reply.contains("通知 #1 已发送给 7 人。"), "{reply}");
    assert!(!reply.contains("批") && !reply.contains("排队"), "{reply}");

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
    // Said once: the title asks to acknowledge #1, the text shows the notice.
    let (title, reminder) = (rows[1].message["title"].to_string(), rows[1].text());
    assert_eq!(title, "\"提醒：请确认通知 #1\"");
    assert!(reminder.starts_with("### 停用旧平台\n"), "{reminder}");
    assert!(!reminder.contains("提醒"), "{reminder}");
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
    assert!(to_m1.text().contains("李四（u2）"), "{}", to_m1.text());
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
        "李四（u2）",
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
        "1,u1,张三,总部/研发部,2026-11-30T10:00:00+08:00,2026-11-30T10:00:00+08:00,button,1,2,0,acked,张三,总部/研发部"
    );
    let u2 = csv.lines().find(|l| l.starts_with("1,u2,")).unwrap();
    assert!(u2.ends_with(",,,0,2,2,overdue,李四,总部/研发部"), "{u2}");
    let u3 = csv.lines().find(|l| l.starts_with("1,u3,")).unwrap();
    assert!(u3.contains(",chat,0,2,0,acked"), "{u3}");
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

async fn the_notice_api_answers_503_while_the_database_is_down(app: TestApp) {
    let app = with_token(app).await;
    roster(&app).await;
    app.say("admin1", EXIT).await;
    app.say("admin1", "notice send 1 to users u1").await;
    app.state.settle().await;
    app.store.close().await;
    for path in [
        "/api/v1/notices",
        "/api/v1/notices/1",
        "/api/v1/notices/1/acks.csv",
        "/api/v1/notices/1/acks.json",
    ] {
        let (status, _, body) = get(&app, path, &[BEARER]).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{path}: {body}");
        assert!(body.contains("\"error\":\"unavailable\""), "{path}: {body}");
    }
}

dual_backend!(
    the_whole_life_of_an_exit_notice,
    acknowledgements_are_idempotent_and_answer_clearly,
    the_notice_api_answers_503_while_the_database_is_down,
);
