//! Inbound dedupe: every handled robot callback's `msgId`, durable before the
//! callback is answered. Claims are group-committed: one writer task takes
//! every claim waiting in its queue and commits them in one transaction, so
//! a burst costs one commit instead of one per message.

use std::collections::HashSet;

use anyhow::Context as _;
use sqlx::AnyConnection;
use tokio::sync::{mpsc, oneshot};

use super::Store;

/// How long a different msgId may reuse a (timestamp, sign) pair: DingTalk
/// may deliver several messages signed in the same instant, but a pair seen
/// again later than this with a new msgId is a replay.
pub const REPLAY_GRACE_MS: i64 = 60_000;

/// Most claims committed in one transaction (four bind parameters each).
const MAX_BATCH: usize = 512;

/// The verdict on a callback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// First time seen: handle it.
    New,
    /// This msgId was handled already: answer 200, do nothing.
    Duplicate,
    /// The signature pair came earlier with another msgId: reject.
    Replay,
}

/// One callback to claim.
#[derive(Clone, Debug)]
pub struct ClaimRequest {
    pub msg_id: String,
    pub sign_timestamp: i64,
    pub sign: String,
    pub now_ms: i64,
}

struct Pending {
    req: ClaimRequest,
    done: oneshot::Sender<Result<Claim, String>>,
}

/// Handle to the group-commit writer. Cheap to clone.
#[derive(Clone)]
pub struct Deduper {
    queue: mpsc::Sender<Pending>,
}

impl Deduper {
    /// Starts the writer task on the current runtime.
    pub fn start(store: Store) -> Self {
        let (queue, rx) = mpsc::channel(4096);
        tokio::spawn(writer(store, rx));
        Self { queue }
    }

    /// Claims a msgId; returns once the verdict is durable.
    pub async fn claim(&self, req: ClaimRequest) -> anyhow::Result<Claim> {
        let (done, rx) = oneshot::channel();
        self.queue
            .send(Pending { req, done })
            .await
            .map_err(|_| anyhow::anyhow!("dedupe writer stopped"))?;
        rx.await
            .context("dedupe writer dropped the claim")?
            .map_err(anyhow::Error::msg)
    }
}

async fn writer(store: Store, mut rx: mpsc::Receiver<Pending>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match commit_batch(&store, &batch).await {
            Ok(verdicts) => {
                for (p, v) in batch.drain(..).zip(verdicts) {
                    let _ = p.done.send(Ok(v));
                }
            }
            Err(e) => {
                tracing::error!(error = ?e, claims = batch.len(), "dedupe batch failed");
                let msg = format!("{e:#}");
                for p in batch.drain(..) {
                    let _ = p.done.send(Err(msg.clone()));
                }
            }
        }
    }
}

/// Claims a whole batch with three statements, whatever its size: which
/// msgIds exist, which signature pairs were seen before, and one multi-row
/// insert of the new ones (its `RETURNING` tells which rows this call wrote,
/// so a concurrent replica's insert still counts as a duplicate here).
async fn commit_batch(store: &Store, batch: &[Pending]) -> anyhow::Result<Vec<Claim>> {
    let reqs: Vec<&ClaimRequest> = batch.iter().map(|p| &p.req).collect();
    let mut tx = store.begin_write().await?;
    let existing = existing_ids(tx.conn(), &reqs).await?;
    let earlier = earlier_pairs(tx.conn(), &reqs).await?;
    let mut verdicts = Vec::with_capacity(reqs.len());
    let mut fresh: Vec<&ClaimRequest> = Vec::new();
    for req in &reqs {
        let verdict =
            if existing.contains(&req.msg_id) || fresh.iter().any(|f| f.msg_id == req.msg_id) {
                // A redelivered msgId is a duplicate whatever its signature.
                Claim::Duplicate
            } else if earlier.iter().any(|(ts, sign, id, at)| {
                *ts == req.sign_timestamp
                    && *sign == req.sign
                    && *id != req.msg_id
                    && *at < req.now_ms - REPLAY_GRACE_MS
            }) {
                // Rejected requests change nothing: nothing is written for them.
                Claim::Replay
            } else {
                fresh.push(req);
                Claim::New
            };
        verdicts.push(verdict);
    }
    let written = insert_fresh(tx.conn(), &fresh).await?;
    tx.commit().await?;
    for (req, verdict) in reqs.iter().zip(verdicts.iter_mut()) {
        if *verdict == Claim::New && !written.contains(&req.msg_id) {
            *verdict = Claim::Duplicate;
        }
    }
    Ok(verdicts)
}

/// `$first, $first+1, …` for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn existing_ids(
    conn: &mut AnyConnection,
    reqs: &[&ClaimRequest],
) -> anyhow::Result<HashSet<String>> {
    let sql = format!(
        "SELECT msg_id FROM inbound_messages WHERE msg_id IN ({})",
        placeholders(1, reqs.len())
    );
    let mut q = sqlx::query_scalar::<_, String>(&sql);
    for r in reqs {
        q = q.bind(&r.msg_id);
    }
    Ok(q.fetch_all(conn)
        .await
        .context("look up msgIds")?
        .into_iter()
        .collect())
}

/// Handled callbacks that carried one of the batch's signature timestamps.
async fn earlier_pairs(
    conn: &mut AnyConnection,
    reqs: &[&ClaimRequest],
) -> anyhow::Result<Vec<(i64, String, String, i64)>> {
    let sql = format!(
        "SELECT sign_timestamp, sign, msg_id, received_at FROM inbound_messages WHERE sign_timestamp IN ({})",
        placeholders(1, reqs.len())
    );
    let mut q = sqlx::query_as(&sql);
    for r in reqs {
        q = q.bind(r.sign_timestamp);
    }
    q.fetch_all(conn).await.context("check replays")
}

/// Inserts the new claims; returns the msgIds this statement wrote.
async fn insert_fresh(
    conn: &mut AnyConnection,
    fresh: &[&ClaimRequest],
) -> anyhow::Result<HashSet<String>> {
    if fresh.is_empty() {
        return Ok(HashSet::new());
    }
    let rows: Vec<String> = (0..fresh.len())
        .map(|i| format!("({})", placeholders(4 * i + 1, 4)))
        .collect();
    let sql = format!(
        "INSERT INTO inbound_messages (msg_id, sign_timestamp, sign, received_at) VALUES {} \
         ON CONFLICT (msg_id) DO NOTHING RETURNING msg_id",
        rows.join(", ")
    );
    let mut q = sqlx::query_scalar::<_, String>(&sql);
    for r in fresh {
        q = q
            .bind(&r.msg_id)
            .bind(r.sign_timestamp)
            .bind(&r.sign)
            .bind(r.now_ms);
    }
    Ok(q.fetch_all(conn)
        .await
        .context("record msgIds")?
        .into_iter()
        .collect())
}

impl Store {
    /// Forgets handled msgIds received before `before_ms` (they can no longer
    /// pass the signature window, so dedupe no longer needs them).
    pub async fn prune_inbound(&self, before_ms: i64) -> anyhow::Result<u64> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query("DELETE FROM inbound_messages WHERE received_at < $1")
            .bind(before_ms)
            .execute(tx.conn())
            .await
            .context("prune inbound")?
            .rows_affected();
        tx.commit().await?;
        Ok(n)
    }
}
