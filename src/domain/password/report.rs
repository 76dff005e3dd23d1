//! The password status report, as pure rules: every active holder's
//! standing counted per department and in total, who is overdue (longest
//! first) and who still owes a forced change. `password status`, the API
//! and the dashboard all show this one summary.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::{Holder, PendingReset, Policy, Standing, standing};

/// How many people are in each state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub due_soon: usize,
    pub overdue: usize,
    pub confirmed: usize,
    /// People with at least one forced change pending.
    pub forced: usize,
}

/// One overdue holder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Overdue {
    pub staff_id: String,
    pub name: String,
    pub department: Option<String>,
    pub due: NaiveDate,
    /// Days past the due date (0 on the due date itself).
    pub days: i64,
}

/// One holder who still owes forced changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forced {
    pub staff_id: String,
    pub name: String,
    pub department: Option<String>,
    /// The forced-change campaigns pending for them, ascending.
    pub reset_ids: Vec<i64>,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// A periodic policy (due dates exist); `false` for NIST.
    pub periodic: bool,
    pub total: Counts,
    /// Per department path (`None`: no department), by path, `None` last.
    pub by_department: Vec<(Option<String>, Counts)>,
    /// Longest overdue first, then by staff id.
    pub overdue: Vec<Overdue>,
    /// By staff id.
    pub forced: Vec<Forced>,
}

/// The forced-change campaigns pending per staff id.
fn pending_by_person(resets: &[PendingReset]) -> BTreeMap<&str, BTreeSet<i64>> {
    let mut pending: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
    for r in resets {
        pending
            .entry(r.staff_id.as_str())
            .or_default()
            .insert(r.reset_id);
    }
    pending
}

/// Summarises `holders` (active users) and the pending forced changes on `today`.
pub fn summarise(
    policy: &Policy,
    holders: &[Holder],
    resets: &[PendingReset],
    tz: Tz,
    today: NaiveDate,
) -> Report {
    let pending = pending_by_person(resets);
    let mut by_dept: BTreeMap<Option<&str>, Counts> = BTreeMap::new();
    let mut total = Counts::default();
    let (mut overdue, mut forced) = (Vec::new(), Vec::new());
    for h in holders {
        let st = standing(policy, &h.facts, tz, today);
        if let Standing::Overdue { due, days } = st {
            overdue.push(Overdue {
                staff_id: h.staff_id.clone(),
                name: h.name.clone(),
                department: h.department.clone(),
                due,
                days,
            });
        }
        let owes = pending.get(h.staff_id.as_str());
        if let Some(ids) = owes {
            forced.push(Forced {
                staff_id: h.staff_id.clone(),
                name: h.name.clone(),
                department: h.department.clone(),
                reset_ids: ids.iter().copied().collect(),
            });
        }
        for c in [
            by_dept.entry(h.department.as_deref()).or_default(),
            &mut total,
        ] {
            count(c, st, owes.is_some());
        }
    }
    overdue.sort_by(|a, b| b.days.cmp(&a.days).then(a.staff_id.cmp(&b.staff_id)));
    forced.sort_by(|a, b| a.staff_id.cmp(&b.staff_id));
    Report {
        periodic: matches!(policy, Policy::Periodic { .. }),
        total,
        by_department: departments(by_dept),
        overdue,
        forced,
    }
}

/// Per-department counts by path, people without a department last.
fn departments(by_dept: BTreeMap<Option<&str>, Counts>) -> Vec<(Option<String>, Counts)> {
    let mut v: Vec<(Option<String>, Counts)> = by_dept
        .into_iter()
        .map(|(d, c)| (d.map(str::to_owned), c))
        .collect();
    // BTreeMap puts `None` first.
    let none_first = v.first().is_some_and(|d| d.0.is_none());
    v.rotate_left(usize::from(none_first));
    v
}

fn count(c: &mut Counts, st: Standing, owes: bool) {
    c.total += 1;
    match st {
        Standing::Overdue { .. } => c.overdue += 1,
        Standing::DueSoon { .. } => c.due_soon += 1,
        Standing::Confirmed { .. } => c.confirmed += 1,
        Standing::Current { .. } => {}
    }
    c.forced += usize::from(owes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::password::Facts;
    use crate::i18n::Lang;
    use chrono::TimeZone as _;

    const TZ: Tz = chrono_tz::Asia::Shanghai;

    fn ms(y: i32, m: u32, d: u32) -> i64 {
        TZ.with_ymd_and_hms(y, m, d, 12, 0, 0)
            .unwrap()
            .timestamp_millis()
    }

    fn holder(id: &str, dept: Option<&str>, changed: i64) -> Holder {
        Holder {
            staff_id: id.into(),
            name: format!("N{id}"),
            lang: Lang::Zh,
            department: dept.map(str::to_owned),
            manager: None,
            facts: Facts {
                roster_changed_ms: Some(changed),
                confirmed_ms: None,
                first_seen_ms: changed,
                reminded: Default::default(),
            },
        }
    }

    fn reset(id: i64, staff: &str) -> PendingReset {
        PendingReset {
            reset_id: id,
            staff_id: staff.into(),
            reason: "leak".into(),
            notified_ms: 0,
            escalated: false,
        }
    }

    #[test]
    fn counts_per_department_and_orders_the_lists() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let holders = [
            holder("a", Some("研发"), ms(2026, 8, 1)),  // overdue
            holder("b", Some("研发"), ms(2026, 8, 20)), // overdue, fewer days
            holder("c", None, ms(2026, 9, 5)),          // due soon
            holder("d", Some("销售"), ms(2026, 11, 1)), // current
        ];
        let mut holders = holders;
        // Both overdue ones were reminded a week before their due dates.
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        holders[0]
            .facts
            .reminded
            .insert(day(10, 30), ms(2026, 10, 23));
        holders[1]
            .facts
            .reminded
            .insert(day(11, 18), ms(2026, 11, 11));
        let resets = [reset(10, "d"), reset(2, "d"), reset(2, "zz")];
        let r = summarise(&Policy::default(), &holders, &resets, TZ, today);
        assert!(r.periodic);
        assert_eq!(r.total.total, 4);
        assert_eq!(
            (r.total.overdue, r.total.due_soon, r.total.forced),
            (2, 1, 1)
        );
        let names: Vec<Option<&str>> = r.by_department.iter().map(|d| d.0.as_deref()).collect();
        assert_eq!(names, [Some("研发"), Some("销售"), None]);
        assert_eq!(r.by_department[0].1.overdue, 2);
        assert_eq!(r.overdue[0].staff_id, "a");
        assert!(r.overdue[0].days > r.overdue[1].days);
        // Pending resets of people no longer active are not counted.
        assert_eq!(r.forced.len(), 1);
        assert_eq!(r.forced[0].reset_ids, [2, 10]);
    }

    #[test]
    fn nist_has_no_due_dates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let holders = [holder("a", None, ms(2020, 1, 1))];
        let r = summarise(&Policy::Nist, &holders, &[], TZ, today);
        assert!(!r.periodic);
        assert_eq!(r.total.overdue, 0);
        assert!(r.overdue.is_empty());
    }
}
