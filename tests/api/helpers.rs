//! The test harness: the real router and store (SQLite in a temp dir, or a
//! fresh PostgreSQL database), a manual clock, and a fake DingTalk on
//! loopback (wiremock) that records every request.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{DateTime, Duration, TimeZone, Utc};
use dingwarden::clock::ManualClock;
use dingwarden::dingtalk::signature::sign;
use dingwarden::{AppState, Config, Store};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::fake_dingtalk::FakeDingTalk;

pub const SECRET: &str = "kQ7vX2mN9pL4sT8wY1zA3bC6dE0fG5hJ-iK_lM2nO4pQ6rS8tU0vW2xY4zA6bC8d";
pub const BOT_ID: &str = "$:LWCP_v1:$bot";

/// Generates `<name>::sqlite` (always runs) and `<name>::postgres` (runs with
/// DINGWARDEN_TEST_PG_URL set at build time or `--features pg-tests`;
/// reported as ignored otherwise) from one async test body taking a `TestApp`.
#[macro_export]
macro_rules! dual_backend {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::TestApp::sqlite().await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(any(pg_tests, feature = "pg-tests")), ignore = "needs PostgreSQL: set DINGWARDEN_TEST_PG_URL")]
            async fn postgres() {
                let app = $crate::helpers::TestApp::postgres().await;
                let url = app.db.url();
                super::$name(app).await;
                // A failed test keeps its database for a post-mortem; .ci/run sweeps those.
                $crate::helpers::drop_pg_database(&url).await;
            }
        }
    )+};
}

/// The PostgreSQL database tests create their own databases from.
pub fn pg_admin_url() -> String {
    std::env::var("DINGWARDEN_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Drops a test's own database (`…/dwtest_…`), closing what still uses it.
pub async fn drop_pg_database(url: &str) {
    let (_, name) = url.rsplit_once('/').expect("database URL has a path");
    assert!(
        name.starts_with("dwtest_"),
        "only test databases are dropped"
    );
    let admin = Store::connect(&pg_admin_url())
        .await
        .expect("connect to PostgreSQL");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(admin.pool())
        .await
        .expect("drop test database");
    admin.close().await;
}

/// Where a fresh database lives, and what it takes to reopen it.
pub enum Db {
    Sqlite(tempfile::TempDir),
    Postgres(String),
}

impl Db {
    pub fn url(&self) -> String {
        match self {
            Db::Sqlite(dir) => {
                format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display())
            }
            Db::Postgres(url) => url.clone(),
        }
    }
}

pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    pub clock: Arc<ManualClock>,
    pub fake: MockServer,
    /// The fake's OpenAPI state: tokens, unknown users, what it accepted.
    pub dingtalk: FakeDingTalk,
    pub store: Store,
    pub db: Db,
    seq: std::sync::atomic::AtomicU64,
}

/// 2026-11-30 10:00 Asia/Shanghai: a working-hours Monday.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap()
}

