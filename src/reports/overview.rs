//! The dashboard's front page: open notices with progress, each bank's pass
//! rate, password and incident counts, and outbox health. Aggregates only:
//! no names, so reading it is not audited.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{outbox, passwords, quiz};
use crate::domain::notice::NoticeStatus;
use crate::domain::password::report::Counts;
use crate::store::Store;
use crate::store::incidents::{self, IncidentStatus};
use crate::store::notices::{self as notice_store, Listed};
use crate::store::quiz::banks::BankVersion;
use crate::store::quiz::stats::{self as quiz_stats, DeptStats};

/// Open notices shown (the newest ones).
pub const OPEN_NOTICES_SHOWN: i64 = 50;

/// One bank's completion and pass figures over active staff.
#[derive(Clone, Debug)]
pub struct BankRate {
    pub bank: BankVersion,
    pub total: DeptStats,
}

/// The front page's figures.
#[derive(Clone, Debug)]
pub struct Overview {
    pub open_notices: Vec<Listed>,
    pub banks: Vec<BankRate>,
    pub passwords: Counts,
    /// The policy has due dates (not NIST).
    pub periodic: bool,
    pub open_incidents: i64,
    pub outbox: outbox::Health,
}

/// Gathers the overview at `now` (dates in `tz`).
pub async fn load(store: &Store, tz: Tz, now: DateTime<Utc>) -> anyhow::Result<Overview> {
    let now_ms = now.timestamp_millis();
    let bank_list = quiz::banks(store).await?;
    let mut conn = store.read().await?;
    let open_notices =
        notice_store::list_where(&mut conn, Some(NoticeStatus::Sent), OPEN_NOTICES_SHOWN).await?;
    let mut banks = Vec::new();
    for bank in bank_list {
        let depts = quiz_stats::by_department(&mut conn, bank.bank_id).await?;
        banks.push(BankRate {
            total: quiz::total(&depts),
            bank,
        });
    }
    let open_incidents = incidents::count_incidents(&mut conn, IncidentStatus::Open).await?;
    drop(conn);
    let pw = passwords::status(store, tz, now).await?;
    let outbox = outbox::health(store, now_ms, 0).await?;
    Ok(Overview {
        open_notices,
        banks,
        passwords: pw.report.total,
        periodic: pw.report.periodic,
        open_incidents,
        outbox,
    })
}
