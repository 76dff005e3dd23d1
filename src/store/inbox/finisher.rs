//! Group-committed "handled" marks for inbox rows whose command changed
//! nothing (help, lists, refusals): such a mark has no effect to be atomic
//! with, so one writer task takes every mark waiting in its queue and writes
//! them with one statement on a connection it keeps — a burst of read-only
//! commands costs one synced commit, not one each (as the dedupe claims).
//! Each mark is fenced like [`super::mark_done`]: it changes nothing once
//! another run holds the row.

use std::collections::HashSet;

use anyhow::Context as _;
use sqlx::AnyConnection;
use tokio::sync::{mpsc, oneshot};

use super::RunKey;
use crate::store::{KeptConn, Store};

/// Most marks written by one statement (four bind parameters each).
const MAX_BATCH: usize = 512;

struct Pending {
    run: RunKey,
    now_ms: i64,
    done: oneshot::Sender<Result<bool, String>>,
}

/// Handle to the marking writer. Cheap to clone.
#[derive(Clone)]
pub struct Finisher {
    queue: mpsc::Sender<Pending>,
}

impl Finisher {
    /// Starts the writer task on the current runtime.
    pub fn start(store: Store) -> Self {
        let (queue, rx) = mpsc::channel(4096);
        tokio::spawn(writer(store, rx));
        Self { queue }
    }

    /// Marks `run`'s row handled at `now_ms` (erasing its text); returns
    /// once durable: `false` when the run no longer held the row.
    pub async fn finish(&self, run: RunKey, now_ms: i64) -> anyhow::Result<bool> {
        let (done, rx) = oneshot::channel();
        self.queue
            .send(Pending { run, now_ms, done })
            .await
            .map_err(|_| anyhow::anyhow!("inbox finisher stopped"))?;
        rx.await
            .context("inbox finisher dropped the mark")?
            .map_err(anyhow::Error::msg)
    }
}

async fn writer(store: Store, mut rx: mpsc::Receiver<Pending>) {
    let mut conn = store.kept_conn();
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match mark_batch(&mut conn, &batch).await {
            Ok(marked) => {
                for p in batch.drain(..) {
                    let _ = p.done.send(Ok(marked.contains(&p.run.msg_id)));
                }
            }
            Err(e) => {
                tracing::error!(error = ?e, marks = batch.len(), "inbox marks failed");
                conn.discard();
                let msg = format!("{e:#}");
                for p in batch.drain(..) {
                    let _ = p.done.send(Err(msg.clone()));
                }
            }
        }
    }
}

async fn mark_batch(conn: &mut KeptConn, batch: &[Pending]) -> anyhow::Result<HashSet<String>> {
    let mut write = conn.write().await?;
    update(write.conn(), batch).await
}

/// One autocommit `UPDATE … FROM (VALUES …)`; the msgIds it marked.
async fn update(conn: &mut AnyConnection, batch: &[Pending]) -> anyhow::Result<HashSet<String>> {
    let rows: Vec<String> = (0..batch.len())
        .map(|i| {
            let p = 4 * i;
            format!("(${}, ${}, ${}, ${})", p + 1, p + 2, p + 3, p + 4)
        })
        .collect();
    let sql = format!(
        "WITH c (msg_id, holder, attempt, now_ms) AS (VALUES {}) \
         UPDATE inbound_messages SET handled_at = c.now_ms, command = NULL, sender = '', \
             lease_holder = NULL, lease_until = NULL \
         FROM c WHERE inbound_messages.msg_id = c.msg_id \
             AND inbound_messages.lease_holder = c.holder \
             AND inbound_messages.attempts = c.attempt \
             AND inbound_messages.handled_at IS NULL \
         RETURNING inbound_messages.msg_id",
        rows.join(", ")
    );
    let mut q = sqlx::query_scalar::<_, String>(&sql);
    for p in batch {
        q = q
            .bind(&p.run.msg_id)
            .bind(&p.run.holder)
            .bind(p.run.attempt)
            .bind(p.now_ms);
    }
    Ok(q.fetch_all(conn)
        .await
        .context("mark inbox rows handled")?
        .into_iter()
        .collect())
}
