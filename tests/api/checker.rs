//! An independent checker's scenarios (issues 16 and 18): typing as people
//! type (every punctuation mark, full-width forms, phrasings with one and
//! two notices waiting), a typo of every command of the catalogue, bad
//! values named, hostile roster text escaped in every console page and
//! defused in every CSV, the same person named alike in every report, and
//! console forms refused without their token or from another origin.

use dingwarden::commands::ParseError;
use dingwarden::commands::catalogue::CATALOGUE;
use dingwarden::dingtalk::message::dtmd_text;
use dingwarden::domain::Access;
use serde_json::Value;

use crate::dual_backend;
use crate::helpers::TestApp;
use crate::helpers::console::BOOTSTRAP;

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

async fn every_trailing_mark_and_full_width_form_is_understood(app: TestApp) {
    app.seed_user("u1", "张三", Some("总部/研发部"), None).await;
    app.say(
        "admin1",
        "notice new 迁移通知\n请迁移。\n- [ ] 备份文件\n- [ ] 退出旧账号",
    )
    .await;
    app.say("admin1", "notice send 1 to users u1").await;
    let me = app.say_text("u1", "我的").await;
    for mark in [
        "。",
        "！",
        "？",
        ".",
        "!",
        "?",
        "~",
        "～",
        "！！",
        "。。。",
        " ~",
    ] {
        let reply = app.say_text("u1", &format!("我的{mark}")).await;
        assert_eq!(reply, me, "我的{mark}");
    }
    for typed in ["ｍｅ", "　我的　", "ME!"] {
        let reply = app.say_text("u1", typed).await;
        assert!(reply.contains("#1"), "{typed}: {reply}");
    }
    let done = app.say_text("u1", "完成　１　２").await;
    assert!(done.contains("（1/2）"), "{done}");
    let done = app.say_text("u1", "完成 ＃１ １～").await;
    assert!(done.contains("（2/2）"), "{done}");
    let ack = app.say_text("u1", "确认 1~").await;
    assert!(ack.contains("已确认通知 #1"), "{ack}");
    assert!(acked(&app, 1, "u1").await);
}

async fn phrasings_with_one_and_two_notices_waiting(app: TestApp) {
    for u in ["u1", "u2", "u3", "u4"] {
        app.seed_user(u, u, Some("总部"), None).await;
    }
    app.say("admin1", "notice new 一\n正文").await;
    app.say("admin1", "notice send 1 to users u1,u2,u3,u4")
        .await;
    app.say("admin1", "notice new 二\n正文").await;
    app.say("admin1", "notice send 2 to users u3,u4").await;
    for (who, said) in [("u1", "已读"), ("u2", "知道了。")] {
        let reply = app.say_text(who, said).await;
        assert!(reply.contains("已确认通知 #1"), "{said}: {reply}");
        assert!(acked(&app, 1, who).await, "{said}");
    }
    for (who, said) in [("u3", "知道了"), ("u4", "已读！")] {
        let posts = app.say(who, said).await;
        assert!(texts(&posts).contains("2 条通知待确认"), "{said}");
        let mut sends = button_sends(&posts);
        sends.sort();
        assert_eq!(sends, ["确认 #1", "确认 #2"], "{said}");
        assert!(!acked(&app, 1, who).await && !acked(&app, 2, who).await);
    }
    // Nothing waiting: acknowledging says so and changes nothing.
    let none = app.say_text("u1", "收到").await;
    assert!(!none.contains("没看懂"), "{none}");
    for said in ["改好了", "我已修改密码。"] {
        let reply = app.say_text("u2", said).await;
        assert!(reply.contains("已记录"), "{said}: {reply}");
    }
    for said in ["你好", "在吗", "hi", "Hello!", "你好！"] {
        let posts = app.say("u3", said).await;
        let sends = button_sends(&posts);
        assert!(
            sends == ["我的", "帮助"] || sends == ["me", "help"],
            "{said}: {sends:?} {}",
            texts(&posts)
        );
    }
}

