//! Applying a roster (a CSV import or a DingTalk sync) in one transaction:
//! departments by path, users upserted, their departments replaced, roles
//! from the source granted or taken back, and users the source no longer
//! lists marked as left (their history stays). Idempotent: applying the same
//! roster twice changes nothing the second time.

use std::collections::{BTreeMap, HashMap, HashSet};

use anyhow::Context as _;
use chrono_tz::Tz;
use serde_json::json;
use sqlx::AnyConnection;

use super::Store;
use super::audit::{self, AuditEntry};
use super::roles::{self, RoleSource};
use crate::domain::Role;
use crate::domain::roster::{RosterEntry, local_midnight_ms, path_name, path_prefixes};

/// Which kind of roster is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RosterSource {
    /// `roster import FILE.csv`: marks left only users an earlier import
    /// brought in (a file may not know who reached the bot another way).
    Import,
    /// `roster sync`: DingTalk's directory is the whole organisation, so
    /// every active user it does not list is marked left.
    Sync,
}

impl RosterSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RosterSource::Import => "import",
            RosterSource::Sync => "sync",
        }
    }
}

/// How to apply a roster.
#[derive(Clone, Debug)]
pub struct ApplyOptions<'a> {
    pub source: RosterSource,
    /// Who ran it, for the audit log (e.g. `cli`).
    pub actor: &'a str,
    /// What was applied, for the audit log: the file name or the API base.
    pub origin: &'a str,
    /// Dates in the file are local dates here.
    pub timezone: Tz,
    /// `DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS`.
    pub org_admins_are_admins: bool,
    pub now_ms: i64,
}

/// What applying a roster changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RosterSummary {
    pub users: u64,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub left: Vec<String>,
    pub rejoined: Vec<String>,
    pub departments_added: u64,
    pub departments_closed: u64,
    pub roles_granted: u64,
    pub roles_revoked: u64,
}

#[derive(sqlx::FromRow)]
struct Existing {
    name: String,
    department_id: Option<i64>,
    manager_staff_id: Option<String>,
    active: i64,
    left_at: Option<i64>,
    password_changed_at: Option<i64>,
    dingtalk_admin: i64,
    source: String,
}

/// One run's working state: the transaction plus caches and counters.
struct Run<'c, 'o> {
    conn: &'c mut AnyConnection,
    opts: &'o ApplyOptions<'o>,
    dept_ids: HashMap<String, i64>,
    summary: RosterSummary,
}

impl Store {
    /// Applies `entries` (and, for a sync, the department tree by DingTalk
    /// id) in one transaction; all or nothing. Refuses a roster that would
    /// leave no active administrator.
    pub async fn apply_roster(
        &self,
        entries: &[RosterEntry],
        departments: Option<&BTreeMap<i64, String>>,
        opts: &ApplyOptions<'_>,
    ) -> anyhow::Result<RosterSummary> {
        let mut tx = self.begin_write().await?;
        roles::lock_roles(tx.conn()).await?;
        let admins_before = roles::count_active_admins(tx.conn()).await?;
        let mut run = Run {
            conn: tx.conn(),
            opts,
            dept_ids: HashMap::new(),
            summary: RosterSummary::default(),
        };
        if let Some(tree) = departments {
            run.sync_departments(tree).await?;
        }
        for entry in entries {
            run.apply_user(entry).await?;
        }
        let seen: HashSet<&str> = entries.iter().map(|e| e.staff_id.as_str()).collect();
        run.mark_left(&seen).await?;
        let summary = run.summary;
        if admins_before > 0 && roles::count_active_admins(tx.conn()).await? == 0 {
            anyhow::bail!(
                "this {} would leave no active administrator (nothing was changed); \
                 grant the admin role to someone who stays first",
                opts.source.as_str()
            );
        }
        let entry = AuditEntry {
            actor: opts.actor,
            action: match opts.source {
                RosterSource::Import => "roster.import",
                RosterSource::Sync => "roster.sync",
            },
            subject: opts.origin,
            details: json!({
                "users": summary.users, "added": summary.added, "updated": summary.updated,
                "unchanged": summary.unchanged, "left": summary.left.len(),
                "rejoined": summary.rejoined.len(), "departments_added": summary.departments_added,
                "departments_closed": summary.departments_closed,
                "roles_granted": summary.roles_granted, "roles_revoked": summary.roles_revoked,
            }),
        };
        audit::append(tx.conn(), &entry, opts.now_ms).await?;
        tx.commit().await?;
        Ok(summary)
    }
}

