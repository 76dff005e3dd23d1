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
use crate::t;

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
        (
            Nav::Roster,
            "/admin/roster",
            t!(lang, "http-admin-layout-roster"),
        ),
        (
            Nav::Tokens,
            "/admin/tokens",
            t!(lang, "http-admin-layout-api-tokens"),
        ),
    ];
    let admins_only = if admin { &admins_only[..] } else { &[] };
    let items = [
        (
            Nav::Overview,
            "/admin/",
            t!(lang, "http-admin-layout-overview"),
        ),
        (
            Nav::Notices,
            "/admin/notices",
            t!(lang, "http-admin-layout-notices"),
        ),
        (
            Nav::Quiz,
            "/admin/quiz",
            t!(lang, "http-admin-layout-quizzes"),
        ),
        (
            Nav::Passwords,
            "/admin/passwords",
            t!(lang, "http-admin-layout-passwords"),
        ),
        (
            Nav::Incidents,
            "/admin/incidents",
            t!(lang, "commands-incident-incidents"),
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
    let (other, other_label) = (lang.other(), lang.other().autonym());
    html! {
        (DOCTYPE)
        html lang=(lang.html_lang()) {
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
                                button.link type="submit" { (t!(lang, "http-admin-layout-log-out")) }
                            }
                        }
                    }
                }
                main {
                    h1 { (p.title) }
                    (body)
                }
                footer { (t!(lang, "http-admin-layout-dingwarden-console")) }
            }
        }
    }
}

/// A document without the console's navigation (sign-in pages), around `body`.
pub fn bare(lang: Lang, title: &str, body: &Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.html_lang()) {
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

/// What went wrong, for people, by the error's code and status.
fn error_message(lang: Lang, e: &AppError) -> String {
    match (e.code, e.status) {
        ("bad_id", _) => t!(lang, "http-admin-layout-number-in-link-is-not-valid"),
        ("forbidden", _) => t!(lang, "http-admin-layout-logging-in-and-out-works-only"),
        ("unavailable", _) => t!(
            lang,
            "http-admin-layout-service-is-temporarily-unavailable-please-try"
        ),
        (_, StatusCode::NOT_FOUND) => t!(lang, "http-admin-layout-there-is-no-such-page-or"),
        (_, StatusCode::BAD_REQUEST) => {
            t!(lang, "http-admin-layout-link-or-form-has-something-that")
        }
        _ => t!(
            lang,
            "http-admin-layout-something-went-wrong-please-try-again"
        ),
    }
}

/// `GET /admin/…` for any other path: a page, not the API's JSON.
pub async fn not_found(PageLang(lang): PageLang) -> Response {
    error_page(lang, &AppError::not_found("no such page"))
}

/// A department path for people, `（未分配部门）` when empty.
pub fn department(d: &str, lang: Lang) -> String {
    if d.is_empty() {
        t!(lang, "commands-notice-status-no-department")
    } else {
        d.to_owned()
    }
}

/// An error as a page (the API's errors are JSON; people get HTML), all
/// in the page's language: the API's English message is not shown, the
/// error code is (for whoever looks into it).
pub fn error_page(lang: Lang, e: &AppError) -> Response {
    message_page(lang, e, &error_message(lang, e))
}

/// An error whose message is already written for people in the page's
/// language (a refusal, a form that expired): shown as it is.
pub fn said_page(lang: Lang, e: &AppError) -> Response {
    message_page(lang, e, &e.message)
}

fn message_page(lang: Lang, e: &AppError, message: &str) -> Response {
    let title = match e.status {
        StatusCode::NOT_FOUND => t!(lang, "http-admin-layout-not-found"),
        StatusCode::BAD_REQUEST => t!(lang, "http-admin-layout-bad-request"),
        StatusCode::FORBIDDEN => t!(lang, "http-admin-layout-not-allowed-2"),
        StatusCode::PAYLOAD_TOO_LARGE => t!(lang, "http-admin-layout-too-large"),
        _ => t!(lang, "http-admin-layout-something-went-wrong"),
    };
    let code = e.code;
    let p = Page {
        lang,
        title: &title,
        nav: Nav::None,
        path: "/admin/",
        session: None,
    };
    let body = html! {
        div.panel {
            p { (message) }
            p.muted { (t!(lang, "http-admin-layout-error-code", code)) }
            p { a href=(link("/admin/", lang)) { (t!(lang, "http-admin-layout-back-to-overview")) } }
        }
    };
    (e.status, page(&p, &body)).into_response()
}
