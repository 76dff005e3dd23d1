//! `GET /admin/`: open notices with progress, each bank's pass rate,
//! passwords overdue, open incidents and outbox health.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::auth::ConsoleSession;
use super::layout::{self, Nav, Page, PageLang, bar, link};
use crate::domain::quiz::bank::DEFAULT_BANK;
use crate::domain::quiz::pick::percent;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::reports::outbox::{Health, Level};
use crate::reports::overview::{self, Overview};
use crate::state::AppState;
use crate::t;

/// `GET /admin/`.
pub async fn show(
    session: ConsoleSession,
    State(state): State<AppState>,
    PageLang(lang): PageLang,
) -> Response {
    match overview::load(&state.store, state.config.timezone, state.clock.now()).await {
        Ok(o) => {
            let title = t!(lang, "http-admin-layout-overview");
            let p = Page {
                lang,
                title: &title,
                nav: Nav::Overview,
                path: "/admin/",
                session: Some(&session),
            };
            layout::page(&p, &body(&o, lang, state.config.timezone)).into_response()
        }
        Err(e) => layout::error_page(lang, &AppError::internal(&e)),
    }
}

fn body(o: &Overview, lang: Lang, tz: chrono_tz::Tz) -> Markup {
    html! {
        (cards(o, lang))
        h2 { (t!(lang, "http-admin-overview-open-notices")) }
        (super::notices::table(&o.open_notices, lang, tz))
        h2 { (t!(lang, "http-admin-overview-security-quizzes")) }
        div.panel {
            @if o.banks.is_empty() {
                p.muted { (t!(lang, "http-admin-overview-no-quiz-banks-yet")) }
            } @else {
                div.scroll { table {
                    thead { tr {
                        th { (t!(lang, "http-admin-overview-bank")) }
                        th { (t!(lang, "http-admin-overview-completed")) }
                        th { (t!(lang, "http-admin-overview-passed")) }
                    } }
                    tbody { @for b in &o.banks { tr {
                        td { a href=(link(&format!("/admin/quiz?bank={}", b.bank.bank_key), lang)) {
                            (b.bank.title().get(lang)) } }
                        td { (bar(b.total.completed, b.total.members)) }
                        td { (bar(b.total.passed, b.total.members)) }
                    } } }
                } }
            }
        }
    }
}

fn cards(o: &Overview, lang: Lang) -> Markup {
    let open = o.open_notices.len();
    let waiting: i64 = o.open_notices.iter().map(|l| l.total - l.acked).sum();
    let pw = &o.passwords;
    html! {
        div.cards {
            div.card {
                div.label { (t!(lang, "http-admin-overview-open-notices")) }
                div.big { (open) }
                div.sub { (t!(lang, "http-admin-overview-acknowledgements-outstanding", waiting)) }
            }
            @if let Some(b) = o.banks.iter().find(|b| b.bank.bank_key == DEFAULT_BANK).or(o.banks.first()) {
                div.card {
                    div.label { (t!(lang, "http-admin-overview-quiz-pass-rate")) " · " (b.bank.title().get(lang)) }
                    div.big { (percent(b.total.passed, b.total.members)) "%" }
                    div.sub { (b.total.passed) "/" (b.total.members) }
                }
            }
            div.card {
                div.label { (t!(lang, "http-admin-overview-passwords-overdue")) }
                div.big class=[(pw.overdue > 0).then_some("bad")] { (pw.overdue) }
                div.sub {
                    @if o.periodic { (t!(lang, "http-admin-overview-due-soon", due_soon = pw.due_soon)) }
                    (t!(lang, "http-admin-overview-forced-changes-pending", forced = pw.forced))
                }
            }
            div.card {
                div.label { (t!(lang, "http-admin-overview-open-incidents")) }
                div.big class=[(o.open_incidents > 0).then_some("warn")] { (o.open_incidents) }
                div.sub { a href=(link("/admin/incidents", lang)) { (t!(lang, "http-admin-overview-view")) } }
            }
            (outbox_card(&o.outbox, lang))
        }
    }
}

fn outbox_card(h: &Health, lang: Lang) -> Markup {
    let (class, label) = match h.level() {
        Level::Healthy => ("ok", t!(lang, "http-admin-overview-healthy")),
        Level::Degraded => ("warn", t!(lang, "http-admin-overview-delayed-or-retrying")),
        Level::Failing => ("bad", t!(lang, "http-admin-overview-messages-failed")),
    };
    let (pending, failing, dead) = (h.pending, h.failing, h.dead);
    html! {
        div.card {
            div.label { (t!(lang, "commands-outbox-outbox")) }
            div.big { span.chip class=(class) { (label) } }
            div.sub {
                (t!(lang, "http-admin-overview-waiting-retrying-dead", pending, failing, dead))
                @if let Some(s) = h.oldest_wait_secs() {
                    br; (t!(lang, "http-admin-overview-oldest-due-for-s", s))
                }
            }
        }
    }
}
