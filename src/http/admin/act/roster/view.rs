//! The roster import's pages: the upload form, the rows a bad file was
//! refused for, the dry run (every group of the plan, the warnings, the
//! password reminders it brings, and the apply form) and what an applied
//! import changed. Names come from the file: maud escapes them.

use base64::Engine as _;
use maud::{Markup, html};

use super::{PATH, Principal};
use crate::actions::roster::{Imported, Planned};
use crate::domain::Role;
use crate::domain::roster::LineError;
use crate::domain::roster::plan::{Field, Person, TooManyLeavers, Warning};
use crate::http::admin::layout::link;
use crate::i18n::Lang;
use crate::t;

/// People listed per group (the counts are always whole).
const LISTED: usize = 200;

/// The upload form; `error` above it.
pub fn upload(who: &Principal, lang: Lang, error: Option<&str>) -> Markup {
    html! {
        @if let Some(e) = error { p.error role="alert" { (e) } }
        p { (t!(lang, "http-admin-act-roster-view-dry-run-comes-first-page-lists")) }
        p.muted { (t!(lang, "http-admin-act-roster-view-utf-8-csv-with-header-line")) }
        form.stack method="post" enctype="multipart/form-data" action=(link(PATH, lang)) {
            (who.csrf_input())
            label for="file" { (t!(lang, "http-admin-act-roster-view-roster-csv-file")) }
            input #file type="file" name="file" accept=".csv,text/csv";
            label for="csv" { (t!(lang, "http-admin-act-roster-view-or-paste-csv")) }
            textarea #csv name="csv" rows="6" {}
            div.actions {
                button.primary type="submit" name="do" value="plan" { (t!(lang, "http-admin-act-roster-view-dry-run-changes-nothing")) }
            }
        }
    }
}

/// A file refused for its bad rows: every problem, by line.
pub fn rejected(
    who: &Principal,
    lang: Lang,
    name: &str,
    errors: &[LineError],
    bad_rows: usize,
) -> Markup {
    html! {
        p.error role="alert" { (t!(lang, "http-admin-act-roster-view-has-bad-rows-nothing-was-imported", name, bad_rows)) }
        div.panel { ul { @for e in errors { li { (t!(lang, "http-admin-act-roster-view-line", line = e.line)) (e.reason) } } } }
        (upload(who, lang, None))
    }
}

/// What the dry run page needs besides the plan.
pub struct Shown<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub fingerprint: &'a str,
    /// The leaver guard's refusal, when applying needs the number confirmed.
    pub guard: Option<&'a TooManyLeavers>,
    /// Applying was just refused for want of that confirmation.
    pub refused: bool,
}

fn who(p: &Person, lang: Lang) -> Markup {
    let label = crate::domain::Person {
        staff_id: &p.staff_id,
        name: &p.name,
    }
    .label_as_typed(lang);
    html! { (label) }
}

fn field(f: Field, lang: Lang) -> String {
    match f {
        Field::Name => t!(lang, "http-admin-act-roster-view-name"),
        Field::Department => t!(lang, "http-admin-act-roster-view-department"),
        Field::Manager => t!(lang, "http-admin-act-roster-view-manager"),
        Field::PasswordDate => t!(lang, "http-admin-act-roster-view-password-date"),
    }
}

fn group(title: &str, id: &str, people: &[Person], lang: Lang) -> Markup {
    if people.is_empty() {
        return html! {};
    }
    html! {
        h2 id=(id) { (title) " (" (people.len()) ")" }
        div.panel { ul.people { @for p in people.iter().take(LISTED) { li { (who(p, lang)) } } }
            @if people.len() > LISTED { p.muted { (t!(lang, "http-admin-act-roster-view-only-first-are-listed", listed = LISTED)) } } }
    }
}

fn summary(planned: &Planned, lang: Lang) -> Markup {
    let p = &planned.plan;
    let (new, changed, leaving, back) = (
        p.new.len(),
        p.changed.len(),
        p.leaving.len(),
        p.rejoining.len(),
    );
    let (roles, same, active) = (p.roles.len(), p.unchanged, p.active_before);
    html! {
        p.big role="status" { (t!(lang, "http-admin-act-roster-view-new-changed-leaving-rejoining-role-changes", new, changed, leaving, back, roles, same, active)) }
    }
}

