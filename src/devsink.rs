//! The dev sink: in `serve --dev`, whatever would go to DingTalk's OpenAPI
//! lands here instead, and `dingwarden chat` shows it.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::domain::Message;

/// One message the bot would have sent through the OpenAPI.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SinkEntry {
    pub seq: u64,
    pub at_ms: i64,
    /// `direct` or `group`.
    pub channel: String,
    /// Staff ids, or the open conversation id for group sends.
    pub recipients: Vec<String>,
    pub message: Message,
}

/// Most entries kept; older ones are dropped.
const CAPACITY: usize = 10_000;

#[derive(Default)]
pub struct DevSink {
    entries: Mutex<(u64, Vec<SinkEntry>)>,
}

impl DevSink {
    pub fn push(&self, channel: &str, recipients: Vec<String>, message: Message, at_ms: i64) {
        let mut guard = self.entries.lock().expect("dev sink lock");
        let (next, list) = &mut *guard;
        *next += 1;
        list.push(SinkEntry {
            seq: *next,
            at_ms,
            channel: channel.to_owned(),
            recipients,
            message,
        });
        if list.len() > CAPACITY {
            list.drain(..list.len() - CAPACITY);
        }
    }

    /// Entries after `after` addressed to `recipient` (any recipient if `None`).
    pub fn since(&self, after: u64, recipient: Option<&str>) -> Vec<SinkEntry> {
        let guard = self.entries.lock().expect("dev sink lock");
        guard
            .1
            .iter()
            .filter(|e| e.seq > after)
            .filter(|e| recipient.is_none_or(|r| e.recipients.iter().any(|x| x == r)))
            .cloned()
            .collect()
    }
}
