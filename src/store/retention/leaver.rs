//! Pseudonymising a leaver everywhere: the users row (name and staff id;
//! department, manager, dates and status stay), every column that holds a
//! staff id, the JSON lists of staff ids in the outbox and its delivery
//! log, and their id and name wherever they occur in free text (notices
//! and checklists, incidents, feedback, forced-change reasons, audiences as
//! typed, outbox messages). The audit log is redacted by the action.
//!
//! A table added later that holds staff ids belongs in these lists; the
//! retention test searches a dump of every table, so a missing one fails it.

use anyhow::Context as _;
use sqlx::AnyConnection;

use crate::domain::retention::{Pseudonym, Replacement, replace_in_json, scrub};

/// Columns that hold one staff id, renamed wherever they equal the leaver's.
const ID_COLUMNS: &[(&str, &str)] = &[
    ("users", "manager_staff_id"),
    ("user_roles", "staff_id"),
    ("user_roles", "granted_by"),
    ("notice_recipients", "staff_id"),
    ("notices", "author"),
    ("notices", "closed_by"),
    ("notices", "subject_staff_id"),
    ("notice_rounds", "actor"),
    ("incidents", "reporter"),
    ("incidents", "closed_by"),
    ("feedback", "staff_id"),
    ("quiz_bank_versions", "imported_by"),
    ("quiz_campaigns", "assigned_by"),
    ("quiz_campaign_members", "staff_id"),
    ("quiz_reminders", "staff_id"),
    ("quiz_attempts", "staff_id"),
    ("quiz_review", "staff_id"),
    ("quiz_followups", "staff_id"),
    ("password_confirmations", "staff_id"),
    ("password_reminders", "staff_id"),
    ("password_escalations", "staff_id"),
    ("password_escalations", "manager_staff_id"),
    ("password_resets", "created_by"),
    ("password_reset_targets", "staff_id"),
    ("password_reset_reminders", "staff_id"),
    ("console_sessions", "staff_id"),
    ("api_tokens", "owner"),
    ("api_tokens", "created_by"),
    ("api_tokens", "revoked_by"),
    ("confirmations", "requester"),
];

/// Free text: `(table, key, second key, column)`.
const TEXT_COLUMNS: &[(&str, &str, Option<&str>, &str)] = &[
    ("notices", "id", None, "title"),
    ("notices", "id", None, "body"),
    ("notice_items", "notice_id", Some("n"), "text"),
    ("incidents", "id", None, "text"),
    ("incidents", "id", None, "close_note"),
    ("feedback", "id", None, "text"),
    ("password_resets", "id", None, "reason"),
    ("password_resets", "id", None, "audience"),
    ("quiz_campaigns", "id", None, "audience"),
    ("outbox", "id", None, "message"),
    ("outbox", "id", None, "last_error"),
    ("api_tokens", "id", None, "label"),
    ("confirmations", "id", None, "request"),
];

/// JSON lists of staff ids: `(table, key, column)`.
const LIST_COLUMNS: &[(&str, &str, &str)] = &[
    ("outbox", "id", "recipients"),
    ("outbox", "id", "remaining_recipients"),
    ("outbox_deliveries", "id", "delivered"),
    ("outbox_deliveries", "id", "undeliverable"),
    ("outbox_deliveries", "id", "flow_controlled"),
];

/// Pseudonymises `staff_id` (named `name`) as `p`; returns how many rows changed.
pub async fn pseudonymise(
    conn: &mut AnyConnection,
    staff_id: &str,
    name: &str,
    p: &Pseudonym,
    now_ms: i64,
) -> anyhow::Result<i64> {
    let mut rows = move_user(conn, staff_id, p, now_ms).await?;
    let ticks = take_ticks(conn, staff_id).await?;
    for (table, column) in ID_COLUMNS {
        let done = sqlx::query(&format!(
            "UPDATE {table} SET {column} = $1 WHERE {column} = $2"
        ))
        .bind(&p.staff_id)
        .bind(staff_id)
        .execute(&mut *conn)
        .await
        .with_context(|| format!("pseudonymise {table}.{column}"))?;
        rows += done.rows_affected() as i64;
    }
    sqlx::query("UPDATE notice_recipients SET name = $1 WHERE staff_id = $2")
        .bind(&p.name)
        .bind(&p.staff_id)
        .execute(&mut *conn)
        .await
        .context("pseudonymise recipients' names")?;
    put_ticks(conn, &p.staff_id, &ticks).await?;
    for (table, key, column) in LIST_COLUMNS {
        rows += rename_in_lists(conn, (table, key, column), staff_id, &p.staff_id).await?;
    }
    let mut replacements = vec![Replacement {
        find: staff_id,
        with: &p.staff_id,
    }];
    if name.chars().count() >= 2 {
        replacements.push(Replacement {
            find: name,
            with: &p.name,
        });
    }
    for column in TEXT_COLUMNS {
        rows += scrub_column(conn, column, &replacements).await?;
    }
    Ok(rows)
}

