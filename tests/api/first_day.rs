//! A calm first day (issue 18): historic password dates get one gentle
//! first reminder and the escalation clock starts there (18.5); a recent
//! pass satisfies a new campaign (18.6); reports and exports show current
//! names, the export adds the values at send time (18.7); notices without a
//! deadline stop after a few reminders and tell their author (18.10).

use chrono::Duration;
use dingwarden::actions::roster::{self, RosterRun};
use dingwarden::actions::{Actor, Ctx};
use dingwarden::cli::roster::read_csv;
use dingwarden::store::roster::RosterSource;

use crate::dual_backend;
use crate::helpers::{TestApp, local, t0};
use crate::passwords::{pw_keys, pw_rows, tick};
use crate::quiz::answer_all;

/// Imports `csv` through the roster action at the app's clock.
async fn import(app: &TestApp, csv: &str) -> roster::Imported {
    let today = local("2026-11-30 10:00").date_naive();
    let rows = read_csv(csv.as_bytes(), today).unwrap();
    let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    let entries: Vec<_> = rows.into_iter().map(|r| r.entry).collect();
    let ctx = Ctx::new(
        &app.store,
        &app.state.config,
        app.now(),
        Actor::System("cli"),
    );
    let run = RosterRun {
        source: RosterSource::Import,
        entries: &entries,
        lines: &lines,
        departments: None,
        origin: "roster.csv",
        fingerprint: None,
    };
    let planned = roster::plan(&ctx, run).await.unwrap();
    let done = roster::apply(&ctx, run, None).await.unwrap();
    assert_eq!(planned, done.planned, "the dry run plans what the run does");
    done
}

const DAY_ONE: &str = "staff_id,name,manager_staff_id,password_changed_at\n\
boss,老板,,2026-11-29\n\
old,欧德,boss,2026-07-31\n\
old2,欧二,boss,2026-06-01\n\
soon,孙快,boss,2026-09-02\n\
fresh,方新,boss,2026-11-01\n";

async fn historic_password_dates_get_one_first_reminder(app: TestApp) {
    // t0 is 2026-11-30 10:00: old is due 10-29 (32 days ago), old2 08-30,
    // soon 12-01 (1 day left), fresh and boss later.
    let done = import(&app, DAY_ONE).await;
    assert_eq!(done.planned.reminders_soon, 3, "old, old2 and soon");
    tick(&app, 3).await;
    let keys = pw_keys(&app).await;
    assert_eq!(
        keys,
        vec![
            "pw:old:2026-10-29:0",
            "pw:old2:2026-08-30:0",
            "pw:soon:2026-12-01:1"
        ],
        "first reminders, no '32 days overdue', no manager told"
    );
    let first = pw_rows(&app).await[0].text();
    assert!(
        first.contains("请更换密码") && !first.contains("逾期"),
        "{first}"
    );
    let me = app.say_text("old", "我的").await;
    assert!(
        me.contains("应于 2026-10-29 前更换") && !me.contains("逾期"),
        "{me}"
    );
    // Daily after that; the manager hears after 7 days counted from the
    // first reminder, never from the due date nobody was told about.
    for day in 1..=7 {
        app.clock.set(t0() + Duration::days(day));
        tick(&app, 2).await;
        let escalated = pw_keys(&app)
            .await
            .iter()
            .any(|k| k.starts_with("pw-esc:old:"));
        assert_eq!(escalated, day == 7, "day {day}");
    }
    let rows = pw_rows(&app).await;
    let esc = rows
        .iter()
        .find(|r| r.dedupe_key.as_deref() == Some("pw-esc:old:2026-10-29"))
        .unwrap();
    assert_eq!(esc.recipients, vec!["boss"]);
    let text = esc.text();
    assert!(
        text.contains("2026-11-30") && text.contains("7 天"),
        "{text}"
    );
    assert!(!text.contains("39"), "{text}");
    let day2 = rows
        .iter()
        .find(|r| r.dedupe_key.as_deref() == Some("pw:old:2026-10-29:-1"))
        .unwrap();
    assert!(day2.text().contains("2026-11-30"), "{}", day2.text());
}

