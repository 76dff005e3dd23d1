//! Read-only reports for the admin API and the dashboard: each gathers what
//! one endpoint or page shows, through the store's queries and the domain's
//! rules, and leaves the presentation (JSON, HTML) to `http`.

pub mod audit;
pub mod incidents;
pub mod notices;
pub mod outbox;
pub mod overview;
pub mod passwords;
pub mod people;
pub mod quiz;
pub mod roles;

use crate::store::Store;
use crate::store::audit::{AuditEntry, record};

/// Records that `actor` (`api`, `dashboard`) read personal data: `action`
/// on `subject`, with `details` (counts and formats, never the data).
pub async fn audit_read(
    store: &Store,
    actor: &str,
    action: &str,
    subject: &str,
    details: serde_json::Value,
    now_ms: i64,
) -> anyhow::Result<()> {
    let entry = AuditEntry {
        actor,
        action,
        subject,
        details,
    };
    record(store, &entry, now_ms).await?;
    Ok(())
}
