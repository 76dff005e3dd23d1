//! Quiz campaigns (invitations, reminders with moved time, escalation),
//! statistics, export, and bank versions that leave past attempts alone.

use chrono::{TimeZone as _, Utc};
use dingwarden::domain::quiz::parse_bank;
use dingwarden::store::quiz::{banks, stats};

use crate::dual_backend;
use crate::helpers::TestApp;
use crate::quiz::{answer_all, current_question};

async fn seed_team(app: &TestApp) {
    app.seed_user("mgr", "王经理", Some("总部/研发部"), None)
        .await;
    app.seed_user("u1", "张三", Some("总部/研发部"), Some("mgr"))
        .await;
    app.seed_user("u2", "李四", Some("总部/研发部/平台组"), Some("mgr"))
        .await;
    app.seed_user("u3", "王五", Some("总部/销售部"), None).await;
}

async fn tick_at(app: &TestApp, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> usize {
    app.clock
        .set(Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap());
    let before = app.outbox().await.len();
    dingwarden::scheduler::tick(&app.state, app.now())
        .await
        .unwrap();
    app.outbox().await.len() - before
}

async fn a_campaign_invites_reminds_and_escalates(app: TestApp) {
    seed_team(&app).await;
    let reply = app
        .say_text("admin1", "测验 布置 default 给 部门 研发部 截止 2026-12-03")
        .await;
    assert!(
        reply.contains("已创建测验任务 #1：《信息安全意识基础》布置给 3 人，截止日期 2026-12-03"),
        "{reply}"
    );
    let rows = app.outbox().await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].recipients, vec!["mgr", "u1", "u2"]);
    assert_eq!(rows[0].dedupe_key.as_deref(), Some("quiz-invite-1-zh"));
    assert!(
        rows[0].text().contains("安全测验任务 #1"),
        "{}",
        rows[0].text()
    );
    assert_eq!(rows[0].message["buttons"][0]["reply"], "测验 default");
    // u1 passes through the invitation's button.
    app.say("u1", "测验 default").await;
    assert!(answer_all(&app, "u1", |_| true).await.contains("**通过**"));
    let me = app.say_text("u2", "我的").await;
    assert!(
        me.contains("测验任务 #1《信息安全意识基础》截止 2026-12-03，尚未通过"),
        "{me}"
    );
    // 2026-11-30 (invited) and 12-01 (two days left): no reminder yet.
    assert_eq!(tick_at(&app, 2026, 11, 30, 2, 0).await, 0);
    assert_eq!(tick_at(&app, 2026, 12, 1, 2, 0).await, 0);
    // 12-02 10:00 local, the day before: those who have not passed, once.
    assert_eq!(tick_at(&app, 2026, 12, 2, 2, 0).await, 1);
    let remind = app.outbox().await.pop().unwrap();
    assert_eq!(remind.recipients, vec!["mgr", "u2"]);
    assert!(
        remind.text().contains("截止日期 2026-12-03，还剩 1 天"),
        "{}",
        remind.text()
    );
    assert_eq!(tick_at(&app, 2026, 12, 2, 6, 0).await, 0);
    // 12-03 07:00 local is quiet; 09:00 is the deadline day.
    assert_eq!(tick_at(&app, 2026, 12, 2, 23, 0).await, 0);
    assert_eq!(tick_at(&app, 2026, 12, 3, 1, 0).await, 1);
    assert!(
        app.outbox()
            .await
            .pop()
            .unwrap()
            .text()
            .contains("今天是截止日")
    );
    let reminded: i64 = sqlx::query_scalar(
        "SELECT reminders_sent FROM quiz_campaign_members WHERE staff_id = 'u2'",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(reminded, 2);
    // Past the deadline (00:00 local) but quiet until 08:00; then escalated once.
    assert_eq!(tick_at(&app, 2026, 12, 3, 23, 30).await, 0);
    assert_eq!(tick_at(&app, 2026, 12, 4, 0, 0).await, 2);
    assert_eq!(tick_at(&app, 2026, 12, 4, 1, 0).await, 0);
    let rows = app.outbox().await;
    let to_manager = rows.iter().find(|r| r.recipients == ["mgr"]).unwrap();
    assert!(
        to_manager.text().contains("你的以下下属尚未通过"),
        "{}",
        to_manager.text()
    );
    assert!(to_manager.text().contains("李四（u2）· 总部/研发部/平台组"));
    assert!(!to_manager.text().contains("张三"));
    let summary = rows
        .iter()
        .find(|r| r.recipients == ["admin1", "hr1"])
        .unwrap();
    assert!(
        summary.text().contains("1/3 人已通过"),
        "{}",
        summary.text()
    );
    assert!(summary.text().contains("未通过（2 人）"));
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('quiz.assign', 'quiz.escalate')",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(audited, 2);
    let me = app.say_text("u2", "我的").await;
    assert!(me.contains("已于 2026-12-03 截止，尚未通过"), "{me}");
}

async fn campaigns_are_checked_before_anything_is_written(app: TestApp) {
    seed_team(&app).await;
    let past = app
        .say_text("admin1", "quiz assign default to all by 2026-11-29")
        .await;
    assert!(past.contains("已经过去了"), "{past}");
    let dept = app
        .say_text("admin1", "quiz assign default to dept 市场部")
        .await;
    assert!(dept.contains("找不到部门「市场部」"), "{dept}");
    let bank = app.say_text("admin1", "quiz assign nosuch to all").await;
    assert!(bank.contains("没有名为「nosuch」的题库"), "{bank}");
    let group = app.say_text("admin1", "quiz assign default to group").await;
    assert!(group.contains("测验任务要布置给具体的人"), "{group}");
    let hr = app.say_text("hr1", "quiz assign default to all").await;
    assert!(hr.contains("仅限管理员使用"), "{hr}");
    assert_eq!(app.count("quiz_campaigns").await, 0);
    assert!(app.outbox().await.is_empty());
    let users = app
        .say_text("admin1", "quiz assign default to users u3,ghost")
        .await;
    assert!(users.contains("布置给 1 人"), "{users}");
    assert!(users.contains("ghost"), "{users}");
}

