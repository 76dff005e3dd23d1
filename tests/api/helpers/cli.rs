//! Running the built `dingwarden` binary against a test app's database.

use super::{CliRun, SECRET, TestApp};

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
}
