//! The durable inbox's SQL: rows of `inbound_messages` not handled yet
//! (written by the dedupe claim, `inbound.rs`), leased to the replica running
//! them. A run is fenced by (holder, attempt): marking its row handled, or
//! giving it back after a failure, changes nothing once another run has
//! taken the row, so a late run's transaction rolls back. The sweep takes
//! rows whose lease has passed (PostgreSQL `FOR UPDATE SKIP LOCKED`, judged
//! by [`Backend::lease_clock`]), in arrival order, never a row whose sender
//! has an earlier row still running elsewhere.

mod marks;

use std::time::Duration;

use anyhow::Context as _;
use sqlx::AnyConnection;

pub(in crate::store) use marks::mark_batch;

use super::{Backend, Store};

/// Who takes inbox rows, and for how long.
#[derive(Clone, Debug)]
pub struct InboxLease {
    /// This replica's name in `lease_holder`: its pid and a random part.
    pub holder: String,
    pub lease: Duration,
}

impl InboxLease {
    /// A new holder name for this process.
    pub fn new(lease: Duration) -> Self {
        let random = uuid::Uuid::new_v4().simple().to_string();
        Self {
            holder: format!("pid {} {}", std::process::id(), &random[..12]),
            lease,
        }
    }

    pub fn lease_ms(&self) -> i64 {
        i64::try_from(self.lease.as_millis()).unwrap_or(i64::MAX / 4)
    }
}

/// One run of one inbox row: what its writes are fenced by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunKey {
    pub msg_id: String,
    pub holder: String,
    /// The row's `attempts` when this run took it.
    pub attempt: i64,
}

/// A row this replica has taken, to run.
#[derive(Clone, Debug)]
pub struct Held {
    pub msg_id: String,
    /// Staff id, `""` when none.
    pub sender: String,
    /// The message as JSON; `None` only for a row that lost it.
    pub command: Option<String>,
    /// When the message arrived (ms): its handler's `now`.
    pub received_at: i64,
    pub attempt: i64,
}

const FENCE: &str = "msg_id = $1 AND lease_holder = $2 AND attempts = $3 AND handled_at IS NULL";

/// Marks the run's row handled and erases what it kept (the command, and
/// the sender, needed only for the order of rows not handled), in the
/// caller's transaction; `false` when the run no longer holds it (nothing
/// changed).
pub async fn mark_done(
    conn: &mut AnyConnection,
    run: &RunKey,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let sql = format!(
        "UPDATE inbound_messages SET handled_at = $4, command = NULL, sender = '', \
         lease_holder = NULL, lease_until = NULL WHERE {FENCE}"
    );
    let n = sqlx::query(&sql)
        .bind(&run.msg_id)
        .bind(&run.holder)
        .bind(run.attempt)
        .bind(now_ms)
        .execute(conn)
        .await
        .context("mark an inbox row handled")?
        .rows_affected();
    Ok(n == 1)
}

/// Gives a failed run's row back: another run may take it `retry_in` from
/// now (lease clock). `false` when the run no longer held it.
pub async fn release(
    store: &Store,
    run: &RunKey,
    retry_in: Duration,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let clock = store.backend().lease_clock(5);
    let sql = format!(
        "UPDATE inbound_messages SET lease_holder = NULL, lease_until = {clock} + $4 WHERE {FENCE}"
    );
    let mut q = sqlx::query(&sql)
        .bind(&run.msg_id)
        .bind(&run.holder)
        .bind(run.attempt)
        .bind(i64::try_from(retry_in.as_millis()).unwrap_or(i64::MAX / 4));
    if store.backend() == Backend::Sqlite {
        q = q.bind(now_ms);
    }
    let mut tx = store.begin_write().await?;
    let n = q
        .execute(tx.conn())
        .await
        .context("give an inbox row back")?
        .rows_affected();
    tx.commit().await?;
    Ok(n == 1)
}

