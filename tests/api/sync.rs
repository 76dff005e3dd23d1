//! `roster sync` against a fake DingTalk contacts API (legacy oapi): nested
//! departments, users in several departments, a user who disappears, busy
//! answers and expired tokens, and a failed read that changes nothing.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dingwarden::cli::roster::{RunFlags, sync};
use dingwarden::dingtalk::contacts::{ContactsClient, RetryPolicy};
use dingwarden::store::roster::RosterSummary;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, Request, ResponseTemplate};

use crate::dual_backend;
use crate::helpers::{SECRET, TestApp};

pub struct FakeUser {
    pub id: &'static str,
    name: &'static str,
    depts: Vec<i64>,
    manager: Option<&'static str>,
    admin: bool,
}

/// The organisation the fake serves, and the faults it injects.
#[derive(Default)]
pub struct Model {
    /// (id, parent, name); the root is id 1.
    depts: Vec<(i64, i64, &'static str)>,
    pub users: Vec<FakeUser>,
    tokens: u32,
    /// Calls (`user/get:ID`, `listsubid:ID`) answered once with errcode -1.
    busy_once: HashSet<String>,
    /// The next listsubid call says the token expired.
    expire_token_once: bool,
    /// Users whose details DingTalk refuses (no permission).
    forbidden: HashSet<&'static str>,
}

#[derive(Clone, Default)]
pub struct Fake(Arc<Mutex<Model>>);

fn ok(result: &Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"errcode": 0, "errmsg": "ok", "request_id": "r", "result": result}))
}

fn err(code: i64, msg: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"errcode": code, "errmsg": msg}))
}

impl Fake {
    pub fn org() -> Self {
        let user = |id, name, depts: &[i64], manager, admin| FakeUser {
            id,
            name,
            depts: depts.to_vec(),
            manager,
            admin,
        };
        let fake = Fake::default();
        {
            let mut m = fake.0.lock().unwrap();
            m.depts = vec![
                (2, 1, "研发部"),
                (3, 2, "平台组"),
                (4, 1, "销售部"),
                (5, 3, "数据库小组"),
            ];
            m.users = vec![
                user("u1", "张三", &[2], None, true),
                user("u2", "李四", &[3], Some("u1"), false),
                user("u3", "王五", &[4, 2], Some("u1"), false),
                user("u4", "赵六", &[1], None, false),
                user("u5", "钱七", &[5], Some("u2"), false),
            ];
        }
        fake
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut Model) -> R) -> R {
        f(&mut self.0.lock().unwrap())
    }

    pub async fn mount(&self, app: &TestApp) {
        let routes: [(&str, &str); 6] = [
            ("GET", "/gettoken"),
            ("POST", "/topapi/v2/department/get"),
            ("POST", "/topapi/v2/department/listsubid"),
            ("POST", "/topapi/v2/department/listsub"),
            ("POST", "/topapi/user/listid"),
            ("POST", "/topapi/v2/user/get"),
        ];
        for (verb, route) in routes {
            let fake = self.clone();
            Mock::given(method(verb))
                .and(path(route))
                .respond_with(move |req: &Request| fake.answer(route, req))
                .mount(&app.fake)
                .await;
        }
    }

    fn answer(&self, route: &str, req: &Request) -> ResponseTemplate {
        let mut m = self.0.lock().unwrap();
        let query = |k: &str| {
            req.url
                .query_pairs()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.into_owned())
        };
        if route == "/gettoken" {
            if query("appkey").as_deref() != Some("dingtestappkey")
                || query("appsecret").as_deref() != Some(SECRET)
            {
                return err(40089, "不合法的corpid或corpsecret");
            }
            m.tokens += 1;
            return ResponseTemplate::new(200).set_body_json(json!({
                "errcode": 0, "errmsg": "ok", "access_token": format!("tok{}", m.tokens), "expires_in": 7200
            }));
        }
        if query("access_token") != Some(format!("tok{}", m.tokens)) {
            return err(40014, "不合法的access_token");
        }
        let body: Value = serde_json::from_slice(&req.body).unwrap();
        let dept = body["dept_id"].as_i64().unwrap_or_default();
        let children = |m: &Model| -> Vec<(i64, &'static str)> {
            m.depts
                .iter()
                .filter(|d| d.1 == dept)
                .map(|d| (d.0, d.2))
                .collect()
        };
        match route {
            "/topapi/v2/department/get" => ok(&json!({"dept_id": 1, "name": "总部"})),
            "/topapi/v2/department/listsubid" => {
                if std::mem::take(&mut m.expire_token_once) {
                    return err(42001, "access_token超时");
                }
                if m.busy_once.remove(&format!("listsubid:{dept}")) {
                    return err(-1, "系统繁忙");
                }
                let ids: Vec<i64> = children(&m).iter().map(|c| c.0).collect();
                ok(&json!({"dept_id_list": ids}))
            }
            "/topapi/v2/department/listsub" => {
                let list: Vec<Value> = children(&m)
                    .iter()
                    .map(|(id, name)| json!({"dept_id": id, "name": name, "parent_id": dept}))
                    .collect();
                ok(&json!(list))
            }
            "/topapi/user/listid" => {
                let ids: Vec<&str> = m
                    .users
                    .iter()
                    .filter(|u| u.depts.contains(&dept))
                    .map(|u| u.id)
                    .collect();
                ok(&json!({"userid_list": ids}))
            }
            _ => {
                let id = body["userid"].as_str().unwrap_or_default().to_owned();
                if m.busy_once.remove(&format!("user/get:{id}")) {
                    return err(-1, "系统繁忙");
                }
                if m.forbidden.contains(id.as_str()) {
                    return err(60011, "没有调用该接口的权限");
                }
                match m.users.iter().find(|u| u.id == id) {
                    Some(u) => ok(&json!({
                        "userid": u.id, "name": u.name, "manager_userid": u.manager.unwrap_or(""),
                        "dept_id_list": u.depts, "admin": u.admin, "active": true,
                        "unionid": "x", "mobile": "hidden"
                    })),
                    None => err(60121, "找不到该用户"),
                }
            }
        }
    }
}

