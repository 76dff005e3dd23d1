//! Inbound dedupe and the inbox's front door: every robot message's `msgId`,
//! durable before the callback is answered, written together with what its
//! handler needs (the inbox entry, leased to this replica) so an answer means
//! "will be handled". Claims are group-committed: one writer task takes
//! every claim waiting in its queue and writes them with one statement, on a
//! connection it keeps, so a burst costs one commit instead of one per
//! message. The rest of the inbox (sweep, leases, done) is in `inbox.rs`.
//! A claim waits at most the claim timeout; the writer runs under a
//! supervisor that restarts it if it fails (issue 13).

mod legacy;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use sha2::{Digest as _, Sha256};
use sqlx::AnyConnection;
use tokio::sync::{Mutex, mpsc, oneshot};

use super::inbox::InboxLease;
use super::{Backend, KeptConn, Store};
use crate::metrics::DedupeMetrics;
use crate::supervise;

/// How long a different msgId may reuse a (timestamp, sign) pair: DingTalk
/// may deliver several messages signed in the same instant, but a pair seen
/// again later than this with a new msgId is a replay.
pub const REPLAY_GRACE_MS: i64 = 60_000;

/// Most claims written by one statement (five bind parameters each).
const MAX_BATCH: usize = 512;

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

struct Pending {
    req: ClaimRequest,
    done: oneshot::Sender<Result<Claim, String>>,
}

/// A claim not made durable within the claim timeout.
#[derive(Debug, thiserror::Error)]
#[error("the claim was not durable within {0:?}")]
pub struct ClaimTimeout(pub Duration);

/// Handle to the group-commit writer. Cheap to clone.
#[derive(Clone)]
pub struct Deduper {
    queue: mpsc::Sender<Pending>,
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
            writer(store.clone(), rx.clone(), task_shared.clone())
        });
        Self { queue, shared }
    }

    /// Claims a msgId; returns once the verdict is durable, or fails (with
    /// [`ClaimTimeout`]) when that takes longer than the claim timeout.
    pub async fn claim(&self, req: ClaimRequest) -> anyhow::Result<Claim> {
        let (done, rx) = oneshot::channel();
        let wait = async {
            self.queue
                .send(Pending { req, done })
                .await
                .map_err(|_| anyhow::anyhow!("dedupe writer stopped"))?;
            rx.await
                .context("dedupe writer dropped the claim")?
                .map_err(anyhow::Error::msg)
        };
        match tokio::time::timeout(self.shared.timeout, wait).await {
            Ok(verdict) => verdict,
            Err(_) => {
                self.shared.metrics.claim_timeouts.inc();
                Err(ClaimTimeout(self.shared.timeout).into())
            }
        }
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

/// The writer: takes every claim waiting, writes them with one statement,
/// answers each. Returns when every [`Deduper`] handle is gone.
async fn writer(store: Store, rx: Arc<Mutex<mpsc::Receiver<Pending>>>, shared: Arc<Shared>) {
    let mut rx = rx.lock().await;
    // Every caller in a batch was waiting before it started, so by this
    // bound they have all given up: a hung write (a connection to a database
    // that no longer answers, an INSERT waiting for a lock) is abandoned,
    // and on PostgreSQL cancelled by the server too.
    let backend = store.backend();
    let bound = shared.timeout + BATCH_GRACE;
    let mut conn = store.kept_conn().with_statement_timeout(bound);
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        assert!(
            !shared.fail_next.swap(false, Ordering::SeqCst),
            "dedupe writer: injected fault"
        );
        // A caller that stopped waiting was answered 503 (or left unacked):
        // its claim is not written, so the redelivery is new.
        batch.retain(|p| !p.done.is_closed());
        if batch.is_empty() {
            continue;
        }
        let written = tokio::time::timeout(
            bound,
            commit_batch(&mut conn, backend, &shared.lease, &batch),
        )
        .await
        .unwrap_or_else(|_| Err(anyhow::anyhow!("batch not written within {bound:?}")));
        match written {
            Ok(verdicts) => answer(&shared, batch.drain(..).zip(verdicts)),
            Err(e) => {
                tracing::error!(error = ?e, claims = batch.len(), "dedupe batch failed");
                conn.discard();
                let msg = format!("{e:#}");
                for p in batch.drain(..) {
                    let _ = p.done.send(Err(msg.clone()));
                }
            }
        }
    }
}

/// Sends each verdict to its caller; a new claim whose caller gave up while
/// it was being written is counted and logged (its redelivery will be a
/// duplicate).
fn answer(shared: &Shared, verdicts: impl Iterator<Item = (Pending, Claim)>) {
    for (p, v) in verdicts {
        let msg_id = p.req.msg_id;
        if p.done.send(Ok(v)).is_err() && v == Claim::New {
            shared.metrics.late_claims.inc();
            tracing::warn!(%msg_id, "claim written after its caller stopped waiting");
        }
    }
}

