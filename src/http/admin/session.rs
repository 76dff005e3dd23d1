//! The dashboard's session cookie: an expiry and an HMAC-SHA256 over it,
//! keyed by a key derived from the admin token — never the token itself.
//! Changing the token ends every session; nothing is stored server-side.
//! Also the cookie headers (`HttpOnly`, `SameSite=Strict`, `Secure` unless
//! the browser talks to a loopback host) and where the browser is.

use axum::http::HeaderMap;
use axum::http::header::{COOKIE, HOST};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac as _};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The cookie's name.
pub const COOKIE_NAME: &str = "dw_admin";
/// How long a login lasts.
pub const LIFETIME_MS: i64 = 12 * 60 * 60 * 1000;
/// Domain separation for the key derived from the token.
const KEY_LABEL: &[u8] = b"dingwarden dashboard session key v1";

fn mac(token: &str, expires_ms: i64) -> HmacSha256 {
    // HMAC accepts keys of any length, so neither call can fail.
    let mut kdf = HmacSha256::new_from_slice(token.as_bytes()).expect("HMAC takes any key");
    kdf.update(KEY_LABEL);
    let key = kdf.finalize().into_bytes();
    let mut mac = HmacSha256::new_from_slice(&key).expect("HMAC takes any key");
    mac.update(format!("session:{expires_ms}").as_bytes());
    mac
}

/// The cookie value for a session ending at `expires_ms`: `EXPIRY.MAC`.
pub fn sign(token: &str, expires_ms: i64) -> String {
    let tag = mac(token, expires_ms).finalize().into_bytes();
    format!("{expires_ms}.{}", URL_SAFE_NO_PAD.encode(tag))
}

/// Whether `value` is a session signed with `token` that is still valid at
/// `now_ms` (and not valid for longer than a login lasts). The tag is
/// compared in constant time.
pub fn verify(token: &str, value: &str, now_ms: i64) -> bool {
    let Some((expiry, tag)) = value.split_once('.') else {
        return false;
    };
    let Ok(expires_ms) = expiry.parse::<i64>() else {
        return false;
    };
    if expires_ms <= now_ms || expires_ms > now_ms.saturating_add(LIFETIME_MS) {
        return false;
    }
    let Ok(tag) = URL_SAFE_NO_PAD.decode(tag) else {
        return false;
    };
    mac(token, expires_ms).verify_slice(&tag).is_ok()
}

/// The session cookie sent by the browser, if any.
pub fn from_request(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE_NAME)
        .map(|(_, value)| value.trim_matches('"'))
}

fn attributes(secure: bool) -> &'static str {
    if secure {
        "Path=/admin; HttpOnly; SameSite=Strict; Secure"
    } else {
        "Path=/admin; HttpOnly; SameSite=Strict"
    }
}

/// `Set-Cookie` for a new session.
pub fn set_cookie(value: &str, secure: bool) -> String {
    let max_age = LIFETIME_MS / 1000;
    format!(
        "{COOKIE_NAME}={value}; Max-Age={max_age}; {}",
        attributes(secure)
    )
}

/// `Set-Cookie` that makes the browser forget the session.
pub fn clear_cookie(secure: bool) -> String {
    format!("{COOKIE_NAME}=; Max-Age=0; {}", attributes(secure))
}

/// Whether the cookie should be `Secure`: always, unless the browser
/// reached a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`) over plain
/// HTTP. Behind a reverse proxy, `X-Forwarded-Host`/`-Proto` tell.
pub fn secure(headers: &HeaderMap) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if header("x-forwarded-proto").is_some_and(|p| p.eq_ignore_ascii_case("https")) {
        return true;
    }
    let host = header("x-forwarded-host").or_else(|| header(HOST.as_str()));
    !host.is_some_and(is_loopback)
}

fn is_loopback(authority: &str) -> bool {
    let Ok(url) = url::Url::parse(&format!("http://{}", authority.trim())) else {
        return false;
    };
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost" || d.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const NOW: i64 = 1_796_004_000_000;

    #[test]
    fn a_signed_session_verifies_until_it_expires() {
        let v = sign("tok", NOW + 1000);
        assert!(verify("tok", &v, NOW));
        assert!(verify("tok", &v, NOW + 999));
        assert!(!verify("tok", &v, NOW + 1000), "expired");
        assert!(!verify("other", &v, NOW), "another token's key");
        assert!(!v.contains("tok"), "the token is not in the cookie");
    }

    #[test]
    fn forged_or_mangled_sessions_are_refused() {
        let v = sign("tok", NOW + 1000);
        let (_, tag) = v.split_once('.').unwrap();
        // A later expiry with the old tag.
        assert!(!verify("tok", &format!("{}.{tag}", NOW + 2000), NOW));
        let mut flipped = tag.to_owned().into_bytes();
        flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(flipped).unwrap();
        assert!(!verify("tok", &format!("{}.{flipped}", NOW + 1000), NOW));
        for junk in ["", ".", "abc", "1.2", &format!("{}.", NOW + 1000), "x.y"] {
            assert!(!verify("tok", junk, NOW), "{junk:?}");
        }
    }

    #[test]
    fn sessions_longer_than_a_login_are_refused() {
        let far = NOW + LIFETIME_MS + 1;
        assert!(!verify("tok", &sign("tok", far), NOW));
        assert!(verify("tok", &sign("tok", NOW + LIFETIME_MS), NOW));
    }

    #[test]
    fn cookies_are_read_among_others() {
        let mut h = HeaderMap::new();
        h.append(COOKIE, HeaderValue::from_static("a=1; dw_admin=v.x; b=2"));
        assert_eq!(from_request(&h), Some("v.x"));
        assert_eq!(from_request(&HeaderMap::new()), None);
    }

    #[test]
    fn set_cookie_is_http_only_strict_and_secure_off_loopback() {
        let c = set_cookie("v", true);
        for part in [
            "dw_admin=v",
            "HttpOnly",
            "SameSite=Strict",
            "Secure",
            "Path=/admin",
        ] {
            assert!(c.contains(part), "{c}");
        }
        assert!(!set_cookie("v", false).contains("Secure"));
        assert!(clear_cookie(true).contains("Max-Age=0"));
    }

    #[test]
    fn secure_unless_the_browser_is_on_loopback() {
        let with = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, HeaderValue::from_static(v));
            }
            secure(&h)
        };
        assert!(!with(&[("host", "localhost:8080")]));
        assert!(!with(&[("host", "127.0.0.1:8080")]));
        assert!(!with(&[("host", "[::1]:8080")]));
        assert!(with(&[("host", "ops.example.com")]));
        assert!(with(&[("host", "10.0.0.5:8080")]));
        assert!(with(&[]), "no Host: secure");
        assert!(with(&[
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-host", "ops.example.com")
        ]));
        assert!(with(&[
            ("host", "127.0.0.1:8080"),
            ("x-forwarded-proto", "https")
        ]));
    }
}
