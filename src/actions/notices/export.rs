//! The acknowledgement evidence of a notice, one row per recipient, with
//! an audit entry saying who exported it, how, and how many rows (never
//! the rows themselves). Used by the CLI, the API and the dashboard.

use serde_json::json;

use super::audit;
use crate::actions::{ActionResult, Ctx, Refusal};
use crate::domain::notice::export::AckRow;
use crate::store::notices::stats;

/// How the evidence leaves (recorded in the audit entry).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }
}

/// The evidence rows of notice `id`, each recipient's status as of now,
/// audited as an export by the actor.
#[tracing::instrument(skip_all, fields(notice = id, format = format.as_str()))]
pub async fn export_acks(
    ctx: &Ctx<'_>,
    id: i64,
    format: ExportFormat,
) -> ActionResult<Vec<AckRow>> {
    // Read outside the transaction: a large export does not hold the writer.
    let rows = {
        let mut conn = ctx.store.read().await?;
        stats::export(&mut conn, id, ctx.now_ms()).await?
    };
    let rows = rows.ok_or(Refusal::NoSuchNotice { id })?;
    let mut tx = ctx.begin().await?;
    let details = json!({"format": format.as_str(), "rows": rows.len()});
    audit(&mut tx, "acks.export", id, details).await?;
    tx.commit().await?;
    Ok(rows)
}
