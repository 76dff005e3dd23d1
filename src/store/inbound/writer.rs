//! The group-commit writer behind [`super::Deduper`]: one task takes every
//! job waiting in its queue — msgId claims, and the "handled" marks of inbox
//! rows whose command changed nothing — and writes them together on a
//! connection it keeps: claims with one statement, marks with one more, both
//! in one transaction when a batch holds both, so a burst of read-only
//! commands costs one synced commit per batch for their claims and their
//! marks together, not one for each kind.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use anyhow::Context as _;
use sqlx::{AnyConnection, Connection as _};
use tokio::sync::{Mutex, mpsc, oneshot};

use super::{BATCH_GRACE, Claim, ClaimRequest, REPLAY_GRACE_MS, Shared, pair_hash};
use crate::store::inbox::{InboxLease, RunKey, mark_batch};
use crate::store::{Backend, KeptConn, Store};

/// Most jobs written by one batch (five bind parameters per claim, four
/// per mark).
pub(super) const MAX_BATCH: usize = 512;

/// What the writer's queue carries.
pub(super) enum Job {
    Claim(PendingClaim),
    Mark(PendingMark),
}

pub(super) struct PendingClaim {
    pub req: ClaimRequest,
    pub done: oneshot::Sender<Result<Claim, String>>,
}

pub(super) struct PendingMark {
    pub run: RunKey,
    pub now_ms: i64,
    /// `true` when marked, `false` when the run no longer held the row.
    pub done: oneshot::Sender<Result<bool, String>>,
}

/// The writer: takes every job waiting, writes them, answers each. Returns
/// when every [`super::Deduper`] handle is gone.
pub(super) async fn writer(store: Store, rx: Arc<Mutex<mpsc::Receiver<Job>>>, shared: Arc<Shared>) {
    let mut rx = rx.lock().await;
    // Every claim's caller in a batch was waiting before it started, so by
    // this bound they have all given up: a hung write (a connection to a
    // database that no longer answers, an INSERT waiting for a lock) is
    // abandoned, and on PostgreSQL cancelled by the server too.
    let backend = store.backend();
    let bound = shared.timeout + BATCH_GRACE;
    let mut conn = store.kept_conn().with_statement_timeout(bound);
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        assert!(
            !shared.fail_next.swap(false, Ordering::SeqCst),
            "dedupe writer: injected fault"
        );
        let (mut claims, marks) = split(&mut jobs);
        // A caller that stopped waiting was answered 503 (or left unacked):
        // its claim is not written, so the redelivery is new.
        claims.retain(|p| !p.done.is_closed());
        if claims.is_empty() && marks.is_empty() {
            continue;
        }
        let batch = Batch {
            backend,
            lease: &shared.lease,
            claims: &claims,
            marks: &marks,
        };
        let written = tokio::time::timeout(bound, batch.write(&mut conn))
            .await
            .unwrap_or_else(|_| Err(anyhow::anyhow!("batch not written within {bound:?}")));
        match written {
            Ok((verdicts, marked)) => {
                answer(&shared, claims.into_iter().zip(verdicts));
                for m in marks {
                    let _ = m.done.send(Ok(marked.contains(&m.run.msg_id)));
                }
            }
            Err(e) => fail(&mut conn, claims, marks, &e),
        }
    }
}

fn split(jobs: &mut Vec<Job>) -> (Vec<PendingClaim>, Vec<PendingMark>) {
    let (mut claims, mut marks) = (Vec::new(), Vec::new());
    for job in jobs.drain(..) {
        match job {
            Job::Claim(c) => claims.push(c),
            Job::Mark(m) => marks.push(m),
        }
    }
    (claims, marks)
}

