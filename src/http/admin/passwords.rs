//! `GET /admin/passwords`: the policy, counts in total and per department,
//! who is overdue and who still owes a forced change.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::ACTOR;
use super::auth::Admin;
use super::layout::{self, Nav, Page, PageLang, department};
use crate::domain::Person;
use crate::domain::password::report::Counts;
use crate::http::api::passwords::load;
use crate::i18n::Lang;
use crate::reports::passwords::Status;
use crate::state::AppState;
use crate::tr;

/// `GET /admin/passwords`.
pub async fn show(_: Admin, State(state): State<AppState>, PageLang(lang): PageLang) -> Response {
    match load(&state, ACTOR).await {
        Ok(s) => {
            let t = tr!(lang, "密码状态", "Password status");
            let p = Page {
                lang,
                title: &t,
                nav: Nav::Passwords,
                path: "/admin/passwords",
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
        p.meta { (tr!(lang, "策略：{}", "Policy: {}", s.policy.describe(lang))) " · " (s.today) }
        div.panel { table {
            thead { tr {
                th { (tr!(lang, "部门", "Department")) } th { (tr!(lang, "人数", "Staff")) }
                @if periodic { th { (tr!(lang, "即将到期", "Due soon")) } th { (tr!(lang, "已逾期", "Overdue")) } }
                th { (tr!(lang, "已确认", "Confirmed")) } th { (tr!(lang, "强制改密待完成", "Forced change pending")) }
            } }
            tbody {
                @for (d, c) in &r.by_department { tr {
                    td { (department(d.as_deref().unwrap_or_default(), lang)) } (counts_cells(c, periodic))
                } }
                tr { td { strong { (tr!(lang, "合计", "Total")) } } (counts_cells(&r.total, periodic)) }
            }
        } }
        @if !r.overdue.is_empty() {
            h2 { (tr!(lang, "已逾期（{} 人）", "Overdue ({})", r.overdue.len())) }
            div.panel { table {
                thead { tr { th { (tr!(lang, "姓名", "Name")) } th { (tr!(lang, "部门", "Department")) }
                    th { (tr!(lang, "到期日", "Due")) } th { (tr!(lang, "逾期天数", "Days overdue")) } } }
                tbody { @for o in &r.overdue { tr {
                    td { (Person { staff_id: &o.staff_id, name: &o.name }.label_as_typed(lang)) }
                    td { (department(o.department.as_deref().unwrap_or_default(), lang)) }
                    td.num { (o.due) } td.num.bad { (o.days) }
                } } }
            } }
        }
        @if !r.forced.is_empty() {
            h2 { (tr!(lang, "强制改密待完成（{} 人）", "Forced change pending ({})", r.forced.len())) }
            div.panel { table {
                thead { tr { th { (tr!(lang, "姓名", "Name")) } th { (tr!(lang, "部门", "Department")) } th { (tr!(lang, "强制改密", "Forced changes")) } } }
                tbody { @for f in &r.forced { tr {
                    td { (Person { staff_id: &f.staff_id, name: &f.name }.label_as_typed(lang)) }
                    td { (department(f.department.as_deref().unwrap_or_default(), lang)) }
                    td.num { (f.reset_ids.iter().map(|i| format!("#{i}")).collect::<Vec<_>>().join(", ")) }
                } } }
            } }
        }
    }
}
