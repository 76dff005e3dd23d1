//! The outbox, for admins: a dead letter put back in the queue, due now,
//! with fresh attempts (audited). The caller wakes the delivery worker.

use serde_json::json;

use super::{ActionResult, Ctx, Refusal};
use crate::store::delivery::{self, Retry};

/// Requeues dead letter `id`.
#[tracing::instrument(skip_all, fields(outbox_id = id))]
pub async fn retry(ctx: &Ctx<'_>, id: i64) -> ActionResult<()> {
    let mut tx = ctx.begin().await?;
    match delivery::retry_dead(tx.conn(), id, ctx.now_ms()).await? {
        Retry::Requeued => {}
        Retry::NotFound => return Err(Refusal::NoSuchDelivery { id }.into()),
        Retry::NotDead(status) => return Err(Refusal::NotDeadLetter { id, status }.into()),
        Retry::PayloadDropped => return Err(Refusal::PayloadDropped { id }.into()),
    }
    tx.audit("outbox.retry", &format!("outbox:{id}"), json!({"id": id}))
        .await?;
    tx.commit().await?;
    tracing::info!(outbox_id = id, "dead letter requeued");
    Ok(())
}
