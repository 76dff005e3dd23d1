//! The durable inbox's settings (issue 13): how long a handler holds its
//! message's row before another run may take it, how many handlers run at
//! once (the inbox keeps the rest waiting, durably) and how many messages a
//! replica takes in before it asks callbacks to wait.

use std::time::Duration;

use super::values::{parse, parse_positive, parse_secs};
use super::{ConfigError, Sources};

/// How chat messages are run from the inbox.
#[derive(Clone, Debug)]
pub struct InboxSettings {
    /// `DINGWARDEN_INBOX_LEASE_SECS`: a running handler renews its lease;
    /// a row whose lease has passed is run again by the sweep.
    pub lease: Duration,
    /// `DINGWARDEN_MAX_HANDLERS`: handlers running at once in this replica.
    pub max_handlers: usize,
    /// `DINGWARDEN_MAX_QUEUED`: messages accepted and not yet finished in
    /// this replica; past it a callback waits (within the claim timeout) for
    /// one to finish, then is answered 503. Bounds the memory a burst takes.
    pub max_queued: usize,
}

impl InboxSettings {
    pub(super) fn load(src: &Sources) -> Result<Self, ConfigError> {
        Ok(Self {
            lease: parse(src, "DINGWARDEN_INBOX_LEASE_SECS", "30", parse_secs)?,
            max_handlers: parse(src, "DINGWARDEN_MAX_HANDLERS", "64", |s| {
                parse_positive(s).map(|n| n as usize)
            })?,
            max_queued: parse(src, "DINGWARDEN_MAX_QUEUED", "10000", |s| {
                parse_positive(s).map(|n| n as usize)
            })?,
        })
    }
}

impl Default for InboxSettings {
    fn default() -> Self {
        Self {
            lease: Duration::from_secs(30),
            max_handlers: 64,
            max_queued: 10_000,
        }
    }
}
