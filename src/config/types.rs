//! The structured settings: the database URL, delivery tuning (quiet hours
//! are a domain rule, [`crate::domain::schedule::QuietHours`]).

use std::fmt;
use std::time::Duration;

use secrecy::SecretString;
use url::Url;

use super::values::{parse, parse_positive, parse_robots, parse_secs};
use super::{ConfigError, Sources, err};

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
    /// Sends in flight per worker. The default, 1, keeps the promise that a
    /// crash repeats at most the one batch in flight.
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
    pub(super) fn load(src: &Sources) -> Result<Self, ConfigError> {
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
            concurrency: parse(src, "DINGWARDEN_DELIVERY_CONCURRENCY", "1", |s| {
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
    pub(super) fn for_tests() -> Self {
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

/// How long the service waits on what it does not control (issue 13): the
/// database for a claim, a client for its headers, any request as a whole.
#[derive(Clone, Debug)]
pub struct TimeoutSettings {
    /// Longest a callback or Stream message waits for its durable claim
    /// before it is answered 503 (a Stream message is left unacked); also
    /// the bound of `/readyz`'s database check.
    pub claim: Duration,
    /// Longest any request may take, headers received to response (503).
    pub request: Duration,
    /// Longest a client may take to send a request's headers (also how long
    /// a kept-alive connection may sit idle); then the connection is closed.
    pub header_read: Duration,
}

impl TimeoutSettings {
    pub(super) fn load(src: &Sources) -> Result<Self, ConfigError> {
        Ok(Self {
            claim: parse(src, "DINGWARDEN_CLAIM_TIMEOUT_MS", "2000", |s| {
                parse_positive(s).map(|n| Duration::from_millis(n.into()))
            })?,
            request: parse(src, "DINGWARDEN_REQUEST_TIMEOUT_SECS", "30", parse_secs)?,
            header_read: parse(src, "DINGWARDEN_HEADER_READ_TIMEOUT_SECS", "10", parse_secs)?,
        })
    }
}

impl Default for TimeoutSettings {
    fn default() -> Self {
        Self {
            claim: Duration::from_millis(2000),
            request: Duration::from_secs(30),
            header_read: Duration::from_secs(10),
        }
    }
}

/// Where robot messages and events come in (`DINGWARDEN_INGRESS`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ingress {
    /// Signed HTTP callbacks at `/dingtalk/robot` and `/dingtalk/events`.
    Http,
    /// A WebSocket dialled out to DingTalk's Stream gateway; the two
    /// callback routes answer 404.
    Stream,
    /// Both at once (for moving from one to the other).
    Both,
}

impl Ingress {
    pub(super) fn parse(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "http" => Ok(Self::Http),
            "stream" => Ok(Self::Stream),
            "both" => Ok(Self::Both),
            _ => Err("expected http, stream or both".into()),
        }
    }

    /// Whether the HTTP callback routes are served.
    pub fn http(self) -> bool {
        matches!(self, Self::Http | Self::Both)
    }

    /// Whether a Stream connection is kept.
    pub fn stream(self) -> bool {
        matches!(self, Self::Stream | Self::Both)
    }
}

/// The Stream client's settings (issue 14). Only the ingress and the
/// keepalive are read from the environment; the backoff follows the issue's
/// fixed rule, and tests shorten it.
#[derive(Clone, Debug)]
pub struct StreamSettings {
    pub ingress: Ingress,
    /// WebSocket ping interval; silence for two of them means a dead connection.
    pub keepalive: Duration,
    /// First reconnect delay bound; doubles per failed attempt.
    pub backoff_base: Duration,
    /// Largest reconnect delay bound.
    pub backoff_max: Duration,
    /// A connection up this long resets the backoff.
    pub healthy_after: Duration,
    /// Longest wait for in-flight acks when a connection is being closed.
    pub drain: Duration,
}

impl StreamSettings {
    pub(super) fn load(src: &Sources, dev: bool) -> Result<Self, ConfigError> {
        let ingress = parse(src, "DINGWARDEN_INGRESS", "http", Ingress::parse)?;
        Ok(Self {
            // `serve --dev` stays on HTTP so `dingwarden chat` keeps working.
            ingress: if dev { Ingress::Http } else { ingress },
            keepalive: parse(src, "DINGWARDEN_STREAM_KEEPALIVE_SECS", "60", parse_secs)?,
            ..Self::default()
        })
    }
}

impl Default for StreamSettings {
    fn default() -> Self {
        Self {
            ingress: Ingress::Http,
            keepalive: Duration::from_secs(60),
            backoff_base: Duration::from_secs(1),
            backoff_max: Duration::from_secs(60),
            healthy_after: Duration::from_secs(60),
            drain: Duration::from_secs(5),
        }
    }
}

/// How long personal data is kept (issue 17; README "Retention").
#[derive(Clone, Debug)]
pub struct RetentionSettings {
    pub periods: crate::domain::retention::Periods,
    /// Keys the pseudonyms of leavers' staff ids; `None`: a fresh random
    /// key each run, never stored (pseudonyms then link to no one).
    pub key: Option<SecretString>,
}

/// Days from 0 to 100 years.
fn parse_retention_days(s: &str) -> Result<u32, String> {
    match s.trim().parse::<u32>() {
        Ok(n) if n <= 36_500 => Ok(n),
        _ => Err("expected a number of days from 0 to 36500".into()),
    }
}

impl RetentionSettings {
    pub(super) fn load(src: &Sources) -> Result<Self, ConfigError> {
        let days = |var: &str, default: &str| parse(src, var, default, parse_retention_days);
        Ok(Self {
            periods: crate::domain::retention::Periods {
                leaver_days: days("DINGWARDEN_RETENTION_LEAVER_DAYS", "180")?,
                text_days: days("DINGWARDEN_RETENTION_TEXT_DAYS", "365")?,
                outbox_days: days("DINGWARDEN_RETENTION_OUTBOX_DAYS", "30")?,
                dead_letter_days: days("DINGWARDEN_RETENTION_DEAD_LETTER_DAYS", "90")?,
            },
            key: src
                .get("DINGWARDEN_RETENTION_KEY")
                .map(|s| SecretString::from(s.to_owned())),
        })
    }

    /// The defaults (tests).
    pub(super) fn for_tests() -> Self {
        Self {
            periods: crate::domain::retention::Periods {
                leaver_days: 180,
                text_days: 365,
                outbox_days: 30,
                dead_letter_days: 90,
            },
            key: None,
        }
    }
}
