//! Configuration: the one place that reads settings. Environment variables,
//! optionally overlaid by a TOML file (`--config FILE`); the environment wins.
//! Every setting has a default that works locally; secrets never print.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use chrono::NaiveTime;
use chrono_tz::Tz;
use secrecy::{ExposeSecret, SecretString};
use url::Url;

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

/// Local-time window in which no reminders are sent (may wrap midnight).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    /// Whether `t` (local time) falls inside the window.
    pub fn contains(&self, t: NaiveTime) -> bool {
        if self.start <= self.end {
            t >= self.start && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }

    fn parse(s: &str) -> Result<Option<Self>, String> {
        if s.eq_ignore_ascii_case("off") {
            return Ok(None);
        }
        let (a, b) = s.split_once('-').ok_or("expected HH:MM-HH:MM or off")?;
        let t = |x: &str| {
            NaiveTime::parse_from_str(x.trim(), "%H:%M").map_err(|_| format!("invalid time '{x}'"))
        };
        Ok(Some(Self {
            start: t(a)?,
            end: t(b)?,
        }))
    }
}

/// A database URL; `Debug` hides its password.
#[derive(Clone)]
pub struct DatabaseUrl(pub String);

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match Url::parse(&self.0) {
            Ok(mut u) if u.password().is_some() => {
                let _ = u.set_password(Some("***"));
                write!(f, "{u}")
            }
            _ => write!(f, "{}", self.0),
        }
    }
}

/// A custom group robot (PROTOCOL.md §3): outbox rows on the `custom_robot`
/// channel name it as their single recipient.
#[derive(Clone, Debug)]
pub struct CustomRobot {
    pub name: String,
    /// The webhook's `access_token`.
    pub access_token: SecretString,
    /// The `SEC…` signing secret, when the robot's security setting is 加签.
    pub secret: Option<SecretString>,
}

/// How the delivery worker sends the outbox (issue 3).
#[derive(Clone, Debug)]
pub struct DeliverySettings {
    /// Attempts before a transiently failing row becomes a dead letter.
    pub max_attempts: u32,
    /// Backoff after the first failure; doubles per attempt, with jitter.
    pub backoff_base: Duration,
    /// Longest backoff between two attempts.
    pub backoff_max: Duration,
    /// How long a claimed row stays reserved for its worker.
    pub lease: Duration,
    /// Sends in flight per worker.
    pub concurrency: usize,
    /// Calls per second to each OpenAPI send API, per replica.
    pub openapi_qps: u32,
    /// Messages per minute to each custom robot (DingTalk blocks above 20).
    pub robot_per_minute: u32,
    /// How long one OpenAPI call may take.
    pub openapi_timeout: Duration,
    pub custom_robots: Vec<CustomRobot>,
}

impl DeliverySettings {
    fn load(src: &Sources) -> Result<Self, ConfigError> {
        Ok(Self {
            max_attempts: parse(src, "DINGWARDEN_OUTBOX_MAX_ATTEMPTS", "12", parse_positive)?,
            backoff_base: parse(src, "DINGWARDEN_OUTBOX_BACKOFF_SECS", "2", parse_secs)?,
            backoff_max: parse(
                src,
                "DINGWARDEN_OUTBOX_BACKOFF_MAX_SECS",
                "1800",
                parse_secs,
            )?,
            lease: parse(src, "DINGWARDEN_OUTBOX_LEASE_SECS", "120", parse_secs)?,
            concurrency: parse(src, "DINGWARDEN_DELIVERY_CONCURRENCY", "8", |s| {
                parse_positive(s).map(|n| n as usize)
            })?,
            openapi_qps: parse(src, "DINGWARDEN_OPENAPI_QPS", "10", parse_positive)?,
            robot_per_minute: parse(
                src,
                "DINGWARDEN_CUSTOM_ROBOT_PER_MINUTE",
                "20",
                parse_positive,
            )?,
            openapi_timeout: parse(src, "DINGWARDEN_OPENAPI_TIMEOUT_MS", "10000", |s| {
                parse_positive(s).map(|n| Duration::from_millis(n.into()))
            })?,
            // Not through `parse`: its error would echo the value, tokens included.
            custom_robots: parse_robots(src.get("DINGWARDEN_CUSTOM_ROBOTS").unwrap_or_default())
                .map_err(|m| err("DINGWARDEN_CUSTOM_ROBOTS", m))?,
        })
    }

