//! Notices in the database: creating, loading, listing with progress and
//! closing them. Recipients and acknowledgements live in [`recipients`],
//! status figures and the export in [`stats`], reminder and escalation
//! rounds in [`rounds`].

pub mod recipients;
pub mod rounds;
pub mod stats;

use anyhow::Context as _;
use chrono::NaiveDate;
use sqlx::AnyConnection;

use crate::domain::notice::messages::NoticeView;
use crate::domain::notice::{NoticeKind, NoticeStatus};

/// Most ids bound in one statement (well under SQLite's and PostgreSQL's limits).
pub const IDS_PER_STATEMENT: usize = 500;

/// A notice as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NoticeRow {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    pub deadline_date: Option<String>,
    pub deadline_at: Option<i64>,
    pub checklist_total: i64,
    pub author: String,
    #[sqlx(try_from = "String")]
    pub status: NoticeStatus,
    /// 1 once posted to a group: anyone on the roster may acknowledge it.
    pub open_acks: i64,
    /// Offboarding notices: who is leaving.
    pub subject_staff_id: Option<String>,
    /// Offboarding notices: `leaver`, `admins` or `manager` (whose checklist).
    pub offboarding_part: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub closed_at: Option<i64>,
}

const COLUMNS: &str = "id, kind, title, body, deadline_date, deadline_at, checklist_total, author, \
     status, open_acks, subject_staff_id, offboarding_part, created_at, sent_at, closed_at";

impl NoticeRow {
    /// Who an offboarding notice is about, when it is the admins' checklist
    /// (closing that one completes the offboarding).
    pub fn offboarding_checklist_subject(&self) -> Option<&str> {
        let admins = self.offboarding_part.as_deref() == Some(OFFBOARDING_ADMINS);
        self.subject_staff_id.as_deref().filter(|_| admins)
    }

    /// Whether the notice is an offboarding checklist someone works through
    /// for the leaver (the admins' or the manager's): its status shows who
    /// ticked what.
    pub fn is_handover_checklist(&self) -> bool {
        matches!(self.offboarding_part.as_deref(), Some("admins" | "manager"))
    }

    pub fn is_closed(&self) -> bool {
        self.status == NoticeStatus::Closed
    }

    pub fn is_sent(&self) -> bool {
        self.status == NoticeStatus::Sent
    }

    pub fn deadline(&self) -> Option<NaiveDate> {
        self.deadline_date.as_deref().and_then(|d| d.parse().ok())
    }

    /// What the messages about this notice show.
    pub fn view<'a>(&'a self, items: &'a [String]) -> NoticeView<'a> {
        NoticeView {
            id: self.id,
            kind: self.kind,
            title: &self.title,
            body: &self.body,
            deadline: self.deadline(),
            items,
        }
    }

    /// Whether the deadline has passed at `now_ms`.
    pub fn is_past_deadline(&self, now_ms: i64) -> bool {
        self.deadline_at.is_some_and(|d| now_ms >= d)
    }
}

/// A notice to create.
#[derive(Clone, Debug)]
pub struct NewNotice<'a> {
    pub kind: NoticeKind,
    pub title: &'a str,
    pub body: &'a str,
    pub deadline: Option<NaiveDate>,
    /// When the deadline ends (the end of that local day), ms.
    pub deadline_at: Option<i64>,
    pub items: &'a [String],
    pub author: &'a str,
    pub subject: Option<&'a str>,
}

/// Stores a draft notice and its checklist; returns its id.
pub async fn create(
    conn: &mut AnyConnection,
    n: &NewNotice<'_>,
    now_ms: i64,
) -> anyhow::Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO notices (kind, title, body, deadline_date, deadline_at, checklist_total, \
         author, subject_staff_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(n.kind.as_str())
    .bind(n.title)
    .bind(n.body)
    .bind(n.deadline.map(|d| d.to_string()))
    .bind(n.deadline_at)
    .bind(i64::try_from(n.items.len())?)
    .bind(n.author)
    .bind(n.subject)
    .bind(now_ms)
    .fetch_one(&mut *conn)
    .await
    .context("insert notice")?;
    for (i, text) in n.items.iter().enumerate() {
        sqlx::query("INSERT INTO notice_items (notice_id, n, text) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(i64::try_from(i + 1)?)
            .bind(text)
            .execute(&mut *conn)
            .await
            .context("insert checklist item")?;
    }
    Ok(id)
}

/// The notice with this id.
pub async fn get(conn: &mut AnyConnection, id: i64) -> anyhow::Result<Option<NoticeRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM notices WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
        .context("load notice")
}

/// The checklist of a notice, item 1 first.
pub async fn items(conn: &mut AnyConnection, id: i64) -> anyhow::Result<Vec<String>> {
    sqlx::query_scalar("SELECT text FROM notice_items WHERE notice_id = $1 ORDER BY n")
        .bind(id)
        .fetch_all(conn)
        .await
        .context("load checklist")
}

