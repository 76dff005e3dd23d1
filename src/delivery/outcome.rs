//! What happens to a row after an attempt: sent; partly sent with the
//! flow-controlled users retried alone; retried with exponential backoff and
//! jitter (5xx, timeouts, connection errors, throttling); or dead-lettered
//! (permanent errors at once, transient ones after the last attempt). Pure,
//! so the policy is unit-tested without a database.

use std::time::Duration;

use crate::config::DeliverySettings;
use crate::dingtalk::api_error::{ApiError, ErrorClass};

use super::transport::Sent;

/// Longest error text kept on a row.
const MAX_ERROR_CHARS: usize = 300;

/// The row's state after this attempt.
pub use crate::store::outbox::OutboxStatus as Status;

/// Who DingTalk accepted the message for, and who not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Accepted {
    pub process_query_key: Option<String>,
    pub delivered: Vec<String>,
    pub undeliverable: Vec<String>,
    pub flow_controlled: Vec<String>,
}

/// The decision for one attempted row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub status: Status,
    pub attempts: i64,
    pub next_attempt_at: Option<i64>,
    pub error: Option<String>,
    /// Recipients still owed the message, when fewer than before.
    pub remaining: Option<Vec<String>>,
    /// Present when DingTalk accepted the call.
    pub accepted: Option<Accepted>,
    /// Metrics label: ok | partial | the error's kind.
    pub result: &'static str,
}

/// Backoff before attempt `failed + 1`: base·2^(failed−1), capped, then
/// "equal jitter" (half fixed, half random; `jitter` in [0, 1)).
pub fn backoff(settings: &DeliverySettings, failed: i64, jitter: f64) -> Duration {
    let exp = u32::try_from(failed.clamp(1, 32) - 1).unwrap_or(31);
    let full = settings
        .backoff_base
        .saturating_mul(2u32.saturating_pow(exp))
        .min(settings.backoff_max);
    full / 2 + full.mul_f64(jitter.clamp(0.0, 1.0) / 2.0)
}

fn truncate(s: String) -> String {
    if s.chars().count() <= MAX_ERROR_CHARS {
        s
    } else {
        s.chars().take(MAX_ERROR_CHARS).chain(['…']).collect()
    }
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX / 4)
}

/// Decides a row's fate. `recipients` are those this attempt was for;
/// `had_delivery` says an earlier attempt already reached some of them.
pub fn decide(
    settings: &DeliverySettings,
    attempts_before: i64,
    had_delivery: bool,
    recipients: &[String],
    result: Result<Sent, ApiError>,
    now_ms: i64,
    jitter: f64,
) -> Decision {
    let attempts = attempts_before + 1;
    let last = attempts >= i64::from(settings.max_attempts);
    let retry_at = |min: Option<Duration>| {
        let wait = backoff(settings, attempts, jitter).max(min.unwrap_or_default());
        Some(now_ms + ms(wait))
    };
    let mut d = Decision {
        status: Status::Sent,
        attempts,
        next_attempt_at: None,
        error: None,
        remaining: None,
        accepted: None,
        result: "ok",
    };
    match result {
        Ok(sent) => {
            let acc = split(recipients, &sent);
            if !acc.flow_controlled.is_empty() {
                let n = acc.flow_controlled.len();
                d.result = "partial";
                d.remaining = Some(acc.flow_controlled.clone());
                if last {
                    d.status = Status::Dead;
                    d.error = Some(format!(
                        "{n} recipient(s) still flow-controlled after {attempts} attempts"
                    ));
                } else {
                    d.status = Status::Pending;
                    d.next_attempt_at = retry_at(None);
                    d.error = Some(format!("{n} recipient(s) flow-controlled; retrying them"));
                }
            } else if acc.delivered.is_empty() && !acc.undeliverable.is_empty() && !had_delivery {
                d.status = Status::Dead;
                d.error = Some("DingTalk knows none of the recipients".into());
            }
            d.accepted = Some(acc);
        }
        Err(e) => {
            let class = e.class();
            d.result = e.kind();
            d.error = Some(truncate(e.to_string()));
            match class {
                ErrorClass::Permanent => d.status = Status::Dead,
                _ if last => {
                    d.status = Status::Dead;
                    d.error = Some(truncate(format!("gave up after {attempts} attempts: {e}")));
                }
                ErrorClass::RateLimited { retry_after } => {
                    d.status = Status::Pending;
                    d.next_attempt_at = retry_at(retry_after);
                }
                ErrorClass::Transient | ErrorClass::InvalidToken => {
                    d.status = Status::Pending;
                    d.next_attempt_at = retry_at(None);
                }
            }
        }
    }
    d
}

