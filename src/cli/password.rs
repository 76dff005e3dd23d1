//! `dingwarden password forecast --days N [--from DATE]`: a dry run of the
//! password reminder job, day by day in the configured time zone, listing
//! who would be reminded (and which managers told). Reads only; nothing is
//! sent or recorded.

use std::collections::HashMap;

use anyhow::Context as _;
use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::actions::passwords::Snapshot;
use crate::clock::{Clock as _, SystemClock};
use crate::config::Config;
use crate::domain::password::{self, Action, Holder};
use crate::domain::roster::local_midnight_ms;
use crate::domain::schedule::{local_date, quiet_end};
use crate::i18n::Lang;
use crate::store::Store;

/// Longest forecast, in days.
pub const MAX_DAYS: u32 = 366;

/// Prints the forecast for `days` local days from `from` (default: the next
/// day on which reminders can still go out).
pub async fn forecast(config: Config, days: u32, from: Option<NaiveDate>) -> anyhow::Result<()> {
    anyhow::ensure!(
        (1..=MAX_DAYS).contains(&days),
        "--days must be between 1 and {MAX_DAYS}"
    );
    let store = Store::connect(&config.database_url.0).await?;
    store
        .ready(std::time::Duration::from_secs(10))
        .await
        .context("the database is not ready (run `dingwarden migrate` first)")?;
    let now = SystemClock.now();
    let first = from.unwrap_or_else(|| first_sendable_day(&config, now));
    let snapshot = Snapshot::load(&store, first, now).await?;
    store.close().await;
    for line in render(&config, &snapshot, first, days) {
        println!("{line}");
    }
    Ok(())
}

/// Today, unless the quiet hours last until tomorrow.
fn first_sendable_day(config: &Config, now: DateTime<Utc>) -> NaiveDate {
    let tz = config.timezone;
    local_date(tz, quiet_end(config.quiet_hours, tz, now))
}

/// The forecast as lines: a header, one line per message, a total.
pub fn render(config: &Config, snapshot: &Snapshot, first: NaiveDate, days: u32) -> Vec<String> {
    let tz = config.timezone;
    let escalate = config.password_escalate_after_days;
    let last = first
        .checked_add_days(Days::new(u64::from(days - 1)))
        .unwrap_or(first);
    let mut lines = vec![
        "password forecast (dry run: nothing is sent or recorded)".to_owned(),
        format!("policy: {}", snapshot.policy.describe(Lang::En)),
        format!(
            "escalation: {}",
            escalate.map_or("off".to_owned(), |d| format!(
                "managers told after {d} days"
            ))
        ),
        format!("days: {first} .. {last} ({tz})"),
        String::new(),
    ];
    let people: HashMap<&str, &Holder> = snapshot
        .holders
        .iter()
        .map(|h| (h.staff_id.as_str(), h))
        .collect();
    let mut seen = snapshot.sent.clone();
    // Reminders listed count as sent, so later days count from them.
    let mut holders = snapshot.holders.clone();
    let mut total = 0;
    let mut day = first;
    while day <= last {
        let due = password::plan_day(
            &snapshot.policy,
            &holders,
            &snapshot.resets,
            tz,
            day,
            escalate,
        );
        for action in due {
            if seen.insert(action.key(day)) {
                lines.push(describe(day, &action, &people));
                total += 1;
                record_first(&mut holders, &action, local_midnight_ms(tz, day));
            }
        }
        let Some(next) = day.succ_opt() else { break };
        day = next;
    }
    lines.push(String::new());
    lines.push(format!("{total} message(s) in {days} day(s)"));
    lines
}

/// Notes a listed reminder as the holder's first about its due date.
fn record_first(holders: &mut [Holder], action: &Action, at_ms: i64) {
    if let Action::Remind { staff_id, due, .. } = action {
        if let Some(h) = holders.iter_mut().find(|h| h.staff_id == *staff_id) {
            h.facts.reminded.entry(*due).or_insert(at_ms);
        }
    }
}

fn describe(day: NaiveDate, action: &Action, people: &HashMap<&str, &Holder>) -> String {
    let name = |id: &str| people.get(id).map_or("", |h| h.name.as_str()).to_owned();
    let (kind, detail) = match action {
        Action::Remind { due, threshold, .. } if *threshold > 0 => {
            let left = password::days_left(*due, day);
            ("reminder", format!("due {due}, {left} day(s) left"))
        }
        Action::Remind {
            due,
            since,
            threshold,
            ..
        } if *threshold == 0 && since > due => ("first-late", format!("due {due}, first reminder")),
        Action::Remind { due, threshold, .. } if *threshold == 0 => {
            ("due-today", format!("due {due}"))
        }
        Action::Remind {
            due,
            since,
            threshold,
            ..
        } if since > due => (
            "overdue",
            format!(
                "due {due}, first reminded {since}, {} day(s) since",
                -threshold
            ),
        ),
        Action::Remind { due, threshold, .. } => (
            "overdue",
            format!("due {due}, {} day(s) overdue", -threshold),
        ),
        Action::Escalate {
            staff_id,
            due,
            days,
            ..
        } => (
            "escalation",
            format!("manager of {staff_id}: due {due}, {days} day(s) overdue"),
        ),
        Action::ResetRemind { reset_id, days, .. } => (
            "forced",
            format!("forced change #{reset_id}, pending {days} day(s)"),
        ),
        Action::ResetEscalate {
            reset_id,
            staff_id,
            days,
            ..
        } => (
            "forced-escalation",
            format!("manager of {staff_id}: forced change #{reset_id}, pending {days} day(s)"),
        ),
    };
    let to = action.recipient();
    format!("{day}  {kind:<17}  {to:<12}  {:<12}  {detail}", name(to))
}
