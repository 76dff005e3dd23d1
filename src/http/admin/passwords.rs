//! `GET /admin/passwords`: the policy, counts in total and per department,
//! who is overdue and who still owes a forced change.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::auth::ConsoleSession;
use super::layout::{self, Nav, Page, PageLang, department};
use crate::domain::Person;
use crate::domain::password::report::Counts;
use crate::http::api::passwords::load;
use crate::i18n::Lang;
use crate::reports::passwords::Status;
use crate::state::AppState;
use crate::t;

/// `GET /admin/passwords`.
pub async fn show(
    session: ConsoleSession,
    State(state): State<AppState>,
    PageLang(lang): PageLang,
) -> Response {
    match load(&state, &session.staff_id).await {
        Ok(s) => {
            let t = t!(lang, "commands-password-status-password-status");
            let p = Page {
                lang,
                title: &t,
                nav: Nav::Passwords,
                path: "/admin/passwords",
                session: Some(&session),
            };
            layout::page(&p, &body(&s, lang)).into_response()
        }
        Err(e) => layout::error_page(lang, &e),
    }
}

fn counts_cells(c: &Counts, periodic: bool) -> Markup {
    html! {
        td.num { (c.total) }
        @if periodic { td.num { (c.due_soon) } td.num class=[(c.overdue > 0).then_some("bad")] { (c.overdue) } }
        td.num { (c.confirmed) }
        td.num class=[(c.forced > 0).then_some("warn")] { (c.forced) }
    }
}

fn body(s: &Status, lang: Lang) -> Markup {
    let r = &s.report;
    let periodic = r.periodic;
    html! {
        p.meta { (t!(lang, "http-admin-passwords-policy", describe = s.policy.describe(lang))) " · " (s.today) }
        div.panel { div.scroll { table {
            thead { tr {
                th { (t!(lang, "http-admin-notices-department")) } th { (t!(lang, "http-admin-passwords-staff")) }
                @if periodic { th { (t!(lang, "http-admin-passwords-due-soon")) } th { (t!(lang, "http-admin-passwords-overdue")) } }
                th { (t!(lang, "http-admin-passwords-confirmed")) } th { (t!(lang, "http-admin-passwords-forced-change-pending")) }
            } }
            tbody {
                @for (d, c) in &r.by_department { tr {
                    td { (department(d.as_deref().unwrap_or_default(), lang)) } (counts_cells(c, periodic))
                } }
                tr { td { strong { (t!(lang, "http-admin-passwords-total")) } } (counts_cells(&r.total, periodic)) }
            }
        } } }
        @if !r.overdue.is_empty() {
            h2 { (t!(lang, "http-admin-passwords-overdue-2", overdue = r.overdue.len())) }
            div.panel { div.scroll { table {
                thead { tr { th { (t!(lang, "http-admin-passwords-name")) } th { (t!(lang, "http-admin-notices-department")) }
                    th { (t!(lang, "http-admin-passwords-due")) } th { (t!(lang, "http-admin-passwords-days-overdue")) } } }
                tbody { @for o in &r.overdue { tr {
                    td { (Person { staff_id: &o.staff_id, name: &o.name }.label_as_typed(lang)) }
                    td { (department(o.department.as_deref().unwrap_or_default(), lang)) }
                    td.num { (o.due) } td.num.bad { (o.days) }
                } } }
            } } }
        }
        @if !r.forced.is_empty() {
            h2 { (t!(lang, "http-admin-passwords-forced-change-pending-2", forced = r.forced.len())) }
            div.panel { div.scroll { table {
                thead { tr { th { (t!(lang, "http-admin-passwords-name")) } th { (t!(lang, "http-admin-notices-department")) } th { (t!(lang, "http-admin-passwords-forced-changes")) } } }
                tbody { @for f in &r.forced { tr {
                    td { (Person { staff_id: &f.staff_id, name: &f.name }.label_as_typed(lang)) }
                    td { (department(f.department.as_deref().unwrap_or_default(), lang)) }
                    td.num { (f.reset_ids.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ")) }
                } } }
            } } }
        }
    }
}