/// Splits the recipients by what DingTalk said about them.
fn split(recipients: &[String], sent: &Sent) -> Accepted {
    let mut acc = Accepted {
        process_query_key: sent.process_query_key.clone(),
        ..Accepted::default()
    };
    for r in recipients {
        if sent.undeliverable.contains(r) {
            acc.undeliverable.push(r.clone());
        } else if sent.flow_controlled.contains(r) {
            acc.flow_controlled.push(r.clone());
        } else {
            acc.delivered.push(r.clone());
        }
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> DeliverySettings {
        let mut s = crate::config::Config::for_tests("http://127.0.0.1:1", "s").delivery;
        s.max_attempts = 3;
        s.backoff_base = Duration::from_secs(10);
        s.backoff_max = Duration::from_secs(25);
        s
    }

    fn users(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let s = settings();
        assert_eq!(backoff(&s, 1, 0.0), Duration::from_secs(5));
        assert_eq!(backoff(&s, 1, 0.999_999).as_secs(), 9);
        assert_eq!(backoff(&s, 2, 0.0), Duration::from_secs(10));
        assert_eq!(backoff(&s, 3, 0.0), Duration::from_millis(12_500));
        assert_eq!(backoff(&s, 40, 1.0), Duration::from_secs(25));
    }

    #[test]
    fn transient_errors_retry_until_the_last_attempt() {
        let s = settings();
        let d = decide(
            &s,
            0,
            false,
            &users(&["a"]),
            Err(ApiError::Status(500)),
            1000,
            0.0,
        );
        assert_eq!(
            (d.status, d.attempts, d.next_attempt_at),
            (Status::Pending, 1, Some(6000))
        );
        assert_eq!(d.result, "transient");
        let d = decide(&s, 2, false, &users(&["a"]), Err(ApiError::Timeout), 0, 0.0);
        assert_eq!(d.status, Status::Dead);
        assert!(d.error.unwrap().starts_with("gave up after 3 attempts"));
    }

    #[test]
    fn permanent_errors_dead_letter_at_once() {
        let e = ApiError::Api {
            status: 400,
            code: "invalidParameter.msgParam.invalid".into(),
            message: "bad".into(),
        };
        let d = decide(&settings(), 0, false, &users(&["a"]), Err(e), 0, 0.5);
        assert_eq!((d.status, d.attempts), (Status::Dead, 1));
        assert!(
            d.error
                .unwrap()
                .contains("invalidParameter.msgParam.invalid")
        );
    }

    #[test]
    fn robot_blocks_wait_ten_minutes() {
        let e = ApiError::Legacy {
            errcode: 130_101,
            errmsg: "send too fast".into(),
        };
        let d = decide(&settings(), 0, false, &users(&["ops"]), Err(e), 0, 0.0);
        assert_eq!(d.next_attempt_at, Some(600_000));
    }

    #[test]
    fn flow_controlled_users_stay_pending_alone() {
        let sent = Sent {
            process_query_key: Some("k".into()),
            undeliverable: users(&["ghost"]),
            flow_controlled: users(&["b"]),
        };
        let d = decide(
            &settings(),
            0,
            false,
            &users(&["a", "b", "ghost"]),
            Ok(sent.clone()),
            0,
            0.0,
        );
        assert_eq!(d.status, Status::Pending);
        assert_eq!(d.remaining, Some(users(&["b"])));
        let acc = d.accepted.unwrap();
        assert_eq!(
            (acc.delivered, acc.undeliverable),
            (users(&["a"]), users(&["ghost"]))
        );
        let d = decide(&settings(), 2, true, &users(&["b"]), Ok(sent), 0, 0.0);
        assert_eq!(d.status, Status::Dead);
    }

    #[test]
    fn all_unknown_recipients_are_a_dead_letter() {
        let sent = Sent {
            undeliverable: users(&["x", "y"]),
            ..Sent::default()
        };
        let d = decide(
            &settings(),
            0,
            false,
            &users(&["x", "y"]),
            Ok(sent.clone()),
            0,
            0.0,
        );
        assert_eq!(d.status, Status::Dead);
        // …unless an earlier attempt reached the others.
        let d = decide(&settings(), 1, true, &users(&["x", "y"]), Ok(sent), 0, 0.0);
        assert_eq!(d.status, Status::Sent);
        let d = decide(
            &settings(),
            0,
            false,
            &users(&["a"]),
            Ok(Sent::default()),
            0,
            0.0,
        );
        assert_eq!((d.status, d.result), (Status::Sent, "ok"));
    }
}
