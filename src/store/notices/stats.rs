//! Progress of one notice, aggregated in SQL (a notice may have 100,000
//! recipients): counts per department, ticks per checklist item, the first
//! people still pending, and the per-recipient export rows. One rule for
//! names (issue 18.7): every figure and row shows the person's current
//! roster name and department ([`CURRENT_NAME`], [`CURRENT_DEPARTMENT`]);
//! the export adds the values snapshotted at send time as their own columns.

use anyhow::Context as _;
use sqlx::AnyConnection;

use super::NoticeRow;
use crate::domain::notice::export::AckRow;
use crate::domain::notice::{AckStatus, ack_status};

/// Counts for one department (or for the whole notice, summed).
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct DeptTally {
    pub department: String,
    pub total: i64,
    pub acked: i64,
    /// Not acknowledged and no longer active on the roster.
    pub left_count: i64,
    pub delivered: i64,
    pub undeliverable: i64,
    /// Recipients who ticked every checklist item.
    pub checklist_complete: i64,
}

impl DeptTally {
    /// Not acknowledged and still in the organisation (pending or overdue).
    pub fn waiting(&self) -> i64 {
        self.total - self.acked - self.left_count
    }

    /// The sum of several tallies, named `department`.
    pub fn sum(parts: &[DeptTally], department: &str) -> DeptTally {
        parts.iter().fold(
            DeptTally {
                department: department.to_owned(),
                ..DeptTally::default()
            },
            |mut acc, d| {
                acc.total += d.total;
                acc.acked += d.acked;
                acc.left_count += d.left_count;
                acc.delivered += d.delivered;
                acc.undeliverable += d.undeliverable;
                acc.checklist_complete += d.checklist_complete;
                acc
            },
        )
    }
}

/// A recipient's name on the roster now (`r` recipients, `u` users); the
/// snapshot only for someone the roster does not know.
pub const CURRENT_NAME: &str = "COALESCE(u.name, r.name)";
/// A recipient's department path on the roster now (`d` their department):
/// empty when they have none, the snapshot only when the roster does not know them.
pub const CURRENT_DEPARTMENT: &str =
    "COALESCE(d.path, CASE WHEN u.staff_id IS NULL THEN r.department ELSE '' END)";
/// Joins a recipient `r` to the roster (`u`) and their department (`d`).
const ROSTER_JOIN: &str = "LEFT JOIN users u ON u.staff_id = r.staff_id \
     LEFT JOIN departments d ON d.id = u.department_id";

/// Per-department counts for a notice (current departments): one pass over
/// its recipients, plus one over the people who left (few) for the `left` counts.
pub async fn by_department(
    conn: &mut AnyConnection,
    notice: &NoticeRow,
) -> anyhow::Result<Vec<DeptTally>> {
    let mut tallies: Vec<DeptTally> = sqlx::query_as(&format!(
        "SELECT department, COUNT(*) AS total, \
         CAST(SUM(CASE WHEN acked_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS acked, \
         CAST(0 AS BIGINT) AS left_count, \
         CAST(SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS delivered, \
         CAST(SUM(CASE WHEN undeliverable_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS undeliverable, \
         CAST(SUM(CASE WHEN checklist_done >= $2 THEN 1 ELSE 0 END) AS BIGINT) AS checklist_complete \
         FROM (SELECT {CURRENT_DEPARTMENT} AS department, r.acked_at, r.delivered_at, \
           r.undeliverable_at, r.checklist_done FROM notice_recipients r {ROSTER_JOIN} \
           WHERE r.notice_id = $1) x \
         GROUP BY department ORDER BY department COLLATE \"binary\""
    ))
    .bind(notice.id)
    .bind(notice.checklist_total.max(1))
    .fetch_all(&mut *conn)
    .await
    .context("count recipients by department")?;
    // Driven from the users who left, so it never walks every recipient.
    let left: Vec<(String, i64)> = sqlx::query_as(
        "SELECT COALESCE(d.path, ''), COUNT(*) FROM users u \
         LEFT JOIN departments d ON d.id = u.department_id \
         WHERE u.active = 0 AND EXISTS (SELECT 1 FROM notice_recipients r \
           WHERE r.notice_id = $1 AND r.staff_id = u.staff_id AND r.acked_at IS NULL) \
         GROUP BY COALESCE(d.path, '')",
    )
    .bind(notice.id)
    .fetch_all(conn)
    .await
    .context("count recipients who left")?;
    for (department, n) in left {
        if let Some(t) = tallies.iter_mut().find(|t| t.department == department) {
            t.left_count = n;
        }
    }
    Ok(tallies)
}

