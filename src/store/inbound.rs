//! Inbound dedupe: every handled robot callback's `msgId`, durable before the
//! callback is answered. Claims are group-committed: one writer task takes
//! every claim waiting in its queue and commits them in one transaction, so
//! a burst costs one commit instead of one per message.

use anyhow::Context as _;
use sqlx::AnyConnection;
use tokio::sync::{mpsc, oneshot};

use super::Store;

/// How long a different msgId may reuse a (timestamp, sign) pair: DingTalk
/// may deliver several messages signed in the same instant, but a pair seen
/// again later than this with a new msgId is a replay.
pub const REPLAY_GRACE_MS: i64 = 60_000;

/// Most claims committed in one transaction.
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

async fn commit_batch(store: &Store, batch: &[Pending]) -> anyhow::Result<Vec<Claim>> {
    let mut tx = store.begin_write().await?;
    let mut verdicts = Vec::with_capacity(batch.len());
    for p in batch {
        verdicts.push(claim_one(tx.conn(), &p.req).await?);
    }
    tx.commit().await?;
    Ok(verdicts)
}

async fn claim_one(conn: &mut AnyConnection, req: &ClaimRequest) -> anyhow::Result<Claim> {
    let replayed: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM inbound_messages WHERE sign_timestamp = $1 AND sign = $2 \
         AND msg_id <> $3 AND received_at < $4 LIMIT 1",
    )
    .bind(req.sign_timestamp)
    .bind(&req.sign)
    .bind(&req.msg_id)
    .bind(req.now_ms - REPLAY_GRACE_MS)
    .fetch_optional(&mut *conn)
    .await
    .context("check replay")?;
    let inserted = sqlx::query(
        "INSERT INTO inbound_messages (msg_id, sign_timestamp, sign, received_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (msg_id) DO NOTHING",
    )
    .bind(&req.msg_id)
    .bind(req.sign_timestamp)
    .bind(&req.sign)
    .bind(req.now_ms)
    .execute(&mut *conn)
    .await
    .context("record msgId")?
    .rows_affected();
    Ok(match (inserted, replayed) {
        // A redelivered msgId is a duplicate whatever its signature.
        (0, _) => Claim::Duplicate,
        (_, Some(_)) => {
            // Rejected requests change nothing: take the row back.
            sqlx::query("DELETE FROM inbound_messages WHERE msg_id = $1")
                .bind(&req.msg_id)
                .execute(conn)
                .await
                .context("undo replayed msgId")?;
            Claim::Replay
        }
        _ => Claim::New,
    })
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