impl Run<'_, '_> {
    /// The id of the department at `path`, creating it and its ancestors.
    async fn ensure_path(&mut self, path: &str) -> anyhow::Result<i64> {
        let mut parent: Option<i64> = None;
        for prefix in path_prefixes(path) {
            if let Some(&id) = self.dept_ids.get(prefix) {
                parent = Some(id);
                continue;
            }
            let found: Option<(i64, i64)> =
                sqlx::query_as("SELECT id, active FROM departments WHERE path = $1")
                    .bind(prefix)
                    .fetch_optional(&mut *self.conn)
                    .await
                    .context("find department")?;
            let id = match found {
                Some((id, active)) => {
                    if active == 0 {
                        self.exec("UPDATE departments SET active = 1 WHERE id = $1", id)
                            .await?;
                    }
                    id
                }
                None => {
                    self.summary.departments_added += 1;
                    sqlx::query_scalar(
                        "INSERT INTO departments (path, name, parent_id) VALUES ($1, $2, $3) RETURNING id",
                    )
                    .bind(prefix)
                    .bind(path_name(prefix))
                    .bind(parent)
                    .fetch_one(&mut *self.conn)
                    .await
                    .context("create department")?
                }
            };
            self.dept_ids.insert(prefix.to_owned(), id);
            parent = Some(id);
        }
        parent.context("empty department path")
    }

    async fn exec(&mut self, sql: &str, id: i64) -> anyhow::Result<()> {
        sqlx::query(sql)
            .bind(id)
            .execute(&mut *self.conn)
            .await
            .context("update department")?;
        Ok(())
    }

    /// Upserts the synced tree by DingTalk id (renames and moves follow
    /// DingTalk) and closes departments DingTalk no longer has.
    async fn sync_departments(&mut self, tree: &BTreeMap<i64, String>) -> anyhow::Result<()> {
        let mut ordered: Vec<(&i64, &String)> = tree.iter().collect();
        ordered.sort_by_key(|(_, p)| (p.matches('/').count(), (*p).clone()));
        for (&dt_id, path) in ordered {
            let by_dt: Option<(i64, String)> =
                sqlx::query_as("SELECT id, path FROM departments WHERE dingtalk_id = $1")
                    .bind(dt_id)
                    .fetch_optional(&mut *self.conn)
                    .await
                    .context("find synced department")?;
            match by_dt {
                Some((id, old)) if old != *path => {
                    let taken: Option<i64> =
                        sqlx::query_scalar("SELECT id FROM departments WHERE path = $1")
                            .bind(path)
                            .fetch_optional(&mut *self.conn)
                            .await
                            .context("find department")?;
                    if taken.is_some() {
                        // Another row holds the new path: it becomes this department.
                        self.exec(
                            "UPDATE departments SET dingtalk_id = NULL, active = 0 WHERE id = $1",
                            id,
                        )
                        .await?;
                    } else {
                        let parent = self.parent_of(path).await?;
                        sqlx::query(
                            "UPDATE departments SET path = $1, name = $2, parent_id = $3, active = 1 WHERE id = $4",
                        )
                        .bind(path)
                        .bind(path_name(path))
                        .bind(parent)
                        .bind(id)
                        .execute(&mut *self.conn)
                        .await
                        .context("move department")?;
                    }
                }
                _ => {}
            }
            let id = self.ensure_path(path).await?;
            sqlx::query("UPDATE departments SET dingtalk_id = $1, active = 1 WHERE id = $2")
                .bind(dt_id)
                .bind(id)
                .execute(&mut *self.conn)
                .await
                .context("link synced department")?;
        }
        let ids: Vec<i64> = tree.keys().copied().collect();
        let stale: Vec<i64> = sqlx::query_scalar(
            "SELECT dingtalk_id FROM departments WHERE dingtalk_id IS NOT NULL AND active = 1",
        )
        .fetch_all(&mut *self.conn)
        .await
        .context("list synced departments")?;
        for dt_id in stale.into_iter().filter(|d| !ids.contains(d)) {
            self.summary.departments_closed += 1;
            sqlx::query("UPDATE departments SET active = 0 WHERE dingtalk_id = $1")
                .bind(dt_id)
                .execute(&mut *self.conn)
                .await
                .context("close department")?;
        }
        Ok(())
    }

