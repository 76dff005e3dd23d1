//! The quiz attempt export (`dingwarden export quiz`, `GET
//! /api/v1/quiz/{bank}/attempts.csv|.json`): every attempt of a bank, for
//! audit. CSV is UTF-8 with a BOM (so Excel shows Chinese); times are RFC 3339
//! in the configured time zone.

use anyhow::Context as _;
use chrono_tz::Tz;
use serde_json::{Value, json};

use crate::clock::from_ms;
use crate::domain::notice::export::cell;
use crate::store::quiz::stats::ExportRow;

/// The CSV columns, in order.
pub const COLUMNS: &[&str] = &[
    "attempt_id",
    "bank",
    "bank_version",
    "staff_id",
    "name",
    "department",
    "kind",
    "campaign_id",
    "status",
    "started_at",
    "finished_at",
    "score",
    "total",
    "pass_percent",
    "passed",
];

fn time(tz: Tz, ms: Option<i64>) -> String {
    ms.map(|ms| from_ms(ms).with_timezone(&tz).to_rfc3339())
        .unwrap_or_default()
}

fn opt(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn passed(r: &ExportRow) -> &'static str {
    match r.passed {
        Some(1) => "true",
        Some(_) => "false",
        None => "",
    }
}

/// The attempts as CSV with a BOM (text that Excel would read as a formula
/// gets a leading `'`, as in the acknowledgement export).
pub fn to_csv(rows: &[ExportRow], tz: Tz) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for r in rows {
        w.write_record([
            r.attempt_id.to_string(),
            r.bank.clone(),
            r.bank_version.to_string(),
            cell(&r.staff_id),
            cell(&r.name),
            cell(&r.department),
            r.kind.clone(),
            opt(r.campaign_id),
            r.status.clone(),
            time(tz, Some(r.started_at)),
            time(tz, r.finished_at),
            opt(r.score),
            r.total.to_string(),
            r.pass_percent.to_string(),
            passed(r).to_owned(),
        ])?;
    }
    let bytes = w.into_inner().context("finish CSV")?;
    Ok(format!("\u{feff}{}", String::from_utf8(bytes)?))
}

/// The attempts as a JSON array.
pub fn to_json(rows: &[ExportRow], tz: Tz) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "attempt_id": r.attempt_id, "bank": r.bank, "bank_version": r.bank_version,
                    "staff_id": r.staff_id, "name": r.name, "department": r.department,
                    "kind": r.kind, "campaign_id": r.campaign_id, "status": r.status,
                    "started_at": time(tz, Some(r.started_at)),
                    "finished_at": r.finished_at.map(|ms| time(tz, Some(ms))),
                    "score": r.score, "total": r.total, "pass_percent": r.pass_percent,
                    "passed": r.passed.map(|p| p == 1),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str) -> ExportRow {
        ExportRow {
            attempt_id: 7,
            bank: "default".into(),
            bank_version: 1,
            staff_id: "u1".into(),
            name: name.into(),
            department: "总部/研发部".into(),
            kind: "regular".into(),
            campaign_id: None,
            status: "completed".into(),
            started_at: 1_796_004_000_000,
            finished_at: None,
            score: Some(4),
            total: 5,
            pass_percent: 80,
            passed: Some(1),
        }
    }

    #[test]
    fn csv_has_a_bom_and_defuses_formulas() {
        let tz = chrono_tz::Asia::Shanghai;
        let csv = to_csv(&[row("=HYPERLINK(\"http://x\")")], tz).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        let line = csv.lines().nth(1).unwrap();
        assert!(line.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{line}");
        assert!(line.ends_with(",4,5,80,true"), "{line}");
        assert_eq!(
            to_json(&[row("=x")], tz)[0]["name"],
            "=x",
            "JSON is data, not a sheet"
        );
    }
}
