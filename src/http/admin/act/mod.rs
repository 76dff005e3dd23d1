//! Actions in the browser: compose, preview, send, remind and close notices
//! ([`notices`]), offboard people and grant or revoke roles ([`people`]),
//! assign quiz campaigns ([`quiz`]). Every write is a POST read by one
//! extractor, [`Posted`], which refuses (403 page) a request from another
//! origin or without the session's form token before any handler runs;
//! handlers then call the same actions as chat and answer with an outcome
//! page ([`outcome`]). Who acts is a [`Principal`].

mod forms;
mod multipart;
pub mod notices;
pub mod people;
mod principal;
pub mod quiz;
pub mod roster;

pub use principal::Principal;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::CSRF_FIELD;
use super::layout::{self, Nav, Page, PageLang, link};
use crate::actions::refusal::Viewer;
use crate::actions::{ActionError, Refusal};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::t;

/// A console POST that passed the checks: from the console's own origin,
/// with the session's form token ([`ConsoleSession::check_post`]); its
/// fields as sent (a field may repeat, as checkboxes do) and, for a
/// `multipart/form-data` form, its files.
pub struct Posted {
    pub who: Principal,
    pub lang: Lang,
    pairs: Vec<(String, String)>,
    files: Vec<multipart::Part>,
}

impl Posted {
    /// The first value of `name`, if sent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of `name`, or empty.
    pub fn text(&self, name: &str) -> &str {
        self.get(name).unwrap_or_default()
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The file sent as `name` (a `multipart/form-data` form), if one was
    /// chosen.
    pub fn file(&self, name: &str) -> Option<&multipart::Part> {
        self.files
            .iter()
            .find(|f| f.name == name && !(f.filename.as_deref() == Some("") && f.data.is_empty()))
    }
}

impl FromRequest<crate::state::AppState> for Posted {
    type Rejection = Response;

    async fn from_request(req: Request, state: &crate::state::AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let lang = PageLang::from_uri(&parts.uri).0;
        let who = Principal::from_request_parts(&mut parts, state).await?;
        // The roster upload's larger body is read for administrators only.
        if parts.uri.path() == crate::http::UPLOAD_PATH && !who.is_admin() {
            return Err(admins_only(lang));
        }
        let boundary = multipart::boundary(&parts.headers);
        let headers = parts.headers.clone();
        let req = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => too_large(lang),
                _ => e.into_response(),
            })?;
        let (pairs, files) = match boundary {
            Some(b) => multipart::parse(bytes, &b).await.unwrap_or_default(),
            None => (
                url::form_urlencoded::parse(&bytes).into_owned().collect(),
                Vec::new(),
            ),
        };
        let token = pairs.iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v);
        who.session()
            .check_post(&headers, token.map(String::as_str), lang)?;
        Ok(Posted {
            who,
            lang,
            pairs,
            files,
        })
    }
}

/// The page for a form or file over the body limit, naming the limit.
fn too_large(lang: Lang) -> Response {
    let mib = crate::http::MAX_UPLOAD_BYTES / (1024 * 1024);
    let kib = crate::http::MAX_BODY_BYTES / 1024;
    let said = t!(lang, "http-admin-act-what-was-sent-is-too-large", mib, kib);
    layout::said_page(
        lang,
        &AppError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", said),
    )
}

/// A 403 page saying `why`.
pub fn forbidden(lang: Lang, why: &str) -> Response {
    super::auth::forbidden(lang, why)
}

/// The page administrators only may use, for HR.
pub fn admins_only(lang: Lang) -> Response {
    forbidden(
        lang,
        &t!(lang, "http-admin-act-only-administrators-can-do-that"),
    )
}

/// What an action did, as a page: `title`, `body`, and a way back.
pub fn outcome(
    who: &Principal,
    lang: Lang,
    status: StatusCode,
    title: &str,
    body: &Markup,
    back: &str,
) -> Response {
    let p = Page {
        lang,
        title,
        nav: Nav::None,
        path: back,
        session: Some(who.session()),
    };
    let body = html! {
        div.panel.outcome role="status" { (body) }
        p { a.btn href=(link(back, lang)) { (t!(lang, "http-admin-act-back")) } }
    };
    (status, layout::page(&p, &body)).into_response()
}

/// An action's failure as a page: a refusal in words (400 when what was
/// typed is at fault, 404 when the thing is not there, 409 otherwise);
/// anything else an error page.
pub fn failed(
    who: &Principal,
    lang: Lang,
    tz: chrono_tz::Tz,
    e: ActionError,
    back: &str,
) -> Response {
    match e {
        ActionError::Refused(r) => refused(who, lang, tz, &r, back),
        ActionError::Internal(e) => layout::error_page(lang, &crate::http::api::respond::failed(e)),
    }
}

/// A refusal in words, as a page.
pub fn refused(
    who: &Principal,
    lang: Lang,
    tz: chrono_tz::Tz,
    r: &Refusal,
    back: &str,
) -> Response {
    let status = crate::http::api::write::refused(r, tz).status;
    let words = r.message(Viewer {
        lang,
        tz,
        staff: true,
    });
    let title = t!(lang, "http-admin-act-not-done");
    let body = html! { p.error { (words) } };
    outcome(who, lang, status, &title, &body, back)
}