impl TestApp {
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::start(Db::Sqlite(dir)).await
    }

    pub async fn postgres() -> Self {
        let admin_url = pg_admin_url();
        let name = format!("dwtest_{}", uuid::Uuid::new_v4().simple());
        let admin = Store::connect(&admin_url)
            .await
            .expect("connect to PostgreSQL");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(admin.pool())
            .await
            .expect("create test database");
        admin.close().await;
        let (base, _) = admin_url.rsplit_once('/').expect("database URL has a path");
        Self::start(Db::Postgres(format!("{base}/{name}"))).await
    }

    async fn start(db: Db) -> Self {
        let fake = MockServer::start().await;
        mount_defaults(&fake).await;
        let clock = Arc::new(ManualClock::new(t0()));
        let dingtalk = FakeDingTalk::mount(&fake, clock.clone()).await;
        let store = Store::open(&db.url()).await.expect("open store");
        let mut config = Config::for_tests(&fake.uri(), SECRET);
        config.admins = vec!["admin1".into()];
        config.hr = vec!["hr1".into()];
        store
            .bootstrap_roles(&config.admins, &config.hr, t0().timestamp_millis())
            .await
            .expect("roles");
        let state = AppState::new(config, store.clone(), clock.clone()).expect("state");
        let router = dingwarden::http::router(state.clone());
        Self {
            state,
            router,
            clock,
            fake,
            dingtalk,
            store,
            db,
            seq: 0.into(),
        }
    }

    /// A second instance over the same database, as after a restart.
    pub async fn restart(self) -> Self {
        self.state.settle().await;
        let Self {
            fake,
            dingtalk,
            db,
            clock,
            store,
            state,
            ..
        } = self;
        store.close().await;
        let store = Store::open(&db.url()).await.expect("reopen store");
        let state =
            AppState::new((*state.config).clone(), store.clone(), clock.clone()).expect("state");
        let router = dingwarden::http::router(state.clone());
        Self {
            state,
            router,
            clock,
            fake,
            dingtalk,
            store,
            db,
            seq: 0.into(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        use dingwarden::clock::Clock as _;
        self.clock.now()
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// A fresh msgId.
    pub fn msg_id(&self) -> String {
        let n = self.seq.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("msg{n}-{}", uuid::Uuid::new_v4().simple())
    }

    /// The sessionWebhook of a conversation on the fake.
    pub fn webhook(&self, conversation: &str) -> String {
        format!(
            "{}/robot/sendBySession?session={conversation}",
            self.fake.uri()
        )
    }

    /// A 1:1 text callback body from `staff_id`.
    pub fn direct(&self, staff_id: &str, text: &str) -> Value {
        json!({
            "msgtype": "text", "text": {"content": text}, "msgId": self.msg_id(),
            "conversationType": "1", "conversationId": format!("cid-{staff_id}"),
            "senderStaffId": staff_id, "senderNick": format!("Nick {staff_id}"),
            "senderId": format!("$:LWCP_v1:${staff_id}"), "chatbotUserId": BOT_ID, "robotCode": "dingtestrobot",
            "sessionWebhook": self.webhook(&format!("cid-{staff_id}")),
            "sessionWebhookExpiredTime": self.now().timestamp_millis() + 90 * 60 * 1000,
            "createAt": self.now().timestamp_millis(), "isAdmin": false,
        })
    }

    /// A group text callback body from `staff_id` in group `group`.
    pub fn group(&self, staff_id: &str, group: &str, text: &str) -> Value {
        let mut v = self.direct(staff_id, text);
        v["conversationType"] = json!("2");
        v["conversationId"] = json!(group);
        v["conversationTitle"] = json!("安全小组");
        v["sessionWebhook"] = json!(self.webhook(group));
        v["isInAtList"] = json!(true);
        v["atUsers"] = json!([{"dingtalkId": BOT_ID}]);
        v
    }

    /// POSTs a body signed now with the test secret; returns status and JSON body.
    pub async fn post(&self, body: &Value) -> (StatusCode, Value) {
        let ts = self.now().timestamp_millis().to_string();
        let headers = [("timestamp", ts.clone()), ("sign", sign(SECRET, &ts))];
        self.post_raw(&headers, body.to_string().into_bytes()).await
    }

    /// POSTs arbitrary headers and bytes to the robot callback.
    pub async fn post_raw(&self, headers: &[(&str, String)], body: Vec<u8>) -> (StatusCode, Value) {
        let mut req = Request::post("/dingtalk/robot").header("content-type", "application/json");
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        self.call(req.body(Body::from(body)).expect("request"))
            .await
    }

    /// Sends any request through the router.
    pub async fn call(&self, req: Request<Body>) -> (StatusCode, Value) {
        let resp = self.router.clone().oneshot(req).await.expect("router");
        let status = resp.status();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| json!(String::from_utf8_lossy(&bytes)));
        (status, value)
    }

    /// GET a path; the body as text.
    pub async fn get_text(&self, path: &str) -> (StatusCode, String) {
        let resp = self
            .router
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Sends `text` as `staff_id` in 1:1 chat, waits for handling, and
    /// returns what the bot posted to that conversation's webhook.
    pub async fn say(&self, staff_id: &str, text: &str) -> Vec<Value> {
        let before = self.webhook_posts(&format!("cid-{staff_id}")).await.len();
        let (status, body) = self.post(&self.direct(staff_id, text)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, json!({"msgtype": "empty"}));
        self.state.settle().await;
        self.webhook_posts(&format!("cid-{staff_id}"))
            .await
            .split_off(before)
    }

    /// Like [`say`], joined into one string of all reply texts.
    pub async fn say_text(&self, staff_id: &str, text: &str) -> String {
        self.say(staff_id, text)
            .await
            .iter()
            .map(message_text)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Every body POSTed to a conversation's sessionWebhook, in order.
    pub async fn webhook_posts(&self, conversation: &str) -> Vec<Value> {
        let session = format!("session={conversation}");
        self.fake
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| {
                r.url.path() == "/robot/sendBySession" && r.url.query() == Some(session.as_str())
            })
            .map(|r| serde_json::from_slice(&r.body).expect("webhook body is JSON"))
            .collect()
    }

    /// Puts a user on the roster (creating the department path), as an
    /// import would.
    pub async fn seed_user(
        &self,
        staff_id: &str,
        name: &str,
        dept: Option<&str>,
        manager: Option<&str>,
    ) {
        let now = self.now().timestamp_millis();
        let mut dept_id: Option<i64> = None;
        if let Some(path) = dept {
            let mut prefix = String::new();
            for part in path.split('/') {
                if !prefix.is_empty() {
                    prefix.push('/');
                }
                prefix.push_str(part);
                sqlx::query("INSERT INTO departments (path, name, parent_id) VALUES ($1, $2, $3) ON CONFLICT (path) DO NOTHING")
                    .bind(&prefix)
                    .bind(part)
                    .bind(dept_id)
                    .execute(self.store.pool())
                    .await
                    .unwrap();
                dept_id = Some(
                    sqlx::query_scalar("SELECT id FROM departments WHERE path = $1")
                        .bind(&prefix)
                        .fetch_one(self.store.pool())
                        .await
                        .unwrap(),
                );
            }
        }
        sqlx::query(
            "INSERT INTO users (staff_id, name, department_id, manager_staff_id, source, first_seen_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'import', $5, $5) ON CONFLICT (staff_id) DO UPDATE SET name = excluded.name, \
             department_id = excluded.department_id, manager_staff_id = excluded.manager_staff_id",
        )
        .bind(staff_id)
        .bind(name)
        .bind(dept_id)
        .bind(manager)
        .bind(now)
        .execute(self.store.pool())
        .await
        .unwrap();
    }

    /// Every outbox row, oldest first.
    pub async fn outbox(&self) -> Vec<OutboxRow> {
        let rows: Vec<(i64, String, String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT id, channel, recipients, message, status, dedupe_key FROM outbox ORDER BY id",
        )
        .fetch_all(self.store.pool())
        .await
        .unwrap();
        rows.into_iter()
            .map(
                |(id, channel, recipients, message, status, dedupe_key)| OutboxRow {
                    id,
                    channel,
                    recipients: serde_json::from_str(&recipients).unwrap(),
                    message: serde_json::from_str(&message).unwrap(),
                    status,
                    dedupe_key,
                },
            )
            .collect()
    }

    /// How many rows a table has.
    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }
}

/// One outbox row as tests see it.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub channel: String,
    pub recipients: Vec<String>,
    /// The domain message as JSON: `{"type": "text"|"markdown"|"action_card", …}`.
    pub message: Value,
    pub status: String,
    pub dedupe_key: Option<String>,
}

