//! Inbound dedupe and the inbox's front door: every robot message's `msgId`,
//! durable before the callback is answered, written together with what its
//! handler needs (the inbox entry, leased to this replica) so an answer means
//! "will be handled". Claims are group-committed: one writer task
//! ([`writer`]) takes every claim waiting in its queue and writes them with
//! one statement, on a connection it keeps, so a burst costs one commit
//! instead of one per message. The same writer takes the "handled" marks of
//! commands that changed nothing ([`Deduper::finish`]) and commits them with
//! the claims of its batch. The rest of the inbox (sweep, leases, done) is in
//! `inbox.rs`. A claim waits at most the claim timeout; the writer runs under
//! a supervisor that restarts it if it fails (issue 13).

mod legacy;
mod writer;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use sha2::{Digest as _, Sha256};
use tokio::sync::{Mutex, mpsc, oneshot};

use super::Store;
use super::inbox::{InboxLease, RunKey};
use crate::metrics::DedupeMetrics;
use crate::supervise;
use writer::{Job, PendingClaim, PendingMark};

/// How long a different msgId may reuse a (timestamp, sign) pair: DingTalk
/// may deliver several messages signed in the same instant, but a pair seen
/// again later than this with a new msgId is a replay.
pub const REPLAY_GRACE_MS: i64 = 60_000;

/// How much longer than the claim timeout the writer gives a batch.
const BATCH_GRACE: Duration = Duration::from_millis(100);

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
    /// What the handler needs, kept until it is handled; `None` records
    /// the msgId alone (nothing to run).
    pub inbox: Option<InboxEntry>,
}

/// What the inbox keeps of a message until its handler has run.
#[derive(Clone, Debug)]
pub struct InboxEntry {
    /// The sender's staff id (`""` when none): rows of one sender run in order.
    pub sender: String,
    /// The message as JSON (without its text when that looked like a credential).
    pub command: String,
}

/// A claim not made durable within the claim timeout.
#[derive(Debug, thiserror::Error)]
#[error("the claim was not durable within {0:?}")]
pub struct ClaimTimeout(pub Duration);

/// Handle to the group-commit writer. Cheap to clone.
#[derive(Clone)]
pub struct Deduper {
    queue: mpsc::Sender<Job>,
    shared: Arc<Shared>,
}

/// What the handles, the writer and its supervisor share.
struct Shared {
    /// Whom new inbox rows are leased to, and for how long.
    lease: InboxLease,
    /// Longest a claim waits; also bounds each batch's write.
    timeout: Duration,
    metrics: DedupeMetrics,
    /// Fault injection for tests: the writer panics at its next batch.
    fail_next: AtomicBool,
}

impl Deduper {
    /// Starts the writer task, under a supervisor that restarts it if it
    /// fails, on the current runtime. A claim waits at most `timeout`; new
    /// inbox rows are leased to `lease.holder`.
    pub fn start(
        store: Store,
        lease: InboxLease,
        timeout: Duration,
        metrics: DedupeMetrics,
    ) -> Self {
        let (queue, rx) = mpsc::channel(4096);
        let shared = Arc::new(Shared {
            lease,
            timeout,
            metrics,
            fail_next: AtomicBool::new(false),
        });
        // The queue outlives a failed writer: its successor takes it over,
        // with every claim still waiting in it.
        let rx = Arc::new(Mutex::new(rx));
        let watch = supervise::Watch {
            name: "dedupe writer",
            up: shared.metrics.writer_up.clone(),
            restarts: shared.metrics.writer_restarts.clone(),
        };
        let task_shared = shared.clone();
        supervise::spawn(watch, move || {
            writer::writer(store.clone(), rx.clone(), task_shared.clone())
        });
        Self { queue, shared }
    }

    /// Claims a msgId; returns once the verdict is durable, or fails (with
    /// [`ClaimTimeout`]) when that takes longer than the claim timeout.
    pub async fn claim(&self, req: ClaimRequest) -> anyhow::Result<Claim> {
        self.claim_within(req, self.shared.timeout).await
    }

    /// [`Self::claim`], waiting at most `within` (what is left of the claim
    /// timeout after the caller waited for something else first).
    pub async fn claim_within(&self, req: ClaimRequest, within: Duration) -> anyhow::Result<Claim> {
        let (done, rx) = oneshot::channel();
        let wait = async {
            self.queue
                .send(Job::Claim(PendingClaim { req, done }))
                .await
                .map_err(|_| anyhow::anyhow!("dedupe writer stopped"))?;
            rx.await
                .context("dedupe writer dropped the claim")?
                .map_err(anyhow::Error::msg)
        };
        match tokio::time::timeout(within.min(self.shared.timeout), wait).await {
            Ok(verdict) => verdict,
            Err(_) => {
                self.shared.metrics.claim_timeouts.inc();
                Err(ClaimTimeout(self.shared.timeout).into())
            }
        }
    }

    /// Marks `run`'s inbox row handled at `now_ms` (erasing its text), for a
    /// command that changed nothing (a state-changing one marks its row in
    /// its own transaction): written by the writer with the claims of its
    /// batch, in one commit. Returns once durable: `false` when the run no
    /// longer held the row (nothing changed).
    pub async fn finish(&self, run: RunKey, now_ms: i64) -> anyhow::Result<bool> {
        let (done, rx) = oneshot::channel();
        self.queue
            .send(Job::Mark(PendingMark { run, now_ms, done }))
            .await
            .map_err(|_| anyhow::anyhow!("dedupe writer stopped"))?;
        rx.await
            .context("dedupe writer dropped the mark")?
            .map_err(anyhow::Error::msg)
    }

    /// Whether a writer task is running (not between a failure and its restart).
    pub fn is_up(&self) -> bool {
        self.shared.metrics.writer_up.get() > 0
    }

    /// Fault injection for tests: the writer panics when it takes its next
    /// batch (failing that batch's claims), as a bug in it would.
    #[doc(hidden)]
    pub fn fail_next_batch(&self) {
        self.shared.fail_next.store(true, Ordering::SeqCst);
    }
}

/// The key of a signature pair: SHA-256 over the timestamp and a SHA-256 of
/// the sign, hex. The sign itself is never stored.
pub fn pair_hash(sign_timestamp: i64, sign: &str) -> String {
    let sign_hash = hex(&Sha256::digest(sign.as_bytes()));
    hex(&Sha256::digest(
        format!("{sign_timestamp}:{sign_hash}").as_bytes(),
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// Forgets handled msgIds and signature pairs received before
    /// `before_ms` (they can no longer pass the signature window, so dedupe
    /// and the replay rule no longer need them). Rows not handled yet stay.
    pub async fn prune_inbound(&self, before_ms: i64) -> anyhow::Result<u64> {
        let mut tx = self.begin_write().await?;
        let n = sqlx::query(
            "DELETE FROM inbound_messages WHERE received_at < $1 AND handled_at IS NOT NULL",
        )
        .bind(before_ms)
        .execute(tx.conn())
        .await
        .context("prune inbound")?
        .rows_affected();
        sqlx::query("DELETE FROM inbound_pairs WHERE first_seen_at < $1")
            .bind(before_ms)
            .execute(tx.conn())
            .await
            .context("prune signature pairs")?;
        tx.commit().await?;
        Ok(n)
    }
}
