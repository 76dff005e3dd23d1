//! Who a notice went to and what each of them did: the recipient snapshot
//! (written in multi-row statements), delivery bookkeeping, acknowledgements
//! and checklist ticks, and what is still open for one person.

use anyhow::Context as _;
use std::collections::HashSet;

use sqlx::AnyConnection;

use super::{IDS_PER_STATEMENT, placeholders};
use crate::domain::notice::AddedVia;

/// A recipient added by [`add`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Added {
    pub staff_id: String,
    /// Their reply language code when added.
    pub lang: String,
}

/// Snapshots these staff ids as recipients (name, department path and
/// language as they are now), a few hundred rows per statement. People
/// already addressed are skipped; returns who was added, sorted by staff id.
/// Call it after something that locks the notice row (e.g.
/// [`super::mark_sent`]), so that two sends of one notice take turns.
pub async fn add(
    conn: &mut AnyConnection,
    notice_id: i64,
    staff_ids: &[String],
    via: AddedVia,
    now_ms: i64,
) -> anyhow::Result<Vec<Added>> {
    let existing: HashSet<String> =
        sqlx::query_scalar("SELECT staff_id FROM notice_recipients WHERE notice_id = $1")
            .bind(notice_id)
            .fetch_all(&mut *conn)
            .await
            .context("load recipients")?
            .into_iter()
            .collect();
    let mut new: Vec<&String> = staff_ids
        .iter()
        .filter(|s| !existing.contains(*s))
        .collect();
    new.sort_unstable();
    new.dedup();
    for chunk in new.chunks(IDS_PER_STATEMENT) {
        insert_chunk(conn, notice_id, chunk, via, now_ms).await?;
    }
    // The snapshot took each person's language from the roster, as this does.
    let english: HashSet<String> =
        sqlx::query_scalar("SELECT staff_id FROM users WHERE lang = 'en'")
            .fetch_all(&mut *conn)
            .await
            .context("load languages")?
            .into_iter()
            .collect();
    Ok(new
        .into_iter()
        .map(|s| Added {
            staff_id: s.clone(),
            lang: if english.contains(s) { "en" } else { "zh" }.to_owned(),
        })
        .collect())
}

/// One multi-row `INSERT … SELECT` of recipients (no RETURNING: decoding
/// 100,000 returned rows would cost more than the insert itself).
async fn insert_chunk(
    conn: &mut AnyConnection,
    notice_id: i64,
    chunk: &[&String],
    via: AddedVia,
    now_ms: i64,
) -> anyhow::Result<()> {
    let values = (0..chunk.len())
        .map(|i| format!("(${})", i + 4))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO notice_recipients (notice_id, staff_id, name, department, lang, via, added_at) \
         SELECT $1, v.column1, COALESCE(u.name, ''), COALESCE(d.path, ''), COALESCE(u.lang, 'zh'), $2, $3 \
         FROM (VALUES {values}) AS v \
         LEFT JOIN users u ON u.staff_id = v.column1 \
         LEFT JOIN departments d ON d.id = u.department_id \
         WHERE 1 = 1 ON CONFLICT (notice_id, staff_id) DO NOTHING"
    );
    let mut q = sqlx::query(&sql)
        .bind(notice_id)
        .bind(via.as_str())
        .bind(now_ms);
    for id in chunk {
        q = q.bind(*id);
    }
    q.execute(&mut *conn).await.context("insert recipients")?;
    Ok(())
}

/// One recipient's progress.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RecipientRow {
    pub staff_id: String,
    pub name: String,
    pub acked_at: Option<i64>,
    pub ack_via: Option<String>,
    pub checklist_done: i64,
}

/// The recipient row of `staff_id` for a notice, if they were addressed.
pub async fn get(
    conn: &mut AnyConnection,
    notice_id: i64,
    staff_id: &str,
) -> anyhow::Result<Option<RecipientRow>> {
    sqlx::query_as(
        "SELECT staff_id, name, acked_at, ack_via, checklist_done FROM notice_recipients \
         WHERE notice_id = $1 AND staff_id = $2",
    )
    .bind(notice_id)
    .bind(staff_id)
    .fetch_optional(conn)
    .await
    .context("load recipient")
}

/// Records an acknowledgement; `false` if it was already recorded.
pub async fn ack(
    conn: &mut AnyConnection,
    notice_id: i64,
    staff_id: &str,
    via: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let done = sqlx::query(
        "UPDATE notice_recipients SET acked_at = $1, ack_via = $2 \
         WHERE notice_id = $3 AND staff_id = $4 AND acked_at IS NULL",
    )
    .bind(now_ms)
    .bind(via)
    .bind(notice_id)
    .bind(staff_id)
    .execute(conn)
    .await
    .context("record acknowledgement")?;
    Ok(done.rows_affected() == 1)
}

