//! Configuration: the one place that reads settings. Environment variables,
//! optionally overlaid by a TOML file (`--config FILE`); the environment wins.
//! Every setting has a default that works locally; secrets never print.

use std::net::SocketAddr;
use std::time::Duration;

use chrono_tz::Tz;
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::evidence::key::EvidenceKey;

mod inbox;
mod limits;
mod sources;
#[cfg(test)]
mod tests;
mod types;
mod values;

pub use crate::domain::schedule::QuietHours;
pub use inbox::InboxSettings;
pub use limits::Limits;
pub use sources::{DEV_IGNORED, Sources, VARIABLES};
pub use types::{
    CustomRobot, DatabaseUrl, DeliverySettings, Ingress, RetentionSettings, StreamSettings,
    TimeoutSettings,
};
use values::*;

/// A setting that could not be read: names the variable, says what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    pub var: String,
    pub message: String,
}

fn err(var: &str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        var: var.to_owned(),
        message: message.into(),
    }
}

/// Every setting of the service. Built by [`Config::load`] (production) or
/// [`Config::for_tests`]; shared read-only afterwards.
#[derive(Clone, Debug)]
pub struct Config {
    pub listen: SocketAddr,
    pub database_url: DatabaseUrl,
    pub app_key: String,
    /// First one signs token requests; all of them are accepted on callbacks
    /// (rotation: `DINGTALK_APP_SECRET=new,old`).
    pub app_secrets: Vec<SecretString>,
    pub robot_code: String,
    pub api_base: Url,
    pub oapi_base: Url,
    pub event_token: Option<SecretString>,
    pub event_aes_key: Option<SecretString>,
    pub corp_id: Option<String>,
    pub admins: Vec<String>,
    pub hr: Vec<String>,
    /// Whether DingTalk's organisation-admin flag (`isAdmin`, the sync's
    /// `admin`) grants the admin role. Off by default: see README "Roster".
    pub dingtalk_admins_are_admins: bool,
    /// The bootstrap API token (`DINGWARDEN_ADMIN_TOKEN`, at least 32
    /// characters): shared, admin scope; personal tokens are made in the console.
    pub admin_token: Option<SecretString>,
    /// DingTalk's sign-in page host (`DINGTALK_LOGIN_BASE`).
    pub login_base: Url,
    /// Reverse proxies whose `X-Forwarded-For` names the client
    /// (`DINGWARDEN_TRUSTED_PROXIES`), for the per-address throttle.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub timezone: Tz,
    pub signature_window: Duration,
    pub scheduler_tick: Duration,
    pub quiet_hours: Option<QuietHours>,
    /// Days overdue after which a user's manager is told once (`None`: never).
    pub password_escalate_after_days: Option<u32>,
    /// Days after a failed quiz until the follow-up on the missed topics (0: none).
    pub quiz_followup_days: u32,
    pub log_filter: String,
    /// The texts: built in, with `DINGWARDEN_LOCALE_DIR`'s files over them.
    pub locales: std::sync::Arc<crate::i18n::Locales>,
    /// `serve --dev`: loopback sessionWebhooks allowed, OpenAPI sends go to the dev sink.
    pub dev: bool,
    /// In `--dev`: the DingTalk credentials that were set and ignored.
    pub dev_ignored: Vec<&'static str>,
    pub delivery: DeliverySettings,
    /// Where messages and events come in; the Stream client's tuning.
    pub stream: StreamSettings,
    /// Signs evidence bundles (`DINGWARDEN_EVIDENCE_KEY`); unsigned without.
    pub evidence_key: Option<EvidenceKey>,
    /// How long personal data is kept (`DINGWARDEN_RETENTION_*`).
    pub retention: RetentionSettings,
    /// The durable inbox: handler lease, handlers at once.
    pub inbox: InboxSettings,
    /// Claim, request and header-read timeouts.
    pub timeouts: TimeoutSettings,
    /// Where people reach this service (`DINGWARDEN_PUBLIC_URL`, http(s),
    /// no query); console links are `{public_url}/admin/…` ([`Config::public_link`]),
    /// and the console's DingTalk sign-in returns to `{public_url}/admin/auth/callback`.
    pub public_url: Option<Url>,
    /// Quiz pass validity, notice reminder cap, roster leaver guard (issue 18).
    pub limits: Limits,
}

/// Default SQLite database, in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://dingwarden.db?mode=rwc";

