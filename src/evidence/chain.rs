//! Offline check of `audit/audit.jsonl` in a bundle: every line parsed, the
//! lines in order, the hash chain intact from the link the manifest names
//! to the head it names (rules in [`crate::domain::audit`]). Unlike `audit
//! verify`, which stops at the first break, every problem is reported, each
//! naming the seq.

use std::collections::HashMap;
use std::io::BufRead;

use serde_json::Value;

use super::manifest::{AUDIT_LOG, AuditSpan};
use crate::domain::audit::{ChainEntry, GENESIS_HASH, check};

/// One line of the audit log, as exported.
struct Line {
    line: usize,
    seq: i64,
    at: i64,
    actor: String,
    action: String,
    subject: String,
    details: String,
    prev_hash: String,
    hash: String,
    payload_hash: Option<String>,
    payload_salt: Option<String>,
}

impl Line {
    fn parse(line: usize, text: &str) -> Result<Self, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
        let int = |k: &str| v[k].as_i64().ok_or(format!("no number '{k}'"));
        let text = |k: &str| {
            v[k].as_str()
                .map(str::to_owned)
                .ok_or(format!("no text '{k}'"))
        };
        let opt = |k: &str| v[k].as_str().map(str::to_owned);
        if v.get("details").is_none() {
            return Err("no 'details'".into());
        }
        Ok(Self {
            line,
            seq: int("seq")?,
            at: int("at_ms")?,
            actor: text("actor")?,
            action: text("action")?,
            subject: text("subject")?,
            details: v["details"].to_string(),
            prev_hash: text("prev_hash")?,
            hash: text("hash")?,
            payload_hash: opt("payload_hash"),
            payload_salt: opt("payload_salt"),
        })
    }

    fn entry(&self) -> ChainEntry<'_> {
        ChainEntry {
            seq: self.seq,
            at: self.at,
            actor: &self.actor,
            action: &self.action,
            subject: &self.subject,
            details: &self.details,
            prev_hash: &self.prev_hash,
            hash: &self.hash,
            payload_hash: self.payload_hash.as_deref(),
            payload_salt: self.payload_salt.as_deref(),
        }
    }
}

/// What the check found.
#[derive(Debug, Default)]
pub struct ChainReport {
    pub problems: Vec<String>,
    pub entries: i64,
    pub redacted: i64,
}

impl ChainReport {
    fn problem(&mut self, what: impl std::fmt::Display) {
        self.problems.push(format!("{AUDIT_LOG}: {what}"));
    }
}

/// Reads and checks the audit log against the manifest's `span`.
pub fn check_log(reader: impl BufRead, span: &AuditSpan) -> ChainReport {
    let mut report = ChainReport::default();
    let mut lines = Vec::new();
    for (i, text) in reader.lines().enumerate() {
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                report.problem(format!("unreadable ({e})"));
                return report;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        match Line::parse(i + 1, &text) {
            Ok(l) => lines.push(l),
            Err(why) => report.problem(format!("line {}: not an audit entry: {why}", i + 1)),
        }
    }
    report_order(&lines, &mut report);
    lines.sort_by_key(|l| l.seq);
    walk(&lines, span, &mut report);
    compare_with_span(&lines, span, &mut report);
    report
}

/// Lines out of seq order (a swap in the file), each named once.
fn report_order(lines: &[Line], report: &mut ChainReport) {
    for pair in lines.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.seq == a.seq {
            report.problem(format!(
                "seq {}: appears twice (lines {} and {})",
                b.seq, a.line, b.line
            ));
        } else if b.seq < a.seq {
            report.problem(format!(
                "seq {}: line {} is out of order (it follows seq {})",
                b.seq, b.line, a.seq
            ));
        }
    }
}

/// Walks the chain in seq order from the manifest's first link.
fn walk(lines: &[Line], span: &AuditSpan, report: &mut ChainReport) {
    let Some(first) = lines.first() else { return };
    let by_hash: HashMap<&str, i64> = lines.iter().map(|l| (l.hash.as_str(), l.seq)).collect();
    let start_seq = span.first_seq.unwrap_or(first.seq);
    let start_hash = span.first_prev_hash.clone().unwrap_or_default();
    if start_seq == 1 && start_hash != GENESIS_HASH {
        report.problem("seq 1: the manifest does not link it to the start of the log (64 zeros)");
    }
    let mut prev: (i64, &str) = (start_seq - 1, &start_hash);
    for line in lines {
        if line.seq == prev.0 && prev.0 >= start_seq {
            continue; // a duplicate, already named
        }
        report.entries += 1;
        match check(prev, &line.entry(), span.current_form_from) {
            Ok(redacted) => report.redacted += i64::from(redacted),
            Err(Ok(b)) => report.problem(format!("seq {}: {b}", b.seq())),
            Err(Err(suspect)) => {
                let origin = by_hash.get(line.prev_hash.as_str()).copied();
                let b = suspect.name(origin);
                report.problem(format!("seq {}: {b}", b.seq()));
            }
        }
        prev = (line.seq, &line.hash);
    }
}

/// The file must hold what the manifest says it holds.
fn compare_with_span(lines: &[Line], span: &AuditSpan, report: &mut ChainReport) {
    let last = lines.last();
    if last.map(|l| l.seq) != span.last_seq {
        report.problem(format!(
            "ends at seq {}, the manifest says {}",
            opt(last.map(|l| l.seq)),
            opt(span.last_seq)
        ));
    } else if last.map(|l| l.hash.as_str()) != span.head.as_deref() {
        report.problem(format!(
            "seq {}: its hash is not the head the manifest names",
            opt(span.last_seq)
        ));
    }
    if report.entries != span.entries {
        report.problem(format!(
            "{} entries, the manifest says {}",
            report.entries, span.entries
        ));
    }
    if report.problems.is_empty() && report.redacted != span.redacted {
        report.problem(format!(
            "{} entries redacted under retention, the manifest says {}",
            report.redacted, span.redacted
        ));
    }
}

fn opt(v: Option<i64>) -> String {
    v.map_or_else(|| "nothing".to_owned(), |n| n.to_string())
}
