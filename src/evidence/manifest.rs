//! `manifest.json`, the bundle's table of contents: what the bundle covers,
//! when and by whom it was made, counts, the audit chain segment it
//! carries, and the SHA-256 and size of every other file. `manifest.sig`
//! (when a key is configured) is the Ed25519 signature of its exact bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The `format` of bundles this version writes and reads.
pub const FORMAT: &str = "dingwarden-evidence/1";
/// The manifest's name in the ZIP.
pub const MANIFEST: &str = "manifest.json";
/// The signature's name in the ZIP.
pub const SIGNATURE: &str = "manifest.sig";
/// The audit log's name in the ZIP.
pub const AUDIT_LOG: &str = "audit/audit.jsonl";

/// The manifest.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub format: String,
    /// "Evidence bundle of dingwarden …": what this is, in words.
    pub what: String,
    pub generator: String,
    /// RFC 3339 in `timezone`.
    pub generated_at: String,
    pub generated_at_ms: i64,
    /// Who made it: `cli`, or the staff id of the console user.
    pub generated_by: String,
    pub timezone: String,
    pub period: Period,
    /// The notices asked for with `--notice`; `None`: every notice of the period.
    pub notices: Option<Vec<i64>>,
    pub counts: BTreeMap<String, i64>,
    pub audit: AuditSpan,
    /// The public key (base64 of its 32 bytes) whose signature is `manifest.sig`.
    pub signing_key: Option<String>,
    pub files: Vec<FileEntry>,
}

/// The period covered.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Period {
    /// The `--since` date (local), `None` for everything.
    pub since: Option<String>,
    /// The export time, RFC 3339.
    pub until: String,
}

/// The segment of the audit chain in `audit/audit.jsonl`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AuditSpan {
    pub entries: i64,
    /// First seq in the file (`None` when it is empty).
    pub first_seq: Option<i64>,
    /// What the first entry links to: 64 zeros when the file starts at #1.
    pub first_prev_hash: Option<String>,
    pub last_seq: Option<i64>,
    /// The last entry's hash: the head to compare with a recorded anchor.
    pub head: Option<String>,
    /// Entries from this seq on have their payload hashed apart (redactable).
    pub current_form_from: i64,
    /// Entries whose payload was redacted under retention.
    pub redacted: i64,
}

/// One file of the bundle.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}