impl Config {
    /// Reads and validates every setting. In `dev` mode missing secrets get
    /// working stand-ins (a random app secret); otherwise they stop start-up.
    pub fn load(src: &Sources, dev: bool) -> Result<Self, ConfigError> {
        let (dev_src, dev_ignored) = src.without_credentials();
        let src = if dev { &dev_src } else { src };
        let dev_ignored = if dev { dev_ignored } else { Vec::new() };
        let app_key = match src.get("DINGTALK_APP_KEY") {
            Some(k) => k.trim().to_owned(),
            None if dev => "dingwarden-dev".to_owned(),
            None => {
                return Err(err(
                    "DINGTALK_APP_KEY",
                    "is required (the DingTalk app's AppKey / client id)",
                ));
            }
        };
        let app_secrets: Vec<SecretString> = match src.get("DINGTALK_APP_SECRET") {
            Some(s) if split_list(s).is_empty() => {
                return Err(err(
                    "DINGTALK_APP_SECRET",
                    "names no secret (expected the AppSecret, or several separated by commas)",
                ));
            }
            Some(s) => split_list(s).into_iter().map(SecretString::from).collect(),
            None if dev => vec![SecretString::from(random_secret())],
            None => {
                return Err(err(
                    "DINGTALK_APP_SECRET",
                    "is required (the DingTalk app's AppSecret)",
                ));
            }
        };
        let mut admins = split_list(src.get("DINGWARDEN_ADMINS").unwrap_or_default());
        if dev && admins.is_empty() {
            admins.push("admin".to_owned());
        }
        Ok(Self {
            listen: parse(src, "DINGWARDEN_LISTEN", "127.0.0.1:8080", |s| {
                s.parse().map_err(|_| "expected HOST:PORT".into())
            })?,
            database_url: DatabaseUrl(database_url(src)?),
            robot_code: src
                .get("DINGTALK_ROBOT_CODE")
                .map(str::to_owned)
                .unwrap_or_else(|| app_key.clone()),
            app_key,
            app_secrets,
            api_base: parse(
                src,
                "DINGTALK_API_BASE",
                "https://api.dingtalk.com",
                parse_base,
            )?,
            oapi_base: parse(
                src,
                "DINGTALK_OAPI_BASE",
                "https://oapi.dingtalk.com",
                parse_base,
            )?,
            event_token: src
                .get("DINGTALK_EVENT_TOKEN")
                .map(|s| SecretString::from(s.to_owned())),
            event_aes_key: event_aes_key(src)?,
            corp_id: src.get("DINGTALK_CORP_ID").map(str::to_owned),
            admins,
            hr: split_list(src.get("DINGWARDEN_HR").unwrap_or_default()),
            dingtalk_admins_are_admins: parse(
                src,
                "DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS",
                "false",
                parse_bool,
            )?,
            admin_token: admin_token(src)?,
            login_base: parse(
                src,
                "DINGTALK_LOGIN_BASE",
                "https://login.dingtalk.com",
                parse_base,
            )?,
            trusted_proxies: parse(src, "DINGWARDEN_TRUSTED_PROXIES", "", parse_networks)?,
            timezone: parse(src, "DINGWARDEN_TIMEZONE", "Asia/Shanghai", |s| {
                s.parse::<Tz>()
                    .map_err(|_| format!("unknown time zone '{s}' (expected e.g. Asia/Shanghai)"))
            })?,
            signature_window: parse(src, "DINGWARDEN_SIGNATURE_WINDOW_SECS", "3600", parse_secs)?,
            scheduler_tick: parse(src, "DINGWARDEN_SCHEDULER_TICK_SECS", "60", parse_secs)?,
            quiet_hours: parse(
                src,
                "DINGWARDEN_QUIET_HOURS",
                "21:00-08:00",
                QuietHours::parse,
            )?,
            password_escalate_after_days: parse(
                src,
                "DINGWARDEN_PASSWORD_ESCALATE_AFTER_DAYS",
                "7",
                parse_days_or_off,
            )?,
            quiz_followup_days: parse(src, "DINGWARDEN_QUIZ_FOLLOWUP_DAYS", "3", parse_days)?,
            log_filter: src.get("RUST_LOG").unwrap_or("info").to_owned(),
            locales: locales(src)?,
            dev,
            dev_ignored,
            delivery: DeliverySettings::load(src)?,
            stream: StreamSettings::load(src, dev)?,
            // Not through `parse`: its error would echo the key.
            evidence_key: src
                .get("DINGWARDEN_EVIDENCE_KEY")
                .map(EvidenceKey::parse)
                .transpose()
                .map_err(|m| err("DINGWARDEN_EVIDENCE_KEY", m))?,
            retention: RetentionSettings::load(src)?,
            inbox: InboxSettings::load(src)?,
            timeouts: TimeoutSettings::load(src)?,
            public_url: public_url(src)?,
            limits: Limits::load(src)?,
        })
    }

    /// A configuration for tests: fake DingTalk at `fake_base`, one app secret.
    pub fn for_tests(fake_base: &str, app_secret: &str) -> Self {
        let base = parse_base(fake_base).expect("fake base URL");
        Self {
            listen: "127.0.0.1:0".parse().expect("addr"),
            database_url: DatabaseUrl("sqlite::memory:".into()),
            app_key: "dingtestappkey".into(),
            app_secrets: vec![SecretString::from(app_secret.to_owned())],
            robot_code: "dingtestrobot".into(),
            api_base: base.clone(),
            oapi_base: base.clone(),
            event_token: None,
            event_aes_key: None,
            corp_id: None,
            admins: vec![],
            hr: vec![],
            dingtalk_admins_are_admins: false,
            admin_token: None,
            login_base: base,
            trusted_proxies: vec![],
            timezone: chrono_tz::Asia::Shanghai,
            signature_window: Duration::from_secs(3600),
            scheduler_tick: Duration::from_secs(60),
            quiet_hours: QuietHours::parse("21:00-08:00").expect("quiet hours"),
            password_escalate_after_days: Some(7),
            quiz_followup_days: 3,
            log_filter: "info".into(),
            locales: crate::i18n::builtin(),
            dev: false,
            dev_ignored: vec![],
            delivery: DeliverySettings::for_tests(),
            stream: StreamSettings::default(),
            evidence_key: None,
            retention: RetentionSettings::for_tests(),
            inbox: InboxSettings::default(),
            timeouts: TimeoutSettings::default(),
            public_url: None,
            limits: Limits::default(),
        }
    }

    /// The secret used for outbound signing and token requests.
    pub fn primary_secret(&self) -> &str {
        self.app_secrets[0].expose_secret()
    }
}

/// The app secret a client (`dingwarden chat`) signs callbacks with, if the
/// environment names one (the first, during rotation).
pub fn client_app_secret() -> Option<String> {
    std::env::var("DINGTALK_APP_SECRET")
        .ok()
        .and_then(|s| split_list(&s).into_iter().next())
}
