//! The Stream wire format (PROTOCOL.md §6.3–§6.5): downstream frames
//! `{specVersion, type, headers, data}` with `data` a JSON *string*, and the
//! upstream acks `{code, headers{messageId, contentType}, message, data}`.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::{Value, json};

/// The robot-message callback topic.
pub const ROBOT_TOPIC: &str = "/v1.0/im/bot/messages/get";

/// A frame's `type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameType {
    System,
    Event,
    Callback,
    /// Anything else the gateway might send one day.
    Other,
}

impl FrameType {
    /// The metric label.
    pub fn label(self) -> &'static str {
        match self {
            Self::System => "SYSTEM",
            Self::Event => "EVENT",
            Self::Callback => "CALLBACK",
            Self::Other => "other",
        }
    }
}

/// One downstream frame.
#[derive(Clone, Debug)]
pub struct Frame {
    pub frame_type: FrameType,
    /// Header values as strings (DingTalk sends strings; numbers are accepted).
    pub headers: HashMap<String, String>,
    /// The payload: a string that usually holds JSON.
    pub data: String,
}

#[derive(Deserialize)]
struct Wire {
    #[serde(rename = "type", default)]
    frame_type: String,
    #[serde(default)]
    headers: HashMap<String, Value>,
    #[serde(default)]
    data: Value,
}

/// Why a text frame could not be read. Never carries the frame's content.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FrameError {
    #[error("frame is not a JSON object (line {line}, column {column})")]
    NotJson { line: usize, column: usize },
}

impl Frame {
    /// Parses a text frame.
    pub fn parse(text: &str) -> Result<Self, FrameError> {
        let wire: Wire = serde_json::from_str(text).map_err(|e| FrameError::NotJson {
            line: e.line(),
            column: e.column(),
        })?;
        let frame_type = match wire.frame_type.as_str() {
            "SYSTEM" => FrameType::System,
            "EVENT" => FrameType::Event,
            "CALLBACK" => FrameType::Callback,
            _ => FrameType::Other,
        };
        let headers = wire
            .headers
            .into_iter()
            .filter_map(|(k, v)| match v {
                Value::String(s) => Some((k, s)),
                Value::Number(n) => Some((k, n.to_string())),
                Value::Bool(b) => Some((k, b.to_string())),
                _ => None,
            })
            .collect();
        let data = match wire.data {
            Value::String(s) => s,
            Value::Null => String::new(),
            // Tolerated: data sent as an object instead of a string.
            other => other.to_string(),
        };
        Ok(Self {
            frame_type,
            headers,
            data,
        })
    }

    /// A header's value, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    pub fn topic(&self) -> &str {
        self.header("topic").unwrap_or_default()
    }

    /// The frame's id, echoed in its ack; `None` when missing or empty.
    pub fn message_id(&self) -> Option<&str> {
        self.header("messageId").filter(|id| !id.is_empty())
    }

    /// The topic as a metric label: known topics by name, the rest `other`.
    pub fn topic_label(&self) -> &'static str {
        let topic = match self.frame_type {
            FrameType::Event => self.header("eventType").unwrap_or_default(),
            _ => self.topic(),
        };
        match topic {
            "ping" => "ping",
            "disconnect" => "disconnect",
            ROBOT_TOPIC => ROBOT_TOPIC,
            "user_leave_org" => "user_leave_org",
            "user_add_org" => "user_add_org",
            "user_active_org" => "user_active_org",
            _ => "other",
        }
    }
}

/// An ack's `code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AckCode {
    Ok = 200,
    BadRequest = 400,
    NotFound = 404,
    Internal = 500,
}

/// An ack: the upstream text frame answering the frame `message_id`.
pub fn ack(message_id: &str, code: AckCode, message: &str, data: &str) -> String {
    json!({
        "code": code as u16,
        "headers": {"contentType": "application/json", "messageId": message_id},
        "message": message,
        "data": data,
    })
    .to_string()
}

/// The ack of a robot message that is durably admitted.
pub fn robot_ok(message_id: &str) -> String {
    ack(message_id, AckCode::Ok, "OK", r#"{"response":null}"#)
}

/// The ack of an event: `SUCCESS` once applied, `LATER` to have it redelivered.
pub fn event_status(message_id: &str, applied: bool) -> String {
    let data = if applied {
        r#"{"status":"SUCCESS","message":"success"}"#
    } else {
        r#"{"status":"LATER","message":"later"}"#
    };
    ack(message_id, AckCode::Ok, "OK", data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_parse_with_string_data_and_string_headers() {
        let text = r#"{"specVersion":"1.0","type":"CALLBACK","headers":{"appId":"a","contentType":"application/json","messageId":"m1","time":1690362102194,"topic":"/v1.0/im/bot/messages/get"},"data":"{\"msgId\":\"x\"}"}"#;
        let f = Frame::parse(text).unwrap();
        assert_eq!(f.frame_type, FrameType::Callback);
        assert_eq!(f.message_id(), Some("m1"));
        assert_eq!(f.header("time"), Some("1690362102194"));
        assert_eq!(f.topic_label(), ROBOT_TOPIC);
        assert_eq!(f.data, r#"{"msgId":"x"}"#);
    }

    #[test]
    fn invalid_frames_say_where_not_what() {
        let e = Frame::parse("not json {secret}").unwrap_err();
        assert!(!e.to_string().contains("secret"), "{e}");
        assert!(Frame::parse("[1,2]").is_err());
        let odd = Frame::parse(r#"{"type":"WHATEVER","headers":{"messageId":""}}"#).unwrap();
        assert_eq!((odd.frame_type, odd.message_id()), (FrameType::Other, None));
    }

    #[test]
    fn acks_echo_the_message_id_and_carry_string_data() {
        let a: Value = serde_json::from_str(&robot_ok("m1")).unwrap();
        assert_eq!(
            a,
            json!({"code": 200, "headers": {"contentType": "application/json", "messageId": "m1"},
                   "message": "OK", "data": "{\"response\":null}"})
        );
        let e: Value = serde_json::from_str(&event_status("m2", false)).unwrap();
        let data: Value = serde_json::from_str(e["data"].as_str().unwrap()).unwrap();
        assert_eq!(data["status"], "LATER");
        let n: Value =
            serde_json::from_str(&ack("m3", AckCode::NotFound, "unknown topic", "")).unwrap();
        assert_eq!(n["code"], 404);
    }
}
