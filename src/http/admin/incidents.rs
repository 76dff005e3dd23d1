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
use crate::t;

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
            let t = t!(lang, "http-admin-incidents-security-incidents");
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
        h2 { (t!(lang, "http-admin-incidents-open", value = open.1)) }
        @if open.0.is_empty() {
            div.panel { p.muted { (t!(lang, "http-admin-incidents-no-open-incidents")) } }
        }
        div.cards { @for i in &open.0 {
            div.card {
                div.label { "#" (i.id) " · " (reporter(i).label_as_typed(lang)) " · " (when(tz, i.created_at)) }
                p.text { (i.text) }
            }
        } }
        @if !closed.0.is_empty() {
            h2 { (t!(lang, "http-admin-incidents-recently-closed-in-all", value = closed.1)) }
            div.panel { div.scroll { table {
                thead { tr { th { "#" } th { (t!(lang, "http-admin-incidents-reported-by")) } th { (t!(lang, "http-admin-incidents-report")) }
                    th { (t!(lang, "http-admin-incidents-closed")) } } }
                tbody { @for i in &closed.0 { tr {
                    td.num { "#" (i.id) }
                    td { (reporter(i).label_as_typed(lang)) br; span.muted { (when(tz, i.created_at)) } }
                    td.item { p.text { (i.text) } @if let Some(n) = &i.close_note { p.text.muted { (n) } } }
                    td { @if let Some(at) = i.closed_at { (when(tz, at)) } @if let Some(by) = &i.closed_by { br; span.muted { (by) } } }
                } } }
            } } }
        }
    }
}
