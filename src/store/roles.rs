//! Roles (`admin`, `hr`) and where each came from: the configuration, a
//! grant in chat, a roster import, or DingTalk's organisation-admin flag.
//! Statements on the caller's transaction; the actions that change roles
//! audit them and keep the last active administrator. Only the start-up
//! [`bootstrap`] from the configuration audits here.

use anyhow::Context as _;
use serde_json::json;
use sqlx::AnyConnection;

use super::audit::{self, AuditEntry};
use crate::domain::Role;

/// Advisory-lock key that serialises role changes and roster runs on
/// PostgreSQL, so two replicas cannot each remove "one of two" admins.
const ROLES_LOCK_KEY: i64 = 0x6469_6e67_726f_6c65; // "dingrole"

pub use crate::domain::roster::RoleSource;

/// Serialises role changes across replicas (PostgreSQL; SQLite has one
/// writer already). Held until the transaction ends.
pub async fn lock_roles(conn: &mut AnyConnection) -> anyhow::Result<()> {
    if conn.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(ROLES_LOCK_KEY)
            .execute(conn)
            .await
            .context("lock roles")?;
    }
    Ok(())
}

/// How many administrators can act: role holders who have not left (a
/// configured admin who never wrote to the bot has no user row yet).
pub async fn count_active_admins(conn: &mut AnyConnection) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM user_roles r LEFT JOIN users u ON u.staff_id = r.staff_id \
         WHERE r.role = 'admin' AND (u.active IS NULL OR u.active = 1)",
    )
    .fetch_one(conn)
    .await
    .context("count admins")
}

/// Active administrators with their reply language, for notifications.
pub async fn active_admins(conn: &mut AnyConnection) -> anyhow::Result<Vec<(String, String)>> {
    sqlx::query_as(
        "SELECT r.staff_id, COALESCE(u.lang, 'zh') FROM user_roles r \
         LEFT JOIN users u ON u.staff_id = r.staff_id \
         WHERE r.role = 'admin' AND (u.active IS NULL OR u.active = 1) ORDER BY r.staff_id COLLATE \"binary\"",
    )
    .fetch_all(conn)
    .await
    .context("list admins")
}

/// One role held: `(staff_id, name, role, source, active)`, the name empty
/// for a configured admin who never wrote to the bot.
pub type Holder = (String, String, String, String, i64);

/// Everyone who holds a role, by role, then staff id.
pub async fn holders(conn: &mut AnyConnection) -> anyhow::Result<Vec<Holder>> {
    sqlx::query_as(
        "SELECT r.staff_id, COALESCE(u.name, ''), r.role, r.source, COALESCE(u.active, 1) \
         FROM user_roles r LEFT JOIN users u ON u.staff_id = r.staff_id \
         ORDER BY r.role, r.staff_id COLLATE \"binary\"",
    )
    .fetch_all(conn)
    .await
    .context("list role holders")
}

/// Where `staff_id`'s `role` came from, if they hold it.
pub async fn role_source(
    conn: &mut AnyConnection,
    staff_id: &str,
    role: Role,
) -> anyhow::Result<Option<RoleSource>> {
    let source: Option<String> =
        sqlx::query_scalar("SELECT source FROM user_roles WHERE staff_id = $1 AND role = $2")
            .bind(staff_id)
            .bind(role.as_str())
            .fetch_optional(conn)
            .await
            .context("read role source")?;
    source
        .map(|s| RoleSource::parse(&s).with_context(|| format!("unknown role source '{s}'")))
        .transpose()
}

/// Grants a role, recording `granted_by`. Returns `false`, and changes
/// nothing, when the user already holds it.
pub async fn grant(
    conn: &mut AnyConnection,
    staff_id: &str,
    role: Role,
    source: RoleSource,
    granted_by: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO user_roles (staff_id, role, source, granted_by, granted_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (staff_id, role) DO NOTHING",
    )
    .bind(staff_id)
    .bind(role.as_str())
    .bind(source.as_str())
    .bind(granted_by)
    .bind(now_ms)
    .execute(&mut *conn)
    .await
    .context("grant role")?
    .rows_affected();
    Ok(inserted > 0)
}

