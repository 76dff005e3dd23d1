//! Robot signatures (PROTOCOL.md §1.2 and §3.3):
//! `sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret))`.
//! The same HMAC verifies inbound callbacks and signs custom-robot sends.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Why a callback's signature was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("missing {0} header")]
    MissingHeader(&'static str),
    #[error("timestamp is not a millisecond count")]
    BadTimestamp,
    #[error("timestamp outside the accepted window")]
    Stale,
    #[error("signature does not match")]
    Mismatch,
}

fn mac(secret: &str, timestamp: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.as_bytes());
    mac.update(b"\n");
    mac.update(secret.as_bytes());
    mac
}

/// The base64 signature of `timestamp` under `secret` (raw, not URL-encoded).
pub fn sign(secret: &str, timestamp: &str) -> String {
    STANDARD.encode(mac(secret, timestamp).finalize().into_bytes())
}

/// Checks a callback's `timestamp` and `sign` headers: the timestamp must be
/// within `window_ms` of `now_ms` either way, and the signature must match one
/// of `secrets` (several during rotation). The comparison is constant-time.
/// Returns the parsed timestamp.
pub fn verify(
    secrets: &[SecretString],
    timestamp: &str,
    sign: &str,
    now_ms: i64,
    window_ms: i64,
) -> Result<i64, SignatureError> {
    let ts: i64 = timestamp
        .parse()
        .ok()
        .filter(|_| timestamp.bytes().all(|b| b.is_ascii_digit()))
        .ok_or(SignatureError::BadTimestamp)?;
    if (now_ms - ts).abs() > window_ms {
        return Err(SignatureError::Stale);
    }
    let given = STANDARD
        .decode(sign.trim())
        .map_err(|_| SignatureError::Mismatch)?;
    let mut ok = false;
    for secret in secrets {
        // Every secret is tried, so timing does not reveal which one matched.
        ok |= mac(secret.expose_secret(), timestamp)
            .verify_slice(&given)
            .is_ok();
    }
    if ok {
        Ok(ts)
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Vector {
        secret: String,
        timestamp: String,
        sign_base64: String,
    }

    fn vectors() -> Vec<Vector> {
        #[derive(serde::Deserialize)]
        struct File {
            robot_sign: Vec<Vector>,
        }
        let text = include_str!("../../tests/fixtures/dingtalk/vectors.json");
        serde_json::from_str::<File>(text)
            .expect("vectors.json")
            .robot_sign
    }

    fn secrets(s: &str) -> Vec<SecretString> {
        vec![SecretString::from(s.to_owned())]
    }

    #[test]
    fn signs_every_known_answer_vector() {
        let v = vectors();
        assert_eq!(v.len(), 7);
        for v in v {
            assert_eq!(
                sign(&v.secret, &v.timestamp),
                v.sign_base64,
                "secret {}",
                v.secret
            );
        }
    }

    #[test]
    fn verifies_every_known_answer_vector_at_its_time() {
        for v in vectors() {
            let now: i64 = v.timestamp.parse().unwrap();
            assert_eq!(
                verify(
                    &secrets(&v.secret),
                    &v.timestamp,
                    &v.sign_base64,
                    now,
                    3_600_000
                ),
                Ok(now)
            );
        }
    }

    #[test]
    fn one_changed_character_fails() {
        let secret = "kQ7vX2mN9pL4sT8wY1zA3bC6dE0fG5hJ-iK_lM2nO4pQ6rS8tU0vW2xY4zA6bC8d";
        let (ts, good) = (
            "1700000000000",
            "EJYmka7qUBqGniIkwBBiQndfL47vafK58oDLRDe2YFY=",
        );
        let now = 1_700_000_000_000;
        assert!(verify(&secrets(secret), ts, good, now, 3_600_000).is_ok());
        assert_eq!(
            verify(&secrets(secret), "1700000000001", good, now, 3_600_000),
            Err(SignatureError::Mismatch)
        );
        let bad = good.replacen('E', "F", 1);
        assert_eq!(
            verify(&secrets(secret), ts, &bad, now, 3_600_000),
            Err(SignatureError::Mismatch)
        );
        // URL-encoded signatures are not what DingTalk sends in the header.
        let encoded = "EJYmka7qUBqGniIkwBBiQndfL47vafK58oDLRDe2YFY%3D";
        assert_eq!(
            verify(&secrets(secret), ts, encoded, now, 3_600_000),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn window_is_inclusive_and_symmetric() {
        let secret = "s";
        let ts = 1_700_000_000_000_i64;
        let sig = sign(secret, &ts.to_string());
        let check = |now| verify(&secrets(secret), &ts.to_string(), &sig, now, 3_600_000);
        assert!(check(ts + 3_600_000).is_ok());
        assert!(check(ts - 3_600_000).is_ok());
        assert_eq!(check(ts + 3_600_001), Err(SignatureError::Stale));
        assert_eq!(check(ts - 3_600_001), Err(SignatureError::Stale));
    }

    #[test]
    fn rejects_non_numeric_timestamps() {
        for ts in [
            "",
            "abc",
            "-5",
            "+1700000000000",
            "1.5e12",
            " 1700000000000",
        ] {
            assert_eq!(
                verify(&secrets("s"), ts, "x", 0, 1),
                Err(SignatureError::BadTimestamp),
                "{ts:?}"
            );
        }
    }

    #[test]
    fn any_rotated_secret_is_accepted() {
        let ts = "1700000000000";
        let keys = vec![
            SecretString::from("new".to_owned()),
            SecretString::from("old".to_owned()),
        ];
        let now = 1_700_000_000_000;
        assert!(verify(&keys, ts, &sign("old", ts), now, 1000).is_ok());
        assert!(verify(&keys, ts, &sign("new", ts), now, 1000).is_ok());
        assert_eq!(
            verify(&keys, ts, &sign("other", ts), now, 1000),
            Err(SignatureError::Mismatch)
        );
    }
}
