//! `dingwarden evidence export|verify|pubkey`: write an evidence bundle,
//! check one offline (no database, no configuration), print the public key
//! that auditors check signatures with.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::NaiveDate;
use clap::Subcommand;

use crate::actions::evidence::{ExportRequest, export};
use crate::actions::refusal::Viewer;
use crate::actions::{ActionError, Actor, Ctx, Refusal};
use crate::clock::{Clock as _, SystemClock};
use crate::config::Config;
use crate::evidence::key::parse_public;
use crate::evidence::verify::verify;
use crate::i18n::Lang;
use crate::store::Store;

#[derive(Debug, Subcommand)]
pub enum EvidenceCmd {
    /// Write everything an auditor needs into one ZIP, hashed in a manifest
    /// (signed when DINGWARDEN_EVIDENCE_KEY is set). The export is audited.
    Export {
        /// The ZIP file to write.
        #[arg(long, value_name = "FILE.zip")]
        out: PathBuf,
        /// Records from this local date on (and those still open); default: all.
        #[arg(long, value_name = "YYYY-MM-DD")]
        since: Option<NaiveDate>,
        /// Only these notices (`3` or `#3`; repeat or list several); the other
        /// sections still cover the period.
        #[arg(long = "notice", value_name = "ID", num_args = 1..)]
        notices: Vec<String>,
    },
    /// Check a bundle offline: every file against the manifest, the audit
    /// chain inside, and the signature with --pubkey. Exit 0 only if all holds.
    Verify {
        #[arg(value_name = "FILE.zip")]
        file: PathBuf,
        /// The signer's public key: a PEM file, or the key as PEM or base64.
        #[arg(long, value_name = "KEY", allow_hyphen_values = true)]
        pubkey: Option<String>,
    },
    /// Print the public key of DINGWARDEN_EVIDENCE_KEY (PEM), to hand to auditors.
    Pubkey,
}

/// A notice id as typed (`3` or `#3`).
fn notice_id(s: &str) -> anyhow::Result<i64> {
    s.trim_start_matches('#')
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .with_context(|| format!("'{s}' is not a notice id"))
}

/// `evidence export`: written beside `out` first, moved into place once the
/// export is audited, so no unaudited bundle is ever left behind.
pub async fn run_export(
    config: Config,
    out: PathBuf,
    since: Option<NaiveDate>,
    notices: Vec<String>,
) -> anyhow::Result<()> {
    let ids = notices
        .iter()
        .map(|s| notice_id(s))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let partial = partial_path(&out);
    let file = std::fs::File::create(&partial)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    let store = Store::open(&config.database_url.0).await?;
    let req = ExportRequest {
        since,
        notices: (!ids.is_empty()).then_some(ids),
    };
    let ctx = Ctx::new(&store, &config, SystemClock.now(), Actor::System("cli"));
    let result = export(&ctx, &req, file).await;
    store.close().await;
    let (file, done) = match result {
        Ok(ok) => ok,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(refused(e, &config));
        }
    };
    file.sync_all().context("write the bundle")?;
    std::fs::rename(&partial, &out).with_context(|| format!("cannot write {}", out.display()))?;
    let signed = match &config.evidence_key {
        Some(k) => format!("signed with {}", k.public_base64()),
        None => "not signed (set DINGWARDEN_EVIDENCE_KEY to sign)".to_owned(),
    };
    println!(
        "evidence bundle written to {}: {} files, {} audit entries, {signed}; \
         manifest SHA-256 {} (audit entry #{})",
        out.display(),
        done.files,
        done.counts.get("audit_entries").copied().unwrap_or(0),
        done.manifest_sha256,
        done.audit_seq
    );
    Ok(())
}

/// An action's error as the CLI prints it.
fn refused(e: ActionError, config: &Config) -> anyhow::Error {
    match e {
        ActionError::Refused(Refusal::NoSuchNotice { id }) => {
            anyhow::anyhow!("there is no notice #{id}")
        }
        ActionError::Refused(r) => anyhow::anyhow!(
            "{}",
            r.message(Viewer {
                lang: Lang::En,
                tz: config.timezone,
                staff: true,
            })
        ),
        ActionError::Internal(e) => e,
    }
}

fn partial_path(out: &Path) -> PathBuf {
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    out.with_file_name(name)
}

/// `evidence verify`: problems on stdout, one per line; fails if there are any.
pub fn run_verify(file: &Path, pubkey: Option<&str>) -> anyhow::Result<()> {
    let key = match pubkey {
        None => None,
        Some(k) => {
            let text = match std::fs::read_to_string(k) {
                Ok(text) => text,
                Err(_) if !Path::new(k).exists() => k.to_owned(),
                Err(e) => return Err(e).with_context(|| format!("cannot read {k}")),
            };
            Some(parse_public(&text).map_err(|m| anyhow::anyhow!("--pubkey: {m}"))?)
        }
    };
    let input =
        std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.display().to_string();
    let report = verify(std::io::BufReader::new(input), &name, key.as_ref());
    for problem in &report.problems {
        println!("{problem}");
    }
    for note in &report.notes {
        eprintln!("note: {note}");
    }
    anyhow::ensure!(
        report.ok(),
        "{name}: {} problem{} found",
        report.problems.len(),
        if report.problems.len() == 1 { "" } else { "s" }
    );
    let signature = if key.is_some() {
        "signature checked"
    } else {
        "signature not checked"
    };
    println!("{}; {signature}", report.summary);
    Ok(())
}

/// `evidence pubkey`.
pub fn run_pubkey(config: &Config) -> anyhow::Result<()> {
    let key = config
        .evidence_key
        .as_ref()
        .context("DINGWARDEN_EVIDENCE_KEY is not set: there is no key to sign bundles with")?;
    print!("{}", key.public_pem());
    Ok(())
}