pub fn client(app: &TestApp) -> ContactsClient {
    let config = &app.state.config;
    ContactsClient::new(
        app.state.http.clone(),
        config.oapi_base.clone(),
        &config.app_key,
        config.app_secrets[0].clone(),
    )
    .with_retry(RetryPolicy {
        attempts: 3,
        backoff: Duration::from_millis(1),
    })
}

/// A sync that may mark anyone as left (the leaver guard has its own test).
async fn run(app: &TestApp) -> anyhow::Result<RosterSummary> {
    let flags = RunFlags {
        dry_run: false,
        allow_leavers: Some(100),
    };
    let outcome = sync(
        &app.store,
        &app.state.config,
        &client(app),
        app.now(),
        flags,
    )
    .await?;
    Ok(outcome.summary().expect("applied").clone())
}

/// The user's department paths, sorted by code point (not by the database's collation).
async fn paths_of(app: &TestApp, staff_id: &str) -> Vec<String> {
    let mut paths: Vec<String> = sqlx::query_scalar(
        "SELECT d.path FROM user_departments ud JOIN departments d ON d.id = ud.department_id \
         WHERE ud.staff_id = $1",
    )
    .bind(staff_id)
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    paths.sort();
    paths
}

/// What the bot answers `text` from `staff_id`, with DingTalk's isAdmin flag set.
async fn say_as_org_admin(app: &TestApp, staff_id: &str, text: &str) -> String {
    let mut body = app.direct(staff_id, text);
    body["isAdmin"] = json!(true);
    let conv = format!("cid-{staff_id}");
    let before = app.webhook_posts(&conv).await.len();
    app.post(&body).await;
    app.state.settle().await;
    let posts = app.webhook_posts(&conv).await;
    posts[before..]
        .iter()
        .map(crate::helpers::message_text)
        .collect()
}

async fn active_users(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT staff_id FROM users WHERE active = 1 ORDER BY staff_id")
        .fetch_all(app.store.pool())
        .await
        .unwrap()
}