/// The users row takes the pseudonym; its departments (a foreign key on the
/// staff id) are moved with it.
async fn move_user(
    conn: &mut AnyConnection,
    staff_id: &str,
    p: &Pseudonym,
    now_ms: i64,
) -> anyhow::Result<i64> {
    let depts: Vec<i64> =
        sqlx::query_scalar("SELECT department_id FROM user_departments WHERE staff_id = $1")
            .bind(staff_id)
            .fetch_all(&mut *conn)
            .await
            .context("read the leaver's departments")?;
    sqlx::query("DELETE FROM user_departments WHERE staff_id = $1")
        .bind(staff_id)
        .execute(&mut *conn)
        .await
        .context("detach the leaver's departments")?;
    let done = sqlx::query(
        "UPDATE users SET staff_id = $1, name = $2, pseudonymised_at = $3, updated_at = $3 \
         WHERE staff_id = $4",
    )
    .bind(&p.staff_id)
    .bind(&p.name)
    .bind(now_ms)
    .bind(staff_id)
    .execute(&mut *conn)
    .await
    .context("pseudonymise the user")?;
    for dept in depts {
        sqlx::query("INSERT INTO user_departments (staff_id, department_id) VALUES ($1, $2)")
            .bind(&p.staff_id)
            .bind(dept)
            .execute(&mut *conn)
            .await
            .context("reattach the leaver's departments")?;
    }
    Ok(done.rows_affected() as i64)
}

/// Checklist ticks: `(notice_id, n, ticked_at)`, taken out while their
/// recipient rows (a foreign key) take the pseudonym.
async fn take_ticks(
    conn: &mut AnyConnection,
    staff_id: &str,
) -> anyhow::Result<Vec<(i64, i64, i64)>> {
    let ticks =
        sqlx::query_as("SELECT notice_id, n, ticked_at FROM notice_ticks WHERE staff_id = $1")
            .bind(staff_id)
            .fetch_all(&mut *conn)
            .await
            .context("read the leaver's ticks")?;
    sqlx::query("DELETE FROM notice_ticks WHERE staff_id = $1")
        .bind(staff_id)
        .execute(conn)
        .await
        .context("detach the leaver's ticks")?;
    Ok(ticks)
}

async fn put_ticks(
    conn: &mut AnyConnection,
    staff_id: &str,
    ticks: &[(i64, i64, i64)],
) -> anyhow::Result<()> {
    for (notice, n, at) in ticks {
        sqlx::query(
            "INSERT INTO notice_ticks (notice_id, staff_id, n, ticked_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(notice)
        .bind(staff_id)
        .bind(n)
        .bind(at)
        .execute(&mut *conn)
        .await
        .context("reattach the leaver's ticks")?;
    }
    Ok(())
}

/// Rewrites the JSON lists in `column` that hold `from` as a whole entry.
async fn rename_in_lists(
    conn: &mut AnyConnection,
    (table, key, column): (&str, &str, &str),
    from: &str,
    to: &str,
) -> anyhow::Result<i64> {
    let candidates: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT {key}, {column} FROM {table} WHERE {column} LIKE $1"
    ))
    .bind(format!("%{from}%"))
    .fetch_all(&mut *conn)
    .await
    .with_context(|| format!("find {table}.{column} naming the leaver"))?;
    let mut rows = 0;
    for (id, json) in candidates {
        if let Some(new) = replace_in_json(&json, from, to) {
            sqlx::query(&format!(
                "UPDATE {table} SET {column} = $1 WHERE {key} = $2"
            ))
            .bind(new)
            .bind(id)
            .execute(&mut *conn)
            .await
            .with_context(|| format!("pseudonymise {table}.{column}"))?;
            rows += 1;
        }
    }
    Ok(rows)
}

/// Replaces the leaver's id and name in one free-text column.
async fn scrub_column(
    conn: &mut AnyConnection,
    (table, key, key2, column): &(&str, &str, Option<&str>, &str),
    replacements: &[Replacement<'_>],
) -> anyhow::Result<i64> {
    let second = key2.unwrap_or("0");
    let mut found: Vec<(i64, i64, String)> = Vec::new();
    for r in replacements {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(&format!(
            "SELECT {key}, CAST({second} AS BIGINT), {column} FROM {table} WHERE {column} LIKE $1"
        ))
        .bind(format!("%{}%", r.find))
        .fetch_all(&mut *conn)
        .await
        .with_context(|| format!("find {table}.{column} naming the leaver"))?;
        found.extend(rows);
    }
    found.sort_by_key(|f| (f.0, f.1));
    found.dedup_by_key(|f| (f.0, f.1));
    let mut rows = 0;
    for (id, id2, text) in found {
        let Some(new) = scrub(&text, replacements) else {
            continue;
        };
        let filter = key2.map_or(String::new(), |k| format!(" AND {k} = $3"));
        let sql = format!("UPDATE {table} SET {column} = $1 WHERE {key} = $2{filter}");
        let mut update = sqlx::query(&sql).bind(new).bind(id);
        if key2.is_some() {
            update = update.bind(id2);
        }
        update
            .execute(&mut *conn)
            .await
            .with_context(|| format!("pseudonymise {table}.{column}"))?;
        rows += 1;
    }
    Ok(rows)
}
