//! `dingwarden retention run [--dry-run]`: applies the retention settings
//! now (or shows what they would do), printing counts only.

use clap::Subcommand;

use crate::actions::retention::{Outcome, Request, run};
use crate::actions::{Actor, Ctx};
use crate::clock::{Clock as _, SystemClock};
use crate::config::Config;
use crate::domain::retention::Counts;
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum RetentionCmd {
    /// Pseudonymise leavers, erase old texts, drop old payloads, as the
    /// DINGWARDEN_RETENTION_* settings say. Audited with counts.
    Run {
        /// Show what would change; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs `retention run`.
pub async fn run_command(config: Config, cmd: RetentionCmd) -> anyhow::Result<()> {
    let RetentionCmd::Run { dry_run } = cmd;
    let store = Store::open(&config.database_url.0).await?;
    let ctx = Ctx::new(&store, &config, SystemClock.now(), Actor::System("cli"));
    let req = Request {
        dry_run,
        once_on: None,
    };
    let result = run(&ctx, req).await;
    store.close().await;
    match result.map_err(|e| anyhow::anyhow!("{e}"))? {
        Outcome::Applied(c) => println!("retention applied: {}", describe(&c)),
        Outcome::DryRun(c) => println!(
            "retention would apply (dry run, nothing changed): {}",
            describe(&c)
        ),
        Outcome::AlreadyRan => {}
    }
    Ok(())
}

/// The counts in words.
pub fn describe(c: &Counts) -> String {
    let mut s = format!(
        "{} leavers pseudonymised ({} rows), {} incident/feedback texts erased, \
         {} sent payloads and {} dead letters dropped, {} audit entries redacted",
        c.leavers,
        c.rows_pseudonymised,
        c.texts_erased,
        c.payloads_dropped,
        c.dead_letters_dropped,
        c.audit_redacted
    );
    if c.audit_unredactable > 0 {
        s.push_str(&format!(
            "; {} older audit entries name a leaver and cannot be redacted (written before \
             the redactable form)",
            c.audit_unredactable
        ));
    }
    s
}
