//! Claims: each password reminder, escalation and forced-change reminder is
//! recorded in its bookkeeping table before it is sent, so it goes out once
//! across ticks and replicas.

use anyhow::Context as _;
use chrono::NaiveDate;
use sqlx::AnyConnection;

use crate::domain::password::Action;

/// Claims what `action` sends on the local day `today` in its bookkeeping
/// table; `false` when it was already sent, by this tick or any other replica.
pub async fn claim(
    conn: &mut AnyConnection,
    action: &Action,
    today: NaiveDate,
    now_ms: i64,
) -> anyhow::Result<bool> {
    match action {
        Action::Remind {
            staff_id,
            due,
            threshold,
            ..
        } => claim_reminder(conn, staff_id, *due, *threshold, now_ms).await,
        Action::Escalate {
            staff_id,
            manager,
            due,
            ..
        } => claim_escalation(conn, staff_id, *due, manager, now_ms).await,
        Action::ResetRemind {
            reset_id, staff_id, ..
        } => claim_reset_reminder(conn, *reset_id, staff_id, today, now_ms).await,
        Action::ResetEscalate {
            reset_id, staff_id, ..
        } => claim_reset_escalation(conn, *reset_id, staff_id, now_ms).await,
    }
}

/// Claims a reminder (user, due date, threshold).
async fn claim_reminder(
    conn: &mut AnyConnection,
    staff_id: &str,
    due: NaiveDate,
    threshold: i64,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let n = sqlx::query(
        "INSERT INTO password_reminders (staff_id, due_date, threshold, sent_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (staff_id, due_date, threshold) DO NOTHING",
    )
    .bind(staff_id)
    .bind(due.to_string())
    .bind(threshold)
    .bind(now_ms)
    .execute(conn)
    .await
    .context("claim password reminder")?
    .rows_affected();
    Ok(n == 1)
}

/// Claims the once-per-cycle escalation of an overdue password.
async fn claim_escalation(
    conn: &mut AnyConnection,
    staff_id: &str,
    due: NaiveDate,
    manager: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let n = sqlx::query(
        "INSERT INTO password_escalations (staff_id, due_date, manager_staff_id, escalated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (staff_id, due_date) DO NOTHING",
    )
    .bind(staff_id)
    .bind(due.to_string())
    .bind(manager)
    .bind(now_ms)
    .execute(conn)
    .await
    .context("claim password escalation")?
    .rows_affected();
    Ok(n == 1)
}

/// Claims a forced-change reminder for a local day.
async fn claim_reset_reminder(
    conn: &mut AnyConnection,
    reset_id: i64,
    staff_id: &str,
    day: NaiveDate,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let n = sqlx::query(
        "INSERT INTO password_reset_reminders (reset_id, staff_id, local_date, sent_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (reset_id, staff_id, local_date) DO NOTHING",
    )
    .bind(reset_id)
    .bind(staff_id)
    .bind(day.to_string())
    .bind(now_ms)
    .execute(conn)
    .await
    .context("claim forced-change reminder")?
    .rows_affected();
    Ok(n == 1)
}

/// Claims the one escalation of a pending forced change.
async fn claim_reset_escalation(
    conn: &mut AnyConnection,
    reset_id: i64,
    staff_id: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let n = sqlx::query(
        "UPDATE password_reset_targets SET escalated_at = $1 \
         WHERE reset_id = $2 AND staff_id = $3 AND escalated_at IS NULL AND done_at IS NULL",
    )
    .bind(now_ms)
    .bind(reset_id)
    .bind(staff_id)
    .execute(conn)
    .await
    .context("claim forced-change escalation")?
    .rows_affected();
    Ok(n == 1)
}
