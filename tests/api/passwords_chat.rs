//! Password commands in chat (policy, status, `me`), the pasted-password
//! guard and its false positives, and `dingwarden password forecast`.

use std::process::Command;

use dingwarden::commands::{Ctx, password};
use dingwarden::domain::chat::{Body, ChatMessage, Conversation, ReplyRoute};

use crate::dual_backend;
use crate::helpers::{TestApp, message_text};
use crate::passwords::{pw_keys, roster, tick};

async fn policy_is_shown_set_and_audited(app: TestApp) {
    let shown = app.say_text("admin1", "password policy").await;
    assert!(
        shown.contains("每 90 天") && shown.contains("7、3、1"),
        "{shown}"
    );
    assert!(shown.contains("7 天后通知其直属主管"), "{shown}");
    let set = app.say_text("admin1", "密码 策略 60 提醒 5,2").await;
    assert!(
        set.contains("已更新") && set.contains("每 60 天") && set.contains("5、2"),
        "{set}"
    );
    let details: String = sqlx::query_scalar(
        "SELECT details FROM audit_log WHERE action = 'password.policy' AND actor = 'admin1'",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert!(
        details.contains("\"days\":60") && details.contains("\"previous\""),
        "{details}"
    );
    // Not for employees; nothing changes.
    let refused = app.say_text("alice", "password policy 30").await;
    assert!(refused.contains("仅限管理员"), "{refused}");
    app.say("admin1", "lang en").await;
    let shown = app.say_text("admin1", "password policy").await;
    assert!(
        shown.contains("every 60 days") && shown.contains("5, 2"),
        "{shown}"
    );
    assert!(
        app.say_text("admin1", "password policy 0")
            .await
            .contains("Usage")
    );
    // Two role grants from the configuration, the one policy change and the refusal.
    let actions: Vec<String> = app
        .audit_entries()
        .await
        .into_iter()
        .map(|(_, action, _)| action)
        .collect();
    assert_eq!(
        actions,
        [
            "role.grant",
            "role.grant",
            "password.policy",
            "command.refused"
        ]
    );
}

async fn status_counts_by_department_for_admins_and_hr(app: TestApp) {
    roster(&app).await;
    app.say("fresh", "已改密").await;
    let status = app.say_text("hr1", "password status").await;
    for part in [
        "- 总部/研发部：4 人，即将到期 1，已逾期 1，已确认 1，强制改密待完成 0",
        "- 总部/销售部：1 人，即将到期 0，已逾期 1",
        "已逾期（前 2 位，共 2 位）",
        "- 李迟（late，总部/研发部）：2026-11-20 到期，已逾期 10 天",
        "- 刘晚（late2，总部/销售部）：2026-11-27 到期，已逾期 3 天",
    ] {
        assert!(status.contains(part), "missing {part:?} in\n{status}");
    }
    // hr1 itself is on no department yet.
    assert!(status.contains("（未分配部门）：1 人"), "{status}");
    assert!(
        app.say_text("admin1", "密码 状态")
            .await
            .contains("密码状态")
    );
    let refused = app.say_text("soon", "password status").await;
    assert!(refused.contains("仅限管理员"), "{refused}");
}

async fn me_shows_the_due_date_and_forced_changes(app: TestApp) {
    roster(&app).await;
    app.say_text("admin1", "password reset-required users late 钓鱼事件")
        .await;
    let section = |staff: &'static str| {
        let app = &app;
        async move {
            let msg = ChatMessage {
                msg_id: "m1".into(),
                sender_staff_id: Some(staff.into()),
                sender_nick: String::new(),
                sender_is_org_admin: false,
                conversation: Conversation::Direct { id: "c".into() },
                body: Body::Text("me".into()),
                mentions: vec![],
                reply: ReplyRoute::default(),
            };
            let user = app.store.user(staff).await.unwrap().unwrap();
            let ctx = Ctx {
                state: &app.state,
                user,
                msg: &msg,
                now: app.now(),
                inbox: None,
            };
            password::me_section(&ctx).await.unwrap()
        }
    };
    let late = section("late").await.unwrap();
    assert!(
        late.contains("2026-11-20") && late.contains("逾期 10 天"),
        "{late}"
    );
    assert!(
        late.contains("强制改密 #1") && late.contains("钓鱼事件"),
        "{late}"
    );
    let soon = section("soon").await.unwrap();
    assert!(soon.contains("还有 3 天"), "{soon}");
    app.say("admin1", "password policy nist").await;
    assert_eq!(section("soon").await, None);
}

/// A secret that must never be kept anywhere.
const SECRET: &str = "Xy7#kq9Lm2";

