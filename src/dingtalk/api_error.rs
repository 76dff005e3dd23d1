//! DingTalk's two error shapes (PROTOCOL.md §4.2) as one typed error, and
//! what each means for a retry: the new OpenAPI answers non-2xx with
//! `{"code","message","requestid"}`; legacy `oapi` endpoints and the custom
//! robot answer HTTP 200 with a non-zero `{"errcode","errmsg"}`.

use std::time::Duration;

use serde_json::Value;

/// A failed call to DingTalk.
#[derive(Clone, Debug, thiserror::Error)]
pub enum ApiError {
    /// New-style OpenAPI error: non-2xx status with `{code, message}`.
    #[error("DingTalk HTTP {status}: {code}: {message}")]
    Api {
        status: u16,
        code: String,
        message: String,
    },
    /// Legacy shape: HTTP 200 with a non-zero `errcode`.
    #[error("DingTalk errcode {errcode}: {errmsg}")]
    Legacy { errcode: i64, errmsg: String },
    /// A non-2xx status without a DingTalk error body.
    #[error("DingTalk answered HTTP {0}")]
    Status(u16),
    #[error("request to DingTalk timed out")]
    Timeout,
    /// Connection refused, reset, DNS… (never carries the URL: it may hold tokens).
    #[error("could not reach DingTalk: {0}")]
    Transport(String),
    /// A 2xx answer that is not the JSON DingTalk documents.
    #[error("unexpected DingTalk answer: {0}")]
    Decode(String),
    /// Refused locally before any request (e.g. an unknown custom robot).
    #[error("invalid request: {0}")]
    Invalid(String),
    /// Getting an access token failed.
    #[error("access token: {0}")]
    Token(Box<ApiError>),
}

/// What a failure means for the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorClass {
    /// The access token is invalid or expired: refresh it and retry once.
    InvalidToken,
    /// DingTalk throttled us; retry later (not before `retry_after` if given).
    RateLimited { retry_after: Option<Duration> },
    /// 5xx, timeouts, connection errors: retry with backoff.
    Transient,
    /// Invalid parameters, unknown user or group, refused content: retrying cannot help.
    Permanent,
}

/// How long a custom robot is blocked after exceeding 20 messages a minute (§3.4).
pub const ROBOT_BLOCK: Duration = Duration::from_secs(600);

impl ApiError {
    /// Classifies the failure for the retry policy.
    pub fn class(&self) -> ErrorClass {
        match self {
            ApiError::Api { status, code, .. } => api_class(*status, code),
            ApiError::Legacy { errcode, .. } => legacy_class(*errcode),
            ApiError::Status(401) => ErrorClass::InvalidToken,
            ApiError::Status(429) => ErrorClass::RateLimited { retry_after: None },
            ApiError::Status(s) if *s >= 500 || *s == 408 => ErrorClass::Transient,
            ApiError::Status(_) | ApiError::Invalid(_) => ErrorClass::Permanent,
            ApiError::Timeout | ApiError::Transport(_) | ApiError::Decode(_) => {
                ErrorClass::Transient
            }
            // A bad app secret affects every message alike: keep the rows
            // (backing off) rather than dead-letter the whole outbox at once.
            ApiError::Token(_) => ErrorClass::Transient,
        }
    }

    /// A short label for metrics and the admin view.
    pub fn kind(&self) -> &'static str {
        match self.class() {
            ErrorClass::InvalidToken => "invalid_token",
            ErrorClass::RateLimited { .. } => "rate_limited",
            ErrorClass::Transient => "transient",
            ErrorClass::Permanent => "permanent",
        }
    }

    pub(crate) fn from_reqwest(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            ApiError::Timeout
        } else if e.is_decode() {
            ApiError::Decode(e.without_url().to_string())
        } else {
            ApiError::Transport(e.without_url().to_string())
        }
    }
}

fn api_class(status: u16, code: &str) -> ErrorClass {
    let lower = code.to_ascii_lowercase();
    let throttled = [
        "toofast",
        "too.fast",
        "too.many",
        "throttl",
        "flowcontrol",
        "ratelimit",
    ]
    .iter()
    .any(|k| lower.contains(k));
    let bad_token = lower.starts_with("invalidauthentication")
        || (lower.contains("accesstoken")
            && (lower.contains("invalid") || lower.contains("expire")));
    if status == 401 || bad_token {
        ErrorClass::InvalidToken
    } else if status == 429 || throttled {
        ErrorClass::RateLimited { retry_after: None }
    } else if status >= 500 || lower.contains("serviceunavailable") || lower.contains("systembusy")
    {
        ErrorClass::Transient
    } else {
        ErrorClass::Permanent
    }
}