/// Takes a role away, returning where it had come from, or `None` if the
/// user did not hold it. The caller checks the last-admin rule (under
/// [`lock_roles`]).
pub async fn revoke(
    conn: &mut AnyConnection,
    staff_id: &str,
    role: Role,
) -> anyhow::Result<Option<RoleSource>> {
    let Some(source) = role_source(conn, staff_id, role).await? else {
        return Ok(None);
    };
    sqlx::query("DELETE FROM user_roles WHERE staff_id = $1 AND role = $2")
        .bind(staff_id)
        .bind(role.as_str())
        .execute(&mut *conn)
        .await
        .context("revoke role")?;
    Ok(Some(source))
}

/// The audit entry of a role change: `role.grant` or `role.revoke`, with
/// the role and where it came from.
pub fn change_entry<'a>(
    actor: &'a str,
    granted: bool,
    staff_id: &'a str,
    role: Role,
    source: RoleSource,
) -> AuditEntry<'a> {
    AuditEntry {
        actor,
        action: if granted { "role.grant" } else { "role.revoke" },
        subject: staff_id,
        details: json!({"role": role.as_str(), "source": source.as_str()}),
    }
}

/// Takes every role from someone who has left and returns what they held,
/// with where each came from, for the action to audit (`role.suspend`).
/// Nothing comes back by itself when they return: configured and imported
/// roles are granted again by the next start or import, chat grants must be
/// made again. The caller holds [`lock_roles`].
pub async fn suspend_all(
    conn: &mut AnyConnection,
    staff_id: &str,
) -> anyhow::Result<Vec<(Role, RoleSource)>> {
    let held: Vec<(String, String)> =
        sqlx::query_as("SELECT role, source FROM user_roles WHERE staff_id = $1 ORDER BY role")
            .bind(staff_id)
            .fetch_all(&mut *conn)
            .await
            .context("list roles to suspend")?;
    if held.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query("DELETE FROM user_roles WHERE staff_id = $1")
        .bind(staff_id)
        .execute(&mut *conn)
        .await
        .context("suspend roles")?;
    held.iter()
        .map(|(role, source)| {
            let role = role
                .parse()
                .map_err(|()| anyhow::anyhow!("unknown role '{role}'"))?;
            let source = RoleSource::parse(source)
                .with_context(|| format!("unknown role source '{source}'"))?;
            Ok((role, source))
        })
        .collect()
}

/// Makes the configured roles hold at start-up: grants the missing ones and
/// takes back roles granted by an earlier configuration that no longer
/// lists the person (never the last active administrator). Audited with
/// the actor `config`.
pub async fn bootstrap(
    conn: &mut AnyConnection,
    admins: &[String],
    hr: &[String],
    now_ms: i64,
) -> anyhow::Result<()> {
    lock_roles(conn).await?;
    for (listed, role) in [(admins, Role::Admin), (hr, Role::Hr)] {
        for staff_id in listed {
            if grant(conn, staff_id, role, RoleSource::Config, "config", now_ms).await? {
                let entry = change_entry("config", true, staff_id, role, RoleSource::Config);
                audit::append(conn, &entry, now_ms).await?;
            }
        }
        let configured: Vec<String> = sqlx::query_scalar(
            "SELECT staff_id FROM user_roles WHERE role = $1 AND source = 'config' ORDER BY staff_id",
        )
        .bind(role.as_str())
        .fetch_all(&mut *conn)
        .await
        .context("list configured roles")?;
        for staff_id in configured.iter().filter(|s| !listed.contains(s)) {
            if role == Role::Admin && count_active_admins(conn).await? <= 1 {
                tracing::warn!(%staff_id, "kept the last administrator although the configuration no longer lists them");
                continue;
            }
            if let Some(source) = revoke(conn, staff_id, role).await? {
                let entry = change_entry("config", false, staff_id, role, source);
                audit::append(conn, &entry, now_ms).await?;
            }
        }
    }
    Ok(())
}
