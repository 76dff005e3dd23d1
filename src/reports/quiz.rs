//! Quiz reports: the banks, and one bank's completion and pass rate per
//! department, its campaigns and the questions missed most.

use sqlx::AnyConnection;

use crate::domain::quiz::pick::percent;
use crate::store::quiz::banks::{self, BankVersion};
use crate::store::quiz::campaigns::{self, Campaign};
use crate::store::quiz::stats::{self, DeptStats, Missed};

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
pub async fn banks(conn: &mut AnyConnection) -> anyhow::Result<Vec<BankVersion>> {
    banks::list(conn).await
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
    conn: &mut AnyConnection,
    key: &str,
    campaigns_shown: usize,
    missed_shown: i64,
) -> anyhow::Result<Option<Stats>> {
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