    async fn parent_of(&mut self, path: &str) -> anyhow::Result<Option<i64>> {
        match path.rsplit_once('/') {
            Some((parent, _)) => Ok(Some(self.ensure_path(parent).await?)),
            None => Ok(None),
        }
    }

    async fn apply_user(&mut self, e: &RosterEntry) -> anyhow::Result<()> {
        let now = self.opts.now_ms;
        self.summary.users += 1;
        let old: Option<Existing> = sqlx::query_as(
            "SELECT name, department_id, manager_staff_id, active, left_at, password_changed_at, \
             dingtalk_admin, source FROM users WHERE staff_id = $1",
        )
        .bind(&e.staff_id)
        .fetch_optional(&mut *self.conn)
        .await
        .context("load user")?;
        let mut dept_ids = None;
        if let Some(paths) = &e.departments {
            let mut ids = Vec::new();
            for p in paths {
                ids.push(self.ensure_path(p).await?);
            }
            dept_ids = Some(ids);
        }
        let was_active = old.as_ref().is_some_and(|o| o.active == 1);
        let name = e
            .name
            .clone()
            .or_else(|| old.as_ref().map(|o| o.name.clone()))
            .unwrap_or_default();
        let department_id = match &dept_ids {
            Some(ids) => ids.first().copied(),
            None => old.as_ref().and_then(|o| o.department_id),
        };
        let manager = match &e.manager {
            Some(m) => m.clone(),
            None => old.as_ref().and_then(|o| o.manager_staff_id.clone()),
        };
        let changed_ms = e
            .password_changed_at
            .map(|d| local_midnight_ms(self.opts.timezone, d));
        let password = changed_ms.max(old.as_ref().and_then(|o| o.password_changed_at));
        let left_at = match (&old, e.active) {
            (_, true) => None,
            (Some(o), false) if o.active == 0 => o.left_at.or(Some(now)),
            _ => Some(now),
        };
        let org_admin = e
            .org_admin
            .map(i64::from)
            .or(old.as_ref().map(|o| o.dingtalk_admin))
            .unwrap_or(0);
        let source = self.opts.source.as_str();
        let same = old.as_ref().is_some_and(|o| {
            o.name == name
                && o.department_id == department_id
                && o.manager_staff_id == manager
                && o.active == i64::from(e.active)
                && o.left_at == left_at
                && o.password_changed_at == password
                && o.dingtalk_admin == org_admin
                && o.source == source
        });
        if !same {
            sqlx::query(
                "INSERT INTO users (staff_id, name, department_id, manager_staff_id, active, left_at, \
                 source, dingtalk_admin, password_changed_at, first_seen_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) ON CONFLICT (staff_id) DO UPDATE SET \
                 name = excluded.name, department_id = excluded.department_id, \
                 manager_staff_id = excluded.manager_staff_id, active = excluded.active, \
                 left_at = excluded.left_at, source = excluded.source, \
                 dingtalk_admin = excluded.dingtalk_admin, \
                 password_changed_at = excluded.password_changed_at, updated_at = excluded.updated_at",
            )
            .bind(&e.staff_id)
            .bind(&name)
            .bind(department_id)
            .bind(&manager)
            .bind(i64::from(e.active))
            .bind(left_at)
            .bind(source)
            .bind(org_admin)
            .bind(password)
            .bind(now)
            .execute(&mut *self.conn)
            .await
            .context("upsert user")?;
        }
        let depts_changed = match &dept_ids {
            Some(ids) => self.replace_departments(&e.staff_id, ids).await?,
            None => false,
        };
        match (&old, same && !depts_changed) {
            (None, _) => self.summary.added += 1,
            (Some(_), true) => self.summary.unchanged += 1,
            (Some(_), false) => self.summary.updated += 1,
        }
        if old.is_some() && was_active != e.active {
            self.record_presence(&e.staff_id, e.active).await?;
        }
        self.apply_roles(e).await
    }

