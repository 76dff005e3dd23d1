//! How many people a roster run puts in line for a password reminder within
//! the next day (issue 18.5): the password holders as they would be after
//! the run, planned with [`password::plan_day`] for today and tomorrow.
//! Pure, so a dry run and the real run count alike.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::plan::RosterPlan;
use super::{RosterEntry, local_midnight_ms};
use crate::domain::password::{self, Action, Facts, Holder, Policy};
use crate::i18n::Lang;

/// The active password holders after applying `entries` (planned as
/// `plan`) over `holders` (today's active users): leavers gone, newcomers
/// and people back with what the roster says, roster dates moved forward.
/// `known_dates` has the stored roster dates of people not active now.
pub fn holders_after(
    holders: &[Holder],
    entries: &[RosterEntry],
    plan: &RosterPlan,
    known_dates: &HashMap<String, Option<i64>>,
    tz: Tz,
    now_ms: i64,
) -> Vec<Holder> {
    let leaving: HashSet<&str> = plan.leaving.iter().map(|p| p.staff_id.as_str()).collect();
    let mut out: HashMap<String, Holder> = holders
        .iter()
        .filter(|h| !leaving.contains(h.staff_id.as_str()))
        .map(|h| (h.staff_id.clone(), h.clone()))
        .collect();
    for e in entries.iter().filter(|e| e.active) {
        let date = e.password_changed_at.map(|d| local_midnight_ms(tz, d));
        let h = out.entry(e.staff_id.clone()).or_insert_with(|| Holder {
            staff_id: e.staff_id.clone(),
            name: e.name.clone().unwrap_or_default(),
            lang: Lang::Zh,
            department: None,
            manager: None,
            facts: Facts {
                roster_changed_ms: known_dates.get(&e.staff_id).copied().flatten(),
                first_seen_ms: now_ms,
                ..Facts::default()
            },
        });
        h.facts.roster_changed_ms = h.facts.roster_changed_ms.max(date);
    }
    let mut v: Vec<Holder> = out.into_values().collect();
    v.sort_by(|a, b| a.staff_id.cmp(&b.staff_id));
    v
}

/// How many of `holders` get a password reminder on `today` (one not yet
/// in `sent`) or on the day after.
pub fn reminded_within_a_day(
    policy: &Policy,
    holders: &[Holder],
    sent: &HashSet<String>,
    tz: Tz,
    today: NaiveDate,
) -> usize {
    let tomorrow = today.succ_opt().unwrap_or(today);
    let mut people: HashSet<String> = HashSet::new();
    for day in [today, tomorrow] {
        for action in password::plan_day(policy, holders, &[], tz, day, None) {
            if let Action::Remind { staff_id, .. } = &action {
                if !sent.contains(&action.key(day)) {
                    people.insert(staff_id.clone());
                }
            }
        }
    }
    people.len()
}
