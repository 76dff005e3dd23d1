//! The dashboard's page shell (header, navigation, language switch, logout),
//! its inline style sheet and security headers, and the small pieces every
//! page uses: links that keep the language, progress bars, local times.
//! Pages are maud templates: every value inserted is HTML-escaped unless
//! wrapped in `PreEscaped`, which only our own style sheet is.

use std::convert::Infallible;
use std::sync::LazyLock;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use sha2::{Digest as _, Sha256};

use super::auth::ConsoleSession;
use crate::clock::from_ms;
use crate::domain::notice::percent;
use crate::domain::schedule::format_local;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::tr;

/// The style sheet, inlined in every page.
const CSS: &str = include_str!("style.css");

/// The Content-Security-Policy: nothing but our own inline style sheet (by
/// its hash) and forms that post back to us; no scripts at all.
pub static CSP: LazyLock<HeaderValue> = LazyLock::new(|| {
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(CSS.as_bytes()));
    let csp = format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src 'self'; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'none'"
    );
    HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("default-src 'none'"))
});

/// The language a page is shown in: `?lang=en`, Chinese otherwise.
#[derive(Clone, Copy, Debug)]
pub struct PageLang(pub Lang);

impl PageLang {
    pub fn from_uri(uri: &Uri) -> Self {
        let lang = url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or_default();
        PageLang(lang)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(Self::from_uri(&parts.uri))
    }
}

/// `path` in `lang` (Chinese needs no parameter).
pub fn link(path: &str, lang: Lang) -> String {
    match lang {
        Lang::Zh => path.to_owned(),
        Lang::En if path.contains('?') => format!("{path}&lang=en"),
        Lang::En => format!("{path}?lang=en"),
    }
}

/// The section a page belongs to, for the navigation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Overview,
    Notices,
    Quiz,
    Passwords,
    Incidents,
    Tokens,
    Roster,
    None,
}

/// A page: its language, title, section and own path (for the language switch).
pub struct Page<'a> {
    pub lang: Lang,
    pub title: &'a str,
    pub nav: Nav,
    /// This page's path and query, without `lang`.
    pub path: &'a str,
    /// Who is signed in (their name, role and the logout form); `None` on
    /// pages shown before a session is known.
    pub session: Option<&'a ConsoleSession>,
}

fn nav(p: &Page<'_>) -> Markup {
    let lang = p.lang;
    let admin = p.session.is_some_and(ConsoleSession::is_admin);
    let admins_only = [
        (Nav::Roster, "/admin/roster", tr!(lang, "花名册", "Roster")),
        (
            Nav::Tokens,
            "/admin/tokens",
            tr!(lang, "API 令牌", "API tokens"),
        ),
    ];
    let admins_only = if admin { &admins_only[..] } else { &[] };
    let items = [
        (Nav::Overview, "/admin/", tr!(lang, "概览", "Overview")),
        (Nav::Notices, "/admin/notices", tr!(lang, "通知", "Notices")),
        (Nav::Quiz, "/admin/quiz", tr!(lang, "测验", "Quizzes")),
        (
            Nav::Passwords,
            "/admin/passwords",
            tr!(lang, "密码", "Passwords"),
        ),
        (
            Nav::Incidents,
            "/admin/incidents",
            tr!(lang, "安全事件", "Incidents"),
        ),
    ];
    html! {
        nav {
            @for (section, path, label) in items.iter().chain(admins_only) {
                a class=[(*section == p.nav).then_some("on")] href=(link(path, lang)) { (label) }
            }
        }
    }
}

/// The whole document around `body`.
pub fn page(p: &Page<'_>, body: &Markup) -> Markup {
    let lang = p.lang;
    let (other, other_label) = match lang {
        Lang::Zh => (Lang::En, "English"),
        Lang::En => (Lang::Zh, "中文"),
    };
    html! {
        (DOCTYPE)
        html lang=(lang.pick("zh-CN", "en")) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="same-origin";
                title { (p.title) " · dingwarden" }
                style { (PreEscaped(CSS)) }
            }
            body {
                header.top {
                    a.brand href=(link("/admin/", lang)) { "dingwarden" }
                    (nav(p))
                    div.tools {
                        a href=(link(p.path, other)) lang=(other.code()) { (other_label) }
                        @if let Some(s) = p.session {
                            span.who { (s.user.person().label_as_typed(lang)) " · " (s.role.label(lang)) }
                            form method="post" action=(link("/admin/logout", lang)) {
                                (s.csrf_input())
                                button.link type="submit" { (tr!(lang, "退出登录", "Log out")) }
                            }
                        }
                    }
                }
                main {
                    h1 { (p.title) }
                    (body)
                }
                footer { (tr!(lang, "dingwarden 管理后台", "dingwarden console")) }
            }
        }
    }
}

/// A document without the console's navigation (sign-in pages), around `body`.
pub fn bare(lang: Lang, title: &str, body: &Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.pick("zh-CN", "en")) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="same-origin";
                title { (title) " · dingwarden" }
                style { (PreEscaped(CSS)) }
            }
            body { main { (body) } }
        }
    }
}

/// A progress bar with `part/total (p%)`.
pub fn bar(part: i64, total: i64) -> Markup {
    let pct = percent(part, total);
    html! {
        div.bar {
            progress value=(pct) max="100" { (pct) "%" }
            span { (part) "/" (total) " (" (pct) "%)" }
        }
    }
}

/// An instant as local time (`2026-11-30 10:00`).
pub fn when(tz: chrono_tz::Tz, ms: i64) -> String {
    format_local(tz, from_ms(ms))
}

/// A department path for people, `（未分配部门）` when empty.
pub fn department(d: &str, lang: Lang) -> String {
    if d.is_empty() {
        tr!(lang, "（未分配部门）", "(no department)")
    } else {
        d.to_owned()
    }
}

/// An error as a page (the API's errors are JSON; people get HTML).
pub fn error_page(lang: Lang, e: &AppError) -> Response {
    let title = match e.status {
        StatusCode::NOT_FOUND => tr!(lang, "找不到", "Not found"),
        StatusCode::BAD_REQUEST => tr!(lang, "请求有误", "Bad request"),
        StatusCode::FORBIDDEN => tr!(lang, "无权访问", "Not allowed"),
        _ => tr!(lang, "出错了", "Something went wrong"),
    };
    let p = Page {
        lang,
        title: &title,
        nav: Nav::None,
        path: "/admin/",
        session: None,
    };
    let body = html! {
        div.panel {
            p { (e.message) }
            p { a href=(link("/admin/", lang)) { (tr!(lang, "返回概览", "Back to the overview")) } }
        }
    };
    (e.status, page(&p, &body)).into_response()
}