async fn sync_walks_nested_departments_and_marks_leavers(app: TestApp) {
    let fake = Fake::org();
    fake.mount(&app).await;
    app.say("carol", "help").await; // reached the bot, but is not in the directory
    let first = run(&app).await.unwrap();
    assert_eq!(
        (first.users, first.added, first.departments_added),
        (5, 5, 5)
    );
    assert_eq!(first.left, vec!["carol"]);
    let (path, dingtalk_id): (String, i64) = sqlx::query_as(
        "SELECT d.path, d.dingtalk_id FROM users u JOIN departments d ON d.id = u.department_id \
         WHERE u.staff_id = 'u5'",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(
        (path.as_str(), dingtalk_id),
        ("总部/研发部/平台组/数据库小组", 5)
    );
    assert_eq!(
        paths_of(&app, "u3").await,
        vec!["总部/研发部", "总部/销售部"]
    );
    assert_eq!(paths_of(&app, "u4").await, vec!["总部"]);
    let (manager, source, org_admin): (Option<String>, String, i64) = sqlx::query_as(
        "SELECT manager_staff_id, source, dingtalk_admin FROM users WHERE staff_id = 'u2'",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(
        (manager.as_deref(), source.as_str(), org_admin),
        (Some("u1"), "sync", 0)
    );
    // u1 administers the organisation in DingTalk; that grants nothing by default.
    assert_eq!(app.count("user_roles").await, 2);
    // Second sync: u2 is gone, 销售部 became 市场部 and the data team moved up.
    fake.with(|m| {
        m.users.retain(|u| u.id != "u2");
        m.depts = vec![
            (2, 1, "研发部"),
            (3, 2, "平台组"),
            (4, 1, "市场部"),
            (5, 2, "数据库小组"),
        ];
    });
    let second = run(&app).await.unwrap();
    assert_eq!(second.left, vec!["u2"], "{second:?}");
    assert_eq!(active_users(&app).await, vec!["u1", "u3", "u4", "u5"]);
    let left_at: Option<i64> =
        sqlx::query_scalar("SELECT left_at FROM users WHERE staff_id = 'u2'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(left_at, Some(app.now().timestamp_millis()));
    assert_eq!(
        paths_of(&app, "u3").await,
        vec!["总部/市场部", "总部/研发部"]
    );
    assert_eq!(paths_of(&app, "u5").await, vec!["总部/研发部/数据库小组"]);
    // History stays: u2's row and old department links are kept.
    assert_eq!(paths_of(&app, "u2").await, vec!["总部/研发部/平台组"]);
    // A third sync changes nothing.
    let third = run(&app).await.unwrap();
    assert_eq!(
        (third.unchanged, third.updated, third.added),
        (4, 0, 0),
        "{third:?}"
    );
    assert!(third.left.is_empty());
    let syncs = app.audit_details("roster.sync").await;
    assert_eq!(syncs.len(), 3);
    assert_eq!(syncs[1]["left"], 1);
    let left: Vec<String> = app
        .audit_entries()
        .await
        .into_iter()
        .filter(|e| e.1 == "roster.left")
        .map(|e| e.2)
        .collect();
    assert_eq!(left, vec!["carol", "u2"]);
}

async fn sync_retries_busy_answers_and_renews_expired_tokens(app: TestApp) {
    let fake = Fake::org();
    fake.with(|m| {
        m.busy_once.insert("user/get:u3".into());
        m.busy_once.insert("listsubid:2".into());
        m.expire_token_once = true;
    });
    fake.mount(&app).await;
    let summary = run(&app).await.unwrap();
    assert_eq!(summary.added, 5);
    fake.with(|m| {
        assert!(m.busy_once.is_empty());
        assert_eq!(m.tokens, 2, "the token was renewed once");
    });
}

async fn a_failed_sync_changes_nothing(app: TestApp) {
    let fake = Fake::org();
    fake.mount(&app).await;
    run(&app).await.unwrap();
    fake.with(|m| {
        m.users.retain(|u| u.id != "u4");
        m.forbidden.insert("u3");
    });
    let e = run(&app).await.unwrap_err();
    let text = format!("{e:#}");
    assert!(
        text.contains("nothing was changed") && text.contains("60011"),
        "{text}"
    );
    assert_eq!(active_users(&app).await, vec!["u1", "u2", "u3", "u4", "u5"]);
    let failed = app.audit_details("roster.sync.failed").await;
    assert_eq!(failed.len(), 1);
    assert!(!text.contains("tok"), "no token in errors: {text}");
}

async fn org_admins_become_admins_only_when_configured(app: TestApp) {
    let fake = Fake::org();
    fake.mount(&app).await;
    let app = app
        .reconfigure(|c| c.dingtalk_admins_are_admins = true)
        .await;
    let first = run(&app).await.unwrap();
    assert_eq!(first.roles_granted, 1);
    let source: String = sqlx::query_scalar("SELECT source FROM user_roles WHERE staff_id = 'u1'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(source, "dingtalk");
    assert!(
        say_as_org_admin(&app, "u1", "incidents")
            .await
            .contains("安全事件")
    );
    fake.with(|m| m.users[0].admin = false);
    assert_eq!(run(&app).await.unwrap().roles_revoked, 1);
    assert!(app.say_text("u1", "incidents").await.contains("仅限"));
}

async fn sync_runs_from_the_command_line(app: TestApp) {
    let fake = Fake::org();
    fake.mount(&app).await;
    let out = app.cli(&["roster", "sync"], &[]).await;
    assert!(out.ok, "{out:?}");
    assert!(
        out.stdout
            .starts_with("synced from DingTalk: 5 users (5 added"),
        "{}",
        out.stdout
    );
    assert_eq!(active_users(&app).await.len(), 5);
    let out = app
        .cli(&["roster", "sync"], &[("DINGTALK_APP_SECRET", "wrong")])
        .await;
    assert!(!out.ok && out.stderr.contains("40089"), "{out:?}");
    assert!(
        !out.stderr.contains("wrong"),
        "the secret never prints: {}",
        out.stderr
    );
}

dual_backend!(
    sync_walks_nested_departments_and_marks_leavers,
    sync_retries_busy_answers_and_renews_expired_tokens,
    a_failed_sync_changes_nothing,
    org_admins_become_admins_only_when_configured,
    sync_runs_from_the_command_line,
);
