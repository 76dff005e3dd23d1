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
    sqlx::query_scalar(
        "SELECT staff_id FROM users WHERE active = 1 ORDER BY staff_id COLLATE \"binary\"",
    )
    .fetch_all(conn)
    .await
    .context("list active users")
}

/// Active users of the department named `name` (by full path like
/// `总部/研发部`, or by its last segment when that is unique) and of its
/// sub-departments, whether it is their primary department or another one.
/// `None` when no department matches. Matching is case-insensitive by
/// Unicode lower case, decided here rather than by either database's
/// collation, so SQLite and PostgreSQL give the same answer.
pub async fn department_members(
    conn: &mut AnyConnection,
    name: &str,
) -> anyhow::Result<Option<Vec<String>>> {
    let departments: Vec<(String, String)> = sqlx::query_as("SELECT path, name FROM departments")
        .fetch_all(&mut *conn)
        .await
        .context("find department")?;
    let Some(path) = pick_department(&departments, name) else {
        return Ok(None);
    };
    // The subtree: the path itself and every path below it (a prefix
    // compared exactly, so no LIKE and its dialect differences).
    let below = format!("{path}/");
    let ids = sqlx::query_scalar(
        "WITH subtree AS (SELECT id FROM departments WHERE path = $1 OR substr(path, 1, CAST($2 AS INTEGER)) = $3) \
         SELECT u.staff_id FROM users u WHERE u.active = 1 AND (u.department_id IN (SELECT id FROM subtree) \
         OR EXISTS (SELECT 1 FROM user_departments ud WHERE ud.staff_id = u.staff_id \
         AND ud.department_id IN (SELECT id FROM subtree))) ORDER BY u.staff_id COLLATE \"binary\"",
    )
    .bind(&path)
    .bind(i64::try_from(below.chars().count()).unwrap_or(i64::MAX))
    .bind(&below)
    .fetch_all(conn)
    .await
    .context("list department members")?;
    Ok(Some(ids))
}

/// The path `name` means among `(path, name)` pairs: a full path (an exact
/// spelling wins over one differing in case), else a unique last segment;
/// case-insensitive.
fn pick_department(departments: &[(String, String)], name: &str) -> Option<String> {
    let wanted = name.trim().trim_matches('/');
    let folded = wanted.to_lowercase();
    if let Some((p, _)) = departments.iter().find(|(p, _)| p == wanted) {
        return Some(p.clone());
    }
    let unique = |hits: Vec<&String>| match hits.as_slice() {
        [only] => Some((*only).clone()),
        _ => None,
    };
    let by_path: Vec<&String> = departments
        .iter()
        .filter(|(p, _)| p.to_lowercase() == folded)
        .map(|(p, _)| p)
        .collect();
    if !by_path.is_empty() {
        return unique(by_path);
    }
    unique(
        departments
            .iter()
            .filter(|(_, n)| n.to_lowercase() == folded)
            .map(|(p, _)| p)
            .collect(),
    )
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

#[cfg(test)]
mod tests {
    use super::pick_department;

    #[test]
    fn department_names_match_case_insensitively_and_unambiguously() {
        let d = |p: &str| (p.to_owned(), p.rsplit('/').next().unwrap().to_owned());
        let all = vec![
            d("总部"),
            d("总部/Sales"),
            d("总部/研发部"),
            d("总部/研发部/Ops"),
            d("分部/ops"),
        ];
        assert_eq!(
            pick_department(&all, "sales").as_deref(),
            Some("总部/Sales")
        );
        assert_eq!(
            pick_department(&all, "总部/SALES/").as_deref(),
            Some("总部/Sales")
        );
        assert_eq!(
            pick_department(&all, "研发部").as_deref(),
            Some("总部/研发部")
        );
        assert_eq!(
            pick_department(&all, "OPS"),
            None,
            "two departments are called ops"
        );
        assert_eq!(
            pick_department(&all, "分部/OPS").as_deref(),
            Some("分部/ops")
        );
        assert_eq!(pick_department(&all, "市场部"), None);
    }
}
