//! Security incidents for the API and the dashboard: one status, newest
//! first, with how many have it in all. Reading them is audited by the
//! caller (they carry what people wrote).

use crate::store::Store;
use crate::store::incidents::{self, IncidentRow, IncidentStatus};

/// Incidents with `status`, newest first (at most `limit`), and how many
/// have it in all.
pub async fn page(
    store: &Store,
    status: IncidentStatus,
    limit: i64,
) -> anyhow::Result<(Vec<IncidentRow>, i64)> {
    let mut conn = store.read().await?;
    let rows = incidents::incidents(&mut conn, status, limit).await?;
    let count = incidents::count_incidents(&mut conn, status).await?;
    Ok((rows, count))
}
