//! The bundle's files other than the acknowledgement and quiz exports
//! (which reuse their own formats): notices with checklists, campaigns,
//! password policy changes, confirmations and forced changes, incidents and
//! feedback, the roster. JSON for everything; CSV (UTF-8 with BOM, cells
//! that Excel would run as formulas defused) for the tables people open in
//! a spreadsheet. Times are RFC 3339 in the configured zone.

use chrono_tz::Tz;
use serde_json::{Value, json};

use crate::domain::notice::export::{BOM, cell, rfc3339};
use crate::store::audit::AuditRow;
use crate::store::evidence::{
    CampaignRecord, NoticeRecord, PersonAt, ReportRecord, ResetRecord, UserRecord,
};

/// An optional instant as RFC 3339 (or null).
fn time(tz: Tz, ms: Option<i64>) -> Value {
    ms.map_or(Value::Null, |ms| Value::String(rfc3339(tz, ms)))
}

/// A table as CSV: BOM, header, CRLF lines, every cell defused.
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    let mut out = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(header)?;
        for row in rows {
            w.write_record(row.iter().map(|c| cell(c)))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// Pretty JSON with a final newline.
pub fn json_bytes(v: &Value) -> anyhow::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(v)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// One notice: its text, checklist (with how many ticked each item) and figures.
pub fn notice(
    n: &NoticeRecord,
    items: &[String],
    ticks: &[(i64, i64)],
    recipients: usize,
    acked: usize,
    tz: Tz,
) -> Value {
    let checklist: Vec<Value> = items
        .iter()
        .zip(1_i64..)
        .map(|(text, i)| {
            let ticked = ticks.iter().find(|t| t.0 == i).map_or(0, |t| t.1);
            json!({"n": i, "text": text, "ticked_by": ticked})
        })
        .collect();
    json!({
        "id": n.id, "kind": n.kind, "title": n.title, "body": n.body,
        "deadline": n.deadline_date, "status": n.status, "author": n.author,
        "subject_staff_id": n.subject_staff_id,
        "created_at": time(tz, Some(n.created_at)), "sent_at": time(tz, n.sent_at),
        "closed_at": time(tz, n.closed_at), "closed_by": n.closed_by,
        "checklist": checklist, "recipients": recipients, "acknowledged": acked,
        "acks_csv": format!("notices/notice-{}-acks.csv", n.id),
        "acks_json": format!("notices/notice-{}-acks.json", n.id),
    })
}

/// Quiz campaigns with members and passes.
pub fn campaigns(rows: &[CampaignRecord], tz: Tz) -> Value {
    Value::Array(
        rows.iter()
            .map(|c| {
                json!({
                    "id": c.id, "bank": c.bank, "audience": c.audience,
                    "assigned_by": c.assigned_by, "deadline": c.deadline_date,
                    "status": c.status, "created_at": time(tz, Some(c.created_at)),
                    "escalated_at": time(tz, c.escalated_at),
                    "members": c.members, "passed": c.passed,
                })
            })
            .collect(),
    )
}

/// Password policy changes, from their audit entries (`password.policy`):
/// when, by whom, the policy before and after. Policies hold days and
/// reminder thresholds, never a password.
pub fn policy_changes(rows: &[AuditRow], tz: Tz) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                let d: Value = serde_json::from_str(&r.details).unwrap_or(Value::Null);
                json!({
                    "audit_seq": r.seq, "at": time(tz, Some(r.at)), "by": r.actor,
                    "policy": d.get("policy"), "previous": d.get("previous"),
                })
            })
            .collect(),
    )
}

/// Columns of the confirmations table.
pub const CONFIRMATION_COLUMNS: [&str; 4] = ["staff_id", "name", "department", "confirmed_at"];

/// Password confirmations as CSV rows.
pub fn confirmation_rows(rows: &[PersonAt], tz: Tz) -> Vec<Vec<String>> {
    rows.iter()
        .map(|p| {
            vec![
                p.staff_id.clone(),
                p.name.clone(),
                p.department.clone(),
                rfc3339(tz, p.at),
            ]
        })
        .collect()
}

