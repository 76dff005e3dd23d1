//! The console's cookies. `dw_session` carries a session's random secret
//! (the server keeps only its digest, see [`crate::actions::console`]);
//! `dw_oauth` carries the `state` of a DingTalk sign-in under way for ten
//! minutes. Both are `HttpOnly; Secure; SameSite=Lax`: Lax because the
//! return from DingTalk is a cross-site navigation that must carry them;
//! Secure always — browsers accept Secure cookies from `http://localhost`
//! and `http://127.0.0.1` (they count as secure contexts), so `serve --dev`
//! works over plain HTTP on loopback and nothing else does.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

use crate::domain::console::ABSOLUTE_MS;

/// The session cookie's name.
pub const COOKIE_NAME: &str = "dw_session";
/// The sign-in state cookie's name.
pub const STATE_COOKIE: &str = "dw_oauth";
/// How long a DingTalk sign-in may take, in seconds.
pub const STATE_MAX_AGE_SECS: i64 = 600;

const ATTRIBUTES: &str = "HttpOnly; Secure; SameSite=Lax";

/// The value of cookie `name` sent by the browser, if any.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.trim_matches('"'))
        .filter(|v| !v.is_empty())
}

/// The session secret sent by the browser, if any.
pub fn from_request(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, COOKIE_NAME)
}

/// `Set-Cookie` for a new session (the browser keeps it no longer than a
/// session can live; the server ends it sooner when idle).
pub fn set_cookie(secret: &str) -> String {
    let max_age = ABSOLUTE_MS / 1000;
    format!("{COOKIE_NAME}={secret}; Max-Age={max_age}; Path=/admin; {ATTRIBUTES}")
}

/// `Set-Cookie` that makes the browser forget the session.
pub fn clear_cookie() -> String {
    format!("{COOKIE_NAME}=; Max-Age=0; Path=/admin; {ATTRIBUTES}")
}

/// `Set-Cookie` binding a DingTalk sign-in's `state` to this browser.
pub fn set_state_cookie(value: &str) -> String {
    format!("{STATE_COOKIE}={value}; Max-Age={STATE_MAX_AGE_SECS}; Path=/admin/auth; {ATTRIBUTES}")
}

/// `Set-Cookie` that forgets the sign-in state.
pub fn clear_state_cookie() -> String {
    format!("{STATE_COOKIE}=; Max-Age=0; Path=/admin/auth; {ATTRIBUTES}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn cookies_are_read_among_others() {
        let mut h = HeaderMap::new();
        h.append(COOKIE, HeaderValue::from_static("a=1; dw_session=v.x; b=2"));
        h.append(COOKIE, HeaderValue::from_static("dw_oauth=st"));
        assert_eq!(from_request(&h), Some("v.x"));
        assert_eq!(cookie(&h, STATE_COOKIE), Some("st"));
        assert_eq!(from_request(&HeaderMap::new()), None);
        let mut empty = HeaderMap::new();
        empty.append(COOKIE, HeaderValue::from_static("dw_session="));
        assert_eq!(from_request(&empty), None);
    }

    #[test]
    fn cookies_are_http_only_secure_and_lax() {
        for c in [set_cookie("v"), set_state_cookie("s")] {
            for part in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/admin"] {
                assert!(c.contains(part), "{c}");
            }
        }
        assert!(set_cookie("v").contains("Max-Age=86400"));
        assert!(clear_cookie().contains("Max-Age=0"));
        assert!(clear_state_cookie().contains("Max-Age=0"));
    }
}