/// The outcome of ticking a checklist item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tick {
    /// Newly ticked; `done` items are ticked now.
    Ticked { done: i64 },
    /// Ticked before, at this instant.
    Already { at: i64 },
}

/// Ticks item `n` for a recipient (idempotent).
pub async fn tick(
    conn: &mut AnyConnection,
    notice_id: i64,
    staff_id: &str,
    n: i64,
    now_ms: i64,
) -> anyhow::Result<Tick> {
    let inserted = sqlx::query(
        "INSERT INTO notice_ticks (notice_id, staff_id, n, ticked_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (notice_id, staff_id, n) DO NOTHING",
    )
    .bind(notice_id)
    .bind(staff_id)
    .bind(n)
    .bind(now_ms)
    .execute(&mut *conn)
    .await
    .context("tick checklist item")?
    .rows_affected();
    if inserted == 0 {
        let at: i64 = sqlx::query_scalar(
            "SELECT ticked_at FROM notice_ticks WHERE notice_id = $1 AND staff_id = $2 AND n = $3",
        )
        .bind(notice_id)
        .bind(staff_id)
        .bind(n)
        .fetch_one(&mut *conn)
        .await
        .context("load tick")?;
        return Ok(Tick::Already { at });
    }
    let done: i64 = sqlx::query_scalar(
        "UPDATE notice_recipients SET checklist_done = checklist_done + 1 \
         WHERE notice_id = $1 AND staff_id = $2 RETURNING checklist_done",
    )
    .bind(notice_id)
    .bind(staff_id)
    .fetch_one(conn)
    .await
    .context("count ticks")?;
    Ok(Tick::Ticked { done })
}

/// The item numbers a recipient has ticked, ascending.
pub async fn ticked(
    conn: &mut AnyConnection,
    notice_id: i64,
    staff_id: &str,
) -> anyhow::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT n FROM notice_ticks WHERE notice_id = $1 AND staff_id = $2 ORDER BY n",
    )
    .bind(notice_id)
    .bind(staff_id)
    .fetch_all(conn)
    .await
    .context("load ticks")
}

/// A sent, open notice with something still to do for one person.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Open {
    pub id: i64,
    pub title: String,
    pub deadline_date: Option<String>,
    pub deadline_at: Option<i64>,
    pub acked_at: Option<i64>,
    pub checklist_total: i64,
    pub checklist_done: i64,
}

/// Open notices addressed to `staff_id` that they have not acknowledged or
/// whose checklist they have not finished, oldest first.
pub async fn open_for(conn: &mut AnyConnection, staff_id: &str) -> anyhow::Result<Vec<Open>> {
    sqlx::query_as(
        "SELECT n.id, n.title, n.deadline_date, n.deadline_at, r.acked_at, n.checklist_total, r.checklist_done \
         FROM notice_recipients r JOIN notices n ON n.id = r.notice_id \
         WHERE r.staff_id = $1 AND n.status = 'sent' \
           AND (r.acked_at IS NULL OR r.checklist_done < n.checklist_total) \
         ORDER BY n.id",
    )
    .bind(staff_id)
    .fetch_all(conn)
    .await
    .context("list open notices for a user")
}

/// Sets a timestamp column on the named recipients of a notice, where it is
/// still unset. `column` is one of ours, never user input.
pub(crate) async fn stamp(
    conn: &mut AnyConnection,
    column: &'static str,
    notice_id: i64,
    staff_ids: &[String],
    now_ms: i64,
) -> anyhow::Result<u64> {
    let mut n = 0;
    for chunk in staff_ids.chunks(IDS_PER_STATEMENT) {
        let sql = format!(
            "UPDATE notice_recipients SET {column} = $1 WHERE notice_id = $2 AND {column} IS NULL \
             AND staff_id IN ({})",
            placeholders(3, chunk.len())
        );
        let mut q = sqlx::query(&sql).bind(now_ms).bind(notice_id);
        for id in chunk {
            q = q.bind(id);
        }
        n += q
            .execute(&mut *conn)
            .await
            .with_context(|| format!("set {column}"))?
            .rows_affected();
    }
    Ok(n)
}

/// The delivery worker reached these recipients.
pub async fn mark_delivered(
    conn: &mut AnyConnection,
    notice_id: i64,
    staff_ids: &[String],
    now_ms: i64,
) -> anyhow::Result<()> {
    stamp(conn, "delivered_at", notice_id, staff_ids, now_ms).await?;
    Ok(())
}

/// DingTalk refused these recipients as unknown: no reminders for them.
pub async fn mark_undeliverable(
    conn: &mut AnyConnection,
    notice_id: i64,
    staff_ids: &[String],
    now_ms: i64,
) -> anyhow::Result<()> {
    stamp(conn, "undeliverable_at", notice_id, staff_ids, now_ms).await?;
    Ok(())
}
