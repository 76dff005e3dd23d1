//! A notice's recipients on its page, filtered by department and status
//! with plain GET parameters (`?dept=…&status=waiting|pending|overdue|left|acked|all`),
//! each linked to their person page. The table scrolls sideways on a phone.

use axum::http::Uri;
use maud::{Markup, html};

use super::layout::{department, link, when};
use crate::domain::Person;
use crate::domain::notice::AckStatus;
use crate::domain::notice::export::AckRow;
use crate::i18n::Lang;
use crate::t;

/// People listed at most (the export has everyone).
const SHOWN: usize = 500;

/// The filter from the page's query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// A department path; empty for all.
    pub dept: String,
    /// `waiting` (default: not acknowledged, still here), `pending`,
    /// `overdue`, `left`, `acked` or `all`.
    pub status: String,
}

impl Filter {
    pub fn from_uri(uri: &Uri) -> Self {
        let mut f = Filter::default();
        for (k, v) in url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()) {
            match k.as_ref() {
                "dept" => f.dept = v.into_owned(),
                "status" => f.status = v.into_owned(),
                _ => {}
            }
        }
        f
    }

    fn keeps(&self, r: &AckRow) -> bool {
        let status = match self.status.as_str() {
            "all" => true,
            "pending" => r.status == AckStatus::Pending,
            "overdue" => r.status == AckStatus::Overdue,
            "left" => r.status == AckStatus::Left,
            "acked" => r.status == AckStatus::Acked,
            _ => matches!(r.status, AckStatus::Pending | AckStatus::Overdue),
        };
        status && (self.dept.is_empty() || r.department == self.dept)
    }
}

fn status_label(s: AckStatus, lang: Lang) -> Markup {
    match s {
        AckStatus::Acked => html! { span.ok { (t!(lang, "http-admin-recipients-acknowledged")) } },
        AckStatus::Pending => html! { span.warn { (t!(lang, "http-admin-recipients-pending")) } },
        AckStatus::Overdue => html! { span.bad { (t!(lang, "http-admin-recipients-overdue")) } },
        AckStatus::Left => html! { span.muted { (t!(lang, "http-admin-recipients-left")) } },
    }
}

fn filter_form(id: i64, f: &Filter, depts: &[&str], lang: Lang) -> Markup {
    let statuses = [
        (
            "waiting",
            t!(lang, "http-admin-recipients-not-acknowledged"),
        ),
        ("pending", t!(lang, "http-admin-recipients-pending-2")),
        ("overdue", t!(lang, "http-admin-recipients-overdue-2")),
        ("acked", t!(lang, "http-admin-notices-acknowledged")),
        ("left", t!(lang, "http-admin-notices-left")),
        ("all", t!(lang, "http-admin-recipients-everyone")),
    ];
    html! {
        form.filters method="get" action=(format!("/admin/notices/{id}")) role="search" {
            @if lang == Lang::En { input type="hidden" name="lang" value="en"; }
            div { label for="f-dept" { (t!(lang, "http-admin-notices-department")) } br;
                select #f-dept name="dept" {
                    option value="" { (t!(lang, "http-admin-recipients-all-departments")) }
                    @for d in depts { option value=(d) selected[f.dept == *d] { (department(d, lang)) } }
                } }
            div { label for="f-status" { (t!(lang, "http-admin-notices-status")) } br;
                select #f-status name="status" {
                    @for (v, l) in &statuses { option value=(v) selected[f.status == *v || (f.status.is_empty() && *v == "waiting")] { (l) } }
                } }
            button.secondary type="submit" { (t!(lang, "http-admin-recipients-filter")) }
        }
    }
}

/// The recipients section of notice `id`.
pub fn section(id: i64, rows: &[AckRow], f: &Filter, lang: Lang, tz: chrono_tz::Tz) -> Markup {
    let mut depts: Vec<&str> = rows.iter().map(|r| r.department.as_str()).collect();
    depts.sort_unstable();
    depts.dedup();
    let kept: Vec<&AckRow> = rows.iter().filter(|r| f.keeps(r)).collect();
    let n = kept.len();
    html! {
        h2 #people { (t!(lang, "http-admin-recipients-recipients")) }
        (filter_form(id, f, &depts, lang))
        div.panel {
            p.muted role="status" { (t!(lang, "http-admin-recipients-people-match", n)) }
            @if n > SHOWN { p.muted { (t!(lang, "http-admin-recipients-only-first-are-shown-export-for", shown = SHOWN)) } }
            @if !kept.is_empty() {
                div.scroll { table {
                    thead { tr {
                        th scope="col" { (t!(lang, "http-admin-passwords-name")) } th scope="col" { (t!(lang, "http-admin-notices-department")) }
                        th scope="col" { (t!(lang, "http-admin-notices-status")) } th scope="col" { (t!(lang, "http-admin-recipients-checklist")) }
                        th scope="col" { (t!(lang, "http-admin-recipients-reminded")) }
                    } }
                    tbody { @for r in kept.iter().take(SHOWN) { tr {
                        td { a href=(link(&format!("/admin/people/{}", r.staff_id), lang)) {
                            (Person { staff_id: &r.staff_id, name: &r.name }.label_as_typed(lang)) } }
                        td { (department(&r.department, lang)) }
                        td { (status_label(r.status, lang)) @if let Some(at) = r.acked_at { br; span.muted { (when(tz, at)) } } }
                        td.num { (r.checklist_done) "/" (r.checklist_total) }
                        td.num { (r.reminders_sent) }
                    } } }
                } }
            }
        }
    }
}
