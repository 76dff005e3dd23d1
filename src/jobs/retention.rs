//! The daily retention job: at the first tick of a local day on which
//! anything is due (a leaver, a text, a payload), runs the retention action
//! once for that day ([`crate::actions::retention`]).

use chrono::{DateTime, Utc};

use crate::actions::retention::{Outcome, Request, run};
use crate::actions::{Actor, Ctx};
use crate::domain::schedule::local_date;
use crate::state::AppState;
use crate::store::retention::{anything_due, ran_on};

/// Runs retention if it has not run today and something is due.
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<()> {
    let day = local_date(state.config.timezone, now);
    let cut = state.config.retention.periods.cutoffs(now);
    {
        let mut conn = state.store.pool().acquire().await?;
        if ran_on(&mut conn, &day.to_string()).await? || !anything_due(&mut conn, &cut).await? {
            return Ok(());
        }
    }
    let ctx = Ctx::new(&state.store, &state.config, now, Actor::System("scheduler"));
    let req = Request {
        dry_run: false,
        once_on: Some(day),
    };
    match run(&ctx, req).await.map_err(|e| anyhow::anyhow!("{e}"))? {
        Outcome::Applied(c) => tracing::info!(
            leavers = c.leavers,
            texts = c.texts_erased,
            payloads = c.payloads_dropped,
            dead_letters = c.dead_letters_dropped,
            audit_redacted = c.audit_redacted,
            "retention applied"
        ),
        Outcome::DryRun(_) | Outcome::AlreadyRan => {}
    }
    Ok(())
}
