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
use crate::tr;

/// Notices the list shows.
const LISTED: i64 = 200;
/// People named as not acknowledged.
const NAMES: i64 = 200;

fn state_label(n: &NoticeRow, lang: Lang) -> String {
    match n.status {
        NoticeStatus::Draft => tr!(lang, "草稿", "draft"),
        NoticeStatus::Closed => tr!(lang, "已关闭", "closed"),
        NoticeStatus::Sent => tr!(lang, "已发送", "sent"),
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
                p.muted { (tr!(lang, "没有通知。", "No notices.")) }
            } @else {
                table {
                    thead { tr {
                        th { "#" } th { (tr!(lang, "标题", "Title")) }
                        th { (tr!(lang, "状态", "Status")) } th { (tr!(lang, "截止", "Due")) }
                        th { (tr!(lang, "已确认", "Acknowledged")) }
                    } }
                    tbody { @for l in rows { tr {
                        td.num { "#" (l.notice.id) }
                        td { a href=(link(&format!("/admin/notices/{}", l.notice.id), lang)) { (title(&l.notice, lang)) } }
                        td { (state_label(&l.notice, lang))
                             @if let Some(at) = l.notice.sent_at { br; span.muted { (when(tz, at)) } } }
                        td.num { (l.notice.deadline_date.as_deref().unwrap_or("—")) }
                        td { @if l.notice.status != NoticeStatus::Draft { (bar(l.acked, l.total)) } }
                    } } }
                }
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
            let t = tr!(lang, "通知", "Notices");
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
            let t = tr!(
                lang,
                "通知 #{}：{}",
                "Notice #{}: {}",
                s.notice.id,
                title(&s.notice, lang)
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
            @if let Some(at) = n.sent_at { " · " (tr!(lang, "首次发送 {}", "first sent {}", when(tz, at))) }
            " · " (match &n.deadline_date { Some(d) => tr!(lang, "截止 {d}", "due {d}"), None => tr!(lang, "未设截止日期", "no deadline") })
        }
        div.cards {
            div.card {
                div.label { (tr!(lang, "已确认", "Acknowledged")) }
                div.big { (s.percent()) "%" }
                (bar(all.acked, all.total))
            }
            div.card {
                div.label { (tr!(lang, "尚未确认", "Not acknowledged")) }
                div.big class=[(s.overdue > 0).then_some("bad")] { (all.waiting()) }
                div.sub { (tr!(lang, "待确认 {}，逾期 {}，已离职 {}", "{} pending, {} overdue, {} left",
                    s.pending, s.overdue, all.left_count)) }
            }
            div.card {
                div.label { (tr!(lang, "送达", "Delivery")) }
                div.big { (all.delivered) "/" (all.total) }
                div.sub class=[(all.undeliverable > 0).then_some("warn")] {
                    (tr!(lang, "无法送达 {}", "{} undeliverable", all.undeliverable)) }
            }
        }
        div.actions {
            a.btn href=(format!("/admin/notices/{}/acks.csv", n.id)) { (tr!(lang, "导出 CSV", "Export CSV")) }
            a.btn href=(format!("/admin/notices/{}/acks.json", n.id)) { (tr!(lang, "导出 JSON", "Export JSON")) }
        }
        (departments(s, lang))
        (checklist(s, lang))
        (waiting(s, lang))
        details {
            summary { (tr!(lang, "通知正文", "Notice text")) }
            pre.body { (n.body) }
        }
    }
}

fn departments(s: &Status, lang: Lang) -> Markup {
    let with_list = s.notice.checklist_total > 0;
    html! {
        h2 { (tr!(lang, "按部门", "By department")) }
        div.panel { table {
            thead { tr {
                th { (tr!(lang, "部门", "Department")) } th { (tr!(lang, "已确认", "Acknowledged")) }
                th { (tr!(lang, "已离职", "Left")) } th { (tr!(lang, "无法送达", "Undeliverable")) }
                @if with_list { th { (tr!(lang, "清单全部完成", "Checklist done")) } }
            } }
            tbody { @for d in &s.departments { tr {
                td { (department(&d.department, lang)) }
                td { (bar(d.acked, d.total)) }
                td.num { (d.left_count) }
                td.num { (d.undeliverable) }
                @if with_list { td.num { (d.checklist_complete) "/" (d.total) } }
            } } }
        } }
    }
}

fn checklist(s: &Status, lang: Lang) -> Markup {
    if s.checklist.is_empty() {
        return html! {};
    }
    html! {
        h2 { (tr!(lang, "清单完成情况", "Checklist")) }
        div.panel { table {
            thead { tr { th { "#" } th { (tr!(lang, "事项", "Item")) } th { (tr!(lang, "已完成", "Done")) } } }
            tbody {
                @for i in &s.checklist { tr {
                    td.num { (i.n) } td.item { (i.text) } td { (bar(i.done, s.all.total)) }
                } }
                tr { td.num {} td.item { strong { (tr!(lang, "全部完成", "All items")) } }
                     td { (bar(s.all.checklist_complete, s.all.total)) } }
            }
        } }
    }
}

fn waiting(s: &Status, lang: Lang) -> Markup {
    let (shown, count) = (s.waiting.len(), s.all.waiting());
    html! {
        h2 { (tr!(lang, "尚未确认的人", "Not acknowledged yet")) }
        div.panel {
            @if s.waiting.is_empty() {
                p.muted { (tr!(lang, "所有人都已确认。", "Everyone has acknowledged.")) }
            } @else {
                @if shown < usize::try_from(count).unwrap_or(usize::MAX) {
                    p.muted { (tr!(lang, "共 {count} 人，以下为前 {shown} 位；完整名单请导出。",
                        "{count} in all; the first {shown} are shown. Export for the full list.")) }
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
