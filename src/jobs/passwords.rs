//! The password reminder job: outside quiet hours, finds what is due on the
//! local day (the password actions' [`Snapshot`]) and has
//! [`passwords::send_due`] claim and queue it.

use chrono::{DateTime, Utc};

use crate::actions::passwords::{self, Snapshot};
use crate::actions::{Actor, Ctx};
use crate::domain::schedule::{is_quiet, local_date};
use crate::state::AppState;

/// Who the scheduler's audit entries name as actor.
const ACTOR: &str = "scheduler";

/// One pass: sends what is due now. Does nothing in quiet hours.
#[tracing::instrument(skip_all)]
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<()> {
    let config = &state.config;
    if is_quiet(config.quiet_hours, config.timezone, now) {
        return Ok(());
    }
    let today = local_date(config.timezone, now);
    let snapshot = Snapshot::load(&state.store, today, now).await?;
    let due = snapshot.due_on(today, config.timezone, config.password_escalate_after_days);
    if due.is_empty() {
        return Ok(());
    }
    let ctx = Ctx::new(&state.store, config, now, Actor::System(ACTOR));
    let sent = passwords::send_due(&ctx, &snapshot, &due).await?;
    if sent > 0 {
        tracing::info!(sent, "password reminders queued");
    }
    Ok(())
}