/// How many recipients ticked each checklist item: `(n, count)` for items
/// ticked at least once.
pub async fn item_ticks(
    conn: &mut AnyConnection,
    notice_id: i64,
) -> anyhow::Result<Vec<(i64, i64)>> {
    sqlx::query_as(
        "SELECT n, COUNT(*) FROM notice_ticks WHERE notice_id = $1 GROUP BY n ORDER BY n",
    )
    .bind(notice_id)
    .fetch_all(conn)
    .await
    .context("count ticks per item")
}

/// Who ticked which checklist item when, by item then time:
/// `(n, staff_id, name, ticked_at)` (the name as the roster has it now,
/// else as the notice recorded it).
pub async fn tickers(
    conn: &mut AnyConnection,
    notice_id: i64,
) -> anyhow::Result<Vec<(i64, String, String, i64)>> {
    sqlx::query_as(
        "SELECT t.n, t.staff_id, COALESCE(u.name, r.name, '') AS name, t.ticked_at          FROM notice_ticks t          LEFT JOIN notice_recipients r ON r.notice_id = t.notice_id AND r.staff_id = t.staff_id          LEFT JOIN users u ON u.staff_id = t.staff_id          WHERE t.notice_id = $1 ORDER BY t.n, t.ticked_at, t.staff_id COLLATE \"binary\"",
    )
    .bind(notice_id)
    .fetch_all(conn)
    .await
    .context("read who ticked")
}

/// The first `limit` people (by staff id) who have not acknowledged and are
/// still in the organisation: `(staff_id, name)`.
pub async fn first_waiting(
    conn: &mut AnyConnection,
    notice_id: i64,
    limit: i64,
) -> anyhow::Result<Vec<(String, String)>> {
    sqlx::query_as(&format!(
        "SELECT r.staff_id, {CURRENT_NAME} AS name FROM notice_recipients r \
         LEFT JOIN users u ON u.staff_id = r.staff_id \
         WHERE r.notice_id = $1 AND r.acked_at IS NULL AND COALESCE(u.active, 1) = 1 \
         ORDER BY r.staff_id COLLATE \"binary\" LIMIT $2"
    ))
    .bind(notice_id)
    .bind(limit)
    .fetch_all(conn)
    .await
    .context("list people waiting")
}

#[derive(sqlx::FromRow)]
struct ExportRow {
    staff_id: String,
    name: String,
    department: String,
    name_at_send: String,
    department_at_send: String,
    delivered_at: Option<i64>,
    acked_at: Option<i64>,
    ack_via: Option<String>,
    checklist_done: i64,
    reminders_sent: i64,
    active: i64,
}

/// One evidence row per recipient, by staff id, with each one's status at `now_ms`.
pub async fn export_rows(
    conn: &mut AnyConnection,
    notice: &NoticeRow,
    now_ms: i64,
) -> anyhow::Result<Vec<AckRow>> {
    let rows: Vec<ExportRow> = sqlx::query_as(&format!(
        "SELECT r.staff_id, {CURRENT_NAME} AS name, {CURRENT_DEPARTMENT} AS department, \
         r.name AS name_at_send, r.department AS department_at_send, \
         r.delivered_at, r.acked_at, r.ack_via, \
         r.checklist_done, r.reminders_sent, COALESCE(u.active, 1) AS active \
         FROM notice_recipients r {ROSTER_JOIN} \
         WHERE r.notice_id = $1 ORDER BY r.staff_id COLLATE \"binary\""
    ))
    .bind(notice.id)
    .fetch_all(conn)
    .await
    .context("load export rows")?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let status: AckStatus = ack_status(
                r.acked_at.is_some(),
                r.active == 0,
                notice.deadline_at,
                now_ms,
            );
            AckRow {
                notice_id: notice.id,
                staff_id: r.staff_id,
                name: r.name,
                department: r.department,
                name_at_send: r.name_at_send,
                department_at_send: r.department_at_send,
                delivered_at: r.delivered_at,
                acked_at: r.acked_at,
                ack_via: r.ack_via,
                checklist_done: r.checklist_done,
                checklist_total: notice.checklist_total,
                reminders_sent: r.reminders_sent,
                status,
            }
        })
        .collect())
}

/// The export rows of notice `id`, or `None` when there is no such notice.
pub async fn export(
    conn: &mut AnyConnection,
    id: i64,
    now_ms: i64,
) -> anyhow::Result<Option<Vec<AckRow>>> {
    let Some(notice) = super::get(conn, id).await? else {
        return Ok(None);
    };
    Ok(Some(export_rows(conn, &notice, now_ms).await?))
}