/// One typo in the last word of a command name: two letters swapped in
/// the middle, or the last letter doubled for short words and where the
/// swap changes nothing.
fn typo(name: &str) -> String {
    let (head, last) = match name.rsplit_once(' ') {
        Some((h, l)) => (format!("{h} "), l),
        None => (String::new(), name),
    };
    let mut chars: Vec<char> = last.chars().collect();
    if chars.len() >= 4 && chars[1] != chars[2] {
        chars.swap(1, 2);
    } else {
        let c = chars[chars.len() - 1];
        chars.push(c);
    }
    format!("{head}{}", chars.into_iter().collect::<String>())
}

async fn a_typo_of_every_command_is_answered_with_it(app: TestApp) {
    app.seed_user("u1", "张三", Some("总部"), None).await;
    let mut misses = Vec::new();
    for spec in CATALOGUE.iter().filter(|s| s.available) {
        let typed = typo(spec.name);
        if dingwarden::commands::parse(&typed).is_ok() {
            continue;
        }
        let posts = app.say("admin1", &typed).await;
        let sends = button_sends(&posts);
        // A button for it, or (a typo in its argument word) its own usage.
        let usage = spec.usage(dingwarden::i18n::Lang::Zh);
        if !texts(&posts).contains(&usage)
            && !sends
                .iter()
                .any(|s| s == spec.name || s.starts_with(&format!("{} ", spec.name)))
        {
            misses.push(format!("{typed:?} → {sends:?} {}", texts(&posts)));
        }
        let posts = app.say("u1", &typed).await;
        for send in button_sends(&posts) {
            // A button sends a command, or one that answers with its usage.
            let key = match dingwarden::commands::parse(&send) {
                Ok(cmd) => cmd.key(),
                Err(ParseError::Usage(key)) => key,
                Err(e) => panic!("{typed} offers {send}: {e:?}"),
            };
            let spec = CATALOGUE.iter().find(|s| s.name == key).unwrap();
            assert_eq!(
                spec.access,
                Access::Everyone,
                "{typed} offers {send} to an employee"
            );
        }
    }
    assert!(misses.is_empty(), "{misses:#?}");
}

async fn bad_values_are_named(app: TestApp) {
    app.seed_user("u1", "张三", Some("总部"), None).await;
    app.say("admin1", "notice new 一\n正文\n- 一项").await;
    app.say("admin1", "notice send 1 to users u1").await;
    for (who, typed, named) in [
        (
            "admin1",
            "quiz assign default to all by 2026-02-30",
            "2026-02-30 不是有效日期",
        ),
        (
            "admin1",
            "测验 布置 default 给 所有人 截止 2026-13-45",
            "2026-13-45 不是有效日期",
        ),
        ("admin1", "notice status abc", "abc 不是有效编号"),
        (
            "admin1",
            "notice remind 99999999999999999999999",
            "不是有效编号",
        ),
        ("u1", "确认 #x", "x 不是有效编号"),
        ("u1", "完成 1 x", "x 不是有效"),
        ("u1", "done 1 0", "0"),
    ] {
        let reply = app.say_text(who, typed).await;
        assert!(reply.contains(named), "{typed}: {reply}");
        assert!(!reply.contains("没看懂"), "{typed}: {reply}");
    }
    assert_eq!(app.count("quiz_campaigns").await, 0);
    assert!(!acked(&app, 1, "u1").await);
}

/// Roster text an insider controls.
const NAME: &str = "=HYPERLINK(\"https://evil.example\",\"x\")<script>alert(1)</script>\r\nX";
const DEPT: &str = "+cmd|' /C calc'!A0<img src=x>";

