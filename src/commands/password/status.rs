//! `password status` (admins and HR): per department, how many are due soon,
//! overdue, confirmed and still owe a forced change, then the first overdue
//! and forced-change names (the figures come from the password report).

use crate::commands::{Ctx, HandlerResult};
use crate::domain::inert::inert;
use crate::domain::password::Policy;
use crate::domain::password::report::{Counts, Forced, Overdue};
use crate::domain::{Person, Reply};
use crate::i18n::Lang;
use crate::reports::passwords as report;
use crate::t;

/// How many names each list shows.
const NAMES_SHOWN: usize = 10;

fn line(c: &Counts, lang: Lang, periodic: bool) -> String {
    let Counts {
        total,
        due_soon,
        overdue,
        confirmed,
        forced,
    } = c;
    if periodic {
        t!(
            lang,
            "commands-password-status-staff-due-soon-overdue-confirmed-forced",
            total,
            due_soon,
            overdue,
            confirmed,
            forced
        )
    } else {
        t!(
            lang,
            "commands-password-status-staff-confirmed-forced-change-pending",
            total,
            confirmed,
            forced
        )
    }
}

/// `password status`.
pub async fn status(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let status = report::status(&ctx.state.store, ctx.state.config.timezone, ctx.now).await?;
    let (policy, report) = (&status.policy, &status.report);
    let periodic = report.periodic;
    let mut text = header(lang, policy, &report.total, periodic);
    let no_dept = t!(lang, "commands-notice-status-no-department");
    let mut depts: Vec<(&str, &Counts, bool)> = report
        .by_department
        .iter()
        .map(|(d, c)| (d.as_deref().unwrap_or(&no_dept), c, d.is_some()))
        .collect();
    depts.sort_by(|a, b| a.0.cmp(b.0));
    for (dept, c, named) in depts {
        let sep = t!(lang, "commands-password-status-punctuation");
        // Department names come from rosters: shown inert.
        let dept = if named { inert(dept) } else { dept.to_owned() };
        text.push_str(&format!("- {dept}{sep}{}\n", line(c, lang, periodic)));
    }
    text.push_str(&overdue_names(lang, &report.overdue));
    text.push_str(&forced_names(lang, &report.forced));
    Ok(Reply::markdown(
        t!(lang, "commands-password-status-password-status"),
        text,
    ))
}

fn header(lang: Lang, policy: &Policy, all: &Counts, periodic: bool) -> String {
    let desc = policy.describe(lang);
    let totals = line(all, lang, periodic);
    t!(
        lang,
        "commands-password-status-password-status-policy-in-total-by",
        desc,
        totals
    )
}

fn overdue_names(lang: Lang, overdue: &[Overdue]) -> String {
    if overdue.is_empty() {
        return String::new();
    }
    let (shown, n) = (overdue.len().min(NAMES_SHOWN), overdue.len());
    let mut s = t!(lang, "commands-password-status-overdue-first-of", shown, n);
    for o in overdue.iter().take(NAMES_SHOWN) {
        let o_who = Person {
            staff_id: &o.staff_id,
            name: &o.name,
        };
        let who = person(lang, o_who, o.department.as_deref());
        let (due, days) = (o.due, o.days);
        s.push_str(&t!(
            lang,
            "commands-password-status-due-overdue",
            who,
            due,
            days
        ));
    }
    s
}

fn forced_names(lang: Lang, forced: &[Forced]) -> String {
    if forced.is_empty() {
        return String::new();
    }
    let (shown, n) = (forced.len().min(NAMES_SHOWN), forced.len());
    let mut s = t!(
        lang,
        "commands-password-status-forced-change-pending-first-of",
        shown,
        n
    );
    for f in forced.iter().take(NAMES_SHOWN) {
        let f_who = Person {
            staff_id: &f.staff_id,
            name: &f.name,
        };
        let who = person(lang, f_who, f.department.as_deref());
        let ids: Vec<String> = f.reset_ids.iter().map(|i| format!("#{i}")).collect();
        let ids = ids.join(", ");
        let sep = t!(lang, "commands-password-status-punctuation");
        s.push_str(&format!("- {who}{sep}{ids}\n"));
    }
    s
}

/// `张三（u1，研发部）`: the name and staff id always, the department when
/// known; all three made inert (they come from profiles and rosters).
fn person(lang: Lang, who: Person<'_>, dept: Option<&str>) -> String {
    let (name, id) = (inert(who.name), inert(who.staff_id));
    match dept.map(inert) {
        Some(dept) => t!(
            lang,
            "commands-password-status-name-id-dept",
            name,
            id,
            dept
        ),
        None => t!(lang, "commands-password-status-name-id", name, id),
    }
}