    /// Generous limits so tests that enqueue a few hundred rows drain them at one instant.
    fn for_tests() -> Self {
        Self {
            max_attempts: 5,
            backoff_base: Duration::from_secs(5),
            backoff_max: Duration::from_secs(600),
            lease: Duration::from_secs(120),
            concurrency: 8,
            openapi_qps: 1000,
            robot_per_minute: 20,
            openapi_timeout: Duration::from_secs(2),
            custom_robots: vec![],
        }
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
    pub admin_token: Option<SecretString>,
    pub timezone: Tz,
    pub signature_window: Duration,
    pub scheduler_tick: Duration,
    pub quiet_hours: Option<QuietHours>,
    /// Days overdue after which a user's manager is told once (`None`: never).
    pub password_escalate_after_days: Option<u32>,
    /// Days after a failed quiz until the follow-up on the missed topics (0: none).
    pub quiz_followup_days: u32,
    pub log_filter: String,
    /// `serve --dev`: loopback sessionWebhooks allowed, OpenAPI sends go to the dev sink.
    pub dev: bool,
    pub delivery: DeliverySettings,
}

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
    "DINGWARDEN_TIMEZONE",
    "DINGWARDEN_SIGNATURE_WINDOW_SECS",
    "DINGWARDEN_SCHEDULER_TICK_SECS",
    "DINGWARDEN_QUIET_HOURS",
    "DINGWARDEN_PASSWORD_ESCALATE_AFTER_DAYS",
    "DINGWARDEN_QUIZ_FOLLOWUP_DAYS",
    "DINGWARDEN_OUTBOX_MAX_ATTEMPTS",
    "DINGWARDEN_OUTBOX_BACKOFF_SECS",
    "DINGWARDEN_OUTBOX_BACKOFF_MAX_SECS",
    "DINGWARDEN_OUTBOX_LEASE_SECS",
    "DINGWARDEN_DELIVERY_CONCURRENCY",
    "DINGWARDEN_OPENAPI_QPS",
    "DINGWARDEN_CUSTOM_ROBOT_PER_MINUTE",
    "DINGWARDEN_OPENAPI_TIMEOUT_MS",
    "DINGWARDEN_CUSTOM_ROBOTS",
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

    fn get(&self, var: &str) -> Option<&str> {
        self.env
            .get(var)
            .or_else(|| self.file.get(var))
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }
}

fn read_toml(path: &Path) -> Result<HashMap<String, String>, ConfigError> {
    let name = format!("--config {}", path.display());
    let text = std::fs::read_to_string(path).map_err(|e| err(&name, e.to_string()))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| err(&name, e.message().to_owned()))?;
    let mut out = HashMap::new();
    for (key, value) in table {
        let var = key.to_ascii_uppercase();
        if !VARIABLES.contains(&var.as_str()) {
            return Err(err(&name, format!("unknown setting '{key}'")));
        }
        let value = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Array(items) => items
                .iter()
                .map(|v| {
                    v.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| v.to_string())
                })
                .collect::<Vec<_>>()
                .join(","),
            other => {
                return Err(err(
                    &name,
                    format!("'{key}' has an unsupported value {other}"),
                ));
            }
        };
        out.insert(var, value);
    }
    Ok(out)
}

/// Default SQLite database, in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://dingwarden.db?mode=rwc";

impl Config {
    /// Reads and validates every setting. In `dev` mode missing secrets get
    /// working stand-ins (a random app secret); otherwise they stop start-up.
    pub fn load(src: &Sources, dev: bool) -> Result<Self, ConfigError> {
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
        let app_secrets = match src.get("DINGTALK_APP_SECRET") {
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
            admin_token: src
                .get("DINGWARDEN_ADMIN_TOKEN")
                .map(|s| SecretString::from(s.to_owned())),
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
            dev,
            delivery: DeliverySettings::load(src)?,
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
            oapi_base: base,
            event_token: None,
            event_aes_key: None,
            corp_id: None,
            admins: vec![],
            hr: vec![],
            dingtalk_admins_are_admins: false,
            admin_token: None,
            timezone: chrono_tz::Asia::Shanghai,
            signature_window: Duration::from_secs(3600),
            scheduler_tick: Duration::from_secs(60),
            quiet_hours: QuietHours::parse("21:00-08:00").expect("quiet hours"),
            password_escalate_after_days: Some(7),
            quiz_followup_days: 3,
            log_filter: "info".into(),
            dev: false,
            delivery: DeliverySettings::for_tests(),
        }
    }

    /// The secret used for outbound signing and token requests.
    pub fn primary_secret(&self) -> &str {
        self.app_secrets[0].expose_secret()
    }
}

