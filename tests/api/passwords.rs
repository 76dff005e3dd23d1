//! Password rotation end to end: reminders once per threshold (also from two
//! replicas), overdue reminders and manager escalation, quiet hours and the
//! local time zone, `password done`, the NIST profile, forced changes.
//! Assertions are on outbox rows; time moves by setting the clock.

use chrono::{DateTime, Duration, Utc};
use dingwarden::AppState;

use crate::dual_backend;
use crate::helpers::{OutboxRow, TestApp, local, t0};

/// The roster used throughout (t0 = Monday 2026-11-30 10:00 Shanghai):
/// `soon` is due 2026-12-03, `fresh` in ~80 days, `late` was due
/// 2026-11-20, `late2` on 2026-11-27; `boss` manages them.
pub async fn roster(app: &TestApp) {
    let dept = Some("总部/研发部");
    app.seed_user("boss", "老板", dept, None).await;
    app.seed_user("soon", "孙快", dept, Some("boss")).await;
    app.seed_user("fresh", "方新", dept, Some("boss")).await;
    app.seed_user("late", "李迟", dept, Some("boss")).await;
    app.seed_user("late2", "刘晚", Some("总部/销售部"), Some("boss"))
        .await;
    for (staff, changed) in [
        ("boss", "2026-11-29 09:00"),
        ("soon", "2026-09-04 09:00"),
        ("fresh", "2026-11-20 09:00"),
        ("late", "2026-08-22 18:00"),
        ("late2", "2026-08-29 09:00"),
    ] {
        set_changed(app, staff, local(changed)).await;
    }
    // The bot has been running: the overdue two had their 7-day reminders
    // before their due dates (a first reminder after the due date starts
    // the overdue clock later; see first_day.rs).
    told(app, "late", "2026-11-20", local("2026-11-13 09:00")).await;
    told(app, "late2", "2026-11-27", local("2026-11-20 09:00")).await;
}

/// Records that `staff` had their 7-day reminder about `due` at `at`.
pub async fn told(app: &TestApp, staff: &str, due: &str, at: DateTime<Utc>) {
    sqlx::query(
        "INSERT INTO password_reminders (staff_id, due_date, threshold, sent_at) VALUES ($1, $2, 7, $3)",
    )
    .bind(staff)
    .bind(due)
    .bind(at.timestamp_millis())
    .execute(app.store.pool())
    .await
    .unwrap();
}

pub async fn set_changed(app: &TestApp, staff: &str, at: DateTime<Utc>) {
    sqlx::query("UPDATE users SET password_changed_at = $1 WHERE staff_id = $2")
        .bind(at.timestamp_millis())
        .bind(staff)
        .execute(app.store.pool())
        .await
        .unwrap();
}

/// Runs the scheduler `times` times at the clock's time.
pub async fn tick(app: &TestApp, times: usize) {
    for _ in 0..times {
        dingwarden::scheduler::tick(&app.state, app.now())
            .await
            .unwrap();
    }
}

/// The password rows of the outbox.
pub async fn pw_rows(app: &TestApp) -> Vec<OutboxRow> {
    app.outbox()
        .await
        .into_iter()
        .filter(|r| r.dedupe_key.as_deref().is_some_and(|k| k.starts_with("pw")))
        .collect()
}

pub async fn pw_keys(app: &TestApp) -> Vec<String> {
    pw_rows(app)
        .await
        .into_iter()
        .filter_map(|r| r.dedupe_key)
        .collect()
}

