//! `GET /admin/notices` (every notice with progress), `GET
//! /admin/notices/{id}` (progress, per-department bars, checklist, the
//! recipients filtered by department and status, links to the exports,
//! and the actions the viewer may take) and the exports for logged-in
//! browsers, `…/{id}/acks.csv|.json`.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono_tz::Tz;
use maud::{Markup, html};

use axum::http::Uri;

use super::act::{self, Principal};
use super::auth::ConsoleSession;
use super::charts;
use super::layout::{self, Nav, Page, PageLang, bar, department, link, when};
use super::recipients::{self, Filter};
use crate::actions::notices::ExportFormat;
use crate::domain::Person;
use crate::domain::notice::export::AckRow;
use crate::domain::notice::{NoticeStatus, kind_label};
use crate::error::AppError;
use crate::http::api::notices::{acks_export, load_status};
use crate::http::api::respond::failed;
use crate::http::api::respond::parse_id;
use crate::i18n::Lang;
use crate::reports::notices::{self, Listed, NoticeRow, Status};
use crate::reports::people;
use crate::state::AppState;
use crate::t;

/// Notices the list shows.
const LISTED: i64 = 200;
/// People named as not acknowledged.
const NAMES: i64 = 200;

fn state_label(n: &NoticeRow, lang: Lang) -> String {
    match n.status {
        NoticeStatus::Draft => t!(lang, "commands-notice-status-draft"),
        NoticeStatus::Closed => t!(lang, "commands-notice-status-closed"),
        NoticeStatus::Sent => t!(lang, "actions-refusal-incidents-sent"),
    }
}

fn title(n: &NoticeRow, lang: Lang) -> String {
    match kind_label(n.kind, lang) {
        Some(k) => format!("[{k}] {}", n.title),
        None => n.title.clone(),
    }
}

/// A table of notices with their progress.
pub fn table(rows: &[Listed], lang: Lang, tz: Tz) -> Markup {
    html! {
        div.panel {
            @if rows.is_empty() {
                p.muted { (t!(lang, "http-admin-notices-no-notices")) }
            } @else {
                div.scroll { table {
                    thead { tr {
                        th { "#" } th { (t!(lang, "http-admin-notices-title")) }
                        th { (t!(lang, "http-admin-notices-status")) } th { (t!(lang, "http-admin-notices-due")) }
                        th { (t!(lang, "http-admin-notices-acknowledged")) }
                    } }
                    tbody { @for l in rows { tr {
                        td.num { "#" (l.notice.id) }
                        td { a href=(link(&format!("/admin/notices/{}", l.notice.id), lang)) { (title(&l.notice, lang)) } }
                        td { (state_label(&l.notice, lang))
                             @if let Some(at) = l.notice.sent_at { br; span.muted { (when(tz, at)) } } }
                        td.num { (l.notice.deadline_date.as_deref().unwrap_or("—")) }
                        td { @if l.notice.status != NoticeStatus::Draft { (bar(l.acked, l.total)) } }
                    } } }
                } }
            }
        }
    }
}

/// `GET /admin/notices`.
pub async fn list(
    session: ConsoleSession,
    State(state): State<AppState>,
    PageLang(lang): PageLang,
) -> Response {
    match notices::list(&state.store, None, LISTED).await {
        Ok(rows) => {
            let t = t!(lang, "http-admin-layout-notices");
            let p = Page {
                lang,
                title: &t,
                nav: Nav::Notices,
                path: "/admin/notices",
                session: Some(&session),
            };
            let tz = state.config.timezone;
            let body = html! {
                div.actions { a.btn href=(link("/admin/notices/new", lang)) { (t!(lang, "http-admin-notices-new-notice")) } }
                (table(&rows, lang, tz))
            };
            layout::page(&p, &body).into_response()
        }
        Err(e) => layout::error_page(lang, &AppError::internal(&e)),
    }
}

/// Everything the notice page shows besides the status.
struct Extra {
    recipients: Vec<AckRow>,
    departments: Vec<String>,
}

async fn extra(state: &AppState, id: i64) -> Result<Extra, AppError> {
    let now_ms = state.clock.now().timestamp_millis();
    let recipients = people::recipients(&state.store, id, now_ms)
        .await
        .map_err(failed)?;
    let departments = people::departments(&state.store).await.map_err(failed)?;
    Ok(Extra {
        recipients: recipients.unwrap_or_default(),
        departments,
    })
}