/// Which rows a take considers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Take {
    /// Rows whose lease has passed, whose sender has no earlier row still
    /// leased (the periodic sweep).
    Due,
    /// Every row not handled, leased or not (SQLite at start: the one
    /// process that owns the file has just started, so nothing is running).
    Every,
}

/// Takes up to `limit` rows for `lease.holder` (another attempt each), in
/// arrival order.
pub async fn take(
    store: &Store,
    lease: &InboxLease,
    which: Take,
    now_ms: i64,
    limit: i64,
) -> anyhow::Result<Vec<Held>> {
    let backend = store.backend();
    let clock = backend.lease_clock(4);
    let filter = match which {
        // Not the rows this holder has just taken (a recovery in batches).
        Take::Every => " AND (m.lease_holder IS NULL OR m.lease_holder <> $1)".to_owned(),
        Take::Due => format!(
            " AND (m.lease_until IS NULL OR m.lease_until <= {clock}) AND NOT EXISTS (\
             SELECT 1 FROM inbound_messages e WHERE e.handled_at IS NULL AND e.sender = m.sender \
             AND e.sender <> '' AND e.received_at < m.received_at AND e.lease_until > {clock})"
        ),
    };
    let lock = match backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE inbound_messages SET lease_holder = $1, lease_until = {clock} + $2, \
         attempts = attempts + 1 WHERE msg_id IN (SELECT m.msg_id FROM inbound_messages m \
         WHERE m.handled_at IS NULL{filter} ORDER BY m.received_at, m.msg_id LIMIT $3{lock}) \
         RETURNING msg_id, sender, command, received_at, attempts"
    );
    let mut q = sqlx::query_as::<_, (String, String, Option<String>, i64, i64)>(&sql)
        .bind(&lease.holder)
        .bind(lease.lease_ms())
        .bind(limit);
    if backend == Backend::Sqlite {
        q = q.bind(now_ms);
    }
    let mut tx = store.begin_write().await?;
    let rows = q.fetch_all(tx.conn()).await.context("take inbox rows")?;
    tx.commit().await?;
    let mut held: Vec<Held> = rows
        .into_iter()
        .map(|(msg_id, sender, command, received_at, attempt)| Held {
            msg_id,
            sender,
            command,
            received_at,
            attempt,
        })
        .collect();
    held.sort_by(|a, b| (a.received_at, &a.msg_id).cmp(&(b.received_at, &b.msg_id)));
    Ok(held)
}

/// Renews the lease of the rows `ids` that `lease.holder` still holds and
/// has not handled (the rows this replica has queued or running).
pub async fn renew(
    store: &Store,
    lease: &InboxLease,
    ids: &[String],
    now_ms: i64,
) -> anyhow::Result<u64> {
    let backend = store.backend();
    // PostgreSQL numbers parameters without gaps: its clock is no parameter.
    let first_id = if backend == Backend::Sqlite { 4 } else { 3 };
    let clock = backend.lease_clock(3);
    let mut renewed = 0;
    for chunk in ids.chunks(500) {
        let list: Vec<String> = (0..chunk.len())
            .map(|i| format!("${}", first_id + i))
            .collect();
        let sql = format!(
            "UPDATE inbound_messages SET lease_until = {clock} + $2 \
             WHERE lease_holder = $1 AND handled_at IS NULL AND msg_id IN ({})",
            list.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(&lease.holder).bind(lease.lease_ms());
        if backend == Backend::Sqlite {
            q = q.bind(now_ms);
        }
        for id in chunk {
            q = q.bind(id);
        }
        let mut tx = store.begin_write().await?;
        renewed += q
            .execute(tx.conn())
            .await
            .context("renew inbox leases")?
            .rows_affected();
        tx.commit().await?;
    }
    Ok(renewed)
}

/// How many rows are not handled yet (the inbox's depth).
pub async fn depth(store: &Store) -> anyhow::Result<i64> {
    let mut conn = store.read().await?;
    sqlx::query_scalar("SELECT COUNT(*) FROM inbound_messages WHERE handled_at IS NULL")
        .fetch_one(&mut *conn)
        .await
        .context("count inbox rows")
}
