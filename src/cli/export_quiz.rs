//! `dingwarden export quiz BANK [--format csv|json]`: every attempt of a
//! bank, for audit. CSV is UTF-8 with a BOM (so Excel shows Chinese); times
//! are RFC 3339 in the configured time zone.

use anyhow::Context as _;
use chrono_tz::Tz;
use serde_json::{Value, json};

use super::export::Format as ExportFormat;
use crate::clock::from_ms;
use crate::config::Config;
use crate::store::Store;
use crate::store::quiz::banks;
use crate::store::quiz::stats::{self, ExportRow};

/// The CSV columns, in order.
pub const COLUMNS: &[&str] = &[
    "attempt_id",
    "bank",
    "bank_version",
    "staff_id",
    "name",
    "department",
    "kind",
    "campaign_id",
    "status",
    "started_at",
    "finished_at",
    "score",
    "total",
    "pass_percent",
    "passed",
];

fn time(tz: Tz, ms: Option<i64>) -> String {
    ms.map(|ms| from_ms(ms).with_timezone(&tz).to_rfc3339())
        .unwrap_or_default()
}

fn opt(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn passed(r: &ExportRow) -> &'static str {
    match r.passed {
        Some(1) => "true",
        Some(_) => "false",
        None => "",
    }
}

/// The attempts as CSV with a BOM.
pub fn to_csv(rows: &[ExportRow], tz: Tz) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for r in rows {
        w.write_record([
            r.attempt_id.to_string(),
            r.bank.clone(),
            r.bank_version.to_string(),
            r.staff_id.clone(),
            r.name.clone(),
            r.department.clone(),
            r.kind.clone(),
            opt(r.campaign_id),
            r.status.clone(),
            time(tz, Some(r.started_at)),
            time(tz, r.finished_at),
            opt(r.score),
            r.total.to_string(),
            r.pass_percent.to_string(),
            passed(r).to_owned(),
        ])?;
    }
    let bytes = w.into_inner().context("finish CSV")?;
    Ok(format!("\u{feff}{}", String::from_utf8(bytes)?))
}

/// The attempts as a JSON array.
pub fn to_json(rows: &[ExportRow], tz: Tz) -> Value {
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "attempt_id": r.attempt_id, "bank": r.bank, "bank_version": r.bank_version,
                    "staff_id": r.staff_id, "name": r.name, "department": r.department,
                    "kind": r.kind, "campaign_id": r.campaign_id, "status": r.status,
                    "started_at": time(tz, Some(r.started_at)),
                    "finished_at": r.finished_at.map(|ms| time(tz, Some(ms))),
                    "score": r.score, "total": r.total, "pass_percent": r.pass_percent,
                    "passed": r.passed.map(|p| p == 1),
                })
            })
            .collect(),
    )
}

/// Prints every attempt of `bank` to stdout.
pub async fn run(config: Config, bank: String, format: ExportFormat) -> anyhow::Result<()> {
    let store = Store::open(&config.database_url.0).await?;
    let mut conn = store.pool().acquire().await?;
    let Some(version) = banks::current(&mut conn, &bank.to_lowercase()).await? else {
        anyhow::bail!("no quiz bank called '{bank}'");
    };
    let rows = stats::export(&mut conn, version.bank_id).await?;
    drop(conn);
    store.close().await;
    let tz = config.timezone;
    match format {
        ExportFormat::Csv => print!("{}", to_csv(&rows, tz)?),
        ExportFormat::Json => println!("{}", serde_json::to_string_pretty(&to_json(&rows, tz))?),
    }
    Ok(())
}
