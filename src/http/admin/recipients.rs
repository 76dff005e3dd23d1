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
use crate::tr;

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
        AckStatus::Acked => html! { span.ok { (tr!(lang, "已确认", "acknowledged")) } },
        AckStatus::Pending => html! { span.warn { (tr!(lang, "待确认", "pending")) } },
        AckStatus::Overdue => html! { span.bad { (tr!(lang, "逾期", "overdue")) } },
        AckStatus::Left => html! { span.muted { (tr!(lang, "已离职", "left")) } },
    }
}

fn filter_form(id: i64, f: &Filter, depts: &[&str], lang: Lang) -> Markup {
    let statuses = [
        ("waiting", tr!(lang, "未确认", "Not acknowledged")),
        ("pending", tr!(lang, "待确认", "Pending")),
        ("overdue", tr!(lang, "逾期", "Overdue")),
        ("acked", tr!(lang, "已确认", "Acknowledged")),
        ("left", tr!(lang, "已离职", "Left")),
        ("all", tr!(lang, "全部", "Everyone")),
    ];
    html! {
        form.filters method="get" action=(format!("/admin/notices/{id}")) role="search" {
            @if lang == Lang::En { input type="hidden" name="lang" value="en"; }
            div { label for="f-dept" { (tr!(lang, "部门", "Department")) } br;
                select #f-dept name="dept" {
                    option value="" { (tr!(lang, "全部部门", "All departments")) }
                    @for d in depts { option value=(d) selected[f.dept == *d] { (department(d, lang)) } }
                } }
            div { label for="f-status" { (tr!(lang, "状态", "Status")) } br;
                select #f-status name="status" {
                    @for (v, l) in &statuses { option value=(v) selected[f.status == *v || (f.status.is_empty() && *v == "waiting")] { (l) } }
                } }
            button.secondary type="submit" { (tr!(lang, "筛选", "Filter")) }
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
        h2 #people { (tr!(lang, "收件人", "Recipients")) }
        (filter_form(id, f, &depts, lang))
        div.panel {
            p.muted role="status" { (tr!(lang, "符合条件的有 {n} 人。", "{n} people match.")) }
            @if n > SHOWN { p.muted { (tr!(lang, "只显示前 {SHOWN} 位；完整名单请导出。", "Only the first {SHOWN} are shown; export for the full list.")) } }
            @if !kept.is_empty() {
                table {
                    thead { tr {
                        th scope="col" { (tr!(lang, "姓名", "Name")) } th scope="col" { (tr!(lang, "部门", "Department")) }
                        th scope="col" { (tr!(lang, "状态", "Status")) } th scope="col" { (tr!(lang, "清单", "Checklist")) }
                        th scope="col" { (tr!(lang, "已提醒", "Reminded")) }
                    } }
                    tbody { @for r in kept.iter().take(SHOWN) { tr {
                        td { a href=(link(&format!("/admin/people/{}", r.staff_id), lang)) {
                            (Person { staff_id: &r.staff_id, name: &r.name }.label_as_typed(lang)) } }
                        td { (department(&r.department, lang)) }
                        td { (status_label(r.status, lang)) @if let Some(at) = r.acked_at { br; span.muted { (when(tz, at)) } } }
                        td.num { (r.checklist_done) "/" (r.checklist_total) }
                        td.num { (r.reminders_sent) }
                    } } }
                }
            }
        }
    }
}