async fn reminders_go_out_once_per_threshold(app: TestApp) {
    roster(&app).await;
    tick(&app, 5).await;
    let rows = pw_rows(&app).await;
    let keys: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.dedupe_key.as_deref())
        .collect();
    assert_eq!(
        keys,
        vec![
            "pw:late:2026-11-20:-10",
            "pw-esc:late:2026-11-20",
            "pw:late2:2026-11-27:-3",
            "pw:soon:2026-12-03:3",
        ]
    );
    let soon = &rows[3];
    assert_eq!(soon.channel, "direct");
    assert_eq!(soon.recipients, vec!["soon"]);
    let text = soon.text();
    assert!(
        text.contains("2026-12-03") && text.contains("还有 3 天"),
        "{text}"
    );
    assert!(
        text.contains("账号与安全") && text.contains("[我已修改密码]"),
        "{text}"
    );
    assert_eq!(rows[1].recipients, vec!["boss"]);
    assert!(
        rows[1].text().contains("李迟（late）"),
        "{}",
        rows[1].text()
    );
    // Next day: the 3-day reminder is not repeated; the overdue ones are daily.
    app.clock.set(local("2026-12-01 09:00"));
    tick(&app, 3).await;
    let new: Vec<String> = pw_keys(&app).await.split_off(4);
    assert_eq!(
        new,
        vec!["pw:late:2026-11-20:-11", "pw:late2:2026-11-27:-4"]
    );
    app.clock.set(local("2026-12-02 09:00"));
    tick(&app, 2).await;
    app.clock.set(local("2026-12-03 09:00"));
    tick(&app, 2).await;
    let soon_keys: Vec<String> = pw_rows(&app)
        .await
        .into_iter()
        .filter(|r| r.recipients == ["soon"])
        .filter_map(|r| r.dedupe_key)
        .collect();
    assert_eq!(
        soon_keys,
        vec![
            "pw:soon:2026-12-03:3",
            "pw:soon:2026-12-03:1",
            "pw:soon:2026-12-03:0"
        ]
    );
    // `fresh` (due 2027-02-18) and the boss are never reminded.
    assert!(
        pw_rows(&app)
            .await
            .iter()
            .all(|r| r.recipients != ["fresh"])
    );
    assert_eq!(app.count("password_reminders").await, 11 + 2);
}

async fn custom_thresholds_and_first_contact_due_dates(app: TestApp) {
    // No roster date: the cycle starts at first contact (t0).
    app.seed_user("newbie", "牛新", None, None).await;
    let reply = app
        .say_text("admin1", "password policy 30 remind 10,5")
        .await;
    assert!(
        reply.contains("每 30 天") && reply.contains("10、5"),
        "{reply}"
    );
    // Due 2026-12-30; the 10-day mark (12-20) is missed, so it goes out at 8 days left, once.
    app.clock.set(local("2026-12-22 10:00"));
    tick(&app, 2).await;
    app.clock.set(local("2026-12-23 10:00"));
    tick(&app, 2).await;
    app.clock.set(local("2026-12-25 10:00"));
    tick(&app, 2).await;
    let keys: Vec<String> = pw_rows(&app)
        .await
        .into_iter()
        .filter(|r| r.recipients == ["newbie"])
        .filter_map(|r| r.dedupe_key)
        .collect();
    assert_eq!(
        keys,
        vec!["pw:newbie:2026-12-30:10", "pw:newbie:2026-12-30:5"]
    );
}

async fn two_replicas_ticking_at_once_remind_once(app: TestApp) {
    roster(&app).await;
    let other: AppState = app.replica(|_| {}).await;
    let now = app.now();
    for _ in 0..3 {
        let (a, b) = tokio::join!(
            dingwarden::jobs::passwords::tick(&app.state, now),
            dingwarden::jobs::passwords::tick(&other, now),
        );
        a.unwrap();
        b.unwrap();
    }
    assert_eq!(pw_rows(&app).await.len(), 4);
    assert_eq!(app.count("password_reminders").await, 3 + 2);
    assert_eq!(app.count("password_escalations").await, 1);
    other.store.close().await;
}

