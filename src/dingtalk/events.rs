//! Organisation events as DingTalk sends them (PROTOCOL.md §5.7), translated
//! into [`OrgEvent`]s: the decrypted HTTP push (PascalCase, optional
//! `eventId`) and the Stream EVENT frame (type and id in the frame headers,
//! camelCase `data`). Also the push timestamp's freshness rule.

use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use crate::domain::org_event::{OrgChange, OrgEvent};

/// A decrypted HTTP push.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Push {
    event_type: String,
    #[serde(default)]
    user_id: Vec<String>,
    #[serde(default, rename = "eventId")]
    event_id: Option<String>,
}

/// The `data` of a Stream EVENT frame.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct StreamData {
    #[serde(default)]
    user_id: Vec<String>,
}

/// The event type of a decrypted push (`check_url` included), or `None`
/// when the plaintext is not an event.
pub fn push_type(plain: &str) -> Option<String> {
    serde_json::from_str::<Push>(plain)
        .ok()
        .map(|p| p.event_type)
}

/// A decrypted HTTP push as an event. Without an `eventId` the key is a hash
/// of the plaintext, so a redelivered push is still recognised.
pub fn from_push(plain: &str) -> Result<OrgEvent, EventError> {
    let push: Push = serde_json::from_str(plain).map_err(|_| EventError::NotJson)?;
    Ok(OrgEvent {
        key: key(push.event_id.as_deref(), plain),
        change: OrgChange::of(&push.event_type),
        event_type: push.event_type,
        user_ids: push.user_id,
    })
}

/// A Stream EVENT frame (its `eventType` and `eventId` headers and its
/// `data` string) as an event.
pub fn from_stream(
    event_type: &str,
    event_id: Option<&str>,
    data: &str,
) -> Result<OrgEvent, EventError> {
    let change = OrgChange::of(event_type);
    // Ignored types may carry any data at all; only ours must parse.
    let parsed = match change {
        OrgChange::Ignored => StreamData::default(),
        _ => serde_json::from_str(data).map_err(|_| EventError::NotJson)?,
    };
    Ok(OrgEvent {
        key: key(event_id, data),
        change,
        event_type: event_type.to_owned(),
        user_ids: parsed.user_id,
    })
}

fn key(event_id: Option<&str>, payload: &str) -> String {
    match event_id.map(str::trim).filter(|id| !id.is_empty()) {
        Some(id) => format!("event:{id}"),
        None => {
            let digest = Sha256::digest(payload.as_bytes());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            format!("event-sha256:{hex}")
        }
    }
}

/// Why an event cannot be applied.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EventError {
    #[error("event is not JSON of the expected shape")]
    NotJson,
}

/// Why a push's `timestamp` is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TimestampError {
    #[error("missing or non-numeric timestamp")]
    Invalid,
    #[error("timestamp outside the accepted window")]
    Stale,
}

/// Checks a push's `timestamp` / `timeStamp` query value: milliseconds, or
/// seconds when it has ten digits; it must lie within `window_ms` of `now_ms`.
pub fn check_timestamp(raw: &str, now_ms: i64, window_ms: i64) -> Result<(), TimestampError> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 15 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TimestampError::Invalid);
    }
    let n: i64 = raw.parse().map_err(|_| TimestampError::Invalid)?;
    let ms = if raw.len() == 10 { n * 1000 } else { n };
    if (now_ms - ms).abs() > window_ms {
        return Err(TimestampError::Stale);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000_000;
    const HOUR: i64 = 3_600_000;

    #[test]
    fn timestamps_in_ms_or_ten_digit_seconds_within_the_window_pass() {
        assert_eq!(check_timestamp("1700000000000", NOW, HOUR), Ok(()));
        assert_eq!(check_timestamp("1700000000", NOW, HOUR), Ok(()));
        assert_eq!(check_timestamp("1700003599999", NOW, HOUR), Ok(()));
        assert_eq!(check_timestamp("1699996400000", NOW, HOUR), Ok(()));
        for stale in ["1700003600001", "1699996399999", "1699990000", "1", "0"] {
            assert_eq!(
                check_timestamp(stale, NOW, HOUR),
                Err(TimestampError::Stale),
                "{stale}"
            );
        }
        for bad in [
            "",
            "abc",
            "-1700000000000",
            "1.7e12",
            "17000000000000000000",
        ] {
            assert_eq!(
                check_timestamp(bad, NOW, HOUR),
                Err(TimestampError::Invalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn pushes_without_an_event_id_are_keyed_by_their_payload() {
        let a = r#"{"EventType":"user_leave_org","UserId":["u1"],"TimeStamp":"1"}"#;
        let b = r#"{"EventType":"user_leave_org","UserId":["u1"],"TimeStamp":"2"}"#;
        let ea = from_push(a).unwrap();
        assert!(ea.key.starts_with("event-sha256:"), "{}", ea.key);
        assert_eq!(ea.key.len(), "event-sha256:".len() + 64);
        assert_eq!(from_push(a).unwrap().key, ea.key);
        assert_ne!(from_push(b).unwrap().key, ea.key);
        assert_eq!(ea.change, OrgChange::Left);
        assert_eq!(ea.user_ids, vec!["u1"]);
        let with_id = r#"{"eventId":"e1","EventType":"user_add_org","UserId":["u2"]}"#;
        let e = from_push(with_id).unwrap();
        assert_eq!((e.key.as_str(), e.change), ("event:e1", OrgChange::Joined));
    }

    #[test]
    fn stream_events_read_camel_case_data() {
        let e = from_stream(
            "user_leave_org",
            Some("ev-9"),
            r#"{"timeStamp":"1685501863357","userId":["015xxxx227"]}"#,
        )
        .unwrap();
        assert_eq!(e.key, "event:ev-9");
        assert_eq!(e.user_ids, vec!["015xxxx227"]);
        assert_eq!(e.change, OrgChange::Left);
        assert_eq!(
            from_stream("user_add_org", None, "nope"),
            Err(EventError::NotJson)
        );
        let other = from_stream("chat_update_title", Some("x"), "whatever").unwrap();
        assert_eq!(other.change, OrgChange::Ignored);
    }
}
