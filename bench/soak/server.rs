//! The soak's surroundings: a fake DingTalk on loopback (sessionWebhook
//! replies, the access token and the OpenAPI sends, all answered at once and
//! counted), a roster imported with the real CLI, and the real `dingwarden
//! serve` process under test, whose resident set size is read from
//! `/proc/PID/status`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Json;
use axum::routing::post;
use serde_json::{Value, json};

pub const SECRET: &str = "soak-secret-0123456789abcdefghijklmnopqrstuvwxyz";

/// What the fake DingTalk received.
#[derive(Default)]
pub struct Received {
    /// Replies POSTed to a sessionWebhook.
    pub replies: AtomicU64,
    /// People messaged through the OpenAPI (1:1 batch sends).
    pub sent: AtomicU64,
}

/// Starts the fake on the current runtime; its base URL.
pub async fn fake_dingtalk(received: Arc<Received>) -> String {
    let (r1, r2) = (received.clone(), received);
    let app = axum::Router::new()
        .route(
            "/robot/sendBySession",
            post(move || {
                r1.replies.fetch_add(1, Ordering::Relaxed);
                async { Json(json!({"errcode": 0, "errmsg": "ok"})) }
            }),
        )
        .route(
            "/v1.0/oauth2/accessToken",
            post(|| async { Json(json!({"accessToken": "soak", "expireIn": 7200})) }),
        )
        .route(
            "/v1.0/robot/oToMessages/batchSend",
            post(move |Json(body): Json<Value>| {
                let n = body["userIds"].as_array().map_or(0, Vec::len) as u64;
                r2.sent.fetch_add(n, Ordering::Relaxed);
                async { Json(json!({"processQueryKey": "k", "invalidStaffIdList": []})) }
            }),
        )
        .route(
            "/v1.0/robot/groupMessages/send",
            post(|| async { Json(json!({"processQueryKey": "k"})) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// The environment `serve` and the CLI run with (nothing else inherited).
fn command(db: &Path, fake: &str, port: u16) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dingwarden"));
    cmd.env_clear()
        .env("DINGWARDEN_LISTEN", format!("127.0.0.1:{port}"))
        .env(
            "DINGWARDEN_DATABASE_URL",
            format!("sqlite://{}?mode=rwc", db.display()),
        )
        .env("DINGTALK_APP_KEY", "soakappkey")
        .env("DINGTALK_APP_SECRET", SECRET)
        .env("DINGTALK_API_BASE", fake)
        .env("DINGTALK_OAPI_BASE", fake)
        .env("DINGWARDEN_ADMINS", "admin1")
        // Reminders and notices go out whatever the hour of the run.
        .env("DINGWARDEN_QUIET_HOURS", "off")
        .env("DINGWARDEN_OPENAPI_QPS", "1000")
        .env("RUST_LOG", "warn");
    // The allocators' tuning, when the run sets it (glibc's MALLOC_ARENA_MAX,
    // mimalloc's MIMALLOC_PURGE_DELAY, …).
    // The scheduler's tick too, to tell its jobs' stalls from others.
    let tuning = |n: &str| {
        n.starts_with("MALLOC_")
            || n.starts_with("MIMALLOC_")
            || n == "DINGWARDEN_SCHEDULER_TICK_SECS"
    };
    for (name, value) in std::env::vars().filter(|(n, _)| tuning(n)) {
        cmd.env(name, value);
    }
    cmd
}

/// `cmd` under the profiler named by `SOAK_WRAP` (e.g. `heaptrack -o
/// /tmp/serve`), when set: the wrapper's words, then the command and its
/// arguments, with the command's environment. The RSS read is then the
/// wrapper's process, not the server's.
fn wrapped(cmd: Command) -> Command {
    let Ok(wrap) = std::env::var("SOAK_WRAP") else {
        return cmd;
    };
    let mut words = wrap.split_whitespace();
    let mut out = Command::new(words.next().expect("SOAK_WRAP names a program"));
    out.args(words).arg(cmd.get_program()).args(cmd.get_args());
    out.env_clear();
    for (name, value) in cmd.get_envs() {
        if let Some(value) = value {
            out.env(name, value);
        }
    }
    // The wrapper itself needs a PATH to find its helpers.
    if let Ok(path) = std::env::var("PATH") {
        out.env("PATH", path);
    }
    out
}

/// Imports `users` people (`u0000`…) and `admin1` with the real CLI.
pub fn import_roster(dir: &Path, db: &Path, fake: &str, users: usize) {
    let csv: PathBuf = dir.join("roster.csv");
    let mut text = String::from("department,staff_id,name\n总部/信息部,admin1,管理员\n");
    for i in 0..users {
        text.push_str(&format!("总部/部门{},{},员工{i}\n", i % 10, user(i)));
    }
    std::fs::write(&csv, text).unwrap();
    let status = command(db, fake, 0)
        .args(["roster", "import"])
        .arg(&csv)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "roster import failed");
}

/// The staff id of simulated person `i`.
pub fn user(i: usize) -> String {
    format!("u{i:04}")
}

/// A running `dingwarden serve`; stopped (SIGTERM) when dropped.
pub struct Serve {
    child: Child,
    pub url: String,
}

impl Serve {
    /// Starts `serve` and waits for `/readyz`; its stderr goes to `log`.
    pub async fn start(db: &Path, fake: &str, log: &Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut cmd = command(db, fake, port);
        cmd.arg("serve");
        let child = wrapped(cmd)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(log).unwrap())
            .spawn()
            .unwrap();
        let serve = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let start = Instant::now();
        while !reqwest::get(format!("{}/readyz", serve.url))
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "serve did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        serve
    }

    /// Inbox runs that reached an end (handled, failed or unreadable), read
    /// from `/metrics`: the commands the server has finished, as opposed to
    /// the callbacks it answered 200 (accepted into the inbox).
    pub async fn finished(&self) -> u64 {
        let text = match reqwest::get(format!("{}/metrics", self.url)).await {
            Ok(r) => r.text().await.unwrap_or_default(),
            Err(_) => return 0,
        };
        finished_runs(&text)
    }

    /// The process's resident set size, bytes.
    pub fn rss(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// Sums `dingwarden_inbox_runs_total` over the outcomes that end a run.
fn finished_runs(metrics: &str) -> u64 {
    const ENDS: [&str; 3] = ["handled", "failed", "unreadable"];
    metrics
        .lines()
        .filter_map(|l| l.strip_prefix("dingwarden_inbox_runs_total{outcome=\""))
        .filter_map(|l| l.split_once("\"} "))
        .filter(|(outcome, _)| ENDS.contains(outcome))
        .filter_map(|(_, n)| n.trim().parse::<f64>().ok())
        .map(|n| n as u64)
        .sum()
}
