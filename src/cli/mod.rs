//! The command line (DESIGN.md "Command line"): argument parsing and the
//! small runners behind each subcommand. Failures print one line and exit 1.

pub mod audit;
pub mod evidence;
pub mod export;
pub mod password;
pub mod quiz;
pub mod retention;
pub mod roster;

use std::path::PathBuf;
use std::process::ExitCode;

mod chat;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::config::{Config, Sources};

/// DingTalk chat bot for security operations.
#[derive(Debug, Parser)]
#[command(name = "dingwarden", version, about)]
pub struct Cli {
    /// TOML file with settings (environment variables win over it).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Cmd,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Run the service (migrates on start).
    Serve {
        /// Try it out: SQLite here, a random app secret, loopback
        /// sessionWebhooks allowed, OpenAPI sends shown by `dingwarden chat`.
        #[arg(long)]
        dev: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Chat with a running instance as DingTalk would (signs callbacks, prints replies).
    Chat(chat::ChatArgs),
    /// Password rotation tools.
    #[command(subcommand)]
    Password(PasswordCmd),
    /// Check that bot-manifest/ and the command router agree.
    #[command(subcommand)]
    Manifest(ManifestCmd),
    /// Users and departments: import a CSV, or sync from DingTalk.
    #[command(subcommand)]
    Roster(RosterCmd),
    /// The hash-chained audit log: verify it, export it.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Validate and import quiz banks.
    #[command(subcommand)]
    Quiz(QuizCmd),
    /// Export records for audit.
    #[command(subcommand)]
    Export(export::ExportCmd),
    /// DingTalk's Stream mode (a WebSocket dialled out; no public endpoint).
    #[command(subcommand)]
    Stream(StreamCmd),
    /// Evidence bundles for auditors: export one, verify one offline, print the signing public key.
    #[command(subcommand)]
    Evidence(evidence::EvidenceCmd),
    /// Personal data kept no longer than needed: apply the retention settings now.
    #[command(subcommand)]
    Retention(retention::RetentionCmd),
}

#[derive(Debug, Subcommand)]
pub enum StreamCmd {
    /// Open a Stream connection with the configured credentials, wait for the
    /// first frame, and say what happened (exit 0 once connected, 1 otherwise).
    Check {
        /// How long to wait for the first frame, in seconds.
        #[arg(long, value_name = "SECS", default_value_t = 10)]
        wait: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum RosterCmd {
    /// Import users and departments from a CSV file (all or nothing).
    Import {
        /// UTF-8 CSV with a header: staff_id, name, department,
        /// manager_staff_id, role, password_changed_at, active.
        #[arg(value_name = "FILE.csv")]
        file: PathBuf,
        #[command(flatten)]
        flags: RosterFlags,
    },
    /// Pull departments and users from DingTalk's contacts API.
    Sync {
        #[command(flatten)]
        flags: RosterFlags,
    },
}

/// What a roster run may do.
#[derive(Debug, clap::Args)]
pub struct RosterFlags {
    /// Print what would change (new, changed, leaving, rejoining, roles)
    /// and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Allow up to N people to be marked as left (needed when more than
    /// DINGWARDEN_ROSTER_MAX_LEAVE_PERCENT of active users, or more than
    /// 20 people, would leave).
    #[arg(long, value_name = "N")]
    allow_leavers: Option<usize>,
}

impl RosterFlags {
    fn run(&self) -> roster::RunFlags {
        roster::RunFlags {
            dry_run: self.dry_run,
            allow_leavers: self.allow_leavers,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum AuditCmd {
    /// Recompute the hash chain; fails naming the first entry edited, deleted or reordered.
    Verify {
        /// A head printed by an earlier verify (`SEQ:HASH`) that must still be in the log.
        #[arg(long, value_name = "SEQ:HASH")]
        anchor: Option<audit::Anchor>,
    },
    /// Write audit entries as JSON lines to standard output.
    Export {
        /// Only entries from this local date on.
        #[arg(long, value_name = "YYYY-MM-DD")]
        since: Option<NaiveDate>,
    },
}

#[derive(Debug, Subcommand)]
pub enum QuizCmd {
    /// Validate quiz bank files; every problem is reported as FILE:LINE: reason.
    Check {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Add a bank, or a new version of it if its content changed.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ManifestCmd {
    /// Compare the manifest's command catalogue with the parser's.
    Check {
        /// Manifest to check (default: bot-manifest/manifest.toml).
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum PasswordCmd {
    /// Dry run: who would be reminded on which local day. Changes nothing.
    Forecast {
        /// How many days to look ahead (1-366).
        #[arg(long, value_name = "N")]
        days: u32,
        /// First day (YYYY-MM-DD, local); default today, or tomorrow once
        /// today's quiet hours have begun.
        #[arg(long, value_name = "DATE")]
        from: Option<chrono::NaiveDate>,
    },
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Cmd::Serve { dev } => {
            load_config(cli.config.as_ref(), dev).and_then(|c| with_runtime(c, serve))
        }
        Cmd::Migrate => load_db_config(cli.config.as_ref()).and_then(|c| with_runtime(c, migrate)),
        Cmd::Chat(args) => chat::run(args),
        Cmd::Password(PasswordCmd::Forecast { days, from }) => load_db_config(cli.config.as_ref())
            .and_then(|c| with_runtime(c, |c| password::forecast(c, days, from))),
        Cmd::Manifest(ManifestCmd::Check { file }) => crate::manifest::run_check(file.as_deref()),
        Cmd::Roster(RosterCmd::Import { file, flags }) => {
            let flags = flags.run();
            load_db_config(cli.config.as_ref()).and_then(|c| {
                with_runtime(c, |c| async move { roster::import(c, &file, flags).await })
            })
        }
        Cmd::Roster(RosterCmd::Sync { flags }) => {
            let flags = flags.run();
            load_config(cli.config.as_ref(), false)
                .and_then(|c| with_runtime(c, move |c| roster::sync_command(c, flags)))
        }
        Cmd::Audit(AuditCmd::Verify { anchor }) => load_db_config(cli.config.as_ref())
            .and_then(|c| with_runtime(c, move |c| audit::verify(c, anchor))),
        Cmd::Audit(AuditCmd::Export { since }) => load_db_config(cli.config.as_ref())
            .and_then(|c| with_runtime(c, move |c| audit::export(c, since))),
        Cmd::Quiz(QuizCmd::Check { files }) => quiz::check(&files),
        Cmd::Quiz(QuizCmd::Import { file }) => load_db_config(cli.config.as_ref())
            .and_then(|c| with_runtime(c, move |c| quiz::import(c, file))),
        Cmd::Export(cmd) => load_db_config(cli.config.as_ref())
            .and_then(|c| with_runtime(c, |c| export::run(c, cmd))),
        Cmd::Stream(StreamCmd::Check { wait }) => {
            load_config(cli.config.as_ref(), false).and_then(|c| {
                with_runtime(c, move |c| {
                    crate::stream::check::run(c, std::time::Duration::from_secs(wait))
                })
            })
        }
        Cmd::Evidence(cmd) => run_evidence(cli.config.as_ref(), cmd),
        Cmd::Retention(cmd) => load_db_config(cli.config.as_ref())
            .and_then(|c| with_runtime(c, |c| retention::run_command(c, cmd))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dingwarden: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_evidence(config: Option<&PathBuf>, cmd: evidence::EvidenceCmd) -> anyhow::Result<()> {
    use evidence::EvidenceCmd as E;
    match cmd {
        E::Export {
            out,
            since,
            notices,
        } => load_db_config(config)
            .and_then(|c| with_runtime(c, move |c| evidence::run_export(c, out, since, notices))),
        // No configuration: an auditor runs it with nothing but the bundle.
        E::Verify { file, pubkey } => evidence::run_verify(&file, pubkey.as_deref()),
        E::Pubkey => load_db_config(config).and_then(|c| evidence::run_pubkey(&c)),
    }
}

/// Loads every setting, as `serve` needs them.
pub fn load_config(file: Option<&PathBuf>, dev: bool) -> anyhow::Result<Config> {
    let sources = Sources::from_process(file.map(PathBuf::as_path))?;
    Ok(Config::load(&sources, dev)?)
}

/// Loads settings for commands that only touch the database: secrets are
/// not needed, so they are not required.
pub fn load_db_config(file: Option<&PathBuf>) -> anyhow::Result<Config> {
    let sources = Sources::from_process(file.map(PathBuf::as_path))?;
    let mut config = Config::load(&sources, true)?;
    config.dev = false;
    Ok(config)
}

fn with_runtime<F, Fut>(config: Config, f: F) -> anyhow::Result<()>
where
    F: FnOnce(Config) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    crate::telemetry::init(&config.log_filter);
    crate::i18n::install(std::sync::Arc::clone(&config.locales));
    for file in config.locales.overrides() {
        tracing::info!(file = %file, "texts overridden by the organisation's locale file");
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(f(config))
}

async fn serve(config: Config) -> anyhow::Result<()> {
    crate::startup::serve(config).await
}

async fn migrate(config: Config) -> anyhow::Result<()> {
    let store = crate::store::Store::open(&config.database_url.0).await?;
    let latest = store
        .migrator()
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0);
    store.close().await;
    println!("migrations applied (schema version {latest})");
    Ok(())
}