/// Claims a whole batch with one autocommit statement, whatever its size: a
/// multi-row `INSERT … ON CONFLICT DO NOTHING` that skips replayed signature
/// pairs and returns the msgIds it wrote (so a concurrent replica's row still
/// counts as a duplicate here). Only when some claim was not written does a
/// second query tell duplicates (the msgId exists) from replays.
async fn commit_batch(
    conn: &mut KeptConn,
    backend: Backend,
    lease: &InboxLease,
    batch: &[Pending],
) -> anyhow::Result<Vec<Claim>> {
    // A msgId repeated within the batch is decided once, by its first claim.
    let mut seen = HashSet::new();
    let unique: Vec<&ClaimRequest> = batch
        .iter()
        .map(|p| &p.req)
        .filter(|r| seen.insert(r.msg_id.as_str()))
        .collect();
    let mut conn = conn.write().await?;
    let written = insert_fresh(conn.conn(), backend, lease, &unique).await?;
    let unwritten: Vec<&str> = unique
        .iter()
        .map(|r| r.msg_id.as_str())
        .filter(|id| !written.contains(*id))
        .collect();
    let existing = if unwritten.is_empty() {
        HashSet::new()
    } else {
        existing_ids(conn.conn(), &unwritten).await?
    };
    drop(conn);
    let verdict_of = |id: &str| match (written.contains(id), existing.contains(id)) {
        (true, _) => Claim::New,
        // A redelivered msgId is a duplicate whatever its signature.
        (false, true) => Claim::Duplicate,
        // Rejected requests change nothing: nothing was written for them.
        (false, false) => Claim::Replay,
    };
    let mut decided: HashSet<&str> = HashSet::new();
    Ok(batch
        .iter()
        .map(|p| {
            let id = p.req.msg_id.as_str();
            match verdict_of(id) {
                Claim::New if !decided.insert(id) => Claim::Duplicate,
                v => v,
            }
        })
        .collect())
}

/// `$first, $first+1, …` for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
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

/// Inserts the claims whose signature pair was not first seen, with another
/// msgId, more than the grace earlier; returns the msgIds this statement
/// wrote. The pair check is one primary-key lookup in `inbound_pairs`, which
/// a trigger on `inbound_messages` fills with each pair's first sighting. A
/// claim with an inbox entry is written not handled, leased to this replica
/// (first attempt); one without is written handled.
async fn insert_fresh(
    conn: &mut AnyConnection,
    backend: Backend,
    lease: &InboxLease,
    reqs: &[&ClaimRequest],
) -> anyhow::Result<HashSet<String>> {
    let rows: Vec<String> = (0..reqs.len())
        .map(|i| format!("({})", placeholders(5 * i + 1, 5)))
        .collect();
    let (holder, lease_ms) = (5 * reqs.len() + 1, 5 * reqs.len() + 2);
    // The lease clock: the database's on PostgreSQL, the claim's `now` on SQLite.
    let clock = match backend {
        Backend::Postgres => backend.lease_clock(0),
        Backend::Sqlite => "c.received_at".to_owned(),
    };
    let sql = format!(
        "WITH c (msg_id, pair_hash, received_at, sender, command) AS (VALUES {}) \
         INSERT INTO inbound_messages (msg_id, pair_hash, received_at, sender, command, \
             handled_at, lease_holder, lease_until, attempts) \
         SELECT c.msg_id, c.pair_hash, c.received_at, c.sender, c.command, \
             CASE WHEN c.command IS NULL THEN c.received_at END, \
             CASE WHEN c.command IS NOT NULL THEN ${holder} END, \
             CASE WHEN c.command IS NOT NULL THEN {clock} + ${lease_ms} END, \
             CASE WHEN c.command IS NOT NULL THEN 1 ELSE 0 END FROM c \
         WHERE NOT EXISTS (SELECT 1 FROM inbound_pairs p WHERE p.pair_hash = c.pair_hash \
             AND p.msg_id <> c.msg_id AND p.first_seen_at < c.received_at - {REPLAY_GRACE_MS}) \
         ON CONFLICT (msg_id) DO NOTHING RETURNING msg_id",
        rows.join(", ")
    );
    let mut q = sqlx::query_scalar::<_, String>(&sql);
    for r in reqs {
        let (sender, command) = match &r.inbox {
            Some(e) => (e.sender.as_str(), Some(e.command.as_str())),
            None => ("", None),
        };
        q = q
            .bind(&r.msg_id)
            .bind(pair_hash(r.sign_timestamp, &r.sign))
            .bind(r.now_ms)
            .bind(sender)
            .bind(command);
    }
    let q = q.bind(&lease.holder).bind(lease.lease_ms());
    Ok(q.fetch_all(conn)
        .await
        .context("record msgIds")?
        .into_iter()
        .collect())
}

async fn existing_ids(conn: &mut AnyConnection, ids: &[&str]) -> anyhow::Result<HashSet<String>> {
    let sql = format!(
        "SELECT msg_id FROM inbound_messages WHERE msg_id IN ({})",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query_scalar::<_, String>(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(conn)
        .await
        .context("look up msgIds")?
        .into_iter()
        .collect())
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
