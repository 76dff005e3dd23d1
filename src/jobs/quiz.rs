//! The quiz job, run every scheduler tick outside quiet hours: finds the
//! campaign rounds due (reminders, at most one per member per local day;
//! the deadline escalation) and the follow-up quizzes due, and has the quiz
//! actions carry out each.

use chrono::{DateTime, Utc};

use crate::actions::quiz::{self, DueRound};
use crate::actions::{Actor, Ctx};
use crate::domain::quiz::campaign::Round;
use crate::domain::schedule::is_quiet;
use crate::state::AppState;

/// Who the scheduler's audit entries name as actor.
const ACTOR: &str = "scheduler";

/// One pass: reminders, escalations and follow-ups due at `now`.
#[tracing::instrument(skip_all)]
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<()> {
    let config = &state.config;
    if is_quiet(config.quiet_hours, config.timezone, now) {
        return Ok(());
    }
    let ctx = Ctx::new(&state.store, config, now, Actor::System(ACTOR));
    for due in quiz::due_rounds(&ctx).await? {
        round(&ctx, &due).await?;
    }
    for f in quiz::due_followups(&ctx).await? {
        quiz::offer_followup(&ctx, &f).await?;
    }
    Ok(())
}

/// Carries out one campaign round.
async fn round(ctx: &Ctx<'_>, due: &DueRound) -> anyhow::Result<()> {
    let id = due.campaign.id;
    match due.round {
        Round::Remind => {
            let reminded = quiz::remind(ctx, &due.campaign).await?;
            if reminded > 0 {
                tracing::info!(campaign = id, reminded, "quiz reminders queued");
            }
        }
        Round::Escalate => {
            if let Some(e) = quiz::escalate(ctx, &due.campaign).await? {
                let not_passed = e.not_passed;
                tracing::info!(campaign = id, not_passed, "quiz campaign escalated");
            }
        }
    }
    Ok(())
}
