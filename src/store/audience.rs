//! Who "all", "dept NAME" and "users IDS" mean right now: active roster users.

use anyhow::Context as _;
use sqlx::AnyConnection;

/// A target group resolved to staff ids.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolved {
    /// Active users, sorted, without duplicates.
    pub staff_ids: Vec<String>,
    /// Ids that were asked for but are unknown or have left.
    pub unknown: Vec<String>,
}

/// Every active user.
pub async fn all_active(conn: &mut AnyConnection) -> anyhow::Result<Vec<String>> {
    sqlx::query_scalar("SELECT staff_id FROM users WHERE active = 1 ORDER BY staff_id")
        .fetch_all(conn)
        .await
        .context("list active users")
}

/// Active users of the department named `name` (by full path like
/// `总部/研发部`, or by its last segment when that is unique) and of its
/// sub-departments, whether it is their primary department or another one. `None` when no department matches.
pub async fn department_members(
    conn: &mut AnyConnection,
    name: &str,
) -> anyhow::Result<Option<Vec<String>>> {
    let name = name.trim().trim_matches('/');
    let paths: Vec<String> =
        sqlx::query_scalar("SELECT path FROM departments WHERE path = $1 OR name = $1")
            .bind(name)
            .fetch_all(&mut *conn)
            .await
            .context("find department")?;
    // An exact path wins; a bare name must be unambiguous.
    let path = if paths.iter().any(|p| p == name) {
        name.to_owned()
    } else if let [only] = paths.as_slice() {
        only.clone()
    } else {
        return Ok(None);
    };
    // Members by their primary department or any other department they
    // belong to (DingTalk users can sit in several).
    let ids = sqlx::query_scalar(
        "WITH subtree AS (SELECT id FROM departments WHERE path = $1 OR path LIKE $2 ESCAPE '\\') \
         SELECT u.staff_id FROM users u WHERE u.active = 1 AND (u.department_id IN (SELECT id FROM subtree) \
         OR EXISTS (SELECT 1 FROM user_departments ud WHERE ud.staff_id = u.staff_id \
         AND ud.department_id IN (SELECT id FROM subtree))) ORDER BY u.staff_id",
    )
    .bind(&path)
    .bind(format!("{}/%", like_escape(&path)))
    .fetch_all(conn)
    .await
    .context("list department members")?;
    Ok(Some(ids))
}

/// The given ids split into active users and the rest.
pub async fn named_users(conn: &mut AnyConnection, ids: &[String]) -> anyhow::Result<Resolved> {
    let mut out = Resolved::default();
    for id in ids {
        let active: Option<i64> =
            sqlx::query_scalar("SELECT active FROM users WHERE staff_id = $1")
                .bind(id)
                .fetch_optional(&mut *conn)
                .await
                .context("look up user")?;
        if active == Some(1) {
            out.staff_ids.push(id.clone());
        } else {
            out.unknown.push(id.clone());
        }
    }
    out.staff_ids.sort();
    out.staff_ids.dedup();
    Ok(out)
}

/// Escapes LIKE wildcards so a path matches literally (with `ESCAPE '\'`).
fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