async fn hostile_roster_text_is_escaped_and_defused(app: TestApp) {
    let app = app.with_console().await;
    app.seed_user("evil", NAME, Some(&format!("总部/{DEPT}")), None)
        .await;
    app.seed_user("at", "@SUM(1+1)", Some("总部/-2+3"), None)
        .await;
    app.say("admin1", "notice new 一\n正文\n截止: 2026-12-01")
        .await;
    app.say("admin1", "notice send 1 to users evil,at").await;
    app.say("evil", "测验 default").await;
    crate::quiz::answer_all(&app, "evil", |_| true).await;
    app.say("admin1", "password reset-required evil").await;
    app.say_confirmed("admin1", "password reset-required evil")
        .await;
    app.say("evil", "report 钓鱼").await;
    let cookie = app.console_cookie("admin1").await;
    for page in [
        "/admin/",
        "/admin/notices",
        "/admin/notices/1",
        "/admin/quiz",
        "/admin/passwords",
        "/admin/incidents",
        "/admin/notices/1?lang=en",
    ] {
        let r = app.console_get(page, &cookie).await;
        assert_eq!(r.status, 200, "{page}");
        let lower = r.body.to_lowercase();
        assert!(!lower.contains("<script>alert"), "{page}");
        assert!(!lower.contains("<img src=x"), "{page}");
    }
    let bearer = format!("Bearer {BOOTSTRAP}");
    let csvs = [
        app.console_get("/admin/notices/1/acks.csv", &cookie)
            .await
            .body,
        app.console_get("/admin/quiz/default/attempts.csv", &cookie)
            .await
            .body,
        crate::dashboard::get(
            &app,
            "/api/v1/notices/1/acks.csv",
            &[("authorization", &bearer)],
        )
        .await
        .2,
        crate::dashboard::get(
            &app,
            "/api/v1/quiz/default/attempts.csv",
            &[("authorization", &bearer)],
        )
        .await
        .2,
        app.cli(&["export", "acks", "1"], &[]).await.stdout,
        app.cli(&["export", "quiz", "default"], &[]).await.stdout,
    ];
    for csv in csvs {
        check_csv(&csv);
    }
    let dir = crate::evidence::scratch();
    let bundle = crate::evidence::export(&app, dir.path(), "e.zip", &[]).await;
    for (name, data) in crate::evidence::entries(&bundle) {
        if name.ends_with(".csv") {
            check_csv(&String::from_utf8(data).unwrap());
        }
    }
}

/// Whether a spreadsheet would read `cell` as a formula (a plain negative
/// number is a number).
fn formula(cell: &str) -> bool {
    let negative_number = cell.starts_with('-') && cell.parse::<f64>().is_ok();
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !negative_number
}

/// Every cell of `csv`: none starts as a formula.
fn check_csv(csv: &str) {
    let csv = csv.trim_start_matches('\u{feff}');
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    let mut cells = 0;
    for rec in r.records() {
        for cell in rec.unwrap().iter() {
            cells += 1;
            assert!(!formula(cell), "a formula cell {cell:?} in\n{csv}");
        }
    }
    assert!(cells > 0, "{csv}");
}

async fn forms_without_token_or_from_elsewhere_change_nothing(app: TestApp) {
    let app = app.with_console().await;
    let cookie = app.console_cookie("admin1").await;
    let csrf = TestApp::console_csrf(&cookie);
    let form = format!("csrf={csrf}&label=ci&scope=admin");
    for (headers, body) in [
        (vec![("origin", "https://evil.example")], form.clone()),
        (
            vec![("origin", "https://ops.example.com.evil.example")],
            form.clone(),
        ),
        (vec![("origin", "null")], form.clone()),
        (vec![("referer", "https://evil.example/x")], form.clone()),
        (
            vec![("origin", crate::helpers::console::PUBLIC_URL)],
            "label=ci&scope=admin".to_owned(),
        ),
        (
            vec![("origin", crate::helpers::console::PUBLIC_URL)],
            "csrf=x&label=ci&scope=admin".to_owned(),
        ),
    ] {
        let mut h = vec![("cookie", cookie.as_str()), ("host", "ops.example.com")];
        h.extend(headers.iter().copied());
        let r = app.request("POST", "/admin/tokens", &h, &body, None).await;
        assert!(
            r.status.is_client_error(),
            "{headers:?} {body}: {}",
            r.status
        );
        assert_eq!(app.count("api_tokens").await, 0, "{headers:?} {body}");
    }
    let ok = app.console_post("/admin/tokens", &cookie, &form).await;
    assert!(
        ok.status.is_success() || ok.status.is_redirection(),
        "{}",
        ok.status
    );
    assert_eq!(app.count("api_tokens").await, 1);
}

dual_backend!(
    every_trailing_mark_and_full_width_form_is_understood,
    phrasings_with_one_and_two_notices_waiting,
    a_typo_of_every_command_is_answered_with_it,
    bad_values_are_named,
    hostile_roster_text_is_escaped_and_defused,
    forms_without_token_or_from_elsewhere_change_nothing,
);