/// Columns of the forced-change targets table.
pub const TARGET_COLUMNS: [&str; 6] = [
    "reset_id",
    "staff_id",
    "name",
    "department",
    "notified_at",
    "done_at",
];

/// Forced-change targets as CSV rows.
pub fn target_rows(rows: &[PersonAt], tz: Tz) -> Vec<Vec<String>> {
    rows.iter()
        .map(|p| {
            vec![
                p.reset_id.to_string(),
                p.staff_id.clone(),
                p.name.clone(),
                p.department.clone(),
                rfc3339(tz, p.at),
                p.done_at.map(|ms| rfc3339(tz, ms)).unwrap_or_default(),
            ]
        })
        .collect()
}

/// A CSV table as a JSON array of objects with the same keys.
pub fn table_json(header: &[&str], rows: &[Vec<String>]) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                let obj = header
                    .iter()
                    .zip(r)
                    .map(|(k, v)| ((*k).to_owned(), Value::String(v.clone())));
                Value::Object(obj.collect())
            })
            .collect(),
    )
}

/// Forced password changes with their progress.
pub fn resets(rows: &[ResetRecord], tz: Tz) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "id": r.id, "reason": r.reason, "audience": r.audience,
                    "created_by": r.created_by, "created_at": time(tz, Some(r.created_at)),
                    "targets": r.targets, "done": r.done,
                })
            })
            .collect(),
    )
}

/// Incidents or feedback: category, dates, status, who, and the text as
/// retention left it.
pub fn reports(kind: &str, rows: &[ReportRecord], tz: Tz) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "id": r.id, "category": kind, "staff_id": r.staff_id, "name": r.name,
                    "in_group": r.in_group == 1, "status": r.status,
                    "created_at": time(tz, Some(r.created_at)),
                    "closed_at": time(tz, r.closed_at), "closed_by": r.closed_by,
                    "text": r.text, "close_note": r.close_note,
                    "text_erased_at": time(tz, r.text_erased_at),
                })
            })
            .collect(),
    )
}

/// Columns of the roster snapshot.
pub const USER_COLUMNS: [&str; 11] = [
    "staff_id",
    "name",
    "department",
    "manager_staff_id",
    "roles",
    "active",
    "left_at",
    "leaving_at",
    "source",
    "first_seen_at",
    "password_changed_at",
];

/// The roster as CSV rows; `roles` holds `(staff_id, role)` sorted by staff id.
pub fn user_rows(users: &[UserRecord], roles: &[(String, String)], tz: Tz) -> Vec<Vec<String>> {
    let t = |ms: Option<i64>| ms.map(|ms| rfc3339(tz, ms)).unwrap_or_default();
    users
        .iter()
        .map(|u| {
            let held: Vec<&str> = roles
                .iter()
                .filter(|r| r.0 == u.staff_id)
                .map(|r| r.1.as_str())
                .collect();
            vec![
                u.staff_id.clone(),
                u.name.clone(),
                u.department.clone(),
                u.manager_staff_id.clone().unwrap_or_default(),
                held.join(" "),
                (u.active == 1).to_string(),
                t(u.left_at),
                t(u.leaving_at),
                u.source.clone(),
                t(Some(u.first_seen_at)),
                t(u.password_changed_at),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_a_bom_and_defused_cells_and_match_their_json() {
        let rows = vec![vec!["u1".to_owned(), "=cmd()".to_owned()]];
        let bytes = csv(&["staff_id", "name"], &rows).unwrap();
        assert!(bytes.starts_with(BOM));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert_eq!(text, "staff_id,name\r\nu1,'=cmd()\r\n");
        let v = table_json(&["staff_id", "name"], &rows);
        assert_eq!(v[0]["name"], "=cmd()");
    }
}