/// A failed batch fails every job in it (nothing of it was committed).
fn fail(
    conn: &mut KeptConn,
    claims: Vec<PendingClaim>,
    marks: Vec<PendingMark>,
    e: &anyhow::Error,
) {
    tracing::error!(error = ?e, claims = claims.len(), marks = marks.len(), "dedupe batch failed");
    conn.discard();
    let msg = format!("{e:#}");
    for p in claims {
        let _ = p.done.send(Err(msg.clone()));
    }
    for m in marks {
        let _ = m.done.send(Err(msg.clone()));
    }
}

/// Sends each verdict to its caller; a new claim whose caller gave up while
/// it was being written is counted and logged (its redelivery will be a
/// duplicate).
fn answer(shared: &Shared, verdicts: impl Iterator<Item = (PendingClaim, Claim)>) {
    for (p, v) in verdicts {
        let msg_id = p.req.msg_id;
        if p.done.send(Ok(v)).is_err() && v == Claim::New {
            shared.metrics.late_claims.inc();
            tracing::warn!(%msg_id, "claim written after its caller stopped waiting");
        }
    }
}

/// One batch of jobs to write.
struct Batch<'a> {
    backend: Backend,
    lease: &'a InboxLease,
    claims: &'a [PendingClaim],
    marks: &'a [PendingMark],
}

impl Batch<'_> {
    /// Writes the batch: an autocommit statement when it holds one kind of
    /// job, one transaction (one synced commit) when it holds both. Returns
    /// the claims' verdicts and the msgIds the marks marked.
    async fn write(&self, conn: &mut KeptConn) -> anyhow::Result<(Vec<Claim>, HashSet<String>)> {
        let mut write = conn.write().await?;
        let conn = write.conn();
        if self.marks.is_empty() {
            return Ok((self.claim(conn).await?, HashSet::new()));
        }
        let marks: Vec<(&RunKey, i64)> = self.marks.iter().map(|m| (&m.run, m.now_ms)).collect();
        if self.claims.is_empty() {
            return Ok((Vec::new(), mark_batch(conn, &marks).await?));
        }
        // IMMEDIATE on SQLite: the write lock up front, as `begin_write`.
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        let mut tx = conn.begin_with(begin).await.context("begin a batch")?;
        let verdicts = self.claim(&mut tx).await?;
        let marked = mark_batch(&mut tx, &marks).await?;
        tx.commit().await.context("commit a batch")?;
        Ok((verdicts, marked))
    }

    /// Claims the batch's claims with one statement, whatever their number:
    /// a multi-row `INSERT … ON CONFLICT DO NOTHING` that skips replayed
    /// signature pairs and returns the msgIds it wrote (so a concurrent
    /// replica's row still counts as a duplicate here). Only when some claim
    /// was not written does a second query tell duplicates (the msgId exists)
    /// from replays.
    async fn claim(&self, conn: &mut AnyConnection) -> anyhow::Result<Vec<Claim>> {
        if self.claims.is_empty() {
            return Ok(Vec::new());
        }
        // A msgId repeated within the batch is decided once, by its first claim.
        let mut seen = HashSet::new();
        let unique: Vec<&ClaimRequest> = self
            .claims
            .iter()
            .map(|p| &p.req)
            .filter(|r| seen.insert(r.msg_id.as_str()))
            .collect();
        let written = insert_fresh(conn, self.backend, self.lease, &unique).await?;
        let unwritten: Vec<&str> = unique
            .iter()
            .map(|r| r.msg_id.as_str())
            .filter(|id| !written.contains(*id))
            .collect();
        let existing = if unwritten.is_empty() {
            HashSet::new()
        } else {
            existing_ids(conn, &unwritten).await?
        };
        let verdict_of = |id: &str| match (written.contains(id), existing.contains(id)) {
            (true, _) => Claim::New,
            // A redelivered msgId is a duplicate whatever its signature.
            (false, true) => Claim::Duplicate,
            // Rejected requests change nothing: nothing was written for them.
            (false, false) => Claim::Replay,
        };
        let mut decided: HashSet<&str> = HashSet::new();
        Ok(self
            .claims
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
}

/// `$first, $first+1, …` for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
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