async fn a_recent_pass_satisfies_a_new_campaign(app: TestApp) {
    app.seed_user("u1", "张三", Some("总部/研发部"), None).await;
    app.seed_user("u2", "李四", Some("总部/研发部"), None).await;
    app.say("u1", "测验 default").await;
    assert!(answer_all(&app, "u1", |_| true).await.contains("**通过**"));
    app.advance(Duration::minutes(1));
    let reply = app
        .say_text("admin1", "quiz assign default to users u1,u2 by 2026-12-10")
        .await;
    assert!(reply.contains("布置给 2 人"), "{reply}");
    assert!(reply.contains("1 人近期已通过"), "{reply}");
    let invites: Vec<Vec<String>> = app
        .outbox()
        .await
        .into_iter()
        .filter(|r| {
            r.dedupe_key
                .as_deref()
                .is_some_and(|k| k.starts_with("quiz-invite-"))
        })
        .map(|r| r.recipients)
        .collect();
    assert_eq!(invites, vec![vec!["u2".to_owned()]]);
    let me = app.say_text("u1", "我的").await;
    assert!(!me.contains("测验任务 #1"), "{me}");
    assert!(app.say_text("u2", "我的").await.contains("测验任务 #1"));
    let stats = app.say_text("admin1", "quiz stats").await;
    assert!(stats.contains("#1"), "{stats}");
    let (members, passed): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(passed_at) FROM quiz_campaign_members WHERE campaign_id = 1",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!((members, passed), (2, 1));
    // A pass older than DINGWARDEN_QUIZ_PASS_VALID_DAYS (365) does not count.
    app.advance(Duration::days(366));
    let reply = app
        .say_text("admin1", "quiz assign default to users u1")
        .await;
    assert!(!reply.contains("近期已通过"), "{reply}");
    assert!(app.say_text("u1", "我的").await.contains("测验任务 #2"));
}

/// Campaigns assigned before the rule get it once, from migration 0014.
async fn campaigns_from_before_the_rule_are_repaired_once(app: TestApp) {
    app.seed_user("u1", "张三", None, None).await;
    app.say("u1", "测验 default").await;
    answer_all(&app, "u1", |_| true).await;
    app.advance(Duration::minutes(1));
    app.say("admin1", "quiz assign default to users u1").await;
    // As an older version would have left it: member not passed.
    sqlx::query("UPDATE quiz_campaign_members SET passed_at = NULL")
        .execute(app.store.pool())
        .await
        .unwrap();
    assert!(app.say_text("u1", "我的").await.contains("测验任务 #1"));
    let dialect = match app.db {
        crate::helpers::Db::Sqlite(_) => "sqlite",
        crate::helpers::Db::Postgres(_) => "postgres",
    };
    let path = format!(
        "{}/migrations/{dialect}/0014_recent_passes.sql",
        env!("CARGO_MANIFEST_DIR")
    );
    let sql = std::fs::read_to_string(path).unwrap();
    sqlx::raw_sql(&sql).execute(app.store.pool()).await.unwrap();
    assert!(!app.say_text("u1", "我的").await.contains("测验任务 #1"));
    let passed: i64 = sqlx::query_scalar("SELECT COUNT(passed_at) FROM quiz_campaign_members")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(passed, 1);
}

async fn reports_show_current_names_and_exports_add_the_snapshot(app: TestApp) {
    let app = crate::dashboard::with_token(app).await;
    app.seed_user("alice", "alice", None, None).await;
    app.seed_user("bob", "鲍勃", Some("总部/销售部"), None)
        .await;
    app.say("admin1", "notice new 演练\n请确认。").await;
    app.say("admin1", "notice send 1 to users alice,bob").await;
    // The roster learns alice's real name and department afterwards.
    app.seed_user("alice", "Alice, Wang", Some("总部/研发部"), None)
        .await;
    let out = app.cli(&["export", "acks", "1"], &[]).await;
    assert!(out.ok, "{out:?}");
    let text = out.stdout.trim_start_matches('\u{feff}').to_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].ends_with(",status,name_at_send,department_at_send"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("1,alice,\"Alice, Wang\",总部/研发部,")
            && lines[1].ends_with(",alice,"),
        "{}",
        lines[1]
    );
    assert!(lines[2].ends_with(",鲍勃,总部/销售部"), "{}", lines[2]);
    let json = app
        .cli(&["export", "acks", "1", "--format", "json"], &[])
        .await;
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v[0]["name"], "Alice, Wang");
    assert_eq!(v[0]["department"], "总部/研发部");
    assert_eq!(v[0]["department_at_send"], "");
    // The status in chat and the notice page count alice where she is now.
    let status = app.say_text("admin1", "notice status 1").await;
    assert!(
        status.contains("总部/研发部") && !status.contains("未分配"),
        "{status}"
    );
    // The console is signed into per person (issue 16), not with the token.
    let app = app.with_console().await;
    let cookie = app.console_cookie("admin1").await;
    let page = app.console_get("/admin/notices/1", &cookie).await.body;
    assert!(
        page.contains("总部/研发部") && !page.contains("未分配部门"),
        "{page}"
    );
    // The quiz export names people the same way.
    app.say("alice", "测验 default").await;
    answer_all(&app, "alice", |_| true).await;
    let quiz = app.cli(&["export", "quiz", "default"], &[]).await;
    assert!(
        quiz.stdout.contains("alice,\"Alice, Wang\",总部/研发部"),
        "{}",
        quiz.stdout
    );
}