async fn overdue_reminders_are_daily_and_the_manager_is_told_once(app: TestApp) {
    roster(&app).await;
    // late2 is 3 days overdue at t0 and reaches 7 days on 2026-12-04.
    for day in 0..8 {
        let date = (t0() + Duration::days(day)).format("%Y-%m-%d").to_string();
        for time in ["08:00", "13:30", "20:59"] {
            app.clock.set(local(&format!("{date} {time}")));
            tick(&app, 1).await;
        }
    }
    let rows = pw_rows(&app).await;
    let to_late2 = rows.iter().filter(|r| r.recipients == ["late2"]).count();
    assert_eq!(to_late2, 8, "one reminder per local day");
    let escalations: Vec<&OutboxRow> = rows
        .iter()
        .filter(|r| {
            r.dedupe_key
                .as_deref()
                .is_some_and(|k| k.starts_with("pw-esc:"))
        })
        .collect();
    assert_eq!(escalations.len(), 2, "late and late2, once each");
    let e = escalations[1];
    assert_eq!(e.dedupe_key.as_deref(), Some("pw-esc:late2:2026-11-27"));
    assert_eq!(e.recipients, vec!["boss"]);
    assert!(
        e.text().contains("刘晚") && e.text().contains("已逾期 7 天"),
        "{}",
        e.text()
    );
    // Escalation off: nobody is told.
    let quiet = app.replica(|c| c.password_escalate_after_days = None).await;
    sqlx::query("DELETE FROM password_escalations")
        .execute(app.store.pool())
        .await
        .unwrap();
    let before = app.count("outbox").await;
    dingwarden::jobs::passwords::tick(&quiet, app.now() + Duration::days(1))
        .await
        .unwrap();
    assert_eq!(app.count("password_escalations").await, 0);
    assert_eq!(
        app.count("outbox").await,
        before + 3,
        "only the daily reminders of late, late2 and soon"
    );
}

async fn quiet_hours_hold_reminders_in_the_local_time_zone(app: TestApp) {
    roster(&app).await;
    for at in ["2026-11-30 21:00", "2026-11-30 23:30", "2026-12-01 07:59"] {
        app.clock.set(local(at));
        tick(&app, 1).await;
        assert!(
            pw_rows(&app).await.is_empty(),
            "sent during quiet hours at {at}"
        );
    }
    app.clock.set(local("2026-12-01 08:00"));
    tick(&app, 1).await;
    assert!(
        pw_keys(&app)
            .await
            .contains(&"pw:late:2026-11-20:-11".to_owned())
    );
    // Without quiet hours, 00:30 in Shanghai is already the next local day
    // (still 2026-12-01 in UTC).
    let night = app.replica(|c| c.quiet_hours = None).await;
    let at = local("2026-12-02 00:30");
    assert_eq!(at.format("%Y-%m-%d").to_string(), "2026-12-01");
    dingwarden::jobs::passwords::tick(&night, at).await.unwrap();
    assert!(
        pw_keys(&app)
            .await
            .contains(&"pw:late:2026-11-20:-12".to_owned())
    );
}

