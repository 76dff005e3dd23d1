//! Applying a roster (a CSV import or a DingTalk sync) on the caller's
//! transaction: departments by path, users upserted, their departments
//! replaced, roles from the source granted or taken back, and users the
//! source no longer lists marked as left (their history stays). Returns
//! what changed, in order, for the action to audit. Idempotent: applying
//! the same roster twice changes nothing the second time.

use std::collections::{BTreeMap, HashSet};

use anyhow::Context as _;
use chrono_tz::Tz;
use sqlx::AnyConnection;

use super::departments::Departments;
use super::roles::{self, RoleSource};
use crate::domain::Role;
use crate::domain::roster::{RosterEntry, local_midnight_ms};

pub use crate::domain::roster::RosterSource;

/// How to apply a roster.
#[derive(Clone, Debug)]
pub struct ApplyOptions<'a> {
    pub source: RosterSource,
    /// Who ran it, recorded as who granted a role (e.g. `cli`).
    pub actor: &'a str,
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

/// One change worth an audit entry, in the order it was made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RosterChange {
    /// Marked as left (`roster.left`).
    Left(String),
    /// Active again (`roster.rejoined`).
    Rejoined(String),
    /// A role granted from the source (`role.grant`).
    Granted {
        staff_id: String,
        role: Role,
        source: RoleSource,
    },
    /// A role the source had granted, taken back (`role.revoke`).
    Revoked {
        staff_id: String,
        role: Role,
        source: RoleSource,
    },
}

/// What applying a roster did.
#[derive(Clone, Debug, Default)]
pub struct Applied {
    pub summary: RosterSummary,
    pub changes: Vec<RosterChange>,
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
    /// The same fields, whatever source wrote them.
    fn same_person(&self, other: &Self) -> bool {
        Self {
            source: other.source.clone(),
            ..self.clone()
        } == *other
    }

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
    changes: Vec<RosterChange>,
}

/// Applies `entries` (and, for a sync, the department tree by DingTalk id)
/// on `conn`. The caller holds [`roles::lock_roles`], checks that an
/// administrator remains, and audits the changes.
pub async fn apply(
    conn: &mut AnyConnection,
    entries: &[RosterEntry],
    departments: Option<&BTreeMap<i64, String>>,
    opts: &ApplyOptions<'_>,
) -> anyhow::Result<Applied> {
    let mut run = Run {
        conn,
        opts,
        departments: Departments::default(),
        summary: RosterSummary::default(),
        changes: Vec::new(),
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
    Ok(Applied {
        summary,
        changes: run.changes,
    })
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
            // Which source last wrote the row is bookkeeping, not a change
            // to the person (the dry run's plan does not count it either).
            Some(o) if o.same_person(&new) && !depts_changed => self.summary.unchanged += 1,
            Some(_) => self.summary.updated += 1,
        }
        if old.as_ref().is_some_and(|o| o.active != new.active) {
            self.record_presence(&e.staff_id, e.active);
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

    /// Notes a user leaving or coming back.
    fn record_presence(&mut self, staff_id: &str, active: bool) {
        let id = staff_id.to_owned();
        if active {
            self.summary.rejoined.push(id.clone());
            self.changes.push(RosterChange::Rejoined(id));
        } else {
            self.summary.left.push(id.clone());
            self.changes.push(RosterChange::Left(id));
        }
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
            let staff_id = e.staff_id.clone();
            match (want, held) {
                (true, None) => {
                    roles::grant(self.conn, &e.staff_id, role, source, actor, now).await?;
                    self.summary.roles_granted += 1;
                    self.changes.push(RosterChange::Granted {
                        staff_id,
                        role,
                        source,
                    });
                }
                (false, Some(s)) if s == source => {
                    roles::revoke(self.conn, &e.staff_id, role).await?;
                    self.summary.roles_revoked += 1;
                    self.changes.push(RosterChange::Revoked {
                        staff_id,
                        role,
                        source,
                    });
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
            self.record_presence(staff_id, false);
        }
        Ok(())
    }
}