impl OutboxRow {
    /// The message's visible text (and button titles).
    pub fn text(&self) -> String {
        let m = &self.message;
        let mut s = m["content"]
            .as_str()
            .or(m["text"].as_str())
            .unwrap_or_default()
            .to_owned();
        for b in m["buttons"].as_array().into_iter().flatten() {
            s.push_str(&format!("\n[{}]", b["title"].as_str().unwrap_or_default()));
        }
        s
    }
}

/// The visible text of a webhook message body, whatever its type.
pub fn message_text(v: &Value) -> String {
    match v["msgtype"].as_str() {
        Some("text") => v["text"]["content"].as_str().unwrap_or_default().to_owned(),
        Some("markdown") => v["markdown"]["text"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        Some("actionCard") => {
            let card = &v["actionCard"];
            let mut s = card["text"].as_str().unwrap_or_default().to_owned();
            if let Some(t) = card["singleTitle"].as_str() {
                s.push_str(&format!("\n[{t}]"));
            }
            for b in card["btns"].as_array().into_iter().flatten() {
                s.push_str(&format!("\n[{}]", b["title"].as_str().unwrap_or_default()));
            }
            s
        }
        _ => v.to_string(),
    }
}

async fn mount_defaults(fake: &MockServer) {
    Mock::given(method("POST"))
        .and(path("/robot/sendBySession"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"errcode": 0, "errmsg": "ok"})),
        )
        .with_priority(10)
        .mount(fake)
        .await;
}

/// A local time in Asia/Shanghai (`"2026-12-01 08:00"`) as an instant.
pub fn local(s: &str) -> DateTime<Utc> {
    let naive =
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("YYYY-MM-DD HH:MM");
    chrono_tz::Asia::Shanghai
        .from_local_datetime(&naive)
        .single()
        .expect("unambiguous local time")
        .with_timezone(&Utc)
}

impl TestApp {
    /// Another instance over the same database (as a second replica would
    /// be), sharing the clock, with its configuration adjusted by `tweak`.
    pub async fn replica(&self, tweak: impl FnOnce(&mut Config)) -> AppState {
        let store = Store::open(&self.db.url())
            .await
            .expect("open replica store");
        let mut config = (*self.state.config).clone();
        tweak(&mut config);
        AppState::new(config, store, self.clock.clone()).expect("replica state")
    }
}

