//! The department tree as roster runs write it: departments by path
//! (created with their ancestors on first mention), and the synced tree
//! matched by DingTalk id so renames and moves follow DingTalk.

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::Context as _;
use sqlx::AnyConnection;

use crate::domain::roster::{path_name, path_prefixes};

/// Department ids by path for one run, and what the run changed.
#[derive(Debug, Default)]
pub struct Departments {
    ids: HashMap<String, i64>,
    pub added: u64,
    pub closed: u64,
}

async fn set(conn: &mut AnyConnection, sql: &str, id: i64) -> anyhow::Result<()> {
    sqlx::query(sql)
        .bind(id)
        .execute(conn)
        .await
        .context("update department")?;
    Ok(())
}

impl Departments {
    /// The id of the department at `path`, creating it and its ancestors
    /// (and reopening them if they were closed).
    pub async fn ensure_path(
        &mut self,
        conn: &mut AnyConnection,
        path: &str,
    ) -> anyhow::Result<i64> {
        let mut parent: Option<i64> = None;
        for prefix in path_prefixes(path) {
            if let Some(&id) = self.ids.get(prefix) {
                parent = Some(id);
                continue;
            }
            let found: Option<(i64, i64)> =
                sqlx::query_as("SELECT id, active FROM departments WHERE path = $1")
                    .bind(prefix)
                    .fetch_optional(&mut *conn)
                    .await
                    .context("find department")?;
            let id = match found {
                Some((id, active)) => {
                    if active == 0 {
                        set(conn, "UPDATE departments SET active = 1 WHERE id = $1", id).await?;
                    }
                    id
                }
                None => {
                    self.added += 1;
                    sqlx::query_scalar(
                        "INSERT INTO departments (path, name, parent_id) VALUES ($1, $2, $3) RETURNING id",
                    )
                    .bind(prefix)
                    .bind(path_name(prefix))
                    .bind(parent)
                    .fetch_one(&mut *conn)
                    .await
                    .context("create department")?
                }
            };
            self.ids.insert(prefix.to_owned(), id);
            parent = Some(id);
        }
        parent.context("empty department path")
    }

    /// Writes the synced tree (DingTalk id → path), parents first, and
    /// closes synced departments DingTalk no longer has.
    pub async fn sync_tree(
        &mut self,
        conn: &mut AnyConnection,
        tree: &BTreeMap<i64, String>,
    ) -> anyhow::Result<()> {
        let mut ordered: Vec<(&i64, &String)> = tree.iter().collect();
        ordered.sort_by_key(|(_, p)| (p.matches('/').count(), (*p).clone()));
        for (&dt_id, path) in ordered {
            self.follow_move(conn, dt_id, path).await?;
            let id = self.ensure_path(conn, path).await?;
            sqlx::query("UPDATE departments SET dingtalk_id = $1, active = 1 WHERE id = $2")
                .bind(dt_id)
                .bind(id)
                .execute(&mut *conn)
                .await
                .context("link synced department")?;
        }
        let listed: HashSet<i64> = tree.keys().copied().collect();
        let known: Vec<i64> = sqlx::query_scalar(
            "SELECT dingtalk_id FROM departments WHERE dingtalk_id IS NOT NULL AND active = 1",
        )
        .fetch_all(&mut *conn)
        .await
        .context("list synced departments")?;
        for dt_id in known.into_iter().filter(|d| !listed.contains(d)) {
            self.closed += 1;
            sqlx::query("UPDATE departments SET active = 0 WHERE dingtalk_id = $1")
                .bind(dt_id)
                .execute(&mut *conn)
                .await
                .context("close department")?;
        }
        Ok(())
    }

    /// A synced department now at `path` but stored elsewhere was renamed or
    /// moved: its row follows, unless another row already holds the path,
    /// which then becomes this department.
    async fn follow_move(
        &mut self,
        conn: &mut AnyConnection,
        dt_id: i64,
        path: &str,
    ) -> anyhow::Result<()> {
        let stored: Option<(i64, String)> =
            sqlx::query_as("SELECT id, path FROM departments WHERE dingtalk_id = $1")
                .bind(dt_id)
                .fetch_optional(&mut *conn)
                .await
                .context("find synced department")?;
        let Some((id, old)) = stored.filter(|(_, old)| old != path) else {
            return Ok(());
        };
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM departments WHERE path = $1")
            .bind(path)
            .fetch_optional(&mut *conn)
            .await
            .context("find department")?;
        if taken.is_some() {
            let sql = "UPDATE departments SET dingtalk_id = NULL, active = 0 WHERE id = $1";
            return set(conn, sql, id).await;
        }
        let parent = match path.rsplit_once('/') {
            Some((parent, _)) => Some(self.ensure_path(conn, parent).await?),
            None => None,
        };
        sqlx::query(
            "UPDATE departments SET path = $1, name = $2, parent_id = $3, active = 1 WHERE id = $4",
        )
        .bind(path)
        .bind(path_name(path))
        .bind(parent)
        .bind(id)
        .execute(&mut *conn)
        .await
        .with_context(|| format!("move department {old} to {path}"))?;
        self.ids.remove(old.as_str());
        Ok(())
    }
}
