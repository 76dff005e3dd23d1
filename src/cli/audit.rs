//! `dingwarden audit verify` recomputes the audit log's hash chain and names
//! the first entry that was edited, deleted or reordered; `dingwarden audit
//! export [--since DATE]` writes the entries as JSON lines.

use std::fmt;
use std::io::Write as _;

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate};
use sqlx::AnyPool;

use crate::config::Config;
use crate::domain::roster::local_midnight_ms;
use crate::store::Store;
use crate::store::audit::{AuditRow, GENESIS_HASH, entry_hash};

/// Entries read per query, so memory stays flat however long the log is.
const PAGE: i64 = 1000;

/// Where and how the chain breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Break {
    /// Entry `expected` is not there: the log jumps from `before` to `next`.
    Deleted {
        expected: i64,
        before: Option<i64>,
        next: i64,
    },
    /// The entry's contents no longer match its hash.
    Edited { seq: i64 },
    /// The entry follows one that now comes after it.
    Reordered { seq: i64, written_after: i64 },
    /// `seq` is intact but links to an entry whose hash is gone: `prev` was
    /// rewritten with a recomputed hash (or entries between were removed).
    Rewritten { seq: i64, prev: i64 },
    /// `seq` links to `origin`, an earlier entry: those between were deleted
    /// and the rest renumbered.
    Removed { seq: i64, origin: i64 },
}

impl Break {
    /// The first entry affected.
    pub fn seq(&self) -> i64 {
        match self {
            Break::Deleted { expected, .. } => *expected,
            Break::Edited { seq } | Break::Reordered { seq, .. } => *seq,
            Break::Rewritten { prev, .. } => *prev,
            Break::Removed { origin, .. } => origin + 1,
        }
    }
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Break::Deleted {
                expected,
                before: Some(b),
                next,
            } => write!(
                f,
                "entry #{expected} was deleted (the log jumps from #{b} to #{next})"
            ),
            Break::Deleted { expected, next, .. } => write!(
                f,
                "entry #{expected} was deleted (the log starts at #{next})"
            ),
            Break::Edited { seq } => write!(
                f,
                "entry #{seq} was edited (its contents no longer match its hash)"
            ),
            Break::Reordered { seq, written_after } => write!(
                f,
                "entry #{seq} was reordered (it was written after entry #{written_after})"
            ),
            Break::Rewritten { seq, prev } => write!(
                f,
                "entry #{prev} was edited and its hash recomputed (entry #{seq} no longer links to it)"
            ),
            Break::Removed { seq, origin } => write!(
                f,
                "entries after #{origin} were deleted and the rest renumbered (entry #{seq} links to #{origin})"
            ),
        }
    }
}

/// An intact chain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Intact {
    pub entries: i64,
    pub last_at: Option<i64>,
    pub head: String,
}

/// Walks the whole log in order. `Ok(Err(break))` when the chain is broken.
pub async fn verify_chain(pool: &AnyPool) -> anyhow::Result<Result<Intact, Break>> {
    let mut prev: Option<(i64, String)> = None;
    let mut last_at = None;
    let mut entries = 0;
    loop {
        let after = prev.as_ref().map_or(i64::MIN, |p| p.0);
        let rows = page(pool, after, i64::MIN).await?;
        let Some(last) = rows.last() else { break };
        let done = (rows.len() as i64) < PAGE;
        last_at = Some(last.at);
        for row in rows {
            if let Some(b) = check(pool, prev.as_ref(), &row).await? {
                return Ok(Err(b));
            }
            entries += 1;
            prev = Some((row.seq, row.hash));
        }
        if done {
            break;
        }
    }
    Ok(Ok(Intact {
        entries,
        last_at,
        head: prev.map_or_else(|| GENESIS_HASH.to_owned(), |p| p.1),
    }))
}

/// Entries after `after_seq` written at or after `from_ms`, in order.
async fn page(pool: &AnyPool, after_seq: i64, from_ms: i64) -> anyhow::Result<Vec<AuditRow>> {
    crate::store::audit::page(pool, after_seq, from_ms, PAGE).await
}

