//! One `serve` per SQLite file (issue 13), with real processes: a second
//! `serve` on the same file refuses to start in one line naming the file
//! and the running process, touches nothing, and the first keeps working;
//! once the first is killed (SIGKILL), a new one starts at once.

use std::process::Stdio;
use std::time::Duration;

use crate::helpers::TestApp;
use crate::helpers::process::{free_port, wait_exit};

/// Waits until the fake has `n` replies in alice's conversation.
async fn replies_to_alice(app: &TestApp, n: usize) {
    let start = std::time::Instant::now();
    while app.webhook_posts("cid-alice").await.len() < n {
        assert!(start.elapsed() < Duration::from_secs(20), "no reply");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_serve_on_one_sqlite_file_refuses_and_the_first_keeps_working() {
    let app = TestApp::sqlite().await;
    app.clock.set(chrono::Utc::now());
    let first = app.serve(&[]).await;
    let client = reqwest::Client::new();
    assert_eq!(first.post(&client, &app.direct("alice", "help")).await, 200);
    replies_to_alice(&app, 1).await;

    let port = free_port();
    let mut second = app
        .serve_command(port, &[("RUST_LOG", "info")])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let exit = tokio::task::spawn_blocking(move || {
        let exit = wait_exit(&mut second, Duration::from_secs(30));
        (exit, second)
    })
    .await
    .unwrap();
    let (Some(status), second) = exit else {
        panic!("the second serve did not stop");
    };
    assert!(!status.success());
    let err = std::io::read_to_string(second.stderr.unwrap()).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    let db = app.db.url();
    let file = db
        .trim_start_matches("sqlite://")
        .trim_end_matches("?mode=rwc");
    let file = std::fs::canonicalize(file).unwrap();
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains(&format!("pid {}", first.pid())), "{err}");
    assert!(err.contains("in use"), "{err}");
    assert!(
        std::net::TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the second serve listened"
    );

    // The first is unaffected.
    assert!(first.ready().await);
    assert_eq!(first.post(&client, &app.direct("alice", "me")).await, 200);
    replies_to_alice(&app, 2).await;

    // A crash leaves no lock behind.
    first.kill();
    let third = app.serve(&[]).await;
    assert_eq!(third.post(&client, &app.direct("alice", "help")).await, 200);
    replies_to_alice(&app, 3).await;
    let status = third.stop();
    assert!(status.success(), "{status:?}");
}