async fn a_pasted_password_is_warned_about_and_kept_nowhere(app: TestApp) {
    roster(&app).await;
    let reply = app.say_text("late", &format!("我的密码是 {SECRET}")).await;
    assert!(
        reply.contains("看起来包含密码") && reply.contains("立即修改"),
        "{reply}"
    );
    assert!(!reply.contains(SECRET));
    // A command carrying a password is not run either.
    let reply = app.say_text("late", "password done Hunter2!x").await;
    assert!(reply.contains("看起来包含密码"), "{reply}");
    assert_eq!(app.count("password_confirmations").await, 0);
    app.say("soon", "lang en").await;
    let reply = app.say_text("soon", "my password is hunter22").await;
    assert!(reply.contains("Change that password now"), "{reply}");
    // In a group, everyone saw it: recall it.
    app.post(&app.group("late2", "cidGroup9", "@bot pwd: Winter2025"))
        .await;
    app.state.settle().await;
    let posts = app.webhook_posts("cidGroup9").await;
    assert!(message_text(&posts[0]).contains("撤回"), "{posts:?}");
    // Only the fact is audited, never the text.
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT action, details FROM audit_log ORDER BY seq")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    let pasted: Vec<&(String, String)> = rows
        .iter()
        .filter(|(a, _)| a == "password.pasted")
        .collect();
    assert_eq!(pasted.len(), 4);
    assert_eq!(pasted[3].1, r#"{"conversation":"group"}"#);
    assert_eq!(app.count("outbox").await, 0);
    for (table, column) in [
        ("audit_log", "details"),
        ("audit_log", "subject"),
        ("outbox", "message"),
        ("settings", "value"),
        ("users", "name"),
        ("inbound_messages", "msg_id"),
    ] {
        let values: Vec<String> = sqlx::query_scalar(&format!("SELECT {column} FROM {table}"))
            .fetch_all(app.store.pool())
            .await
            .unwrap();
        for secret in [SECRET, "Hunter2!x", "hunter22", "Winter2025"] {
            assert!(
                !values.iter().any(|v| v.contains(secret)),
                "{table}.{column}"
            );
        }
    }
}

async fn ordinary_messages_about_passwords_are_answered_normally(app: TestApp) {
    roster(&app).await;
    for text in [
        "我忘记密码了怎么办",
        "how do I change my password?",
        "我的密码过期了，怎么改？",
        "密码策略是多少天？",
        "reset password for u123",
        "https://sso.example.com/reset?user=u123",
        "会议 2026-12-01 10:00",
    ] {
        let reply = app.say_text("soon", text).await;
        assert!(!reply.contains("看起来包含密码"), "{text}: {reply}");
        assert!(reply.contains("帮助"), "{text}: {reply}");
    }
    assert!(
        app.say_text("soon", "password done")
            .await
            .contains("已记录")
    );
    assert!(
        app.say_text("admin1", "password policy 90")
            .await
            .contains("已更新")
    );
    let reply = app
        .say_text("admin1", "password reset-required users late 发现异常登录")
        .await;
    assert!(reply.contains("#1"), "{reply}");
    // Two role grants from the configuration, then the confirmation, the policy and the forced change.
    assert_eq!(app.count("audit_log").await, 5);
}

/// Runs `dingwarden password forecast` against the test database.
fn forecast(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dingwarden"))
        .env_clear()
        .env("DINGWARDEN_DATABASE_URL", app.db.url())
        .env("RUST_LOG", "warn")
        .args(["password", "forecast"])
        .args(args)
        .output()
        .expect("run dingwarden");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.success(), text(&out.stdout), text(&out.stderr))
}

async fn forecast_lists_who_would_be_reminded_and_changes_nothing(app: TestApp) {
    roster(&app).await;
    let (ok, out, err) = forecast(&app, &["--days", "5", "--from", "2026-11-30"]);
    assert!(ok, "{err}");
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let lines: Vec<String> = out.lines().map(squash).collect();
    for line in [
        "days: 2026-11-30 .. 2026-12-04 (Asia/Shanghai)",
        "2026-11-30 reminder soon 孙快 due 2026-12-03, 3 day(s) left",
        "2026-11-30 overdue late 李迟 due 2026-11-20, 10 day(s) overdue",
        "2026-11-30 escalation boss 老板 manager of late: due 2026-11-20, 10 day(s) overdue",
        "2026-12-02 reminder soon 孙快 due 2026-12-03, 1 day(s) left",
        "2026-12-03 due-today soon 孙快 due 2026-12-03",
        "2026-12-04 escalation boss 老板 manager of late2: due 2026-11-27, 7 day(s) overdue",
        "16 message(s) in 5 day(s)",
    ] {
        assert!(
            lines.iter().any(|l| l == line),
            "missing {line:?} in\n{out}"
        );
    }
    assert!(
        !lines.iter().any(|l| l.starts_with("2026-12-01 reminder")),
        "{out}"
    );
    assert_eq!(app.count("outbox").await, 0);
    assert_eq!(app.count("password_reminders").await, 2, "only the history");
    // What the job sends today is what the forecast listed for today…
    tick(&app, 1).await;
    let today: Vec<String> = out
        .lines()
        .filter(|l| l.starts_with("2026-11-30"))
        .map(str::to_owned)
        .collect();
    assert_eq!(today.len(), pw_keys(&app).await.len());
    // … and a second forecast leaves out what was sent.
    let (_, again, _) = forecast(&app, &["--days", "5", "--from", "2026-11-30"]);
    assert!(again.contains("12 message(s) in 5 day(s)"), "{again}");
    let (ok, _, err) = forecast(&app, &["--days", "0"]);
    assert!(
        !ok && err.starts_with("dingwarden: --days must be"),
        "{err}"
    );
}

dual_backend!(
    policy_is_shown_set_and_audited,
    status_counts_by_department_for_admins_and_hr,
    me_shows_the_due_date_and_forced_changes,
    a_pasted_password_is_warned_about_and_kept_nowhere,
    ordinary_messages_about_passwords_are_answered_normally,
    forecast_lists_who_would_be_reminded_and_changes_nothing,
);
