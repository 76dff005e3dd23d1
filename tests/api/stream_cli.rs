//! The binary in stream mode: `dingwarden stream check` (connected, no
//! frame, refused, unreachable) and `serve` logging one line per refused
//! `connections/open`, never a crash loop.

use std::time::Duration;

use serde_json::json;

use crate::dual_backend;
use crate::fake_gateway::FakeGateway;
use crate::helpers::TestApp;

async fn stream_check_says_what_happened_in_one_or_two_lines(app: TestApp) {
    let gw = FakeGateway::start(&app.fake).await;
    // Connected, and the gateway pings.
    let (run, _) = tokio::join!(app.cli(&["stream", "check"], &[]), async {
        let mut conn = gw.connection(Duration::from_secs(5)).await;
        let id = conn.system("ping", &json!({"opaque": "check"})).await;
        conn.ack(&id, Duration::from_secs(5)).await
    });
    assert!(run.ok, "{run:?}");
    assert_eq!(run.stdout.lines().count(), 1, "{run:?}");
    assert!(
        run.stdout
            .starts_with("connected to 127.0.0.1; first frame after"),
        "{run:?}"
    );
    assert!(run.stdout.contains("SYSTEM ping"), "{run:?}");
    // Connected, nothing said.
    let run = app.cli(&["stream", "check", "--wait", "1"], &[]).await;
    assert!(run.ok, "{run:?}");
    assert!(run.stdout.contains("no frame within 1 s"), "{run:?}");
    // Refused credentials.
    gw.refuse(true);
    let run = app.cli(&["stream", "check"], &[]).await;
    assert!(!run.ok, "{run:?}");
    assert!((1..=2).contains(&run.stderr.lines().count()), "{run:?}");
    assert!(
        run.stderr.contains("refused the credentials (HTTP 401"),
        "{run:?}"
    );
    assert!(run.stderr.contains("DINGTALK_APP_SECRET"), "{run:?}");
    assert!(!run.stderr.contains(crate::helpers::SECRET), "{run:?}");
    // Nothing listening.
    let run = app
        .cli(
            &["stream", "check"],
            &[("DINGTALK_API_BASE", "http://127.0.0.1:9")],
        )
        .await;
    assert!(!run.ok, "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "{run:?}");
    assert!(run.stderr.contains("unreachable"), "{run:?}");
    assert_eq!(gw.bad_handshakes(), 0);
}

async fn serve_logs_one_line_per_refused_open(app: TestApp) {
    let gw = FakeGateway::start(&app.fake).await;
    gw.refuse(true);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dingwarden"));
    cmd.env_clear()
        .arg("serve")
        .env("DINGWARDEN_DATABASE_URL", app.db.url())
        .env("DINGWARDEN_LISTEN", "127.0.0.1:0")
        .env("DINGWARDEN_INGRESS", "stream")
        .env("DINGTALK_APP_KEY", "dingtestappkey")
        .env("DINGTALK_APP_SECRET", crate::helpers::SECRET)
        .env("DINGTALK_API_BASE", app.fake.uri())
        .env("DINGTALK_OAPI_BASE", app.fake.uri())
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("start serve");
    // Backoff 1 s, 2 s, … with full jitter: a few attempts in 3.5 s.
    tokio::time::sleep(Duration::from_millis(3500)).await;
    child.kill().expect("kill serve");
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let logs = String::from_utf8_lossy(&out.stderr);
    let refused_lines = logs
        .lines()
        .filter(|l| l.contains("refused the credentials"))
        .count();
    let attempts = gw.refused();
    assert!((1..=12).contains(&attempts), "{attempts} attempts\n{logs}");
    // The attempt in flight at the kill may not have logged yet.
    assert!(
        refused_lines as u64 == attempts || refused_lines as u64 + 1 == attempts,
        "{refused_lines} lines for {attempts} attempts\n{logs}"
    );
    assert!(!logs.contains(crate::helpers::SECRET));
    assert!(!logs.contains("panicked"), "{logs}");
}

dual_backend!(
    stream_check_says_what_happened_in_one_or_two_lines,
    serve_logs_one_line_per_refused_open,
);