fn legacy_class(errcode: i64) -> ErrorClass {
    match errcode {
        // -1 system busy; 90002 platform overload.
        -1 | 90002 => ErrorClass::Transient,
        // Access token invalid / expired (legacy oapi).
        40001 | 40014 | 42001 => ErrorClass::InvalidToken,
        // Per-API or per-org throttling.
        90018 | 90019 => ErrorClass::RateLimited { retry_after: None },
        // Custom robot: over 20 a minute, then blocked for 10 minutes.
        130_101 | 410_100 => ErrorClass::RateLimited {
            retry_after: Some(ROBOT_BLOCK),
        },
        _ => ErrorClass::Permanent,
    }
}

/// Reads an answer in either shape: `Ok(body)` for success (an empty 2xx
/// body is `Value::Null`), the typed error otherwise.
pub fn parse_response(status: u16, body: &[u8]) -> Result<Value, ApiError> {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    if !(200..300).contains(&status) {
        let field = |v: &Value, a: &str, b: &str| {
            v.get(a)
                .or_else(|| v.get(b))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        return Err(match json {
            Some(v) => match field(&v, "code", "Code") {
                Some(code) => ApiError::Api {
                    status,
                    code,
                    message: field(&v, "message", "Message").unwrap_or_default(),
                },
                None => legacy_error(&v).unwrap_or(ApiError::Status(status)),
            },
            None => ApiError::Status(status),
        });
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    let v = json.ok_or_else(|| ApiError::Decode("answer is not JSON".into()))?;
    match legacy_error(&v) {
        Some(e) => Err(e),
        None => Ok(v),
    }
}

/// A non-zero `errcode` (a number or a numeric string) as an error.
fn legacy_error(v: &Value) -> Option<ApiError> {
    let code = v.get("errcode")?;
    let errcode = code
        .as_i64()
        .or_else(|| code.as_str().and_then(|s| s.trim().parse().ok()))?;
    (errcode != 0).then(|| ApiError::Legacy {
        errcode,
        errmsg: v
            .get("errmsg")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_style_errors_are_parsed_from_non_2xx() {
        let body =
            br#"{"code":"invalidParameter.userIds.overMax","message":"too many","requestid":"r1"}"#;
        let e = parse_response(400, body).unwrap_err();
        assert!(
            matches!(&e, ApiError::Api { status: 400, code, .. } if code == "invalidParameter.userIds.overMax")
        );
        assert_eq!(e.class(), ErrorClass::Permanent);
        let e = parse_response(401, br#"{"Code":"InvalidAuthentication","Message":"bad"}"#);
        assert_eq!(e.unwrap_err().class(), ErrorClass::InvalidToken);
        let e = parse_response(400, br#"{"code":"send.too.fast","message":"slow down"}"#);
        assert!(matches!(
            e.unwrap_err().class(),
            ErrorClass::RateLimited { .. }
        ));
        let e = parse_response(503, b"<html>busy</html>").unwrap_err();
        assert!(matches!(e, ApiError::Status(503)));
        assert_eq!(e.class(), ErrorClass::Transient);
    }

    #[test]
    fn legacy_errors_are_parsed_from_200() {
        let e = parse_response(200, br#"{"errcode":310000,"errmsg":"sign not match"}"#);
        assert!(matches!(
            e,
            Err(ApiError::Legacy {
                errcode: 310000,
                ..
            })
        ));
        let e = parse_response(200, br#"{"errcode":130101,"errmsg":"send too fast"}"#);
        assert_eq!(
            e.unwrap_err().class(),
            ErrorClass::RateLimited {
                retry_after: Some(ROBOT_BLOCK)
            }
        );
        let e = parse_response(200, br#"{"errcode":"-1","errmsg":"busy"}"#).unwrap_err();
        assert_eq!(e.class(), ErrorClass::Transient);
        assert!(parse_response(200, br#"{"errcode":0,"errmsg":"ok"}"#).is_ok());
    }

    #[test]
    fn successes_and_garbage() {
        let v = parse_response(200, br#"{"processQueryKey":"k"}"#).unwrap();
        assert_eq!(v["processQueryKey"], "k");
        assert_eq!(parse_response(204, b"").unwrap(), Value::Null);
        let e = parse_response(200, b"not json").unwrap_err();
        assert_eq!(e.class(), ErrorClass::Transient);
        assert_eq!(ApiError::Timeout.kind(), "transient");
        assert_eq!(ApiError::Invalid("x".into()).kind(), "permanent");
    }
}
