//! The audit chain's rules, shared by `audit verify` (over the database) and
//! `evidence verify` (over a bundle, offline): how an entry is hashed, what a
//! retention redaction looks like, and how a broken link is named.
//!
//! Two forms of entry. Before the seq recorded by migration 0007 ("legacy"),
//! an entry's hash covers its payload directly:
//! SHA-256 of `[seq, at, actor, action, subject, details, prev_hash]`. From
//! that seq on, the payload (`actor`, `subject`, `details`) is hashed apart,
//! with a random salt: `payload_hash` = SHA-256 of `[salt, actor, subject,
//! details]`, and the chain hash covers `[seq, at, action, payload_hash,
//! prev_hash]`. Retention may then replace the payload with
//! `{"at":…,"redacted":"retention"}` (and the staff ids in actor and subject
//! with pseudonyms, and drop the salt): the chain still verifies, the entry
//! counts as redacted, and the salt being gone keeps anyone from guessing
//! the erased payload back from its hash. Legacy entries cannot be redacted.

use std::fmt;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a redacted payload is replaced with.
pub const REDACTED_BY: &str = "retention";

fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash of a legacy entry: SHA-256 over the JSON array
/// `[seq, at, actor, action, subject, details, prev_hash]`.
pub fn legacy_entry_hash(
    seq: i64,
    at: i64,
    actor: &str,
    action: &str,
    subject: &str,
    details: &str,
    prev: &str,
) -> String {
    sha256_hex(&json!([seq, at, actor, action, subject, details, prev]).to_string())
}

/// The hash of a payload: SHA-256 over the JSON array `[salt, actor, subject, details]`.
pub fn payload_hash(salt: &str, actor: &str, subject: &str, details: &str) -> String {
    sha256_hex(&json!([salt, actor, subject, details]).to_string())
}

/// The chain hash of an entry in the current form: SHA-256 over the JSON
/// array `[seq, at, action, payload_hash, prev_hash]`.
pub fn chain_hash(seq: i64, at: i64, action: &str, payload_hash: &str, prev: &str) -> String {
    sha256_hex(&json!([seq, at, action, payload_hash, prev]).to_string())
}

/// The payload that replaces a redacted one (compact JSON, as stored).
pub fn redaction(at_ms: i64) -> String {
    json!({"redacted": REDACTED_BY, "at": at_ms}).to_string()
}

/// Whether `details` is exactly a retention redaction marker.
pub fn is_redaction(details: &str) -> bool {
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(details) else {
        return false;
    };
    map.len() == 2
        && map.get("redacted").and_then(Value::as_str) == Some(REDACTED_BY)
        && map.get("at").is_some_and(Value::is_i64)
}

/// One entry as stored or exported.
#[derive(Clone, Copy, Debug)]
pub struct ChainEntry<'a> {
    pub seq: i64,
    pub at: i64,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    /// The payload's compact JSON, as hashed.
    pub details: &'a str,
    pub prev_hash: &'a str,
    pub hash: &'a str,
    pub payload_hash: Option<&'a str>,
    pub payload_salt: Option<&'a str>,
}

/// What an entry's own contents say about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Content {
    /// Everything matches its hash.
    Intact,
    /// The payload was redacted under retention; the rest matches its hash.
    Redacted,
    /// Something no longer matches its hash.
    Edited,
}

/// Checks an entry's contents against its hash. `current_from` is the
/// first seq written in the current form.
pub fn content(e: &ChainEntry<'_>, current_from: i64) -> Content {
    if e.seq < current_from {
        let legacy = legacy_entry_hash(
            e.seq,
            e.at,
            e.actor,
            e.action,
            e.subject,
            e.details,
            e.prev_hash,
        );
        return if e.payload_hash.is_none() && legacy == e.hash {
            Content::Intact
        } else {
            Content::Edited
        };
    }
    let Some(payload) = e.payload_hash else {
        return Content::Edited;
    };
    if chain_hash(e.seq, e.at, e.action, payload, e.prev_hash) != e.hash {
        return Content::Edited;
    }
    if is_redaction(e.details) {
        return Content::Redacted;
    }
    let salt = e.payload_salt.unwrap_or_default();
    if payload_hash(salt, e.actor, e.subject, e.details) == payload {
        Content::Intact
    } else {
        Content::Edited
    }
}