fn parse<T>(
    src: &Sources,
    var: &str,
    default: &str,
    f: impl Fn(&str) -> Result<T, String>,
) -> Result<T, ConfigError> {
    let raw = src.get(var).unwrap_or(default);
    f(raw.trim()).map_err(|m| err(var, format!("{m} (got '{raw}')")))
}

fn database_url(src: &Sources) -> Result<String, ConfigError> {
    let url = src
        .get("DINGWARDEN_DATABASE_URL")
        .unwrap_or(DEFAULT_DATABASE_URL)
        .trim()
        .to_owned();
    if url.starts_with("sqlite:")
        || url.starts_with("postgres://")
        || url.starts_with("postgresql://")
    {
        Ok(url)
    } else {
        Err(err(
            "DINGWARDEN_DATABASE_URL",
            "must start with sqlite: or postgres://",
        ))
    }
}

fn event_aes_key(src: &Sources) -> Result<Option<SecretString>, ConfigError> {
    match src.get("DINGTALK_EVENT_AES_KEY") {
        None => Ok(None),
        Some(k) if k.len() == 43 && k.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            Ok(Some(SecretString::from(k.to_owned())))
        }
        Some(_) => Err(err(
            "DINGTALK_EVENT_AES_KEY",
            "must be exactly 43 letters and digits",
        )),
    }
}

fn parse_base(s: &str) -> Result<Url, String> {
    let url = Url::parse(s).map_err(|e| format!("invalid URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err("expected an http(s) URL".into());
    }
    Ok(url)
}

fn parse_bool(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err("expected true or false".into()),
    }
}

fn parse_secs(s: &str) -> Result<Duration, String> {
    match s.parse::<u64>() {
        Ok(n) if n > 0 => Ok(Duration::from_secs(n)),
        _ => Err("expected a positive number of seconds".into()),
    }
}

/// The app secret a client (`dingwarden chat`) signs callbacks with, if the
/// environment names one (the first, during rotation).
pub fn client_app_secret() -> Option<String> {
    std::env::var("DINGTALK_APP_SECRET")
        .ok()
        .and_then(|s| split_list(&s).into_iter().next())
}

/// A number of days (0–3650), or `off`.
fn parse_days_or_off(s: &str) -> Result<Option<u32>, String> {
    if s.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    match s.parse::<u32>() {
        Ok(n) if n <= 3650 => Ok(Some(n)),
        _ => Err("expected a number of days (0-3650) or off".into()),
    }
}

fn parse_days(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(n) if n <= 365 => Ok(n),
        _ => Err("expected a number of days from 0 to 365".into()),
    }
}

fn parse_positive(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("expected a positive whole number".into()),
    }
}

/// `name=ACCESS_TOKEN[:SECRET],…` (the secret is the robot's `SEC…` string).
fn parse_robots(s: &str) -> Result<Vec<CustomRobot>, String> {
    let mut robots: Vec<CustomRobot> = Vec::new();
    for item in split_list(s) {
        let (name, rest) = item
            .split_once('=')
            .ok_or("expected name=ACCESS_TOKEN[:SECRET], comma-separated")?;
        let (token, secret) = match rest.split_once(':') {
            Some((t, sec)) => (t.trim(), Some(sec.trim())),
            None => (rest.trim(), None),
        };
        let name = name.trim();
        if name.is_empty() || token.is_empty() || secret.is_some_and(str::is_empty) {
            return Err(format!("robot '{name}' needs a name and an access token"));
        }
        if robots.iter().any(|r| r.name == name) {
            return Err(format!("robot '{name}' is listed twice"));
        }
        robots.push(CustomRobot {
            name: name.to_owned(),
            access_token: SecretString::from(token.to_owned()),
            secret: secret.map(|x| SecretString::from(x.to_owned())),
        });
    }
    Ok(robots)
}

/// Splits a comma-separated list, dropping blanks.
pub fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