/// `GET /admin/notices/{id}[?dept=…&status=…]`.
pub async fn show(
    who: Principal,
    State(state): State<AppState>,
    Path(id): Path<String>,
    PageLang(lang): PageLang,
    uri: Uri,
) -> Response {
    let loaded = match parse_id(&id, "notice") {
        Ok(id) => match load_status(&state, id, NAMES, who.audit_name()).await {
            Ok(s) => extra(&state, id).await.map(|x| (s, x)),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match loaded {
        Ok((s, x)) => {
            let t = t!(
                lang,
                "http-admin-notices-notice",
                id = s.notice.id,
                title = title(&s.notice, lang)
            );
            let path = format!("/admin/notices/{}", s.notice.id);
            let p = Page {
                lang,
                title: &t,
                nav: Nav::Notices,
                path: &path,
                session: Some(who.session()),
            };
            let tz = state.config.timezone;
            let items: Vec<String> = s.checklist.iter().map(|i| i.text.clone()).collect();
            let filter = Filter::from_uri(&uri);
            let page = html! {
                (body(&s, lang, tz))
                @if s.notice.status != NoticeStatus::Draft { (recipients::section(s.notice.id, &x.recipients, &filter, lang, tz)) }
                (act::notices::controls(&who, &s.notice, &items, &x.departments, lang))
            };
            layout::page(&p, &page).into_response()
        }
        Err(e) => layout::error_page(lang, &e),
    }
}

fn body(s: &Status, lang: Lang, tz: Tz) -> Markup {
    let n = &s.notice;
    let all = &s.all;
    html! {
        p.meta {
            (state_label(n, lang))
            @if let Some(at) = n.sent_at { " · " (t!(lang, "http-admin-notices-first-sent", when = when(tz, at))) }
            " · " (match &n.deadline_date { Some(d) => t!(lang, "http-admin-notices-due-2", d), None => t!(lang, "commands-notice-author-no-deadline") })
        }
        div.cards {
            div.card {
                div.label { (t!(lang, "http-admin-notices-acknowledged")) }
                div.big { (s.percent()) "%" }
                (bar(all.acked, all.total))
            }
            div.card {
                div.label { (t!(lang, "http-admin-notices-not-acknowledged")) }
                div.big class=[(s.overdue > 0).then_some("bad")] { (all.waiting()) }
                div.sub { (t!(lang, "http-admin-notices-pending-overdue-left", pending = s.pending, overdue = s.overdue, left_count = all.left_count)) }
            }
            div.card {
                div.label { (t!(lang, "http-admin-notices-delivery")) }
                div.big { (all.delivered) "/" (all.total) }
                div.sub class=[(all.undeliverable > 0).then_some("warn")] {
                    (t!(lang, "http-admin-notices-undeliverable", undeliverable = all.undeliverable)) }
            }
        }
        div.actions {
            a.btn href=(format!("/admin/notices/{}/acks.csv", n.id)) { (t!(lang, "http-admin-notices-export-csv")) }
            a.btn href=(format!("/admin/notices/{}/acks.json", n.id)) { (t!(lang, "http-admin-notices-export-json")) }
        }
        @if n.status != NoticeStatus::Draft { (departments(s, lang)) }
        (checklist(s, lang, tz))
        details {
            summary { (t!(lang, "http-admin-notices-notice-text")) }
            pre.body { (n.body) }
        }
    }
}

fn departments(s: &Status, lang: Lang) -> Markup {
    let with_list = s.notice.checklist_total > 0;
    html! {
        h2 { (t!(lang, "http-admin-notices-by-department")) }
        div.panel { div.scroll { table {
            thead { tr {
                th { (t!(lang, "http-admin-notices-department")) } th { (t!(lang, "http-admin-notices-acknowledged")) }
                th { (t!(lang, "http-admin-notices-left")) } th { (t!(lang, "http-admin-notices-undeliverable-2")) }
                @if with_list { th { (t!(lang, "http-admin-notices-checklist-done")) } }
            } }
            tbody { @for d in &s.departments { tr {
                td { (department(&d.department, lang)) }
                td { (charts::share(d.acked, d.total, &department(&d.department, lang))) }
                td.num { (d.left_count) }
                td.num { (d.undeliverable) }
                @if with_list { td.num { (d.checklist_complete) "/" (d.total) } }
            } } }
        } } }
    }
}

fn checklist(s: &Status, lang: Lang, tz: Tz) -> Markup {
    if s.checklist.is_empty() {
        return html! {};
    }
    let by_whom = s.notice.is_handover_checklist();
    html! {
        h2 { (t!(lang, "http-admin-notices-checklist")) }
        div.panel { div.scroll { table {
            thead { tr { th { "#" } th { (t!(lang, "http-admin-notices-item")) } th { (t!(lang, "http-admin-notices-done")) }
                @if by_whom { th { (t!(lang, "http-admin-notices-done-by")) } } } }
            tbody {
                @for i in &s.checklist { tr {
                    td.num { (i.n) } td.item { (i.text) } td { (bar(i.done, s.all.total)) }
                    @if by_whom { td { (ticked_by(s, i.n, lang, tz)) } }
                } }
                tr { td.num {} td.item { strong { (t!(lang, "http-admin-notices-all-items")) } }
                     td { (bar(s.all.checklist_complete, s.all.total)) } @if by_whom { td {} } }
            }
        } } }
    }
}

/// Who ticked item `n` of an offboarding checklist, and when; or that
/// nobody has yet.
fn ticked_by(s: &Status, n: i64, lang: Lang, tz: Tz) -> Markup {
    let ticks: Vec<_> = s.ticked_by.iter().filter(|t| t.n == n).collect();
    html! {
        @if ticks.is_empty() { span.muted { (t!(lang, "commands-notice-status-not-done-yet")) } }
        @for t in ticks {
            div { (Person { staff_id: &t.staff_id, name: &t.name }.label_as_typed(lang))
                  " " span.muted { (when(tz, t.at_ms)) } }
        }
    }
}

/// `GET /admin/notices/{id}/acks.csv`.
pub async fn acks_csv(
    session: ConsoleSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    acks_export(&state, &id, ExportFormat::Csv, session.actor()).await
}

/// `GET /admin/notices/{id}/acks.json`.
pub async fn acks_json(
    session: ConsoleSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    acks_export(&state, &id, ExportFormat::Json, session.actor()).await
}
