//! Quiz reports: the banks, one bank's completion and pass rate per
//! department, its campaigns and the questions missed most (for the API,
//! the dashboard and `quiz stats` in chat), and every attempt of a bank for
//! export. Each takes a pooled read connection from the store.

pub mod export;

use crate::domain::quiz::pick::percent;
use crate::store::Store;
pub use crate::store::Unavailable;
use crate::store::quiz::banks;
use crate::store::quiz::campaigns;
use crate::store::quiz::stats;
/// The rows and errors these reports return.
pub use crate::store::quiz::{
    banks::BankVersion,
    campaigns::Campaign,
    stats::{DeptStats, ExportRow, Missed},
};

/// A campaign with `(members, passed)`.
#[derive(Clone, Debug)]
pub struct CampaignProgress {
    pub campaign: Campaign,
    pub members: i64,
    pub passed: i64,
}

/// One bank's figures.
#[derive(Clone, Debug)]
pub struct Stats {
    pub bank: BankVersion,
    pub departments: Vec<DeptStats>,
    /// Sum over the departments (department empty).
    pub total: DeptStats,
    /// Newest first.
    pub campaigns: Vec<CampaignProgress>,
    pub most_missed: Vec<Missed>,
}

impl Stats {
    /// Share of active staff who passed at least once, in whole percent.
    pub fn pass_percent(&self) -> i64 {
        percent(self.total.passed, self.total.members)
    }
}

/// Every bank's current version, by key.
pub async fn banks(store: &Store) -> anyhow::Result<Vec<BankVersion>> {
    banks::list(&mut *store.read().await?).await
}

/// Sums department figures.
pub fn total(depts: &[DeptStats]) -> DeptStats {
    depts.iter().fold(
        DeptStats {
            department: String::new(),
            members: 0,
            completed: 0,
            passed: 0,
        },
        |mut t, d| {
            t.members += d.members;
            t.completed += d.completed;
            t.passed += d.passed;
            t
        },
    )
}

/// The figures of bank `key` (at most `campaigns_shown` campaigns and
/// `missed_shown` questions); `None` when there is no such bank.
pub async fn stats(
    store: &Store,
    key: &str,
    campaigns_shown: usize,
    missed_shown: i64,
) -> anyhow::Result<Option<Stats>> {
    let conn = &mut *store.read().await?;
    let Some(bank) = banks::current(conn, &key.to_lowercase()).await? else {
        return Ok(None);
    };
    let departments = stats::by_department(conn, bank.bank_id).await?;
    let most_missed = stats::most_missed(conn, bank.bank_id, missed_shown).await?;
    let mut shown = Vec::new();
    for campaign in campaigns::of_bank(conn, bank.bank_id)
        .await?
        .into_iter()
        .take(campaigns_shown)
    {
        let (members, passed) = campaigns::counts(conn, campaign.id).await?;
        shown.push(CampaignProgress {
            campaign,
            members,
            passed,
        });
    }
    Ok(Some(Stats {
        total: total(&departments),
        bank,
        departments,
        campaigns: shown,
        most_missed,
    }))
}

/// Every attempt of bank `key`, oldest first; `None` when there is no such bank.
pub async fn attempts(store: &Store, key: &str) -> anyhow::Result<Option<Vec<ExportRow>>> {
    let conn = &mut *store.read().await?;
    let Some(bank) = banks::current(conn, &key.to_lowercase()).await? else {
        return Ok(None);
    };
    Ok(Some(stats::export(conn, bank.bank_id).await?))
}
