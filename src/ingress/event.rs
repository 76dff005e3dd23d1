//! Admission of an organisation event (staff leaving or joining), whatever
//! carried it (an encrypted HTTP push, a Stream EVENT frame): its dedupe
//! claim and the roster change commit in one transaction, so a transport
//! answers success (the encrypted `success`, a `SUCCESS` ack) only once the
//! change is durable, and a failure leaves no claim for the retry to trip on.

use crate::domain::org_event::OrgEvent;
use crate::state::AppState;
use crate::store::org_events::EventOutcome;

/// Claims and applies `event`; counts and logs the outcome.
pub async fn admit_event(
    state: &AppState,
    event: &OrgEvent,
    now_ms: i64,
) -> anyhow::Result<EventOutcome> {
    let result = state.store.apply_org_event(event, now_ms).await;
    let outcome = match &result {
        Ok(EventOutcome::Applied) => "applied",
        Ok(EventOutcome::Duplicate) => "duplicate",
        Ok(EventOutcome::Ignored) => "ignored",
        Err(_) => "failed",
    };
    state.metrics.event(outcome);
    tracing::info!(
        event_type = %event.event_type,
        users = event.user_ids.len(),
        outcome,
        "organisation event"
    );
    result
}
