//! `GET /admin/`: open notices with progress, each bank's pass rate,
//! passwords overdue, open incidents, outbox health and the week's trend.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::auth::ConsoleSession;
use super::charts;
use super::layout::{self, Nav, Page, PageLang, bar, link};
use crate::domain::quiz::bank::DEFAULT_BANK;
use crate::domain::quiz::pick::percent;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::reports::outbox::{Health, Level};
use crate::reports::overview::{self, Overview};
use crate::reports::people::{self, Day};
use crate::state::AppState;
use crate::tr;

/// `GET /admin/`.
pub async fn show(
    session: ConsoleSession,
    State(state): State<AppState>,
    PageLang(lang): PageLang,
) -> Response {
    let (tz, now) = (state.config.timezone, state.clock.now());
    let loaded = async {
        let o = overview::load(&state.store, tz, now).await?;
        let week = people::week(&state.store, tz, now).await?;
        anyhow::Ok((o, week))
    };
    match loaded.await {
        Ok((o, week)) => {
            let title = tr!(lang, "概览", "Overview");
            let p = Page {
                lang,
                title: &title,
                nav: Nav::Overview,
                path: "/admin/",
                session: Some(&session),
            };
            let page = html! { (body(&o, lang, tz)) (trend(&week, lang)) };
            layout::page(&p, &page).into_response()
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

/// The last seven days' acknowledgements and finished quizzes, as columns
/// and as a table (the figures in words for everyone).
fn trend(week: &[Day], lang: Lang) -> Markup {
    let points: Vec<(String, i64, i64)> = week
        .iter()
        .map(|d| (d.date.format("%m-%d").to_string(), d.acks, d.quizzes))
        .collect();
    let caption = tr!(
        lang,
        "最近 7 天：确认数/完成测验数",
        "Last 7 days: acknowledgements/quizzes finished"
    );
    html! {
        h2 { (tr!(lang, "本周趋势", "This week")) }
        div.panel {
            p.legend { span.a { "■ " (tr!(lang, "通知确认", "Acknowledgements")) } span.b { "■ " (tr!(lang, "完成测验", "Quizzes finished")) } }
            (charts::columns(&points, &caption))
            table {
                thead { tr { th scope="col" { (tr!(lang, "日期", "Day")) } th scope="col" { (tr!(lang, "确认", "Acks")) } th scope="col" { (tr!(lang, "测验", "Quizzes")) } } }
                tbody { @for d in week { tr { td.num { (d.date) } td.num { (d.acks) } td.num { (d.quizzes) } } } }
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
