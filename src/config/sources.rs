//! Where settings come from: the process environment and an optional TOML
//! file (the environment wins), and which variables `--dev` ignores.

use std::collections::HashMap;
use std::path::Path;

use super::ConfigError;
use super::values::read_toml;

/// Where settings come from: the process environment and an optional TOML file.
pub struct Sources {
    env: HashMap<String, String>,
    file: HashMap<String, String>,
}

/// Every variable this service reads (the TOML file may use the same names).
pub const VARIABLES: &[&str] = &[
    "DINGWARDEN_LISTEN",
    "DINGWARDEN_DATABASE_URL",
    "DINGTALK_APP_KEY",
    "DINGTALK_APP_SECRET",
    "DINGTALK_ROBOT_CODE",
    "DINGTALK_API_BASE",
    "DINGTALK_OAPI_BASE",
    "DINGTALK_EVENT_TOKEN",
    "DINGTALK_EVENT_AES_KEY",
    "DINGTALK_CORP_ID",
    "DINGWARDEN_ADMINS",
    "DINGWARDEN_HR",
    "DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS",
    "DINGWARDEN_ADMIN_TOKEN",
    "DINGTALK_LOGIN_BASE",
    "DINGWARDEN_TRUSTED_PROXIES",
    "DINGWARDEN_TIMEZONE",
    "DINGWARDEN_SIGNATURE_WINDOW_SECS",
    "DINGWARDEN_SCHEDULER_TICK_SECS",
    "DINGWARDEN_QUIET_HOURS",
    "DINGWARDEN_PASSWORD_ESCALATE_AFTER_DAYS",
    "DINGWARDEN_QUIZ_FOLLOWUP_DAYS",
    "DINGWARDEN_LOCALE_DIR",
    "DINGWARDEN_OUTBOX_MAX_ATTEMPTS",
    "DINGWARDEN_OUTBOX_BACKOFF_SECS",
    "DINGWARDEN_OUTBOX_BACKOFF_MAX_SECS",
    "DINGWARDEN_OUTBOX_LEASE_SECS",
    "DINGWARDEN_DELIVERY_CONCURRENCY",
    "DINGWARDEN_OPENAPI_QPS",
    "DINGWARDEN_CUSTOM_ROBOT_PER_MINUTE",
    "DINGWARDEN_OPENAPI_TIMEOUT_MS",
    "DINGWARDEN_CUSTOM_ROBOTS",
    "DINGWARDEN_INGRESS",
    "DINGWARDEN_STREAM_KEEPALIVE_SECS",
    "DINGWARDEN_INBOX_LEASE_SECS",
    "DINGWARDEN_MAX_HANDLERS",
    "DINGWARDEN_MAX_QUEUED",
    "DINGWARDEN_CLAIM_TIMEOUT_MS",
    "DINGWARDEN_REQUEST_TIMEOUT_SECS",
    "DINGWARDEN_HEADER_READ_TIMEOUT_SECS",
    "DINGWARDEN_EVIDENCE_KEY",
    "DINGWARDEN_RETENTION_LEAVER_DAYS",
    "DINGWARDEN_RETENTION_TEXT_DAYS",
    "DINGWARDEN_RETENTION_OUTBOX_DAYS",
    "DINGWARDEN_RETENTION_DEAD_LETTER_DAYS",
    "DINGWARDEN_RETENTION_KEY",
    "DINGWARDEN_PUBLIC_URL",
    "DINGWARDEN_QUIZ_PASS_VALID_DAYS",
    "DINGWARDEN_NOTICE_MAX_REMINDERS",
    "DINGWARDEN_ROSTER_MAX_LEAVE_PERCENT",
    "RUST_LOG",
];

impl Sources {
    /// The process environment plus, if given, a TOML file.
    pub fn from_process(config_file: Option<&Path>) -> Result<Self, ConfigError> {
        let env = std::env::vars()
            .filter(|(k, _)| VARIABLES.contains(&k.as_str()))
            .collect();
        let file = match config_file {
            Some(path) => read_toml(path)?,
            None => HashMap::new(),
        };
        Ok(Self { env, file })
    }

    /// Settings from explicit maps (tests; no process environment involved).
    pub fn from_maps(env: HashMap<String, String>, file: HashMap<String, String>) -> Self {
        Self { env, file }
    }

    pub(super) fn get(&self, var: &str) -> Option<&str> {
        self.env
            .get(var)
            .or_else(|| self.file.get(var))
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }
}

/// DingTalk credentials and identities `serve --dev` never reads: it makes
/// its own secret, and nothing it does may reach the real organisation.
pub const DEV_IGNORED: &[&str] = &[
    "DINGTALK_APP_KEY",
    "DINGTALK_APP_SECRET",
    "DINGTALK_ROBOT_CODE",
    "DINGTALK_EVENT_TOKEN",
    "DINGTALK_EVENT_AES_KEY",
    "DINGTALK_CORP_ID",
    "DINGWARDEN_CUSTOM_ROBOTS",
];

impl Sources {
    /// These sources without the DingTalk credentials (for `--dev`), and
    /// which of them were set.
    pub(super) fn without_credentials(&self) -> (Self, Vec<&'static str>) {
        let ignored = DEV_IGNORED
            .iter()
            .copied()
            .filter(|v| self.get(v).is_some())
            .collect();
        let keep = |m: &HashMap<String, String>| -> HashMap<String, String> {
            m.iter()
                .filter(|(k, _)| !DEV_IGNORED.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        let kept = Self {
            env: keep(&self.env),
            file: keep(&self.file),
        };
        (kept, ignored)
    }
}