fn details(planned: &Planned, lang: Lang) -> Markup {
    let p = &planned.plan;
    let soon = planned.reminders_soon;
    html! {
        (group(&t!(lang, "http-admin-act-roster-view-new"), "new", &p.new, lang))
        @if !p.changed.is_empty() {
            h2 #changed { (t!(lang, "http-admin-act-roster-view-changed")) " (" (p.changed.len()) ")" }
            div.panel { ul.people { @for c in p.changed.iter().take(LISTED) {
                li { (who(&c.person, lang)) (&t!(lang, "commands-password-status-punctuation")) (c.fields.iter().map(|f| field(*f, lang)).collect::<Vec<_>>().join(&t!(lang, "list-separator"))) }
            } } }
        }
        (group(&t!(lang, "http-admin-act-roster-view-leaving"), "leaving", &p.leaving, lang))
        (group(&t!(lang, "http-admin-act-roster-view-rejoining"), "rejoining", &p.rejoining, lang))
        @if !p.roles.is_empty() {
            h2 #roles { (t!(lang, "http-admin-act-roster-view-role-changes")) " (" (p.roles.len()) ")" }
            div.panel { ul.people { @for r in p.roles.iter().take(LISTED) {
                li { (who(&r.person, lang)) (&t!(lang, "commands-password-status-punctuation")) (grant_or_revoke(r.grant, r.role, lang)) }
            } } }
        }
        @if !p.warnings.is_empty() {
            h2 { (t!(lang, "http-admin-act-roster-view-warnings")) }
            div.panel { ul { @for w in &p.warnings { li.warn { (warning(w, lang)) } } } }
        }
        p.muted { (t!(lang, "http-admin-act-roster-view-people-who-get-password-reminder-within", soon)) }
    }
}

fn grant_or_revoke(grant: bool, role: Role, lang: Lang) -> String {
    let role = role.label(lang);
    if grant {
        t!(lang, "http-admin-act-roster-view-grant", role)
    } else {
        t!(lang, "http-admin-act-roster-view-revoke", role)
    }
}

fn warning(w: &Warning, lang: Lang) -> String {
    match w {
        Warning::UnknownManager {
            line,
            staff_id,
            manager,
        } => {
            let at = line.map_or_else(String::new, |l| {
                t!(lang, "http-admin-act-roster-view-line-2", l)
            });
            at + &t!(
                lang,
                "http-admin-act-roster-view-manager-of-is-neither-in-this",
                staff_id,
                manager
            )
        }
    }
}

/// The dry run, with the apply form.
pub fn planned(who: &Principal, lang: Lang, planned: &Planned, s: &Shown<'_>) -> Markup {
    let data = base64::engine::general_purpose::STANDARD.encode(s.bytes);
    let name = s.name;
    html! {
        @if s.refused { p.error role="alert" { (t!(lang, "http-admin-act-roster-view-not-imported-tick-confirmation-box-below")) } }
        h2 { (t!(lang, "http-admin-act-roster-view-dry-run", name)) }
        p.muted { (t!(lang, "http-admin-act-roster-view-nothing-was-changed-yet-file-sha")) code { (s.fingerprint) } }
        (summary(planned, lang))
        (details(planned, lang))
        form.stack method="post" action=(link(PATH, lang)) {
            (who.csrf_input())
            input type="hidden" name="data" value=(data);
            input type="hidden" name="filename" value=(name);
            @if let Some(g) = s.guard {
                @let (n, active, max) = (g.leaving, g.active, g.max_percent);
                p.warn { (t!(lang, "http-admin-act-roster-view-of-active-users-would-be-marked", n, active, max)) }
                label { input type="checkbox" name="allow_leavers" value=(n) required;
                    " " (t!(lang, "http-admin-act-roster-view-i-have-checked-mark-these-people", n)) }
            }
            div.actions { button.primary type="submit" name="do" value="apply" { (t!(lang, "http-admin-act-roster-view-apply-import")) } }
        }
        p { a.btn href=(link(PATH, lang)) { (t!(lang, "http-admin-act-roster-view-choose-another-file")) } }
    }
}

/// What an applied import changed.
pub fn applied(lang: Lang, name: &str, done: &Imported) -> Markup {
    let s = &done.summary;
    let (users, added, updated, same) = (s.users, s.added, s.updated, s.unchanged);
    let (left, back) = (s.left.len(), s.rejoined.len());
    let (granted, revoked) = (s.roles_granted, s.roles_revoked);
    html! {
        div.panel.outcome role="status" {
            p.big { (t!(lang, "http-admin-act-roster-view-is-imported", name)) }
            p { (t!(lang, "http-admin-act-roster-view-users-new-updated-unchanged-left-rejoined", users, added, updated, same, left, back, granted, revoked)) }
            @if !done.planned.plan.warnings.is_empty() {
                ul { @for w in &done.planned.plan.warnings { li.warn { (warning(w, lang)) } } }
            }
        }
        p { a.btn href=(link("/admin/", lang)) { (t!(lang, "http-admin-layout-back-to-overview")) } }
    }
}
