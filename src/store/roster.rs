//! Applying a roster (a CSV import or a DingTalk sync) in one transaction:
//! departments by path, users upserted, their departments replaced, roles
//! from the source granted or taken back, and users the source no longer
//! lists marked as left (their history stays). Idempotent: applying the same
//! roster twice changes nothing the second time.

use std::collections::{BTreeMap, HashSet};

use anyhow::Context as _;
use chrono_tz::Tz;
use serde_json::json;
use sqlx::AnyConnection;

use super::Store;
use super::audit::{self, AuditEntry};
use super::departments::Departments;
use super::roles::{self, RoleSource};
use crate::domain::Role;
use crate::domain::roster::{RosterEntry, local_midnight_ms};

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
    /// SHA-256 of the imported file, recorded in the audit log.
    pub fingerprint: Option<&'a str>,
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

/// A user's stored roster fields.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
struct UserState {
    name: String,
    department_id: Option<i64>,
    manager_staff_id: Option<String>,
    active: i64,
    left_at: Option<i64>,
    password_changed_at: Option<i64>,
    dingtalk_admin: i64,
    source: String,
}

impl UserState {
    /// The state after applying `e` (departments already resolved to ids)
    /// over `old`: absent fields keep their value, password dates only move
    /// forward, a first departure sets `left_at` and later ones keep it.
    fn merged(
        old: Option<&Self>,
        e: &RosterEntry,
        dept_ids: Option<&[i64]>,
        opts: &ApplyOptions<'_>,
    ) -> Self {
        let changed_ms = e
            .password_changed_at
            .map(|d| local_midnight_ms(opts.timezone, d));
        Self {
            name: e
                .name
                .clone()
                .or_else(|| old.map(|o| o.name.clone()))
                .unwrap_or_default(),
            department_id: match dept_ids {
                Some(ids) => ids.first().copied(),
                None => old.and_then(|o| o.department_id),
            },
            manager_staff_id: match &e.manager {
                Some(m) => m.clone(),
                None => old.and_then(|o| o.manager_staff_id.clone()),
            },
            active: i64::from(e.active),
            left_at: match old {
                _ if e.active => None,
                Some(o) if o.active == 0 => o.left_at.or(Some(opts.now_ms)),
                _ => Some(opts.now_ms),
            },
            password_changed_at: changed_ms.max(old.and_then(|o| o.password_changed_at)),
            dingtalk_admin: e
                .org_admin
                .map(i64::from)
                .or(old.map(|o| o.dingtalk_admin))
                .unwrap_or(0),
            source: opts.source.as_str().to_owned(),
        }
    }
}

/// One run's working state: the transaction plus caches and counters.
struct Run<'c, 'o> {
    conn: &'c mut AnyConnection,
    opts: &'o ApplyOptions<'o>,
    departments: Departments,
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
            departments: Departments::default(),
            summary: RosterSummary::default(),
        };
        if let Some(tree) = departments {
            run.departments.sync_tree(run.conn, tree).await?;
        }
        for entry in entries {
            run.apply_user(entry).await?;
        }
        let seen: HashSet<&str> = entries.iter().map(|e| e.staff_id.as_str()).collect();
        run.mark_left(&seen).await?;
        let mut summary = run.summary;
        summary.departments_added = run.departments.added;
        summary.departments_closed = run.departments.closed;
        if admins_before > 0 && roles::count_active_admins(tx.conn()).await? == 0 {
            anyhow::bail!(
                "this {} would leave no active administrator (nothing was changed); \
                 grant the admin role to someone who stays first",
                opts.source.as_str()
            );
        }
        audit::append(tx.conn(), &summary_entry(&summary, opts), opts.now_ms).await?;
        tx.commit().await?;
        Ok(summary)
    }
}

/// The audit entry for a whole run: counts, not names (those have their own entries).
fn summary_entry<'a>(s: &RosterSummary, opts: &ApplyOptions<'a>) -> AuditEntry<'a> {
    AuditEntry {
        actor: opts.actor,
        action: match opts.source {
            RosterSource::Import => "roster.import",
            RosterSource::Sync => "roster.sync",
        },
        subject: opts.origin,
        details: json!({
            "users": s.users, "added": s.added, "updated": s.updated, "unchanged": s.unchanged,
            "left": s.left.len(), "rejoined": s.rejoined.len(),
            "departments_added": s.departments_added, "departments_closed": s.departments_closed,
            "roles_granted": s.roles_granted, "roles_revoked": s.roles_revoked,
            "sha256": opts.fingerprint,
        }),
    }
}

impl Run<'_, '_> {
    async fn apply_user(&mut self, e: &RosterEntry) -> anyhow::Result<()> {
        self.summary.users += 1;
        let old: Option<UserState> = sqlx::query_as(
            "SELECT name, department_id, manager_staff_id, active, left_at, password_changed_at, \
             dingtalk_admin, source FROM users WHERE staff_id = $1",
        )
        .bind(&e.staff_id)
        .fetch_optional(&mut *self.conn)
        .await
        .context("load user")?;
        let mut dept_ids = None;
        if let Some(paths) = &e.departments {
            let mut ids = Vec::with_capacity(paths.len());
            for p in paths {
                ids.push(self.departments.ensure_path(self.conn, p).await?);
            }
            dept_ids = Some(ids);
        }
        let new = UserState::merged(old.as_ref(), e, dept_ids.as_deref(), self.opts);
        if old.as_ref() != Some(&new) {
            self.write_user(&e.staff_id, &new).await?;
        }
        let depts_changed = match &dept_ids {
            Some(ids) => self.replace_departments(&e.staff_id, ids).await?,
            None => false,
        };
        match &old {
            None => self.summary.added += 1,
            Some(o) if *o == new && !depts_changed => self.summary.unchanged += 1,
            Some(_) => self.summary.updated += 1,
        }
        if old.as_ref().is_some_and(|o| o.active != new.active) {
            self.record_presence(&e.staff_id, e.active).await?;
        }
        self.apply_roles(e).await
    }

    async fn write_user(&mut self, staff_id: &str, u: &UserState) -> anyhow::Result<()> {
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
        .bind(staff_id)
        .bind(&u.name)
        .bind(u.department_id)
        .bind(&u.manager_staff_id)
        .bind(u.active)
        .bind(u.left_at)
        .bind(&u.source)
        .bind(u.dingtalk_admin)
        .bind(u.password_changed_at)
        .bind(self.opts.now_ms)
        .execute(&mut *self.conn)
        .await
        .context("upsert user")?;
        Ok(())
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
        let source = self.opts.source.as_str();
        let entry = AuditEntry {
            actor: self.opts.actor,
            action,
            subject: staff_id,
            details: json!({"source": source}),
        };
        audit::append(self.conn, &entry, self.opts.now_ms).await?;
        if !active {
            roles::suspend_all(
                self.conn,
                staff_id,
                self.opts.actor,
                source,
                self.opts.now_ms,
            )
            .await?;
        }
        Ok(())
    }

    /// Roles this source owns: the CSV `role` column (source `import`), or
    /// DingTalk's admin flag when that setting is on (source `dingtalk`).
    async fn apply_roles(&mut self, e: &RosterEntry) -> anyhow::Result<()> {
        if !e.active {
            // Someone who has left gets no role (theirs were suspended).
            return Ok(());
        }
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