fn random_secret() -> String {
    use rand::Rng;
    rand::thread_rng()
        .sample_iter(rand::distributions::Alphanumeric)
        .take(48)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(env: &[(&str, &str)], file: &[(&str, &str)]) -> Sources {
        let m = |kv: &[(&str, &str)]| {
            kv.iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        Sources::from_maps(m(env), m(file))
    }

    #[test]
    fn missing_secret_names_the_variable() {
        let e = Config::load(&sources(&[("DINGTALK_APP_KEY", "k")], &[]), false).unwrap_err();
        assert_eq!(e.var, "DINGTALK_APP_SECRET");
        let e = Config::load(&sources(&[], &[]), false).unwrap_err();
        assert_eq!(e.var, "DINGTALK_APP_KEY");
    }

    #[test]
    fn dev_mode_fills_in_secrets_and_an_admin() {
        let c = Config::load(&sources(&[], &[]), true).unwrap();
        assert_eq!(c.app_secrets.len(), 1);
        assert!(c.primary_secret().len() >= 32);
        assert_eq!(c.admins, vec!["admin"]);
        assert_eq!(c.database_url.0, DEFAULT_DATABASE_URL);
    }

    #[test]
    fn env_wins_over_file_and_lists_split() {
        let c = Config::load(
            &sources(
                &[
                    ("DINGTALK_APP_KEY", "envkey"),
                    ("DINGTALK_APP_SECRET", "new, old"),
                ],
                &[
                    ("DINGTALK_APP_KEY", "filekey"),
                    ("DINGWARDEN_ADMINS", "a,b,,c"),
                ],
            ),
            false,
        )
        .unwrap();
        assert_eq!(c.app_key, "envkey");
        assert_eq!(c.robot_code, "envkey");
        assert_eq!(c.app_secrets.len(), 2);
        assert_eq!(c.primary_secret(), "new");
        assert_eq!(c.admins, vec!["a", "b", "c"]);
    }

    #[test]
    fn invalid_values_name_their_variable() {
        let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
        for (var, bad) in [
            ("DINGWARDEN_LISTEN", "nope"),
            ("DINGWARDEN_TIMEZONE", "Mars/Olympus"),
            ("DINGWARDEN_SIGNATURE_WINDOW_SECS", "-1"),
            ("DINGWARDEN_QUIET_HOURS", "25:00-08:00"),
            ("DINGTALK_API_BASE", "ftp://x"),
            ("DINGWARDEN_DATABASE_URL", "mysql://x"),
            ("DINGTALK_EVENT_AES_KEY", "short"),
            ("DINGWARDEN_PASSWORD_ESCALATE_AFTER_DAYS", "soon"),
            ("DINGWARDEN_QUIZ_FOLLOWUP_DAYS", "soon"),
            ("DINGWARDEN_QUIZ_FOLLOWUP_DAYS", "400"),
        ] {
            let mut env = base.to_vec();
            env.push((var, bad));
            let e = Config::load(&sources(&env, &[]), false).unwrap_err();
            assert_eq!(e.var, var, "{e}");
            assert!(e.to_string().starts_with(var));
        }
    }

    #[test]
    fn debug_redacts_secrets_and_db_password() {
        let c = Config::load(
            &sources(
                &[
                    ("DINGTALK_APP_KEY", "k"),
                    ("DINGTALK_APP_SECRET", "supersecretvalue"),
                    ("DINGWARDEN_DATABASE_URL", "postgres://u:hunter2@db/x"),
                ],
                &[],
            ),
            false,
        )
        .unwrap();
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("supersecretvalue"));
        assert!(!dbg.contains("hunter2"));
    }

    #[test]
    fn dingtalk_admins_are_not_admins_unless_asked() {
        let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
        let c = Config::load(&sources(&base, &[]), false).unwrap();
        assert!(!c.dingtalk_admins_are_admins);
        assert!(!Config::for_tests("http://127.0.0.1:1", "s").dingtalk_admins_are_admins);
        for (value, expected) in [("true", true), ("ON", true), ("1", true), ("false", false)] {
            let mut env = base.to_vec();
            env.push(("DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS", value));
            let c = Config::load(&sources(&env, &[]), false).unwrap();
            assert_eq!(c.dingtalk_admins_are_admins, expected, "{value}");
        }
        let mut env = base.to_vec();
        env.push(("DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS", "sometimes"));
        let e = Config::load(&sources(&env, &[]), false).unwrap_err();
        assert_eq!(e.var, "DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS");
        // The TOML file may give it as a boolean.
        let c = Config::load(
            &sources(&base, &[("DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS", "true")]),
            false,
        )
        .unwrap();
        assert!(c.dingtalk_admins_are_admins);
    }

    #[test]
    fn quiz_follow_up_days_default_to_three_and_zero_turns_them_off() {
        let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
        let c = Config::load(&sources(&base, &[]), false).unwrap();
        assert_eq!(c.quiz_followup_days, 3);
        let mut env = base.to_vec();
        env.push(("DINGWARDEN_QUIZ_FOLLOWUP_DAYS", "0"));
        assert_eq!(
            Config::load(&sources(&env, &[]), false)
                .unwrap()
                .quiz_followup_days,
            0
        );
        let c = Config::load(
            &sources(&base, &[("DINGWARDEN_QUIZ_FOLLOWUP_DAYS", "7")]),
            false,
        );
        assert_eq!(c.unwrap().quiz_followup_days, 7);
    }

    #[test]
    fn quiet_hours_wrap_midnight() {
        let q = QuietHours::parse("21:00-08:00").unwrap().unwrap();
        let t = |s| NaiveTime::parse_from_str(s, "%H:%M").unwrap();
        assert!(q.contains(t("22:30")));
        assert!(q.contains(t("07:59")));
        assert!(!q.contains(t("08:00")));
        assert!(!q.contains(t("12:00")));
        assert_eq!(QuietHours::parse("off").unwrap(), None);
    }

    #[test]
    fn password_escalation_days_default_to_seven_and_can_be_off() {
        let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
        let load = |extra: &[(&str, &str)]| {
            let mut env = base.to_vec();
            env.extend_from_slice(extra);
            Config::load(&sources(&env, &[]), false).unwrap()
        };
        assert_eq!(load(&[]).password_escalate_after_days, Some(7));
        let var = "DINGWARDEN_PASSWORD_ESCALATE_AFTER_DAYS";
        assert_eq!(load(&[(var, "14")]).password_escalate_after_days, Some(14));
        assert_eq!(load(&[(var, "OFF")]).password_escalate_after_days, None);
    }

    #[test]
    fn delivery_settings_default_and_parse() {
        let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
        let c = Config::load(&sources(&base, &[]), false).unwrap();
        assert_eq!(c.delivery.max_attempts, 12);
        assert_eq!(c.delivery.backoff_base, Duration::from_secs(2));
        assert_eq!(c.delivery.openapi_qps, 10);
        assert_eq!(c.delivery.robot_per_minute, 20);
        assert_eq!(c.delivery.openapi_timeout, Duration::from_secs(10));
        assert!(c.delivery.custom_robots.is_empty());
        let mut env = base.to_vec();
        env.push(("DINGWARDEN_CUSTOM_ROBOTS", "ops=tok1:SECabc, alerts=tok2"));
        env.push(("DINGWARDEN_OPENAPI_QPS", "5"));
        let c = Config::load(&sources(&env, &[]), false).unwrap();
        let r = &c.delivery.custom_robots;
        assert_eq!((r[0].name.as_str(), r[1].name.as_str()), ("ops", "alerts"));
        assert_eq!(r[0].access_token.expose_secret(), "tok1");
        assert_eq!(r[0].secret.as_ref().unwrap().expose_secret(), "SECabc");
        assert!(r[1].secret.is_none());
        assert_eq!(c.delivery.openapi_qps, 5);
        assert!(!format!("{c:?}").contains("SECabc"));
    }

    #[test]
    fn bad_delivery_settings_name_their_variable_without_echoing_tokens() {
        let base = [("DINGTALK_APP_KEY", "k"), ("DINGTALK_APP_SECRET", "s")];
        for (var, bad) in [
            ("DINGWARDEN_OUTBOX_MAX_ATTEMPTS", "0"),
            ("DINGWARDEN_OPENAPI_QPS", "fast"),
            ("DINGWARDEN_OPENAPI_TIMEOUT_MS", "-5"),
            ("DINGWARDEN_CUSTOM_ROBOTS", "ops"),
            (
                "DINGWARDEN_CUSTOM_ROBOTS",
                "ops=secrettoken,ops=secrettoken",
            ),
            ("DINGWARDEN_CUSTOM_ROBOTS", "ops=secrettoken:"),
        ] {
            let mut env = base.to_vec();
            env.push((var, bad));
            let e = Config::load(&sources(&env, &[]), false).unwrap_err();
            assert_eq!(e.var, var, "{e}");
            assert!(!e.to_string().contains("secrettoken"), "{e}");
        }
    }

    #[test]
    fn toml_file_keys_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(
            &path,
            "dingtalk_app_key = \"k\"\nDINGWARDEN_ADMINS = [\"a\", \"b\"]\n",
        )
        .unwrap();
        let map = read_toml(&path).unwrap();
        assert_eq!(map["DINGTALK_APP_KEY"], "k");
        assert_eq!(map["DINGWARDEN_ADMINS"], "a,b");
        std::fs::write(&path, "listne = \"x\"\n").unwrap();
        assert!(
            read_toml(&path)
                .unwrap_err()
                .message
                .contains("unknown setting")
        );
    }
}
