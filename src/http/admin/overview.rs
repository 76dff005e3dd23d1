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
use crate::tr;

/// `GET /admin/`.
pub async fn show(
    session: ConsoleSession,
    State(state): State<AppState>,
    PageLang(lang): PageLang,
) -> Response {
    match overview::load(&state.store, state.config.timezone, state.clock.now()).await {
        Ok(o) => {
            let title = tr!(lang, "概览", "Overview");
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
        h2 { (tr!(lang, "进行中的通知", "Open notices")) }
        (super::notices::table(&o.open_notices, lang, tz))
        h2 { (tr!(lang, "安全测验", "Security quizzes")) }
        div.panel {
            @if o.banks.is_empty() {
                p.muted { (tr!(lang, "还没有题库。", "No quiz banks yet.")) }
            } @else {
                table {
                    thead { tr {
                        th { (tr!(lang, "题库", "Bank")) }
                        th { (tr!(lang, "完成", "Completed")) }
                        th { (tr!(lang, "通过", "Passed")) }
                    } }
                    tbody { @for b in &o.banks { tr {
                        td { a href=(link(&format!("/admin/quiz?bank={}", b.bank.bank_key), lang)) {
                            (b.bank.title().get(lang)) } }
                        td { (bar(b.total.completed, b.total.members)) }
                        td { (bar(b.total.passed, b.total.members)) }
                    } } }
                }
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
                div.label { (tr!(lang, "进行中的通知", "Open notices")) }
                div.big { (open) }
                div.sub { (tr!(lang, "待确认 {waiting} 人次", "{waiting} acknowledgements outstanding")) }
            }
            @if let Some(b) = o.banks.iter().find(|b| b.bank.bank_key == DEFAULT_BANK).or(o.banks.first()) {
                div.card {
                    div.label { (tr!(lang, "测验通过率", "Quiz pass rate")) " · " (b.bank.title().get(lang)) }
                    div.big { (percent(b.total.passed, b.total.members)) "%" }
                    div.sub { (b.total.passed) "/" (b.total.members) }
                }
            }
            div.card {
                div.label { (tr!(lang, "密码已逾期", "Passwords overdue")) }
                div.big class=[(pw.overdue > 0).then_some("bad")] { (pw.overdue) }
                div.sub {
                    @if o.periodic { (tr!(lang, "即将到期 {}，", "{} due soon, ", pw.due_soon)) }
                    (tr!(lang, "强制改密待完成 {}", "{} forced changes pending", pw.forced))
                }
            }
            div.card {
                div.label { (tr!(lang, "未处理的安全事件", "Open incidents")) }
                div.big class=[(o.open_incidents > 0).then_some("warn")] { (o.open_incidents) }
                div.sub { a href=(link("/admin/incidents", lang)) { (tr!(lang, "查看", "View")) } }
            }
            (outbox_card(&o.outbox, lang))
        }
    }
}

fn outbox_card(h: &Health, lang: Lang) -> Markup {
    let (class, label) = match h.level() {
        Level::Healthy => ("ok", tr!(lang, "正常", "healthy")),
        Level::Degraded => ("warn", tr!(lang, "有延迟或重试", "delayed or retrying")),
        Level::Failing => ("bad", tr!(lang, "有发送失败", "messages failed")),
    };
    let (pending, failing, dead) = (h.pending, h.failing, h.dead);
    html! {
        div.card {
            div.label { (tr!(lang, "发件箱", "Outbox")) }
            div.big { span.chip class=(class) { (label) } }
            div.sub {
                (tr!(lang, "待发送 {pending}，重试中 {failing}，已放弃 {dead}",
                    "{pending} waiting, {failing} retrying, {dead} dead"))
                @if let Some(s) = h.oldest_wait_secs() {
                    br; (tr!(lang, "最早一条已等待 {s} 秒", "oldest due for {s} s"))
                }
            }
        }
    }
}
