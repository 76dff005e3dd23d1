//! The acknowledgement export (DESIGN.md "Formats"): one row per recipient,
//! as CSV with a UTF-8 BOM (so Excel shows Chinese) or as JSON, with times
//! in RFC 3339 in the configured time zone. `name` and `department` are the
//! roster's now, like every other report; `name_at_send` and
//! `department_at_send` are what the roster said when the notice reached them.

use chrono::SecondsFormat;
use chrono_tz::Tz;
use serde_json::{Value, json};

use super::AckStatus;
use crate::clock::from_ms;

/// The header: DESIGN.md's eleven columns, then the values at send time.
pub const COLUMNS: [&str; 13] = [
    "notice_id",
    "staff_id",
    "name",
    "department",
    "delivered_at",
    "acked_at",
    "ack_via",
    "checklist_done",
    "checklist_total",
    "reminders_sent",
    "status",
    "name_at_send",
    "department_at_send",
];

/// The UTF-8 byte order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// One recipient's evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AckRow {
    pub notice_id: i64,
    pub staff_id: String,
    /// On the roster now.
    pub name: String,
    /// Department path on the roster now (empty: none).
    pub department: String,
    /// As snapshotted when the notice was sent to them.
    pub name_at_send: String,
    pub department_at_send: String,
    pub delivered_at: Option<i64>,
    pub acked_at: Option<i64>,
    pub ack_via: Option<String>,
    pub checklist_done: i64,
    pub checklist_total: i64,
    pub reminders_sent: i64,
    pub status: AckStatus,
}

/// An instant as RFC 3339 in `tz` (e.g. `2026-11-30T10:05:00+08:00`).
pub fn rfc3339(tz: Tz, ms: i64) -> String {
    from_ms(ms)
        .with_timezone(&tz)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Text as a spreadsheet cell: a leading `=`, `+`, `-`, `@`, tab or CR
/// would make Excel read it as a formula, so such text gets a leading `'`
/// (OWASP's advice against CSV injection through roster names).
pub fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

fn fields(row: &AckRow, tz: Tz) -> [String; 13] {
    let time = |t: Option<i64>| t.map(|ms| rfc3339(tz, ms)).unwrap_or_default();
    [
        row.notice_id.to_string(),
        cell(&row.staff_id),
        cell(&row.name),
        cell(&row.department),
        time(row.delivered_at),
        time(row.acked_at),
        row.ack_via.clone().unwrap_or_default(),
        row.checklist_done.to_string(),
        row.checklist_total.to_string(),
        row.reminders_sent.to_string(),
        row.status.as_str().to_owned(),
        cell(&row.name_at_send),
        cell(&row.department_at_send),
    ]
}

/// The rows as CSV: BOM, header, one line per recipient (CRLF, quoted where needed).
pub fn to_csv(rows: &[AckRow], tz: Tz) -> anyhow::Result<Vec<u8>> {
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(COLUMNS)?;
        for row in rows {
            w.write_record(fields(row, tz))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// The rows as a JSON array of objects with the CSV's columns (numbers as
/// numbers, missing times as null).
pub fn to_json(rows: &[AckRow], tz: Tz) -> Value {
    let time = |t: Option<i64>| t.map(|ms| rfc3339(tz, ms));
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "notice_id": r.notice_id,
                    "staff_id": r.staff_id,
                    "name": r.name,
                    "department": r.department,
                    "name_at_send": r.name_at_send,
                    "department_at_send": r.department_at_send,
                    "delivered_at": time(r.delivered_at),
                    "acked_at": time(r.acked_at),
                    "ack_via": r.ack_via,
                    "checklist_done": r.checklist_done,
                    "checklist_total": r.checklist_total,
                    "reminders_sent": r.reminders_sent,
                    "status": r.status.as_str(),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> AckRow {
        AckRow {
            notice_id: 3,
            staff_id: "u1".into(),
            name: "张三, Jr.".into(),
            department: "总部/研发部".into(),
            name_at_send: "张三".into(),
            department_at_send: String::new(),
            delivered_at: Some(1_796_004_000_000),
            acked_at: None,
            ack_via: None,
            checklist_done: 2,
            checklist_total: 6,
            reminders_sent: 1,
            status: AckStatus::Pending,
        }
    }

    #[test]
    fn csv_has_bom_header_and_quoted_fields() {
        let tz = chrono_tz::Asia::Shanghai;
        let bytes = to_csv(&[row()], tz).unwrap();
        assert!(bytes.starts_with(BOM));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next().unwrap(), COLUMNS.join(","));
        assert_eq!(
            lines.next().unwrap(),
            "3,u1,\"张三, Jr.\",总部/研发部,2026-11-30T10:00:00+08:00,,,2,6,1,pending,张三,"
        );
    }

    #[test]
    fn formulas_are_defused_in_csv_only() {
        let mut r = row();
        r.name = "=HYPERLINK(\"http://x\")".into();
        let bytes = to_csv(&[r.clone()], chrono_tz::Asia::Shanghai).unwrap();
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
        assert_eq!(
            to_json(&[r], chrono_tz::Asia::Shanghai)[0]["name"],
            "=HYPERLINK(\"http://x\")"
        );
        assert_eq!(cell("张三"), "张三");
    }

    #[test]
    fn json_uses_the_same_columns() {
        let v = to_json(&[row()], chrono_tz::Asia::Shanghai);
        let obj = v[0].as_object().unwrap();
        let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        let mut expected = COLUMNS.to_vec();
        expected.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(v[0]["acked_at"], Value::Null);
        assert_eq!(v[0]["status"], "pending");
    }
}