    /// Replaces the user's departments; whether they changed.
    async fn replace_departments(&mut self, staff_id: &str, ids: &[i64]) -> anyhow::Result<bool> {
        let mut current: Vec<i64> = sqlx::query_scalar(
            "SELECT department_id FROM user_departments WHERE staff_id = $1 ORDER BY department_id",
        )
        .bind(staff_id)
        .fetch_all(&mut *self.conn)
        .await
        .context("load user departments")?;
        let mut wanted = ids.to_vec();
        wanted.sort_unstable();
        wanted.dedup();
        current.sort_unstable();
        if current == wanted {
            return Ok(false);
        }
        sqlx::query("DELETE FROM user_departments WHERE staff_id = $1")
            .bind(staff_id)
            .execute(&mut *self.conn)
            .await
            .context("clear user departments")?;
        for id in wanted {
            sqlx::query("INSERT INTO user_departments (staff_id, department_id) VALUES ($1, $2)")
                .bind(staff_id)
                .bind(id)
                .execute(&mut *self.conn)
                .await
                .context("add user department")?;
        }
        Ok(true)
    }

    /// Audits a user leaving (`roster.left`) or coming back (`roster.rejoined`).
    async fn record_presence(&mut self, staff_id: &str, active: bool) -> anyhow::Result<()> {
        let action = if active {
            self.summary.rejoined.push(staff_id.to_owned());
            "roster.rejoined"
        } else {
            self.summary.left.push(staff_id.to_owned());
            "roster.left"
        };
        let entry = AuditEntry {
            actor: self.opts.actor,
            action,
            subject: staff_id,
            details: json!({"source": self.opts.source.as_str()}),
        };
        audit::append(self.conn, &entry, self.opts.now_ms).await?;
        Ok(())
    }

    /// Roles this source owns: the CSV `role` column (source `import`), or
    /// DingTalk's admin flag when that setting is on (source `dingtalk`).
    async fn apply_roles(&mut self, e: &RosterEntry) -> anyhow::Result<()> {
        let mut wanted: Vec<(Role, bool, RoleSource)> = Vec::new();
        if let Some(role) = e.role {
            for r in [Role::Admin, Role::Hr] {
                wanted.push((r, role == Some(r), RoleSource::Import));
            }
        }
        if let Some(flag) = e.org_admin {
            let grant = flag && self.opts.org_admins_are_admins;
            wanted.push((Role::Admin, grant, RoleSource::DingTalk));
        }
        let (actor, now) = (self.opts.actor, self.opts.now_ms);
        for (role, want, source) in wanted {
            let held = roles::role_source(self.conn, &e.staff_id, role).await?;
            match (want, held.as_deref()) {
                (true, None) => {
                    roles::grant(self.conn, &e.staff_id, role, source, actor, now).await?;
                    self.summary.roles_granted += 1;
                }
                (false, Some(s)) if s == source.as_str() => {
                    roles::revoke(self.conn, &e.staff_id, role, actor, now).await?;
                    self.summary.roles_revoked += 1;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Marks active users the source should list but did not as left.
    async fn mark_left(&mut self, seen: &HashSet<&str>) -> anyhow::Result<()> {
        let sql = match self.opts.source {
            RosterSource::Import => {
                "SELECT staff_id FROM users WHERE active = 1 AND source = 'import' ORDER BY staff_id"
            }
            RosterSource::Sync => "SELECT staff_id FROM users WHERE active = 1 ORDER BY staff_id",
        };
        let active: Vec<String> = sqlx::query_scalar(sql)
            .fetch_all(&mut *self.conn)
            .await
            .context("list active users")?;
        for staff_id in active.iter().filter(|s| !seen.contains(s.as_str())) {
            sqlx::query(
                "UPDATE users SET active = 0, left_at = $1, updated_at = $1 WHERE staff_id = $2",
            )
            .bind(self.opts.now_ms)
            .bind(staff_id)
            .execute(&mut *self.conn)
            .await
            .context("mark user left")?;
            self.record_presence(staff_id, false).await?;
        }
        Ok(())
    }
}