async fn password_done_confirms_and_stops_reminders(app: TestApp) {
    roster(&app).await;
    tick(&app, 1).await;
    let reply = app.say_text("late", "已改密").await;
    assert!(
        reply.contains("已记录") && reply.contains("2027-02-28"),
        "{reply}"
    );
    let (actor, details): (String, String) =
        sqlx::query_as("SELECT actor, details FROM audit_log WHERE action = 'password.confirm'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(actor, "late");
    assert!(details.contains("2027-02-28"), "{details}");
    let before = pw_rows(&app).await.len();
    for day in 1..=80 {
        app.clock.set(t0() + Duration::days(day));
        tick(&app, 1).await;
    }
    let late: Vec<String> = pw_keys(&app)
        .await
        .split_off(before)
        .into_iter()
        .filter(|k| k.starts_with("pw:late:") || k.starts_with("pw-esc:late:"))
        .collect();
    assert!(late.is_empty(), "{late:?}");
    // The new cycle reminds again 7 days before 2027-02-28.
    app.clock.set(local("2027-02-21 10:00"));
    tick(&app, 1).await;
    assert!(
        pw_keys(&app)
            .await
            .contains(&"pw:late:2027-02-28:7".to_owned())
    );
    // English works the same.
    app.say("soon", "lang en").await;
    let reply = app.say_text("soon", "password done").await;
    assert!(
        reply.contains("Recorded") && reply.contains("2027-05-22"),
        "{reply}"
    );
}

async fn the_nist_profile_sends_nothing_periodic(app: TestApp) {
    roster(&app).await;
    let reply = app.say_text("admin1", "password policy nist").await;
    assert!(
        reply.contains("不强制定期更换，仅在疑似泄露时更换"),
        "{reply}"
    );
    assert!(!reply.contains("不定期"), "{reply}");
    for day in 0..30 {
        app.clock.set(t0() + Duration::days(day));
        tick(&app, 2).await;
    }
    assert!(pw_rows(&app).await.is_empty());
    assert_eq!(app.count("password_reminders").await, 2, "only the history");
    // `password done` still works and says there is no periodic change.
    assert!(app.say_text("late", "已改密").await.contains("不要求定期"));
}

async fn forced_changes_are_reminded_until_done(app: TestApp) {
    roster(&app).await;
    app.say_text("admin1", "password policy nist").await;
    app.say("late2", "lang en").await;
    let reply = app
        .say_text(
            "admin1",
            "password reset-required users soon,late2,ghost 供应商数据泄露",
        )
        .await;
    assert!(
        reply.contains("#1") && reply.contains("2 人") && reply.contains("ghost"),
        "{reply}"
    );
    let notices = pw_rows(&app).await;
    assert_eq!(notices.len(), 2, "one notice per language");
    assert_eq!(notices[0].recipients, vec!["soon"]);
    assert!(notices[0].text().contains("供应商数据泄露"));
    assert_eq!(notices[1].recipients, vec!["late2"]);
    assert!(notices[1].text().contains("Change your password now"));
    tick(&app, 3).await; // the notice went out today: no reminder yet
    assert_eq!(pw_rows(&app).await.len(), 2);
    app.clock.set(local("2026-12-01 09:00"));
    tick(&app, 3).await;
    let day1 = pw_keys(&app).await.split_off(2);
    assert_eq!(
        day1,
        vec!["pwreset:1:late2:2026-12-01", "pwreset:1:soon:2026-12-01"]
    );
    let reply = app.say_text("soon", "已改密").await;
    assert!(reply.contains("#1"), "{reply}");
    for day in 2..=8 {
        app.clock
            .set(local("2026-12-01 09:00") + Duration::days(day - 1));
        tick(&app, 2).await;
    }
    let later = pw_keys(&app).await.split_off(4);
    assert!(later.iter().all(|k| !k.contains(":soon:")), "{later:?}");
    assert_eq!(
        later
            .iter()
            .filter(|k| k.starts_with("pwreset:1:late2:"))
            .count(),
        7
    );
    assert_eq!(
        later
            .iter()
            .filter(|k| k.starts_with("pwreset-esc:"))
            .count(),
        1
    );
    let status = app.say_text("hr1", "password status").await;
    assert!(
        status.contains("刘晚（late2，总部/销售部）：#1"),
        "{status}"
    );
    // By department; an unknown department changes nothing.
    let reply = app
        .say_text("admin1", "password reset-required dept 研发部 撞库风险")
        .await;
    assert!(reply.contains("#2") && reply.contains("4 人"), "{reply}");
    let before = app.count("outbox").await;
    let reply = app
        .say_text("admin1", "password reset-required dept 市场部 x")
        .await;
    assert!(reply.contains("找不到部门"), "{reply}");
    assert_eq!(app.count("outbox").await, before);
    assert_eq!(app.count("password_resets").await, 2);
}

dual_backend!(
    reminders_go_out_once_per_threshold,
    custom_thresholds_and_first_contact_due_dates,
    two_replicas_ticking_at_once_remind_once,
    overdue_reminders_are_daily_and_the_manager_is_told_once,
    quiet_hours_hold_reminders_in_the_local_time_zone,
    password_done_confirms_and_stops_reminders,
    the_nist_profile_sends_nothing_periodic,
    forced_changes_are_reminded_until_done,
);