/// Marks a notice sent (keeping the first send time); `open_acks` once it
/// went to a group.
pub async fn mark_sent(
    conn: &mut AnyConnection,
    id: i64,
    open_acks: bool,
    now_ms: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "UPDATE notices SET status = 'sent', sent_at = COALESCE(sent_at, $1), \
         open_acks = CASE WHEN $2 = 1 THEN 1 ELSE open_acks END WHERE id = $3",
    )
    .bind(now_ms)
    .bind(i64::from(open_acks))
    .bind(id)
    .execute(conn)
    .await
    .context("mark notice sent")?;
    Ok(())
}

/// Closes a notice; `false` if it was already closed.
pub async fn close(
    conn: &mut AnyConnection,
    id: i64,
    by: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE notices SET status = 'closed', closed_at = $1, closed_by = $2 \
         WHERE id = $3 AND status <> 'closed'",
    )
    .bind(now_ms)
    .bind(by)
    .bind(id)
    .execute(conn)
    .await
    .context("close notice")?;
    Ok(done.rows_affected() == 1)
}

/// Every sent notice that is not closed (what the scheduler looks at).
pub async fn open_sent(conn: &mut AnyConnection) -> anyhow::Result<Vec<NoticeRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM notices WHERE status = 'sent' ORDER BY id"
    ))
    .fetch_all(conn)
    .await
    .context("list open notices")
}

/// A notice with its recipient and acknowledgement counts.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Listed {
    #[sqlx(flatten)]
    pub notice: NoticeRow,
    pub total: i64,
    pub acked: i64,
}

/// The newest `limit` notices with their progress.
pub async fn list(conn: &mut AnyConnection, limit: i64) -> anyhow::Result<Vec<Listed>> {
    list_where(conn, None, limit).await
}

/// The newest `limit` notices in `status` (any when `None`) with their progress.
pub async fn list_where(
    conn: &mut AnyConnection,
    status: Option<NoticeStatus>,
    limit: i64,
) -> anyhow::Result<Vec<Listed>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS}, \
         (SELECT COUNT(*) FROM notice_recipients r WHERE r.notice_id = notices.id) AS total, \
         (SELECT COUNT(*) FROM notice_recipients r WHERE r.notice_id = notices.id \
            AND r.acked_at IS NOT NULL) AS acked \
         FROM notices WHERE (CAST($1 AS TEXT) IS NULL OR status = $1) ORDER BY id DESC LIMIT $2"
    ))
    .bind(status.map(NoticeStatus::as_str))
    .bind(limit)
    .fetch_all(conn)
    .await
    .context("list notices")
}

/// `offboarding_part` of the admins' checklist.
pub const OFFBOARDING_ADMINS: &str = "admins";

/// Marks a notice as one of an offboarding's (`leaver`, `admins`, `manager`).
pub async fn set_offboarding_part(
    conn: &mut AnyConnection,
    id: i64,
    part: &str,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE notices SET offboarding_part = $1 WHERE id = $2")
        .bind(part)
        .bind(id)
        .execute(conn)
        .await
        .context("mark offboarding notice")?;
    Ok(())
}

/// A user's manager (`manager_staff_id`), when the roster names one.
pub async fn manager_of(
    conn: &mut AnyConnection,
    staff_id: &str,
) -> anyhow::Result<Option<String>> {
    let m: Option<Option<String>> =
        sqlx::query_scalar("SELECT manager_staff_id FROM users WHERE staff_id = $1")
            .bind(staff_id)
            .fetch_optional(conn)
            .await
            .context("read manager")?;
    Ok(m.flatten().filter(|m| !m.is_empty()))
}

/// Whether a user's offboarding has started (`leaving_at` set).
pub async fn is_leaving(conn: &mut AnyConnection, staff_id: &str) -> anyhow::Result<bool> {
    let at: Option<Option<i64>> =
        sqlx::query_scalar("SELECT leaving_at FROM users WHERE staff_id = $1")
            .bind(staff_id)
            .fetch_optional(conn)
            .await
            .context("read leaving_at")?;
    Ok(at.flatten().is_some())
}

/// Marks a user as leaving (offboarding started); `false` if already marked.
pub async fn mark_leaving(
    conn: &mut AnyConnection,
    staff_id: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE users SET leaving_at = $1, updated_at = $1 WHERE staff_id = $2 AND leaving_at IS NULL",
    )
    .bind(now_ms)
    .bind(staff_id)
    .execute(conn)
    .await
    .context("mark user leaving")?;
    Ok(done.rows_affected() == 1)
}

/// `$from, $from+1, …` for `n` bound values.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_count_from_the_given_index() {
        assert_eq!(super::placeholders(3, 3), "$3, $4, $5");
        assert_eq!(super::placeholders(1, 0), "");
    }
}
