//! Users as the chat sees them: recorded on first contact, with their
//! language and roles.

use anyhow::Context as _;
use sqlx::AnyConnection;

use serde_json::json;

use super::Store;
use super::audit::{self, AuditEntry};
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
    /// The user with their roles, recording them on first contact.
    pub async fn user_on_contact(
        &self,
        staff_id: &str,
        nick: &str,
        now_ms: i64,
    ) -> anyhow::Result<User> {
        if let Some(user) = self.user(staff_id).await? {
            return Ok(user);
        }
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO users (staff_id, name, first_seen_at, updated_at) VALUES ($1, $2, $3, $3) \
             ON CONFLICT (staff_id) DO NOTHING",
        )
        .bind(staff_id)
        .bind(nick)
        .bind(now_ms)
        .execute(tx.conn())
        .await
        .context("record user on first contact")?;
        tx.commit().await?;
        self.user(staff_id)
            .await?
            .context("user vanished after insert")
    }

    /// The user with their roles, if known.
    pub async fn user(&self, staff_id: &str) -> anyhow::Result<Option<User>> {
        let mut conn = self.pool().acquire().await?;
        load_user(&mut conn, staff_id).await
    }

    /// Stores the user's reply language.
    pub async fn set_lang(&self, staff_id: &str, lang: Lang, now_ms: i64) -> anyhow::Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE users SET lang = $1, updated_at = $2 WHERE staff_id = $3")
            .bind(lang.code())
            .bind(now_ms)
            .bind(staff_id)
            .execute(tx.conn())
            .await
            .context("set language")?;
        tx.commit().await
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

/// Marks an active user as left (`roster.left`, with `via`) and suspends
/// their roles (`role.suspend`); `false`, changing nothing, when they are
/// unknown or gone already. The caller holds [`super::roles::lock_roles`].
pub async fn leave(
    conn: &mut AnyConnection,
    staff_id: &str,
    actor: &str,
    via: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let changed = sqlx::query(
        "UPDATE users SET active = 0, left_at = $1, updated_at = $1 WHERE staff_id = $2 AND active = 1",
    )
    .bind(now_ms)
    .bind(staff_id)
    .execute(&mut *conn)
    .await
    .context("mark user left")?
    .rows_affected();
    if changed == 0 {
        return Ok(false);
    }
    let entry = AuditEntry {
        actor,
        action: "roster.left",
        subject: staff_id,
        details: json!({"via": via}),
    };
    audit::append(conn, &entry, now_ms).await?;
    super::roles::suspend_all(conn, staff_id, actor, via, now_ms).await?;
    Ok(true)
}

/// DingTalk says these users left the organisation: they stop being
/// addressed, keep their history, and their roles are suspended. Audited.
/// Runs inside the caller's transaction (see `org_events`).
pub async fn mark_left(
    conn: &mut AnyConnection,
    staff_ids: &[String],
    now_ms: i64,
) -> anyhow::Result<()> {
    super::roles::lock_roles(conn).await?;
    for id in staff_ids {
        leave(conn, id, "dingtalk", "event", now_ms).await?;
    }
    Ok(())
}

/// DingTalk says these users joined (or rejoined) the organisation. Audited.
/// Runs inside the caller's transaction (see `org_events`).
pub async fn mark_joined(
    conn: &mut AnyConnection,
    staff_ids: &[String],
    now_ms: i64,
) -> anyhow::Result<()> {
    for id in staff_ids {
        sqlx::query(
            "INSERT INTO users (staff_id, source, first_seen_at, updated_at) VALUES ($1, 'sync', $2, $2) \
             ON CONFLICT (staff_id) DO UPDATE SET active = 1, left_at = NULL, updated_at = excluded.updated_at",
        )
        .bind(id)
        .bind(now_ms)
        .execute(&mut *conn)
        .await
        .context("record joined user")?;
        let entry = AuditEntry {
            actor: "dingtalk",
            action: "roster.joined",
            subject: id,
            details: json!({"via": "event"}),
        };
        audit::append(conn, &entry, now_ms).await?;
    }
    Ok(())
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
