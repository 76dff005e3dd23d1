//! `dingwarden roster import FILE.csv` and `dingwarden roster sync`: read a
//! roster (a CSV file, or DingTalk's directory) and apply it with the
//! roster action, in one transaction, or with `--dry-run` print what would
//! change ([`render`]) and write nothing. A run that would mark too many
//! people as left needs `--allow-leavers N`. A CSV with any bad row changes
//! nothing; every problem of every bad row is reported as `file:line: reason`.

mod render;

use std::path::Path;

use anyhow::Context as _;
use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest as _, Sha256};

use crate::actions::refusal::Viewer;
use crate::actions::roster::{self, Imported, Planned, RosterFailure, RosterRun};
use crate::actions::{ActionError, Actor, Ctx, Refusal};
use crate::clock::{Clock as _, SystemClock};
use crate::config::Config;
use crate::dingtalk::contacts::ContactsClient;
use crate::domain::roster::{LineError, RosterRow, validate};
use crate::domain::schedule::local_date;
use crate::i18n::Lang;
use crate::store::Store;
use crate::store::roster::{RosterSource, RosterSummary};

/// A run from the command line: the audit log names `cli`.
fn cli<'a>(store: &'a Store, config: &'a Config, now: DateTime<Utc>) -> Ctx<'a> {
    Ctx::new(store, config, now, Actor::System("cli"))
}

/// Reads a roster CSV: UTF-8 with or without a BOM, a header first, fields
/// quoted as RFC 4180. Every problem is returned with its line.
pub fn read_csv(bytes: &[u8], today: NaiveDate) -> Result<Vec<RosterRow>, Vec<LineError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = line_at(bytes, e.valid_up_to());
        vec![LineError {
            line,
            reason: "is not UTF-8 text (save the file as \"CSV UTF-8\")".into(),
        }]
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => records.push((line_of(text, r.position()), r)),
            Err(e) => errors.push(LineError {
                line: line_of(text, e.position()),
                reason: format!("cannot be read as CSV: {e}"),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(((header_line, header), rows)) = records.split_first() else {
        return Err(vec![LineError {
            line: 1,
            reason: "the file is empty (a header line is required)".into(),
        }]);
    };
    let header: Vec<&str> = header.iter().collect();
    let rows: Vec<(u64, Vec<&str>)> = rows
        .iter()
        .map(|(line, r)| (*line, r.iter().collect()))
        .collect();
    validate(*header_line, &header, &rows, today)
}

/// The line a record starts on, counted here from the record's byte offset:
/// the CSV reader's own count is one short after every `\r\n` (it places a
/// record at the `\n` of the line break before it) and sees no lone `\r`
/// (old Mac "CSV" files), although both end records.
fn line_of(text: &str, position: Option<&csv::Position>) -> u64 {
    let at = position.map_or(0, csv::Position::byte);
    line_at(text.as_bytes(), usize::try_from(at).unwrap_or(usize::MAX))
}

/// The 1-based line of byte `at`: `\r\n`, `\n` and a lone `\r` each end a
/// line (a line starts right after its `\r`).
fn line_at(bytes: &[u8], at: usize) -> u64 {
    let head = &bytes[..at.min(bytes.len())];
    let breaks = head
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' || (b == b'\n' && (i == 0 || head[i - 1] != b'\r')))
        .count();
    breaks as u64 + 1
}

/// What to do with a roster: print the plan (`--dry-run`), or apply it,
/// allowing up to `allow_leavers` people to be marked as left.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunFlags {
    pub dry_run: bool,
    pub allow_leavers: Option<usize>,
}

/// `roster import FILE.csv [--dry-run] [--allow-leavers N]`.
pub async fn import(config: Config, file: &Path, flags: RunFlags) -> anyhow::Result<()> {
    let now = SystemClock.now();
    let label = file.display().to_string();
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {label}"))?;
    let rows = match read_csv(&bytes, local_date(config.timezone, now)) {
        Ok(rows) => rows,
        Err(errors) => return rejected(&config, &label, &errors, flags, now).await,
    };
    let store = Store::open(&config.database_url.0).await?;
    let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
    let entries: Vec<_> = rows.into_iter().map(|r| r.entry).collect();
    let fingerprint: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let run = RosterRun {
        source: RosterSource::Import,
        entries: &entries,
        lines: &lines,
        departments: None,
        origin: &label,
        fingerprint: Some(&fingerprint),
    };
    let ctx = cli(&store, &config, now);
    let result = run_or_plan(&ctx, run, flags).await;
    store.close().await;
    for line in result?.lines(&format!("imported {label}"), &label) {
        println!("{line}");
    }
    Ok(())
}

/// Reports the bad rows of a file (every problem of every row), audits the
/// rejected import (not on a dry run), and fails.
async fn rejected(
    config: &Config,
    label: &str,
    errors: &[LineError],
    flags: RunFlags,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    for e in errors {
        eprintln!("{label}:{}: {}", e.line, e.reason);
    }
    let mut bad: Vec<u64> = errors.iter().map(|e| e.line).collect();
    bad.dedup();
    let n = bad.len();
    // Best effort: the rows above are what the operator needs.
    if !flags.dry_run {
        if let Ok(store) = Store::open(&config.database_url.0).await {
            let failure = RosterFailure::ImportRejected {
                file: label,
                bad_rows: n,
            };
            record_failure(&cli(&store, config, now), failure).await;
            store.close().await;
        }
    }
    anyhow::bail!(
        "{label}: {n} bad row{}; nothing was imported",
        if n == 1 { "" } else { "s" }
    )
}

/// What a roster run did: planned only (`--dry-run`), or applied.
#[derive(Clone, Debug)]
pub enum Outcome {
    Planned(Planned),
    Applied(Imported),
}