async fn notices_without_a_deadline_stop_and_tell_the_author(app: TestApp) {
    crate::notices::roster(&app).await;
    app.say("admin1", "notice new 阅读制度\n请阅读并确认。")
        .await;
    app.say("admin1", "notice send 1 to users u1,u2,u3").await;
    app.say("u2", "确认 1").await;
    let summaries = |rows: &[crate::helpers::OutboxRow]| {
        rows.iter()
            .filter(|r| r.recipients == ["admin1"] && r.text().contains("提醒已结束"))
            .count()
    };
    for day in 1..=6 {
        app.clock.set(t0() + Duration::days(day));
        app.tick().await;
    }
    let rows = crate::notices::notice_rows(&app).await;
    let reminders = crate::notices::keys(&rows)
        .into_iter()
        .filter(|k| k.contains(":remind:"))
        .count();
    assert_eq!(reminders, 3, "DINGWARDEN_NOTICE_MAX_REMINDERS");
    assert_eq!(summaries(&rows), 1);
    let summary = rows
        .iter()
        .find(|r| r.text().contains("提醒已结束"))
        .unwrap();
    let text = summary.text();
    assert!(
        text.contains("张三（u1）") && text.contains("王五（u3）"),
        "{text}"
    );
    assert!(!text.contains("李四"), "{text}");
    assert_eq!(
        app.audit_details("notice.reminders_over").await[0]["pending"],
        2
    );
    // An admin may still remind; twice within the hour asks for `now`.
    let reply = app.say_text("admin1", "notice remind 1").await;
    assert!(reply.contains("已提醒 2 人"), "{reply}");
    app.advance(Duration::minutes(20));
    let reply = app.say_text("admin1", "notice remind 1").await;
    assert!(reply.contains("notice remind 1 now"), "{reply}");
    let reply = app.say_text("admin1", "notice remind 1 now").await;
    assert!(reply.contains("已提醒 2 人"), "{reply}");
    app.say("admin1", "lang en").await;
    let reply = app.say_text("admin1", "notice remind 1").await;
    assert!(
        reply.contains("was reminded at") && reply.contains("now"),
        "{reply}"
    );
}

/// A notice made through the API has no person as author: HR hears.
async fn without_a_person_as_author_hr_hears_who_is_pending(app: TestApp) {
    use crate::api_write::{people, post};
    let app = crate::dashboard::with_token(app).await;
    people(&app).await;
    let body = serde_json::json!({"title": "阅读制度", "body": "请阅读并确认。"});
    let (status, v) = post(&app, "/api/v1/notices", Some(body)).await;
    assert_eq!(status.as_u16(), 201, "{v}");
    let to = serde_json::json!({"audience": {"users": ["u1", "u2"]}});
    let (status, v) = post(&app, "/api/v1/notices/1/send", Some(to)).await;
    assert_eq!(status.as_u16(), 202, "{v}");
    for day in 1..=4 {
        app.clock.set(t0() + Duration::days(day));
        app.tick().await;
    }
    let rows = crate::notices::notice_rows(&app).await;
    let told: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r.text().contains("提醒已结束"))
        .map(|r| &r.recipients)
        .collect();
    assert_eq!(told, vec![&vec!["hr1".to_owned()]], "{rows:#?}");
    let details = app.audit_details("notice.reminders_over").await;
    assert_eq!(details[0]["told"], serde_json::json!(["hr1"]));
}

dual_backend!(
    historic_password_dates_get_one_first_reminder,
    a_recent_pass_satisfies_a_new_campaign,
    campaigns_from_before_the_rule_are_repaired_once,
    reports_show_current_names_and_exports_add_the_snapshot,
    notices_without_a_deadline_stop_and_tell_the_author,
    without_a_person_as_author_hr_hears_who_is_pending,
);