/// Checks one entry against the one before it (`None` for the first).
async fn check(
    pool: &AnyPool,
    prev: Option<&(i64, String)>,
    row: &AuditRow,
) -> anyhow::Result<Option<Break>> {
    let expected = prev.map_or(1, |p| p.0 + 1);
    if row.seq != expected {
        return Ok(Some(Break::Deleted {
            expected,
            before: prev.map(|p| p.0),
            next: row.seq,
        }));
    }
    let recomputed = entry_hash(
        row.seq,
        row.at,
        &row.actor,
        &row.action,
        &row.subject,
        &row.details,
        &row.prev_hash,
    );
    let content_ok = recomputed == row.hash;
    let link_ok = row.prev_hash == prev.map_or(GENESIS_HASH, |p| p.1.as_str());
    if content_ok && link_ok {
        return Ok(None);
    }
    if link_ok {
        return Ok(Some(Break::Edited { seq: row.seq }));
    }
    // Whose hash does this entry link to?
    let origin: Option<i64> =
        sqlx::query_scalar("SELECT seq FROM audit_log WHERE hash = $1 ORDER BY seq LIMIT 1")
            .bind(&row.prev_hash)
            .fetch_optional(pool)
            .await
            .context("look up linked entry")?;
    Ok(Some(match (origin, prev) {
        (Some(o), _) if o > row.seq => Break::Reordered {
            seq: row.seq,
            written_after: o,
        },
        _ if !content_ok => Break::Edited { seq: row.seq },
        (Some(o), _) if o < row.seq => Break::Removed {
            seq: row.seq,
            origin: o,
        },
        (_, Some(p)) => Break::Rewritten {
            seq: row.seq,
            prev: p.0,
        },
        (_, None) => Break::Edited { seq: row.seq },
    }))
}

/// A head recorded earlier (`SEQ:HASH`, as `audit verify` prints it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: String,
}

impl std::str::FromStr for Anchor {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (seq, hash) = s.trim().split_once(':').ok_or("expected SEQ:HASH")?;
        let seq = seq
            .trim_start_matches('#')
            .parse()
            .map_err(|_| "SEQ must be a number")?;
        let hash = hash.to_ascii_lowercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("HASH must be 64 hex digits".into());
        }
        Ok(Self { seq, hash })
    }
}

/// `audit verify [--anchor SEQ:HASH]`: exit 0 with a summary, or fail
/// naming the first bad entry (or the anchor the log no longer holds).
pub async fn verify(config: Config, anchor: Option<Anchor>) -> anyhow::Result<()> {
    let store = Store::open(&config.database_url.0).await?;
    let result = verify_chain(store.pool()).await;
    let anchored: anyhow::Result<Option<String>> = match &anchor {
        Some(a) => sqlx::query_scalar("SELECT hash FROM audit_log WHERE seq = $1")
            .bind(a.seq)
            .fetch_optional(store.pool())
            .await
            .context("read anchored entry"),
        None => Ok(None),
    };
    store.close().await;
    let intact = match result? {
        Ok(intact) => intact,
        Err(b) => anyhow::bail!("audit log broken at entry #{}: {b}", b.seq()),
    };
    if let Some(a) = &anchor {
        if anchored?.as_deref() != Some(a.hash.as_str()) {
            anyhow::bail!(
                "audit log broken at entry #{seq}: entry #{seq} no longer has the hash recorded \
                 for it (the log was truncated or rewritten from there on)",
                seq = a.seq
            );
        }
    }
    let last = intact
        .last_at
        .and_then(DateTime::from_timestamp_millis)
        .map(|t| t.with_timezone(&config.timezone).to_rfc3339())
        .unwrap_or_else(|| "-".into());
    println!(
        "audit log intact: {} entries, last at {last}, head {}:{}",
        intact.entries, intact.entries, intact.head
    );
    Ok(())
}

pub use crate::reports::audit::export_line;

/// `audit export [--since DATE]`: JSON lines on stdout, oldest first.
pub async fn export(config: Config, since: Option<NaiveDate>) -> anyhow::Result<()> {
    let store = Store::open(&config.database_url.0).await?;
    let from_ms = since.map_or(i64::MIN, |d| local_midnight_ms(config.timezone, d));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut after = i64::MIN;
    loop {
        let rows = page(store.pool(), after, from_ms).await?;
        for row in &rows {
            let line = export_line(row, config.timezone);
            if let Err(e) = writeln!(out, "{line}") {
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    return Ok(());
                }
                return Err(e).context("write export");
            }
        }
        match rows.last() {
            Some(last) if rows.len() as i64 == PAGE => after = last.seq,
            _ => break,
        }
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("write export"),
        _ => Ok(()),
    }
}
