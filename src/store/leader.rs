//! Electing the scheduler's leader: on PostgreSQL, the replica holding a
//! session advisory lock (on a connection it keeps) ticks; SQLite has one
//! process by construction, so it always leads.

use sqlx::Connection as _;
use sqlx::pool::PoolConnection;

use super::{Backend, Store};

/// Advisory-lock key of the scheduler leader on PostgreSQL.
const LEADER_LOCK_KEY: i64 = 0x6469_6e67_7363_6864; // "dingschd"

/// Leadership as this replica holds it: the connection that holds the
/// lock, kept out of the pool until it fails.
#[derive(Default)]
pub struct Leadership {
    held: Option<PoolConnection<sqlx::Any>>,
}

impl Leadership {
    /// Whether this replica leads now: it keeps the lock while its
    /// connection answers, and otherwise tries to take it.
    pub async fn check(&mut self, store: &Store) -> bool {
        if store.backend() == Backend::Sqlite {
            return true;
        }
        if let Some(conn) = self.held.as_mut() {
            if conn.ping().await.is_ok() {
                return true;
            }
            self.held = None;
        }
        let Ok(mut conn) = store.pool().acquire().await else {
            return false;
        };
        let got: Result<bool, _> = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(LEADER_LOCK_KEY)
            .fetch_one(&mut *conn)
            .await;
        match got {
            Ok(true) => {
                tracing::info!("this replica now runs the scheduler");
                self.held = Some(conn);
                true
            }
            Ok(false) => false,
            Err(e) => {
                tracing::warn!(error = ?e, "scheduler leader check failed");
                false
            }
        }
    }
}
