//! `GET /admin/notices` (every notice with progress), `GET
//! /admin/notices/{id}` (per department, checklist, who has not
//! acknowledged, links to the exports) and the exports for logged-in
//! browsers, `…/{id}/acks.csv|.json`.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono_tz::Tz;
use maud::{Markup, html};

use super::auth::ConsoleSession;
use super::layout::{self, Nav, Page, PageLang, bar, department, link, when};
use crate::actions::notices::ExportFormat;
use crate::domain::notice::{NoticeStatus, kind_label};
use crate::error::AppError;
use crate::http::api::notices::{acks_export, load_status};
use crate::http::api::respond::parse_id;
use crate::i18n::Lang;
use crate::reports::notices::{self, Listed, NoticeRow, Status};
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
            layout::page(&p, &table(&rows, lang, tz)).into_response()
        }
        Err(e) => layout::error_page(lang, &AppError::internal(&e)),
    }
}

/// `GET /admin/notices/{id}`.
pub async fn show(
    session: ConsoleSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    PageLang(lang): PageLang,
) -> Response {
    let status = match parse_id(&id, "notice") {
        Ok(id) => load_status(&state, id, NAMES, &session.staff_id).await,
        Err(e) => Err(e),
    };
    match status {
        Ok(s) => {
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
                session: Some(&session),
            };
            layout::page(&p, &body(&s, lang, state.config.timezone)).into_response()
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
        (departments(s, lang))
        (checklist(s, lang))
        (waiting(s, lang))
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
                td { (bar(d.acked, d.total)) }
                td.num { (d.left_count) }
                td.num { (d.undeliverable) }
                @if with_list { td.num { (d.checklist_complete) "/" (d.total) } }
            } } }
        } } }
    }
}

fn checklist(s: &Status, lang: Lang) -> Markup {
    if s.checklist.is_empty() {
        return html! {};
    }
    html! {
        h2 { (t!(lang, "http-admin-notices-checklist")) }
        div.panel { div.scroll { table {
            thead { tr { th { "#" } th { (t!(lang, "http-admin-notices-item")) } th { (t!(lang, "http-admin-notices-done")) } } }
            tbody {
                @for i in &s.checklist { tr {
                    td.num { (i.n) } td.item { (i.text) } td { (bar(i.done, s.all.total)) }
                } }
                tr { td.num {} td.item { strong { (t!(lang, "http-admin-notices-all-items")) } }
                     td { (bar(s.all.checklist_complete, s.all.total)) } }
            }
        } } }
    }
}

fn waiting(s: &Status, lang: Lang) -> Markup {
    let (shown, count) = (s.waiting.len(), s.all.waiting());
    html! {
        h2 { (t!(lang, "http-admin-notices-not-acknowledged-yet")) }
        div.panel {
            @if s.waiting.is_empty() {
                p.muted { (t!(lang, "http-admin-notices-everyone-has-acknowledged")) }
            } @else {
                @if shown < usize::try_from(count).unwrap_or(usize::MAX) {
                    p.muted { (t!(lang, "http-admin-notices-in-all-first-are-shown-export", count, shown)) }
                }
                ul.names { @for (staff_id, name) in &s.waiting { li { (crate::domain::Person { staff_id, name }.label_as_typed(lang)) } } }
            }
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
