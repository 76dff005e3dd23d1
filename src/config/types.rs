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
