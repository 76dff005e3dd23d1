//! The password status report at a given moment: the policy and the
//! summary of every active user's standing.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::domain::password::Policy;
use crate::domain::password::report::{self as password_report, Report};
use crate::domain::schedule::local_date;
use crate::store::Store;

/// The policy, the local date it was judged on, and the summary.
#[derive(Clone, Debug)]
pub struct Status {
    pub policy: Policy,
    pub today: NaiveDate,
    pub report: Report,
}

/// Where every active user stands at `now`.
pub async fn status(store: &Store, tz: Tz, now: DateTime<Utc>) -> anyhow::Result<Status> {
    let today = local_date(tz, now);
    let policy = store.password_policy().await?;
    let holders = store.password_holders().await?;
    let resets = store.pending_resets().await?;
    let report = password_report::summarise(&policy, &holders, &resets, tz, today);
    Ok(Status {
        policy,
        today,
        report,
    })
}
