//! Recording one send's outcome: its own transaction (the row finished if
//! the claim still holds, the feature that caused it told who was reached),
//! tried again a few times with a short backoff when the database fails,
//! so a send DingTalk has accepted is not repeated because one write
//! failed. It stops trying while the claim's lease still has time left:
//! after that the row is sent again by whoever claims it next.

use std::time::{Duration, Instant};

use super::Delivery;
use super::outcome::{Decision, Status};
use crate::store::delivery::{self as sql, ClaimedRow};

/// Waits before each further attempt at recording an outcome (at most
/// about two seconds in all, far inside any lease).
const RETRY_BACKOFF: [Duration; 4] = [
    Duration::from_millis(50),
    Duration::from_millis(200),
    Duration::from_millis(500),
    Duration::from_millis(1000),
];

/// A claim this process holds: the token its rows are leased to, and when
/// the lease ends by this process's monotonic clock (a bound on retries;
/// the database judges the lease itself).
#[derive(Clone, Debug)]
pub(super) struct Claim {
    pub token: String,
    pub until: Instant,
}

/// Records one row's outcome in its own transaction, trying again while
/// the database fails and the lease lasts; whether it was recorded.
pub(super) async fn record(
    state: &Delivery,
    claim: &Claim,
    row: &ClaimedRow,
    api: &str,
    d: &Decision,
    now_ms: i64,
) -> bool {
    let accepted = d.accepted.as_ref();
    let finish = sql::Finish {
        status: d.status.as_str(),
        attempts: d.attempts,
        next_attempt_at: d.next_attempt_at,
        last_error: d.error.as_deref(),
        remaining: d.remaining.as_deref(),
        process_query_key: accepted.and_then(|a| a.process_query_key.as_deref()),
        sent_at: (d.status == Status::Sent).then_some(now_ms),
    };
    let reached = accepted.map(|a| sql::Reached {
        record: sql::DeliveryRecord {
            outbox_id: row.id,
            api,
            process_query_key: a.process_query_key.as_deref(),
            delivered: &a.delivered,
            undeliverable: &a.undeliverable,
            flow_controlled: &a.flow_controlled,
            at_ms: now_ms,
        },
        reference: row.reference,
    });
    let mut backoff = RETRY_BACKOFF.iter();
    let mut retried = false;
    loop {
        match sql::record_tx(&state.store, row.id, &claim.token, &finish, reached).await {
            Ok(true) => return true,
            Ok(false) => {
                // After a failed try this may also mean that its commit went
                // through before the error (a connection lost on COMMIT).
                tracing::warn!(
                    outbox_id = row.id,
                    retried,
                    "lease lost before the outcome was recorded"
                );
                return false;
            }
            Err(e) => {
                let Some(wait) = backoff
                    .next()
                    .filter(|w| Instant::now() + **w < claim.until)
                else {
                    tracing::error!(outbox_id = row.id, error = ?e,
                        "recording a delivery failed; the row is sent again after its lease");
                    return false;
                };
                tracing::warn!(outbox_id = row.id, error = ?e,
                    "recording a delivery failed; trying again");
                state.metrics.delivery.record_retries.inc();
                retried = true;
                tokio::time::sleep(*wait).await;
            }
        }
    }
}
