//! `dingwarden export quiz BANK [--format csv|json]`: every attempt of a
//! bank, for audit (formats in [`crate::reports::quiz::export`]).

use super::Format as ExportFormat;
use crate::clock::{Clock as _, SystemClock};
use crate::config::Config;
use crate::reports::quiz;
pub use crate::reports::quiz::export::{COLUMNS, to_csv, to_json};
use crate::store::Store;

/// Prints every attempt of `bank` to stdout.
pub async fn run(config: Config, bank: String, format: ExportFormat) -> anyhow::Result<()> {
    let store = Store::open(&config.database_url.0).await?;
    let Some(rows) = quiz::attempts(&store, &bank).await? else {
        anyhow::bail!("no quiz bank called '{bank}'");
    };
    // Exports carry personal data: who exported what is on record, as for acks.
    let how = if format == ExportFormat::Csv {
        "csv"
    } else {
        "json"
    };
    let subject = format!("quiz_bank:{}", bank.to_lowercase());
    let details = serde_json::json!({"format": how, "rows": rows.len()});
    let now_ms = SystemClock.now().timestamp_millis();
    crate::reports::audit_read(&store, "cli", "quiz.export", &subject, details, now_ms).await?;
    store.close().await;
    let tz = config.timezone;
    match format {
        ExportFormat::Csv => print!("{}", to_csv(&rows, tz)?),
        ExportFormat::Json => println!("{}", serde_json::to_string_pretty(&to_json(&rows, tz))?),
    }
    Ok(())
}
