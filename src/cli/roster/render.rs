//! A roster plan for the terminal: counts, the first ten names of each
//! group, the role changes, warnings, and the password reminders the run
//! brings. Names come from files and profiles, so control characters are
//! escaped.

use crate::actions::roster::Planned;
use crate::domain::printable::one_line;
use crate::domain::roster::plan::{NAMES_SHOWN, Person, RosterPlan, Warning};

/// The plan as lines: a count line, then one line per non-empty group.
pub fn plan(planned: &Planned) -> Vec<String> {
    let p = &planned.plan;
    let mut lines = vec![format!(
        "would change: {} new, {} changed, {} leaving, {} rejoining, {} role changes, {} unchanged \
         ({} active users now)",
        p.new.len(),
        p.changed.len(),
        p.leaving.len(),
        p.rejoining.len(),
        p.roles.len(),
        p.unchanged,
        p.active_before
    )];
    group(&mut lines, "new", &p.new);
    if !p.changed.is_empty() {
        let shown: Vec<String> = p
            .changed
            .iter()
            .take(NAMES_SHOWN)
            .map(|c| {
                let fields: Vec<&str> = c.fields.iter().map(|f| f.as_str()).collect();
                format!("{} ({})", who(&c.person), fields.join(", "))
            })
            .collect();
        lines.push(listed("changed", p.changed.len(), &shown));
    }
    group(&mut lines, "leaving", &p.leaving);
    group(&mut lines, "rejoining", &p.rejoining);
    if !p.roles.is_empty() {
        let shown: Vec<String> = p
            .roles
            .iter()
            .take(NAMES_SHOWN)
            .map(|r| {
                let verb = if r.grant { "grant" } else { "revoke" };
                format!("{verb} {} {}", r.role.as_str(), who(&r.person))
            })
            .collect();
        lines.push(listed("role changes", p.roles.len(), &shown));
    }
    lines.extend(warnings(p));
    lines.push(reminders(planned.reminders_soon));
    lines
}

/// One line per warning.
pub fn warnings(p: &RosterPlan) -> Vec<String> {
    p.warnings
        .iter()
        .map(|w| match w {
            Warning::UnknownManager {
                line,
                staff_id,
                manager,
            } => {
                let at = line.map_or_else(String::new, |l| format!("line {l}: "));
                format!(
                    "warning: {at}manager_staff_id '{}' of {} is neither in this roster nor an active user",
                    one_line(manager),
                    one_line(staff_id)
                )
            }
        })
        .collect()
}

/// The password reminders a run brings.
pub fn reminders(n: usize) -> String {
    format!(
        "password reminders within the next day: {n} {}",
        if n == 1 { "person" } else { "people" }
    )
}

fn group(lines: &mut Vec<String>, label: &str, people: &[Person]) {
    if people.is_empty() {
        return;
    }
    let shown: Vec<String> = people.iter().take(NAMES_SHOWN).map(who).collect();
    lines.push(listed(label, people.len(), &shown));
}

fn listed(label: &str, total: usize, shown: &[String]) -> String {
    let more = total.saturating_sub(shown.len());
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("{label} ({total}): {}{tail}", shown.join(", "))
}

fn who(p: &Person) -> String {
    if p.name.is_empty() {
        one_line(&p.staff_id)
    } else {
        format!("{} {}", one_line(&p.staff_id), one_line(&p.name))
    }
}
