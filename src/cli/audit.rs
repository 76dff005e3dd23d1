//! `dingwarden audit verify` recomputes the audit log's hash chain (the walk
//! is [`crate::reports::audit::verify_chain`]), counts the entries redacted
//! under retention and names the first entry that was edited, deleted or
//! reordered; `dingwarden audit export [--since DATE]` writes the entries as
//! JSON lines. No SQL here: the queries live in [`crate::store::audit`].

use std::io::Write as _;

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate};

use crate::config::Config;
use crate::domain::roster::local_midnight_ms;
use crate::store::Store;
use crate::store::audit::{hash_of, page};

pub use crate::domain::audit::Break;
pub use crate::reports::audit::{Intact, PAGE, export_line, verify_chain};

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
    let anchored = match &anchor {
        Some(a) => hash_of(store.pool(), a.seq).await,
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
        "audit log intact: {} entries ({} entries redacted under retention), last at {last}, head {}:{}",
        intact.entries, intact.redacted, intact.entries, intact.head
    );
    Ok(())
}

/// `audit export [--since DATE]`: JSON lines on stdout, oldest first.
pub async fn export(config: Config, since: Option<NaiveDate>) -> anyhow::Result<()> {
    let store = Store::open(&config.database_url.0).await?;
    let from_ms = since.map_or(i64::MIN, |d| local_midnight_ms(config.timezone, d));
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut after = i64::MIN;
    loop {
        let rows = page(store.pool(), after, from_ms, PAGE).await?;
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