/// Where and how the chain breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// Entry `expected` is not there: the log jumps from `before` to `next`.
    Deleted {
        expected: i64,
        before: Option<i64>,
        next: i64,
    },
    /// The entry's contents no longer match its hash.
    Edited { seq: i64 },
    /// The entry follows one that now comes after it.
    Reordered { seq: i64, written_after: i64 },
    /// `seq` is intact but links to an entry whose hash is gone: `prev` was
    /// rewritten with a recomputed hash (or entries between were removed).
    Rewritten { seq: i64, prev: i64 },
    /// `seq` links to `origin`, an earlier entry: those between were deleted
    /// and the rest renumbered.
    Removed { seq: i64, origin: i64 },
}

impl Break {
    /// The first entry affected.
    pub fn seq(&self) -> i64 {
        match self {
            Break::Deleted { expected, .. } => *expected,
            Break::Edited { seq } | Break::Reordered { seq, .. } => *seq,
            Break::Rewritten { prev, .. } => *prev,
            Break::Removed { origin, .. } => origin + 1,
        }
    }
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Break::Deleted {
                expected,
                before: Some(b),
                next,
            } => write!(
                f,
                "entry #{expected} was deleted (the log jumps from #{b} to #{next})"
            ),
            Break::Deleted { expected, next, .. } => write!(
                f,
                "entry #{expected} was deleted (the log starts at #{next})"
            ),
            Break::Edited { seq } => write!(
                f,
                "entry #{seq} was edited (its contents no longer match its hash)"
            ),
            Break::Reordered { seq, written_after } => write!(
                f,
                "entry #{seq} was reordered (it was written after entry #{written_after})"
            ),
            Break::Rewritten { seq, prev } => write!(
                f,
                "entry #{prev} was edited and its hash recomputed (entry #{seq} no longer links to it)"
            ),
            Break::Removed { seq, origin } => write!(
                f,
                "entries after #{origin} were deleted and the rest renumbered (entry #{seq} links to #{origin})"
            ),
        }
    }
}

/// The entry before the one being checked: its seq and hash. Before the
/// first entry of a whole log stands [`GENESIS`].
pub type Link<'a> = (i64, &'a str);

/// What the first entry of a whole log links to.
pub const GENESIS: Link<'static> = (0, GENESIS_HASH);

/// An entry that does not fit: its contents, or its link, or both. Naming
/// the break needs to know whose hash it links to ([`Suspect::name`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Suspect {
    seq: i64,
    prev: Option<i64>,
    content_ok: bool,
}

/// Checks `e` against the entry before it. `Ok(redacted)` when it fits;
/// `Err(Ok(break))` when the seq jumps or the contents were edited;
/// `Err(Err(suspect))` when it links elsewhere.
pub fn check(
    prev: Link<'_>,
    e: &ChainEntry<'_>,
    current_from: i64,
) -> Result<bool, Result<Break, Suspect>> {
    let before = (prev.0 > 0).then_some(prev.0);
    if e.seq != prev.0 + 1 {
        return Err(Ok(Break::Deleted {
            expected: prev.0 + 1,
            before,
            next: e.seq,
        }));
    }
    let verdict = content(e, current_from);
    match (verdict, e.prev_hash == prev.1) {
        (Content::Intact, true) => Ok(false),
        (Content::Redacted, true) => Ok(true),
        (Content::Edited, true) => Err(Ok(Break::Edited { seq: e.seq })),
        (_, false) => Err(Err(Suspect {
            seq: e.seq,
            prev: before,
            content_ok: verdict != Content::Edited,
        })),
    }
}

impl Suspect {
    /// Names the break, given the seq of the entry whose hash the suspect
    /// links to (`None` when no entry has it).
    pub fn name(self, origin: Option<i64>) -> Break {
        match (origin, self.prev) {
            (Some(o), _) if o > self.seq => Break::Reordered {
                seq: self.seq,
                written_after: o,
            },
            _ if !self.content_ok => Break::Edited { seq: self.seq },
            (Some(o), _) if o < self.seq => Break::Removed {
                seq: self.seq,
                origin: o,
            },
            (_, Some(p)) => Break::Rewritten {
                seq: self.seq,
                prev: p,
            },
            (_, None) => Break::Edited { seq: self.seq },
        }
    }
}

#[cfg(test)]
mod tests;
