//! `dingwarden quiz check FILE…` and `dingwarden quiz import FILE`: validate
//! quiz banks (every problem as `file:line: reason`) and add or update one.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::actions::quiz::{self, banks::Imported};
use crate::actions::{Actor, Ctx};
use crate::clock::{Clock as _, SystemClock};
use crate::config::Config;
use crate::domain::quiz::bank::DEFAULT_BANK;
use crate::domain::quiz::{Bank, parse_bank};
use crate::store::Store;

/// Who `quiz import` names in the audit log.
const CLI_ACTOR: &str = "cli";

/// Reads and validates one file; problems are printed to stderr.
fn load(path: &Path) -> Result<Bank, usize> {
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{name}: cannot read: {e}");
            return Err(1);
        }
    };
    parse_bank(&text).map_err(|problems| {
        for p in &problems {
            eprintln!("{}", p.display(&name));
        }
        problems.len()
    })
}

/// Validates every file, reporting every problem; fails if any has one.
pub fn check(files: &[PathBuf]) -> anyhow::Result<()> {
    let (mut problems, mut bad_files) = (0, 0);
    for path in files {
        match load(path) {
            Ok(bank) => {
                let topics: std::collections::HashSet<&str> =
                    bank.questions.iter().map(|q| q.topic.as_str()).collect();
                println!(
                    "{}: ok (bank {}, {} questions over {} topics, {} per quiz, pass {}%)",
                    path.display(),
                    bank.id,
                    bank.questions.len(),
                    topics.len(),
                    bank.per_attempt,
                    bank.pass_percent
                );
            }
            Err(n) => {
                problems += n;
                bad_files += 1;
            }
        }
    }
    anyhow::ensure!(
        problems == 0,
        "{problems} problem(s) in {bad_files} of {} file(s)",
        files.len()
    );
    Ok(())
}

/// Adds a bank or, if its content changed, a new version of it.
pub async fn import(config: Config, file: PathBuf) -> anyhow::Result<()> {
    let bank = load(&file)
        .map_err(|n| anyhow::anyhow!("{}: {n} problem(s); nothing imported", file.display()))?;
    anyhow::ensure!(
        bank.id != DEFAULT_BANK,
        "the bank id '{DEFAULT_BANK}' is reserved for the built-in bank; choose another id"
    );
    let store = Store::open(&config.database_url.0).await?;
    let ctx = Ctx::new(&store, &config, SystemClock.now(), Actor::System(CLI_ACTOR));
    let outcome = quiz::import(&ctx, &bank)
        .await
        .context("import quiz bank")?;
    store.close().await;
    match outcome {
        Imported::New { version, questions } => println!(
            "bank {}: imported version {version} ({questions} questions)",
            bank.id
        ),
        Imported::Unchanged { version } => {
            println!("bank {}: unchanged (version {version})", bank.id);
        }
    }
    Ok(())
}
