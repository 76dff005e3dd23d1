//! The notices job, run on every scheduler tick: asks the notice actions
//! which rounds are due (reminders once per cadence until the deadline, the
//! escalation once the deadline has passed; nothing in quiet hours) and
//! runs each. Rounds are claimed in the actions' transactions, so repeated
//! ticks and a second replica never repeat one.

use chrono::{DateTime, Utc};

use crate::actions::notices::{self, Due};
use crate::actions::{Actor, Ctx};
use crate::state::AppState;

/// Who the scheduler's rounds are audited as.
const ACTOR: Actor<'static> = Actor::System("scheduler");

/// Runs the reminder and escalation rounds due at `now`.
#[tracing::instrument(name = "notices_tick", skip_all)]
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<()> {
    let ctx = Ctx::new(&state.store, &state.config, now, ACTOR);
    for due in notices::due(&ctx).await? {
        match due {
            Due::Remind { notice, round } => {
                notices::remind_round(&ctx, &notice, round).await?;
            }
            Due::Escalate { notice } => {
                notices::escalate(&ctx, &notice).await?;
            }
            Due::RemindersOver { notice } => {
                notices::reminders_done(&ctx, &notice).await?;
            }
        }
    }
    Ok(())
}
