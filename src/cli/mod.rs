//! The command line (DESIGN.md "Command line"): argument parsing and the
//! small runners behind each subcommand. Failures print one line and exit 1.

mod export;

use std::path::PathBuf;
use std::process::ExitCode;

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
    /// Export evidence: `export acks NOTICE_ID [--format csv|json]`.
    #[command(subcommand)]
    Export(export::ExportCmd),
    /// Check that bot-manifest/ and the command router agree.
    #[command(subcommand)]
    Manifest(ManifestCmd),
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

/// Runs a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Cmd::Serve { dev } => {
            load_config(cli.config.as_ref(), dev).and_then(|c| with_runtime(c, serve))
        }
        Cmd::Migrate => load_db_config(cli.config.as_ref()).and_then(|c| with_runtime(c, migrate)),
        Cmd::Export(cmd) => load_db_config(cli.config.as_ref())
            .and_then(|c| with_runtime(c, |c| export::run(c, cmd))),
        Cmd::Manifest(ManifestCmd::Check { file }) => crate::manifest::run_check(file.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dingwarden: {e:#}");
            ExitCode::FAILURE
        }
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
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(f(config))
}

async fn serve(config: Config) -> anyhow::Result<()> {
    crate::app::serve(config).await
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
