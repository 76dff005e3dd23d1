//! Real `dingwarden serve` processes on a test app's database and fake
//! DingTalk: started with only the environment given here, waited for
//! until ready, sent signed callbacks, stopped with SIGTERM or SIGKILL.

use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use dingwarden::dingtalk::signature::sign;
use serde_json::Value;

use super::{SECRET, TestApp};

/// A running `dingwarden serve`; killed when dropped.
pub struct Serve {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
}

/// A free loopback port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl TestApp {
    /// `dingwarden serve` on this app's database and fake DingTalk, on
    /// `port`, with nothing else from the test's environment; `env` adds or
    /// overrides variables.
    pub fn serve_command(&self, port: u16, env: &[(&str, &str)]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_dingwarden"));
        cmd.arg("serve")
            .env_clear()
            .env("DINGWARDEN_LISTEN", format!("127.0.0.1:{port}"))
            .env("DINGWARDEN_DATABASE_URL", self.db.url())
            .env("DINGTALK_APP_KEY", "dingtestappkey")
            .env("DINGTALK_APP_SECRET", SECRET)
            .env("DINGTALK_OAPI_BASE", self.fake.uri())
            .env("DINGTALK_API_BASE", self.fake.uri())
            .env("DINGTALK_ROBOT_CODE", "dingtestrobot")
            .env("DINGWARDEN_ADMINS", "admin1")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd
    }

    /// Starts `serve` and waits until `/readyz` answers 200.
    pub async fn serve(&self, env: &[(&str, &str)]) -> Serve {
        let port = free_port();
        let child = self
            .serve_command(port, env)
            .spawn()
            .expect("start dingwarden serve");
        let serve = Serve {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let start = Instant::now();
        while !serve.ready().await {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "serve did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        serve
    }
}

impl Serve {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether `/readyz` answers 200.
    pub async fn ready(&self) -> bool {
        reqwest::get(format!("{}/readyz", self.url))
            .await
            .is_ok_and(|r| r.status().is_success())
    }

    /// Posts a callback signed now (the real clock); the HTTP status, 0 when
    /// nothing answered.
    pub async fn post(&self, client: &reqwest::Client, body: &Value) -> u16 {
        let ts = chrono::Utc::now().timestamp_millis().to_string();
        client
            .post(format!("{}/dingtalk/robot", self.url))
            .header("timestamp", &ts)
            .header("sign", sign(SECRET, &ts))
            .json(body)
            .send()
            .await
            .map_or(0, |r| r.status().as_u16())
    }

    /// SIGKILL: no graceful anything.
    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reap");
    }

    /// SIGTERM, then waits up to 20 s for the exit.
    pub fn stop(mut self) -> ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill -TERM");
        assert!(status.success());
        wait_exit(&mut self.child, Duration::from_secs(20)).expect("no graceful shutdown")
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for a child to exit; `None` (and the child killed) after `limit`.
pub fn wait_exit(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