/// What a run of the `dingwarden` binary printed and how it ended.
#[derive(Debug)]
pub struct CliRun {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl TestApp {
    /// Runs the built `dingwarden` binary against this app's database, with
    /// the fake DingTalk as its OpenAPI bases and nothing else from the
    /// test process's environment; `env` adds or overrides variables.
    pub async fn cli(&self, args: &[&str], env: &[(&str, &str)]) -> CliRun {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dingwarden"));
        cmd.env_clear()
            .args(args)
            .env("DINGWARDEN_DATABASE_URL", self.db.url())
            .env("DINGTALK_APP_KEY", "dingtestappkey")
            .env("DINGTALK_APP_SECRET", SECRET)
            .env("DINGTALK_OAPI_BASE", self.fake.uri())
            .env("DINGTALK_API_BASE", self.fake.uri())
            .env("RUST_LOG", "warn");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = tokio::task::spawn_blocking(move || cmd.output())
            .await
            .expect("join")
            .expect("run dingwarden");
        CliRun {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The same app with a changed configuration (as after a restart with new settings).
    pub async fn reconfigure(self, change: impl FnOnce(&mut Config)) -> Self {
        self.state.settle().await;
        let mut config = (*self.state.config).clone();
        change(&mut config);
        let state = AppState::new(config, self.store.clone(), self.clock.clone()).expect("state");
        let router = dingwarden::http::router(state.clone());
        Self {
            state,
            router,
            ..self
        }
    }

    /// Audit entries as `(actor, action, subject)`, oldest first.
    pub async fn audit_entries(&self) -> Vec<(String, String, String)> {
        sqlx::query_as("SELECT actor, action, subject FROM audit_log ORDER BY seq")
            .fetch_all(self.store.pool())
            .await
            .unwrap()
    }

    /// The details (JSON) of the audit entries with `action`, oldest first.
    pub async fn audit_details(&self, action: &str) -> Vec<Value> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT details FROM audit_log WHERE action = $1 ORDER BY seq")
                .bind(action)
                .fetch_all(self.store.pool())
                .await
                .unwrap();
        rows.iter()
            .map(|d| serde_json::from_str(d).unwrap())
            .collect()
    }

    /// GET with request headers; the status, response headers and raw body.
    pub async fn get_raw(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let mut req = Request::get(path);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = self
            .router
            .clone()
            .oneshot(req.body(Body::empty()).expect("request"))
            .await
            .expect("router");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (status, headers, bytes.to_vec())
    }

    /// Runs one scheduler tick at the app's current time.
    pub async fn tick(&self) {
        dingwarden::scheduler::tick(&self.state, self.now())
            .await
            .expect("scheduler tick");
    }

    /// Runs the delivery worker at the test clock's now until a round
    /// changes nothing (rows not yet due, or held back by a rate limit,
    /// stay queued). Returns the summed report.
    pub async fn drain(&self) -> dingwarden::delivery::DrainReport {
        self.state.settle().await;
        let now = self.now();
        let mut total = dingwarden::delivery::DrainReport::default();
        for _ in 0..10_000 {
            let r = dingwarden::delivery::drain_once(&self.state, now)
                .await
                .expect("drain the outbox");
            total.claimed += r.claimed;
            total.sent += r.sent;
            total.retried += r.retried;
            total.dead += r.dead;
            total.deferred += r.deferred;
            total.next_wake = r.next_wake;
            if !r.progressed() {
                break;
            }
        }
        total
    }

    /// The OpenAPI 1:1 messages the fake accepted for `staff_id`, in order,
    /// as `{"msgKey": …, "param": {…msgParam decoded…}}`.
    pub fn dms(&self, staff_id: &str) -> Vec<Value> {
        self.dingtalk
            .accepted()
            .into_iter()
            .filter(|a| a.api == "batch_send" && a.to.iter().any(|u| u == staff_id))
            .map(|a| json!({"msgKey": a.msg_key, "param": a.param}))
            .collect()
    }

    /// The visible texts of [`dms`](Self::dms) (button titles as `[title]` lines).
    pub fn dm_texts(&self, staff_id: &str) -> Vec<String> {
        self.dms(staff_id)
            .iter()
            .map(|m| crate::fake_dingtalk::param_text(&m["param"]))
            .collect()
    }

    /// The visible texts the fake accepted for a group (by open conversation id).
    pub fn group_texts(&self, conversation: &str) -> Vec<String> {
        self.dingtalk
            .accepted()
            .into_iter()
            .filter(|a| a.api == "group_send" && a.to == [conversation])
            .map(|a| crate::fake_dingtalk::param_text(&a.param))
            .collect()
    }

    /// Requests the fake received at `path`, in order.
    pub async fn requests_to(&self, path: &str) -> Vec<wiremock::Request> {
        self.fake
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path() == path)
            .collect()
    }
}
