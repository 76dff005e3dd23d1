//! Notice reports: the list with progress, and one notice's status (counts
//! per department, ticks per checklist item, the first people pending), for
//! the API, the dashboard and the chat reports. Each takes a pooled read
//! connection from the store (its error says when the database is down).

use chrono::{DateTime, Utc};

use crate::domain::notice::{NoticeStatus, percent};
use crate::store::Store;
use crate::store::notices::{self, stats};

pub use crate::store::notices::stats::DeptTally;
pub use crate::store::notices::{Listed, NoticeRow};

/// One checklist item and how many recipients ticked it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemProgress {
    /// 1-based, as `done ID N` names it.
    pub n: i64,
    pub text: String,
    pub done: i64,
}

/// Someone who ticked a checklist item, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tick {
    /// The item, 1-based.
    pub n: i64,
    pub staff_id: String,
    pub name: String,
    pub at_ms: i64,
}

/// Everything a notice's status page shows.
#[derive(Clone, Debug)]
pub struct Status {
    pub notice: NoticeRow,
    /// The whole notice's counts (department empty).
    pub all: DeptTally,
    pub departments: Vec<DeptTally>,
    pub checklist: Vec<ItemProgress>,
    /// Not acknowledged, still in the organisation, before the deadline.
    pub pending: i64,
    /// Not acknowledged, still in the organisation, past the deadline.
    pub overdue: i64,
    /// The first people waiting, by staff id: `(staff_id, name)`.
    pub waiting: Vec<(String, String)>,
    /// Who ticked what, for an offboarding's admins' or manager's checklist
    /// (empty for other notices, whose audience may be the whole company).
    pub ticked_by: Vec<Tick>,
}

impl Status {
    /// Acknowledged share in whole percent.
    pub fn percent(&self) -> i64 {
        percent(self.all.acked, self.all.total)
    }
}

/// The newest `limit` notices (of `status`, or all) with their progress.
pub async fn list(
    store: &Store,
    status: Option<NoticeStatus>,
    limit: i64,
) -> anyhow::Result<Vec<Listed>> {
    notices::list_where(&mut *store.read().await?, status, limit).await
}

/// Notice `id`, if there is one.
pub async fn find(store: &Store, id: i64) -> anyhow::Result<Option<NoticeRow>> {
    notices::get(&mut *store.read().await?, id).await
}

/// The status of notice `id` at `now`, naming at most `names` people
/// waiting; `None` when there is no such notice.
pub async fn status(
    store: &Store,
    id: i64,
    now: DateTime<Utc>,
    names: i64,
) -> anyhow::Result<Option<Status>> {
    let mut conn = store.read().await?;
    let Some(notice) = notices::get(&mut conn, id).await? else {
        return Ok(None);
    };
    let departments = stats::by_department(&mut conn, &notice).await?;
    let ticks = stats::item_ticks(&mut conn, id).await?;
    let items = notices::items(&mut conn, id).await?;
    let waiting = stats::first_waiting(&mut conn, id, names).await?;
    let ticked_by = if notice.is_handover_checklist() {
        stats::tickers(&mut conn, id).await?
    } else {
        Vec::new()
    };
    drop(conn);
    let ticked_by = ticked_by
        .into_iter()
        .map(|(n, staff_id, name, at_ms)| Tick {
            n,
            staff_id,
            name,
            at_ms,
        })
        .collect();
    let all = DeptTally::sum(&departments, "");
    let checklist = items
        .into_iter()
        .zip(1..)
        .map(|(text, n)| ItemProgress {
            n,
            text,
            done: ticks.iter().find(|(k, _)| *k == n).map_or(0, |(_, c)| *c),
        })
        .collect();
    let (pending, overdue) = if notice.is_past_deadline(now.timestamp_millis()) {
        (0, all.waiting())
    } else {
        (all.waiting(), 0)
    };
    Ok(Some(Status {
        notice,
        all,
        departments,
        checklist,
        pending,
        overdue,
        waiting,
        ticked_by,
    }))
}
