//! `dingwarden export acks NOTICE_ID [--format csv|json]`: a notice's
//! acknowledgement evidence on stdout (DESIGN.md "Formats"), read and
//! audited by the export action; and the dispatch of `export quiz` (see
//! [`quiz`]).

pub mod quiz;

use std::io::Write as _;

use anyhow::Context as _;
use clap::{Subcommand, ValueEnum};

use crate::actions::notices::{ExportFormat, export_acks};
use crate::actions::{ActionError, Actor, Ctx};
use crate::clock::{Clock as _, SystemClock};
use crate::config::Config;
use crate::domain::notice::export::{to_csv, to_json};
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// Who received and acknowledged a notice, one row per recipient.
    Acks {
        /// The notice id (`3` or `#3`).
        notice: String,
        /// CSV (UTF-8 with BOM, for Excel) or JSON.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// Every attempt of a quiz bank (all its versions), one row per attempt.
    Quiz {
        /// The bank's id, e.g. default.
        bank: String,
        /// CSV (UTF-8 with BOM, for Excel) or JSON.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
}

/// Output format of an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

/// Runs an export against the configured database.
pub async fn run(config: Config, cmd: ExportCmd) -> anyhow::Result<()> {
    match cmd {
        ExportCmd::Acks { notice, format } => acks(&config, &notice, format).await,
        ExportCmd::Quiz { bank, format } => quiz::run(config, bank, format).await,
    }
}

async fn acks(config: &Config, notice: &str, format: Format) -> anyhow::Result<()> {
    let id: i64 = notice
        .trim_start_matches('#')
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .with_context(|| format!("'{notice}' is not a notice id"))?;
    let store = Store::open(&config.database_url.0).await?;
    let how = match format {
        Format::Csv => ExportFormat::Csv,
        Format::Json => ExportFormat::Json,
    };
    let ctx = Ctx::new(&store, config, SystemClock.now(), Actor::System("cli"));
    let rows = export_acks(&ctx, id, how).await;
    store.close().await;
    let rows = match rows {
        Ok(rows) => rows,
        Err(ActionError::Refused(r)) if r.is_not_found() => {
            anyhow::bail!("there is no notice #{id}")
        }
        Err(e) => return Err(e.into()),
    };
    let bytes = match format {
        Format::Csv => to_csv(&rows, config.timezone)?,
        Format::Json => {
            let mut v = serde_json::to_vec_pretty(&to_json(&rows, config.timezone))?;
            v.push(b'\n');
            v
        }
    };
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes).context("write to stdout")?;
    out.flush().context("write to stdout")
}
