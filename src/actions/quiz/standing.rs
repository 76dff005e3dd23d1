//! Where a person stands with quizzes (the quiz part of `me`): the quiz in
//! progress, campaigns not passed, a follow-up waiting, recent results.

use crate::actions::Ctx;
use crate::store::quiz::attempts::{self, Attempt, ResultRow};
use crate::store::quiz::campaigns::{self, Campaign};
use crate::store::quiz::review;

/// A person's quizzes at the context's `now`.
#[derive(Clone, Debug)]
pub struct Standing {
    pub active: Option<Attempt>,
    /// Open campaigns they have not passed, earliest deadline first.
    pub campaigns: Vec<Campaign>,
    /// A follow-up quiz is ready to take.
    pub followup_ready: bool,
    /// Their latest completed attempts, newest first.
    pub recent: Vec<ResultRow>,
}

/// Where `staff_id` stands, with at most `recent` results.
pub async fn standing_of(ctx: &Ctx<'_>, staff_id: &str, recent: i64) -> anyhow::Result<Standing> {
    let mut conn = ctx.read().await?;
    Ok(Standing {
        active: attempts::active(&mut conn, staff_id).await?,
        campaigns: campaigns::pending_for(&mut conn, staff_id, None).await?,
        followup_ready: review::ready_followup(&mut conn, staff_id, ctx.now_ms())
            .await?
            .is_some(),
        recent: attempts::recent_results(&mut conn, staff_id, recent).await?,
    })
}
