//! Console sessions (issue 16.2): rows keyed by the digest of the cookie
//! value, never the value itself. Statements on the caller's connection or
//! transaction; the console actions decide what they mean.

use anyhow::Context as _;
use sqlx::AnyConnection;

use super::users::{load_user, user_roles};
use crate::domain::User;
use crate::i18n::Lang;

/// A stored session.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub staff_id: String,
    pub via: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// Stores a new session.
pub async fn insert_session(
    conn: &mut AnyConnection,
    id_hash: &str,
    staff_id: &str,
    via: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO console_sessions (id_hash, staff_id, via, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(id_hash)
    .bind(staff_id)
    .bind(via)
    .bind(now_ms)
    .execute(conn)
    .await
    .context("insert console session")?;
    Ok(())
}

/// The session with this digest, if any.
pub async fn find_session(
    conn: &mut AnyConnection,
    id_hash: &str,
) -> anyhow::Result<Option<SessionRow>> {
    sqlx::query_as(
        "SELECT staff_id, via, created_at, last_seen_at FROM console_sessions WHERE id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(conn)
    .await
    .context("find console session")
}

/// Records a use of the session.
pub async fn touch_session(
    conn: &mut AnyConnection,
    id_hash: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE console_sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(now_ms)
        .bind(id_hash)
        .execute(conn)
        .await
        .context("touch console session")?;
    Ok(())
}

/// Deletes one session; the staff id it belonged to, if it existed.
pub async fn delete_session(
    conn: &mut AnyConnection,
    id_hash: &str,
) -> anyhow::Result<Option<String>> {
    sqlx::query_scalar("DELETE FROM console_sessions WHERE id_hash = $1 RETURNING staff_id")
        .bind(id_hash)
        .fetch_optional(conn)
        .await
        .context("delete console session")
}

/// Deletes every session of a person; how many there were.
pub async fn delete_sessions_of(conn: &mut AnyConnection, staff_id: &str) -> anyhow::Result<u64> {
    let done = sqlx::query("DELETE FROM console_sessions WHERE staff_id = $1")
        .bind(staff_id)
        .execute(conn)
        .await
        .context("delete sessions of a person")?;
    Ok(done.rows_affected())
}

/// Deletes sessions idle since `idle_before` or made before `made_before`.
pub async fn delete_expired_sessions(
    conn: &mut AnyConnection,
    idle_before: i64,
    made_before: i64,
) -> anyhow::Result<u64> {
    let done =
        sqlx::query("DELETE FROM console_sessions WHERE last_seen_at <= $1 OR created_at <= $2")
            .bind(idle_before)
            .bind(made_before)
            .execute(conn)
            .await
            .context("delete expired sessions")?;
    Ok(done.rows_affected())
}

/// How many sessions a person has.
pub async fn count_sessions_of(conn: &mut AnyConnection, staff_id: &str) -> anyhow::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM console_sessions WHERE staff_id = $1")
        .bind(staff_id)
        .fetch_one(conn)
        .await
        .context("count sessions")
}

/// A person as the console sees them: their user row with roles, or, for
/// a configured role holder who never wrote to the bot (no user row yet),
/// an active user with those roles and no name. `None` when neither.
pub async fn console_user(
    conn: &mut AnyConnection,
    staff_id: &str,
) -> anyhow::Result<Option<User>> {
    if let Some(user) = load_user(conn, staff_id).await? {
        return Ok(Some(user));
    }
    let roles = user_roles(conn, staff_id).await?;
    Ok((!roles.is_empty()).then(|| User {
        staff_id: staff_id.to_owned(),
        name: String::new(),
        lang: Lang::Zh,
        roles,
        active: true,
    }))
}

/// Active admins and HR (staff id, name), for `serve --dev`'s "sign in as".
pub async fn console_people(conn: &mut AnyConnection) -> anyhow::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT DISTINCT r.staff_id, COALESCE(u.name, '') FROM user_roles r \
         LEFT JOIN users u ON u.staff_id = r.staff_id \
         WHERE u.active IS NULL OR u.active = 1 ORDER BY r.staff_id",
    )
    .fetch_all(conn)
    .await
    .context("list console people")
}
