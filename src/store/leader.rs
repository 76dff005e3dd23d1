//! Electing the scheduler's leader: a lease row in `leader_leases` (role,
//! holder, until) that its holder renews each tick and any replica takes
//! over once it has ended, judged by the database's clock on PostgreSQL
//! ([`Backend::lease_clock`]). Taking and renewing is one statement in a
//! short transaction and no session state is kept, so it works behind a
//! transaction-pooling PgBouncer (a session advisory lock would not).
//! SQLite has one process by construction (`serve` holds the database
//! file's lock, [`super::file_lock`]), so there it always leads.

use std::time::Duration;

use anyhow::Context as _;

use super::{Backend, Store};

/// The role the scheduler's leader holds.
pub const SCHEDULER: &str = "scheduler";

/// Takes the lease on `role` for `holder`, or renews it, for `lease`;
/// whether `holder` holds it now. Another holder's lease is taken over
/// only once it has ended. `now_ms` is the lease clock on SQLite only.
pub async fn try_hold(
    store: &Store,
    role: &str,
    holder: &str,
    lease: Duration,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let clock = store.backend().lease_clock(4);
    let sql = format!(
        "INSERT INTO leader_leases (role, holder, lease_until, since) \
         VALUES ($1, $2, {clock} + $3, {clock}) \
         ON CONFLICT (role) DO UPDATE SET holder = excluded.holder, \
         lease_until = excluded.lease_until, since = CASE \
         WHEN leader_leases.holder = excluded.holder THEN leader_leases.since \
         ELSE excluded.since END \
         WHERE leader_leases.holder = excluded.holder OR leader_leases.lease_until <= {clock} \
         RETURNING holder"
    );
    let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX / 4);
    let mut query = sqlx::query_scalar::<_, String>(&sql)
        .bind(role)
        .bind(holder)
        .bind(lease_ms);
    if store.backend() == Backend::Sqlite {
        query = query.bind(now_ms);
    }
    let mut tx = store.begin_write().await?;
    let held = query
        .fetch_optional(tx.conn())
        .await
        .context("take or renew a leader lease")?;
    tx.commit().await?;
    Ok(held.is_some())
}

/// Gives the lease on `role` up if `holder` has it (a graceful stop), so
/// another replica takes over at its next tick instead of after the lease.
pub async fn release(store: &Store, role: &str, holder: &str) -> anyhow::Result<()> {
    let mut tx = store.begin_write().await?;
    sqlx::query("DELETE FROM leader_leases WHERE role = $1 AND holder = $2")
        .bind(role)
        .bind(holder)
        .execute(tx.conn())
        .await
        .context("give a leader lease up")?;
    tx.commit().await
}

/// Who holds the lease on `role` (possibly ended), if anyone has taken it.
pub async fn holder(store: &Store, role: &str) -> anyhow::Result<Option<String>> {
    let mut conn = store.read().await?;
    sqlx::query_scalar("SELECT holder FROM leader_leases WHERE role = $1")
        .bind(role)
        .fetch_optional(&mut *conn)
        .await
        .context("read a leader lease")
}

/// The scheduler's leadership as this replica holds it.
pub struct Leadership {
    /// This replica's name in the lease row: its pid and a random part.
    holder: String,
    /// How long a taken or renewed lease lasts.
    lease: Duration,
    leading: bool,
}

impl Leadership {
    /// A replica that does not lead yet; each lease it takes lasts `lease`.
    pub fn new(lease: Duration) -> Self {
        let random = uuid::Uuid::new_v4().simple().to_string();
        Self {
            holder: format!("pid {} {}", std::process::id(), &random[..12]),
            lease,
            leading: false,
        }
    }

    /// This replica's name in the lease row.
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Whether this replica leads now: it renews its lease, or takes one
    /// that has ended. On SQLite it always leads.
    pub async fn check(&mut self, store: &Store, now_ms: i64) -> bool {
        if store.backend() == Backend::Sqlite {
            return true;
        }
        let leads = match try_hold(store, SCHEDULER, &self.holder, self.lease, now_ms).await {
            Ok(leads) => leads,
            Err(e) => {
                tracing::warn!(error = ?e, "scheduler leader lease not renewed");
                false
            }
        };
        if leads != self.leading {
            if leads {
                tracing::info!(holder = %self.holder, "this replica now runs the scheduler");
            } else {
                tracing::info!(holder = %self.holder, "this replica no longer runs the scheduler");
            }
        }
        self.leading = leads;
        leads
    }

    /// Gives the lease up on a graceful stop.
    pub async fn step_down(&mut self, store: &Store) {
        if !self.leading {
            return;
        }
        self.leading = false;
        if let Err(e) = release(store, SCHEDULER, &self.holder).await {
            tracing::warn!(error = ?e, "scheduler leader lease not given up");
        }
    }
}
