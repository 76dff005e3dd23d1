//! The test harness: the real router and store (SQLite in a temp dir, or a
//! fresh PostgreSQL database), a manual clock, and a fake DingTalk on
//! loopback (wiremock) that records every request. This module owns the
//! `dual_backend!` macro, the databases, the app's life (start, restart,
//! reconfigure, replica) and the types tests read results as; its
//! submodules add the `TestApp` methods, by what they do.

// Explicit paths: tests/password_logs.rs mounts this file with `#[path]`,
// and there a plain `mod cli;` would be looked for next to it, not below it.
#[path = "helpers/cli.rs"]
mod cli;
#[path = "helpers/console.rs"]
pub mod console;
#[path = "helpers/outbound.rs"]
mod outbound;
#[path = "helpers/process.rs"]
pub mod process;
#[path = "helpers/proxy.rs"]
pub mod proxy;
#[path = "helpers/requests.rs"]
mod requests;
#[allow(unused_imports)] // tests/password_logs.rs mounts this file without using it
pub use requests::confirmation_code;
#[path = "helpers/rows.rs"]
mod rows;

use std::sync::Arc;

use axum::Router;
use chrono::{DateTime, Duration, TimeZone, Utc};
use dingwarden::clock::ManualClock;
use dingwarden::{AppState, Config, Store};
use serde_json::{Value, json};
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

/// Generates `postgres_only::<name>` for each async test body taking a
/// `TestApp`, for tests that need PostgreSQL (several processes or replicas
/// on one database); reported as ignored without it, as in [`dual_backend`].
#[macro_export]
macro_rules! postgres_only {
    ($($name:ident),+ $(,)?) => {
        mod postgres_only {$(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            #[cfg_attr(not(any(pg_tests, feature = "pg-tests")), ignore = "needs PostgreSQL: set DINGWARDEN_TEST_PG_URL")]
            async fn $name() {
                let app = $crate::helpers::TestApp::postgres().await;
                let url = app.db.url();
                super::$name(app).await;
                $crate::helpers::drop_pg_database(&url).await;
            }
        )+}
    };
}

/// The PostgreSQL database tests create their own databases from.
pub fn pg_admin_url() -> String {
    std::env::var("DINGWARDEN_TEST_PG_URL")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// Drops a test's own database (`…/dwtest_…`), closing what still uses it.
/// Cleaning up is not what a test proves: on a loaded machine the drop is
/// tried again, and a database it could not drop is reported and left for
/// `.ci/run`, which drops every `dwtest_…` database before the tests.
pub async fn drop_pg_database(url: &str) {
    let (_, name) = url.rsplit_once('/').expect("database URL has a path");
    assert!(
        name.starts_with("dwtest_"),
        "only test databases are dropped"
    );
    let mut last = String::new();
    for attempt in 0..3 {
        if attempt > 0 {
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
        match try_drop(name).await {
            Ok(()) => return,
            Err(e) => last = format!("{e:#}"),
        }
    }
    eprintln!("warning: test database {name} left behind: {last}");
}

async fn try_drop(name: &str) -> anyhow::Result<()> {
    let admin = Store::connect(&pg_admin_url()).await?;
    let dropped = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(admin.pool())
        .await;
    admin.close().await;
    dropped?;
    Ok(())
}

/// Creates a fresh `dwtest_…` database; its URL.
async fn create_pg_database(options: &str) -> String {
    let admin_url = pg_admin_url();
    let name = format!("dwtest_{}", uuid::Uuid::new_v4().simple());
    let admin = Store::connect(&admin_url)
        .await
        .expect("connect to PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE {name}{options}"))
        .execute(admin.pool())
        .await
        .expect("create test database");
    admin.close().await;
    let (base, _) = admin_url.rsplit_once('/').expect("database URL has a path");
    format!("{base}/{name}")
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
        Self::postgres_created_with("").await
    }

    /// A PostgreSQL database whose default collation is ICU's `en-US`
    /// (case-insensitive-looking, accent-aware ordering), unlike the test
    /// server's `C.UTF-8`: what a production cluster may well have.
    pub async fn postgres_icu() -> Self {
        Self::postgres_created_with(
            " TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'",
        )
        .await
    }

    async fn postgres_created_with(options: &str) -> Self {
        Self::start(Db::Postgres(create_pg_database(options).await)).await
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
        // A loaded CI machine can hold a claim past the 2 s default; the
        // tests of the claim timeout set their own.
        config.timeouts.claim = std::time::Duration::from_secs(15);
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

/// What a run of the `dingwarden` binary printed and how it ended.
#[derive(Debug)]
pub struct CliRun {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}
