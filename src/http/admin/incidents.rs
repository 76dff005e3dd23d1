//! `GET /admin/incidents`: open security incidents with what was reported,
//! and the recently closed ones.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use chrono_tz::Tz;
use maud::{Markup, html};

use super::auth::ConsoleSession;
use super::layout::{self, Nav, Page, PageLang, when};
use crate::domain::Person;
use crate::http::api::incidents::load;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::store::incidents::{IncidentRow, IncidentStatus};
use crate::tr;

/// Open incidents shown.
const OPEN_SHOWN: i64 = 100;
/// Recently closed incidents shown.
const CLOSED_SHOWN: i64 = 20;

/// `GET /admin/incidents`.
pub async fn show(
    session: ConsoleSession,
    State(state): State<AppState>,
    PageLang(lang): PageLang,
) -> Response {
    let open = load(&state, IncidentStatus::Open, OPEN_SHOWN, &session.staff_id).await;
    let closed = match open {
        Ok(_) => {
            load(
                &state,
                IncidentStatus::Closed,
                CLOSED_SHOWN,
                &session.staff_id,
            )
            .await
        }
        Err(_) => Ok((Vec::new(), 0)),
    };
    match (open, closed) {
        (Ok(open), Ok(closed)) => {
            let t = tr!(lang, "安全事件", "Security incidents");
            let p = Page {
                lang,
                title: &t,
                nav: Nav::Incidents,
                path: "/admin/incidents",
                session: Some(&session),
            };
            let tz = state.config.timezone;
            layout::page(&p, &body(&open, &closed, lang, tz)).into_response()
        }
        (Err(e), _) | (_, Err(e)) => layout::error_page(lang, &e),
    }
}

/// Who reported `i`.
fn reporter(i: &IncidentRow) -> Person<'_> {
    Person {
        staff_id: &i.reporter,
        name: &i.reporter_name,
    }
}

fn body(
    open: &(Vec<IncidentRow>, i64),
    closed: &(Vec<IncidentRow>, i64),
    lang: Lang,
    tz: Tz,
) -> Markup {
    html! {
        h2 { (tr!(lang, "未处理（{} 件）", "Open ({})", open.1)) }
        @if open.0.is_empty() {
            div.panel { p.muted { (tr!(lang, "没有未处理的安全事件。", "No open incidents.")) } }
        }
        div.cards { @for i in &open.0 {
            div.card {
                div.label { "#" (i.id) " · " (reporter(i).label_as_typed(lang)) " · " (when(tz, i.created_at)) }
                p.text { (i.text) }
            }
        } }
        @if !closed.0.is_empty() {
            h2 { (tr!(lang, "最近关闭（共 {} 件）", "Recently closed ({} in all)", closed.1)) }
            div.panel { table {
                thead { tr { th { "#" } th { (tr!(lang, "上报人", "Reported by")) } th { (tr!(lang, "内容", "Report")) }
                    th { (tr!(lang, "关闭", "Closed")) } } }
                tbody { @for i in &closed.0 { tr {
                    td.num { "#" (i.id) }
                    td { (reporter(i).label_as_typed(lang)) br; span.muted { (when(tz, i.created_at)) } }
                    td.item { p.text { (i.text) } @if let Some(n) = &i.close_note { p.text.muted { (n) } } }
                    td { @if let Some(at) = i.closed_at { (when(tz, at)) } @if let Some(by) = &i.closed_by { br; span.muted { (by) } } }
                } } }
            } }
        }
    }
}