async fn stats_show_departments_and_the_most_missed_questions(app: TestApp) {
    seed_team(&app).await;
    app.say("u1", "quiz").await;
    answer_all(&app, "u1", |_| true).await;
    app.say("u3", "quiz").await;
    answer_all(&app, "u3", |i| i == 0).await;
    let stats = app.say_text("admin1", "测验 统计").await;
    assert!(
        stats.contains("测验统计：《信息安全意识基础》（第 1 版）"),
        "{stats}"
    );
    assert!(
        stats.contains("- 总部/研发部：完成 1/2（50%），通过 1/2（50%）"),
        "{stats}"
    );
    assert!(
        stats.contains("- 总部/销售部：完成 1/1（100%），通过 0/1（0%）"),
        "{stats}"
    );
    assert!(stats.contains("- **合计**：完成 2/5"), "{stats}");
    assert!(stats.contains("**最常答错的题目**"), "{stats}");
    assert_eq!(stats.matches("答错 1/").count(), 4, "{stats}");
    let hr = app.say_text("hr1", "quiz stats default").await;
    assert!(
        hr.contains("By department") || hr.contains("按部门"),
        "{hr}"
    );
    assert!(
        app.say_text("u1", "quiz stats")
            .await
            .contains("仅限管理员和人事使用")
    );
    // The same attempts, exported.
    let mut conn = app.store.pool().acquire().await.unwrap();
    let bank = banks::current(&mut conn, "default").await.unwrap().unwrap();
    let rows = stats::export(&mut conn, bank.bank_id).await.unwrap();
    assert_eq!(rows.len(), 2);
    let csv = dingwarden::cli::export::quiz::to_csv(&rows, chrono_tz::Asia::Shanghai).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[1].contains(
            ",default,1,u1,张三,总部/研发部,regular,,completed,2026-11-30T10:00:00+08:00,"
        ),
        "{csv}"
    );
    assert!(lines[1].ends_with(",5,5,80,true"), "{csv}");
    assert!(lines[2].ends_with(",1,5,80,false"), "{csv}");
    let json = dingwarden::cli::export::quiz::to_json(&rows, chrono_tz::Asia::Shanghai);
    assert_eq!(json[1]["staff_id"], "u3");
    assert_eq!(json[1]["passed"], false);
}

const DRILL: &str = r#"id = "drill"
title = { zh = "演练", en = "Drill" }
pass_percent = 50
questions_per_attempt = 2
[topics]
t = { zh = "主题", en = "Topic" }
[[questions]]
id = "q1"
topic = "t"
prompt = { zh = "旧题一", en = "Old one" }
options = [{ zh = "对", en = "Right" }, { zh = "错", en = "Wrong" }]
correct = "A"
explanation = { zh = "解释", en = "Because" }
[[questions]]
id = "q2"
topic = "t"
prompt = { zh = "旧题二", en = "Old two" }
options = [{ zh = "对", en = "Right" }, { zh = "错", en = "Wrong" }]
correct = "A"
explanation = { zh = "解释", en = "Because" }
"#;

async fn import(app: &TestApp, src: &str) -> banks::Imported {
    let bank = parse_bank(src).unwrap();
    let mut tx = app.store.begin_write().await.unwrap();
    let done = banks::import(
        tx.conn(),
        &bank,
        false,
        "admin1",
        app.now().timestamp_millis(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    done
}

async fn a_new_bank_version_leaves_past_attempts_alone(app: TestApp) {
    assert_eq!(
        import(&app, DRILL).await,
        banks::Imported::New {
            version: 1,
            questions: 2
        }
    );
    assert_eq!(
        import(&app, DRILL).await,
        banks::Imported::Unchanged { version: 1 }
    );
    let first = app.say_text("u1", "quiz drill").await;
    assert!(first.contains("旧题"), "{first}");
    let edited = DRILL
        .replace("旧题一", "新题一")
        .replace("旧题二", "新题二");
    assert_eq!(
        import(&app, &edited).await,
        banks::Imported::New {
            version: 2,
            questions: 2
        }
    );
    // The quiz in progress keeps the version it started on.
    let id = current_question(&app, "u1").await.unwrap();
    let next = app.say_text("u1", &format!("答 A #{id}")).await;
    assert!(next.contains("旧题") && !next.contains("新题"), "{next}");
    answer_all(&app, "u1", |_| true).await;
    let again = app.say_text("u1", "quiz drill").await;
    assert!(again.contains("新题"), "{again}");
    let versions: Vec<i64> = sqlx::query_scalar(
        "SELECT v.version FROM quiz_attempts a JOIN quiz_bank_versions v ON v.id = a.version_id ORDER BY a.id",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    assert_eq!(versions, vec![1, 2]);
    let old_prompts: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM quiz_questions WHERE prompt_zh LIKE '旧题%'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(old_prompts, 2);
}

dual_backend!(
    a_campaign_invites_reminds_and_escalates,
    campaigns_are_checked_before_anything_is_written,
    stats_show_departments_and_the_most_missed_questions,
    a_new_bank_version_leaves_past_attempts_alone,
);
