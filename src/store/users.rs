//! Users as the chat sees them: recorded on first contact, with their
//! language and roles; marked as left or joined when DingTalk says so; and
//! the whole stored roster as a roster plan compares it ([`known`]).
//! Statements on the caller's transaction (the actions own it).

use std::collections::HashMap;

use anyhow::Context as _;
use sqlx::AnyConnection;

use super::Store;
use super::roles::RoleSource;
use crate::domain::roster::plan::Known;
use crate::domain::{Role, User};
use crate::i18n::Lang;

#[derive(sqlx::FromRow)]
struct UserRow {
    staff_id: String,
    name: String,
    lang: String,
    active: i64,
    role: Option<String>,
}

impl Store {
    /// The user with their roles, if known.
    pub async fn user(&self, staff_id: &str) -> anyhow::Result<Option<User>> {
        let mut conn = self.pool().acquire().await?;
        load_user(&mut conn, staff_id).await
    }

    /// Makes the roles named in the configuration hold (idempotent,
    /// audited): see [`super::roles::bootstrap`].
    pub async fn bootstrap_roles(
        &self,
        admins: &[String],
        hr: &[String],
        now_ms: i64,
    ) -> anyhow::Result<()> {
        let mut tx = self.begin_write().await?;
        super::roles::bootstrap(tx.conn(), admins, hr, now_ms).await?;
        tx.commit().await
    }
}

/// Loads a user and their roles on an open connection or transaction
/// (one query: a row per role, or one row with no role).
pub async fn load_user(conn: &mut AnyConnection, staff_id: &str) -> anyhow::Result<Option<User>> {
    let rows: Vec<UserRow> = sqlx::query_as(
        "SELECT u.staff_id, u.name, u.lang, u.active, r.role FROM users u \
         LEFT JOIN user_roles r ON r.staff_id = u.staff_id WHERE u.staff_id = $1",
    )
    .bind(staff_id)
    .fetch_all(&mut *conn)
    .await
    .context("load user")?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let mut roles: Vec<Role> = rows
        .iter()
        .filter_map(|r| r.role.as_deref()?.parse().ok())
        .collect();
    roles.sort();
    // Someone who has left holds no role, even if a row survived.
    if first.active == 0 {
        roles.clear();
    }
    Ok(Some(User {
        staff_id: first.staff_id.clone(),
        name: first.name.clone(),
        lang: Lang::from_code(&first.lang),
        roles,
        active: first.active != 0,
    }))
}

/// The roles held by a staff id.
pub async fn user_roles(conn: &mut AnyConnection, staff_id: &str) -> anyhow::Result<Vec<Role>> {
    let names: Vec<String> =
        sqlx::query_scalar("SELECT role FROM user_roles WHERE staff_id = $1 ORDER BY role")
            .bind(staff_id)
            .fetch_all(conn)
            .await
            .context("load roles")?;
    Ok(names.iter().filter_map(|r| r.parse().ok()).collect())
}

/// Records a user who wrote to the bot for the first time (nothing if
/// known already).
pub async fn insert_on_contact(
    conn: &mut AnyConnection,
    staff_id: &str,
    nick: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO users (staff_id, name, first_seen_at, updated_at) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (staff_id) DO NOTHING",
    )
    .bind(staff_id)
    .bind(nick)
    .bind(now_ms)
    .execute(conn)
    .await
    .context("record user on first contact")?;
    Ok(())
}

/// Stores the user's reply language.
pub async fn set_lang(
    conn: &mut AnyConnection,
    staff_id: &str,
    lang: Lang,
    now_ms: i64,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE users SET lang = $1, updated_at = $2 WHERE staff_id = $3")
        .bind(lang.code())
        .bind(now_ms)
        .bind(staff_id)
        .execute(conn)
        .await
        .context("set language")?;
    Ok(())
}

/// Marks an active user as left (they stop being addressed and keep their
/// history); whether they were active. Their roles are suspended by the
/// action that makes them leave (`roles::suspend_all`, audited there).
pub async fn mark_left(
    conn: &mut AnyConnection,
    staff_id: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let changed = sqlx::query(
        "UPDATE users SET active = 0, left_at = $1, updated_at = $1 \
         WHERE staff_id = $2 AND active = 1",
    )
    .bind(now_ms)
    .bind(staff_id)
    .execute(conn)
    .await
    .context("mark user left")?
    .rows_affected();
    Ok(changed > 0)
}

/// Records a user who joined (or rejoined) the organisation as active.
pub async fn record_joined(
    conn: &mut AnyConnection,
    staff_id: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO users (staff_id, source, first_seen_at, updated_at) VALUES ($1, 'sync', $2, $2) \
         ON CONFLICT (staff_id) DO UPDATE SET active = 1, left_at = NULL, updated_at = excluded.updated_at",
    )
    .bind(staff_id)
    .bind(now_ms)
    .execute(conn)
    .await
    .context("record joined user")?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct KnownRow {
    staff_id: String,
    name: String,
    department: Option<String>,
    manager_staff_id: Option<String>,
    active: i64,
    source: String,
    password_changed_at: Option<i64>,
}

/// Every stored user with their roles, as a roster plan compares them.
pub async fn known(conn: &mut AnyConnection) -> anyhow::Result<Vec<Known>> {
    let rows: Vec<KnownRow> = sqlx::query_as(
        "SELECT u.staff_id, u.name, d.path AS department, u.manager_staff_id, u.active, u.source, \
         u.password_changed_at FROM users u LEFT JOIN departments d ON d.id = u.department_id \
         ORDER BY u.staff_id COLLATE \"binary\"",
    )
    .fetch_all(&mut *conn)
    .await
    .context("load the roster")?;
    let held: Vec<(String, String, String)> =
        sqlx::query_as("SELECT staff_id, role, source FROM user_roles")
            .fetch_all(&mut *conn)
            .await
            .context("load roles")?;
    let mut roles: HashMap<String, Vec<(Role, RoleSource)>> = HashMap::new();
    for (staff_id, role, source) in held {
        if let (Ok(role), Some(source)) = (role.parse::<Role>(), RoleSource::parse(&source)) {
            roles.entry(staff_id).or_default().push((role, source));
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| Known {
            roles: roles.remove(&r.staff_id).unwrap_or_default(),
            staff_id: r.staff_id,
            name: r.name,
            department: r.department,
            manager: r.manager_staff_id,
            active: r.active == 1,
            from_import: r.source == "import",
            password_changed_ms: r.password_changed_at,
        })
        .collect())
}
