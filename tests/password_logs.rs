//! A pasted password never reaches the logs, even at TRACE. Its own test
//! binary, so the process-wide subscriber sees every thread and no other
//! test races it for tracing's callsite registration.

#[expect(dead_code, reason = "the shared harness has more than this test needs")]
#[path = "api/helpers.rs"]
mod helpers;

#[expect(dead_code, reason = "the shared harness has more than this test needs")]
#[path = "api/fake_dingtalk.rs"]
mod fake_dingtalk;

use std::io::Write;
use std::sync::{Arc, Mutex};

use helpers::TestApp;

const SECRET: &str = "Xy7#kq9Lm2";

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pasted_password_never_reaches_the_logs() {
    let buf = Buf::default();
    let writer = buf.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .init();
    let app = TestApp::sqlite().await;
    for text in [
        format!("密码：{SECRET}"),
        format!("my password is {SECRET}"),
        format!("password done {SECRET}"),
    ] {
        let reply = app.say_text("alice", &text).await;
        assert!(reply.contains("看起来包含密码"), "{reply}");
    }
    // A malformed body carrying the text is rejected without quoting it.
    let body = serde_json::json!({"msgtype": "text", "text": format!("my password is {SECRET}")});
    let (status, answer) = app.post(&body).await;
    assert_eq!(status, axum::http::StatusCode::BAD_REQUEST);
    assert!(!answer.to_string().contains(SECRET), "{answer}");
    let logs = String::from_utf8_lossy(&buf.0.lock().unwrap()).into_owned();
    assert_eq!(logs.matches("message withheld").count(), 3, "{logs}");
    assert!(logs.contains("malformed callback body"), "{logs}");
    assert!(!logs.contains(SECRET), "{logs}");
}