impl Outcome {
    /// The lines to print: `done` names an applied run (`imported FILE`),
    /// `what` a planned one.
    pub fn lines(&self, done: &str, what: &str) -> Vec<String> {
        match self {
            Outcome::Planned(planned) => {
                let mut lines = vec![format!("dry run of {what}: nothing was changed")];
                lines.extend(render::plan(planned));
                lines
            }
            Outcome::Applied(run) => {
                let mut lines = vec![format!("{done}: {}", describe(&run.summary))];
                lines.extend(render::warnings(&run.planned.plan));
                lines.push(render::reminders(run.planned.reminders_soon));
                lines
            }
        }
    }

    /// What an applied run changed (`None` for a dry run).
    pub fn summary(&self) -> Option<&RosterSummary> {
        match self {
            Outcome::Planned(_) => None,
            Outcome::Applied(run) => Some(&run.summary),
        }
    }
}

/// Plans (dry run) or applies the run.
async fn run_or_plan(
    ctx: &Ctx<'_>,
    run: RosterRun<'_>,
    flags: RunFlags,
) -> anyhow::Result<Outcome> {
    let config = ctx.config;
    if flags.dry_run {
        let planned = roster::plan(ctx, run)
            .await
            .map_err(|e| for_operator(e, config))?;
        return Ok(Outcome::Planned(planned));
    }
    match roster::apply(ctx, run, flags.allow_leavers).await {
        Ok(done) => Ok(Outcome::Applied(done)),
        Err(ActionError::Refused(r @ Refusal::TooManyLeavers { .. })) => {
            // The whole plan, so the operator sees what they would allow.
            if let Ok(planned) = roster::plan(ctx, run).await {
                for line in render::plan(&planned) {
                    eprintln!("{line}");
                }
            }
            Err(for_operator(ActionError::Refused(r), config))
        }
        Err(e) => Err(for_operator(e, config)),
    }
}

/// An action's error for the operator: a refusal in English, as a line.
fn for_operator(e: ActionError, config: &Config) -> anyhow::Error {
    match e {
        ActionError::Refused(r) => anyhow::anyhow!(r.message(Viewer {
            lang: Lang::En,
            tz: config.timezone,
            staff: true,
        })),
        ActionError::Internal(e) => e,
    }
}

/// `roster sync [--dry-run] [--allow-leavers N]`.
pub async fn sync_command(config: Config, flags: RunFlags) -> anyhow::Result<()> {
    let store = Store::open(&config.database_url.0).await?;
    let http = reqwest::Client::builder()
        .user_agent(concat!("dingwarden/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(std::time::Duration::from_secs(5))
        .timeout(std::time::Duration::from_secs(20))
        // A redirect is a failed call: never follow one (issue 12).
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .context("build HTTP client")?;
    let client = ContactsClient::new(
        http,
        config.oapi_base.clone(),
        &config.app_key,
        config.app_secrets[0].clone(),
    );
    let result = sync(&store, &config, &client, SystemClock.now(), flags).await;
    store.close().await;
    for line in result?.lines("synced from DingTalk", "the DingTalk sync") {
        println!("{line}");
    }
    Ok(())
}

/// Reads DingTalk's directory and applies it (or, on a dry run, says what
/// applying it would change); the lines to print. Nothing changes unless
/// the whole directory was read; a failure is audited as `roster.sync.failed`.
pub async fn sync(
    store: &Store,
    config: &Config,
    client: &ContactsClient,
    now: DateTime<Utc>,
    flags: RunFlags,
) -> anyhow::Result<Outcome> {
    let origin = config.oapi_base.as_str();
    let ctx = cli(store, config, now);
    let dir = match client.fetch_directory().await {
        Ok(dir) if !dir.users.is_empty() => dir,
        Ok(_) => {
            let error = "no users";
            record_failure(&ctx, RosterFailure::SyncFailed { origin, error }).await;
            anyhow::bail!(
                "DingTalk listed no users, so nothing was changed (does the app have the contacts permissions?)"
            );
        }
        Err(e) => {
            let error = e.to_string();
            let failure = RosterFailure::SyncFailed {
                origin,
                error: &error,
            };
            record_failure(&ctx, failure).await;
            return Err(anyhow::Error::new(e).context("roster sync failed; nothing was changed"));
        }
    };
    let tree = dir.department_paths();
    let entries = dir.entries();
    let run = RosterRun {
        source: RosterSource::Sync,
        entries: &entries,
        lines: &[],
        departments: Some(&tree),
        origin,
        fingerprint: None,
    };
    run_or_plan(&ctx, run, flags).await
}

/// Audits a run that changed nothing; a failure to do so is only logged,
/// since the run's own error is what the operator needs to see.
async fn record_failure(ctx: &Ctx<'_>, failure: RosterFailure<'_>) {
    if let Err(e) = roster::failed(ctx, failure).await {
        tracing::warn!(error = ?e, "could not audit the failed roster run");
    }
}

/// One line for people: what a run changed (`imported …` is the caller's).
pub fn describe(s: &RosterSummary) -> String {
    let mut text = format!(
        "{} users ({} added, {} updated, {} unchanged), {} marked as left, {} back, \
         {} departments added, {} closed, {} roles granted, {} revoked",
        s.users,
        s.added,
        s.updated,
        s.unchanged,
        s.left.len(),
        s.rejoined.len(),
        s.departments_added,
        s.departments_closed,
        s.roles_granted,
        s.roles_revoked
    );
    if !s.left.is_empty() {
        text.push_str(&format!("; left: {}", s.left.join(", ")));
    }
    text
}

#[cfg(test)]
mod tests;
