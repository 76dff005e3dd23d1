//! `GET /admin/quiz[?bank=ID]`: a bank's completion and pass rate per
//! department, its campaigns and most missed questions; and the attempt
//! exports for logged-in browsers, `/admin/quiz/{bank}/attempts.csv|.json`.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::auth::ConsoleSession;
use super::layout::{self, Nav, Page, PageLang, bar, department, link};
use crate::domain::quiz::CampaignStatus;
use crate::domain::quiz::bank::DEFAULT_BANK;
use crate::error::AppError;
use crate::http::api::quiz::{attempts_export, failed, load_stats};
use crate::i18n::Lang;
use crate::reports::quiz::{self, BankVersion, Stats};
use crate::state::AppState;
use crate::t;

/// `GET /admin/quiz`.
pub async fn show(
    session: ConsoleSession,
    State(state): State<AppState>,
    uri: axum::http::Uri,
) -> Response {
    let lang = PageLang::from_uri(&uri).0;
    let key = url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "bank")
        .map(|(_, v)| v.to_lowercase())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_BANK.to_owned());
    let banks = quiz::banks(&state.store).await.map_err(failed);
    let loaded = match banks {
        Ok(banks) if banks.is_empty() => Ok((banks, None)),
        Ok(banks) => load_stats(&state, &key).await.map(|s| (banks, Some(s))),
        Err(e) => Err(e),
    };
    match loaded {
        Ok((banks, stats)) => {
            let t = t!(lang, "commands-quiz-admin-quiz-stats");
            let path = format!("/admin/quiz?bank={key}");
            let p = Page {
                lang,
                title: &t,
                nav: Nav::Quiz,
                path: &path,
                session: Some(&session),
            };
            layout::page(&p, &body(&banks, stats.as_ref(), lang)).into_response()
        }
        Err(e) => layout::error_page(lang, &e),
    }
}

fn body(banks: &[BankVersion], stats: Option<&Stats>, lang: Lang) -> Markup {
    let Some(s) = stats else {
        return html! { div.panel { p.muted { (t!(lang, "http-admin-overview-no-quiz-banks-yet")) } } };
    };
    let key = &s.bank.bank_key;
    html! {
        div.actions {
            @for b in banks {
                @if b.bank_key == *key { strong.btn { (b.title().get(lang)) } }
                @else { a.btn href=(link(&format!("/admin/quiz?bank={}", b.bank_key), lang)) { (b.title().get(lang)) } }
            }
        }
        p.meta { (t!(lang, "http-admin-quiz-version-pass-mark-questions-per-attempt", version = s.bank.version, pass_percent = s.bank.pass_percent, questions_per_attempt = s.bank.questions_per_attempt)) }
        div.cards {
            div.card {
                div.label { (t!(lang, "http-admin-quiz-completed-at-least-one-full-quiz")) }
                (bar(s.total.completed, s.total.members))
            }
            div.card {
                div.label { (t!(lang, "http-admin-overview-passed")) }
                div.big { (s.pass_percent()) "%" }
                (bar(s.total.passed, s.total.members))
            }
        }
        div.actions {
            a.btn href=(format!("/admin/quiz/{key}/attempts.csv")) { (t!(lang, "http-admin-quiz-export-attempts-csv")) }
            a.btn href=(format!("/admin/quiz/{key}/attempts.json")) { (t!(lang, "http-admin-notices-export-json")) }
        }
        h2 { (t!(lang, "http-admin-notices-by-department")) }
        div.panel { div.scroll { table {
            thead { tr { th { (t!(lang, "http-admin-notices-department")) } th { (t!(lang, "http-admin-overview-completed")) } th { (t!(lang, "http-admin-overview-passed")) } } }
            tbody { @for d in &s.departments { tr {
                td { (department(&d.department, lang)) }
                td { (bar(d.completed, d.members)) }
                td { (bar(d.passed, d.members)) }
            } } }
        } } }
        (campaigns(s, lang))
        (missed(s, lang))
    }
}

fn campaigns(s: &Stats, lang: Lang) -> Markup {
    if s.campaigns.is_empty() {
        return html! {};
    }
    html! {
        h2 { (t!(lang, "http-admin-quiz-campaigns")) }
        div.panel { div.scroll { table {
            thead { tr { th { "#" } th { (t!(lang, "http-admin-notices-due")) } th { (t!(lang, "http-admin-notices-status")) } th { (t!(lang, "http-admin-overview-passed")) } } }
            tbody { @for c in &s.campaigns { tr {
                td.num { "#" (c.campaign.id) }
                td.num { (c.campaign.deadline_date.as_deref().unwrap_or("—")) }
                td { @if c.campaign.status == CampaignStatus::Open { (t!(lang, "commands-quiz-report-open")) } @else { (t!(lang, "commands-quiz-report-past-deadline")) } }
                td { (bar(c.passed, c.members)) }
            } } }
        } } }
    }
}

fn missed(s: &Stats, lang: Lang) -> Markup {
    html! {
        h2 { (t!(lang, "http-admin-quiz-most-missed-questions")) }
        div.panel {
            @if s.most_missed.is_empty() {
                p.muted { (t!(lang, "http-admin-quiz-no-wrong-answers-yet")) }
            } @else { div.scroll { table {
                thead { tr { th { (t!(lang, "http-admin-quiz-question")) } th { (t!(lang, "http-admin-quiz-missed")) } } }
                tbody { @for m in &s.most_missed { tr {
                    td.item { (lang.pick(&m.prompt_zh, &m.prompt_en)) br; span.muted { (m.question_key) } }
                    td { (bar(m.missed, m.answered)) }
                } } }
            } } }
        }
    }
}

/// `GET /admin/quiz/{bank}/attempts.csv`.
pub async fn attempts_csv(
    session: ConsoleSession,
    State(state): State<AppState>,
    Path(bank): Path<String>,
) -> Result<Response, AppError> {
    attempts_export(&state, &bank, "csv", &session.staff_id).await
}

/// `GET /admin/quiz/{bank}/attempts.json`.
pub async fn attempts_json(
    session: ConsoleSession,
    State(state): State<AppState>,
    Path(bank): Path<String>,
) -> Result<Response, AppError> {
    attempts_export(&state, &bank, "json", &session.staff_id).await
}
