//! Who may use the console: a signed-in admin or HR person
//! ([`ConsoleSession`], from the `dw_session` cookie; the session and the
//! person's role are checked on every request), administrators for what
//! only they may do ([`ConsoleAdmin`]). Every POST from a console page
//! carries the session's form token (field [`CSRF_FIELD`]) and comes from
//! the console's own origin ([`ConsoleSession::check_post`]).

use axum::extract::FromRequestParts;
use axum::http::header::{HOST, LOCATION, ORIGIN, REFERER, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use subtle::ConstantTimeEq as _;

use super::layout::{self, PageLang, link};
use super::session;
use crate::actions::console::find_live;
use crate::actions::{ActionError, Actor, Ctx};
use crate::domain::{Role, User};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::t;

/// The form field that carries the session's form token.
pub const CSRF_FIELD: &str = "csrf";

/// A signed-in admin or HR person. Extract it in every console page.
#[derive(Clone, Debug)]
pub struct ConsoleSession {
    pub staff_id: String,
    /// Their role now: `Admin` if they are one, else `Hr`.
    pub role: Role,
    /// The session's form token: put it in every form ([`Self::csrf_input`]).
    pub csrf: String,
    /// The person (name, language, roles) as the roster has them now.
    pub user: User,
}

/// A signed-in administrator (HR gets a 403 page).
#[derive(Clone, Debug)]
pub struct ConsoleAdmin(pub ConsoleSession);

impl ConsoleSession {
    /// Who actions and audit entries name: this person.
    pub fn actor(&self) -> Actor<'_> {
        Actor::Person(&self.user)
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// The hidden form field with the form token.
    pub fn csrf_input(&self) -> Markup {
        html! { input type="hidden" name=(CSRF_FIELD) value=(self.csrf); }
    }

    /// Checks a POST: same origin ([`same_origin`]) and the session's form
    /// token, compared in constant time. The refusal is a 403 page.
    #[expect(clippy::result_large_err, reason = "the refusal is the response")]
    pub fn check_post(
        &self,
        headers: &HeaderMap,
        token: Option<&str>,
        lang: Lang,
    ) -> Result<(), Response> {
        if !same_origin(headers) {
            tracing::warn!(staff_id = %self.staff_id, "console POST refused: cross-site request");
            return Err(forbidden(
                lang,
                &t!(
                    lang,
                    "http-admin-auth-requests-from-other-sites-are-refused"
                ),
            ));
        }
        let given = token.unwrap_or_default().as_bytes();
        if !bool::from(given.ct_eq(self.csrf.as_bytes())) {
            tracing::warn!(staff_id = %self.staff_id, "console POST refused: missing or wrong form token");
            return Err(forbidden(
                lang,
                &t!(lang, "http-admin-auth-this-form-has-expired-go-back"),
            ));
        }
        Ok(())
    }
}

/// A 403 page saying `why`.
pub fn forbidden(lang: Lang, why: &str) -> Response {
    layout::said_page(
        lang,
        &AppError::new(StatusCode::FORBIDDEN, "forbidden", why),
    )
}

/// `303 See Other` to `to`, optionally setting cookies.
pub fn see_other(to: &str, cookies: &[String]) -> Response {
    let mut resp = (StatusCode::SEE_OTHER, [(LOCATION, to.to_owned())]).into_response();
    for c in cookies {
        if let Ok(v) = c.parse() {
            resp.headers_mut().append(SET_COOKIE, v);
        }
    }
    resp
}

impl FromRequestParts<AppState> for ConsoleSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        super::console_enabled(state).map_err(IntoResponse::into_response)?;
        let lang = PageLang::from_uri(&parts.uri).0;
        let login = link("/admin/login", lang);
        let Some(secret) = session::from_request(&parts.headers) else {
            return Err(see_other(&login, &[]));
        };
        let ctx = Ctx::new(
            &state.store,
            &state.config,
            state.clock.now(),
            Actor::System("console"),
        );
        match find_live(&ctx, secret).await {
            Ok(Some(live)) => Ok(ConsoleSession {
                staff_id: live.user.staff_id.clone(),
                role: live.role,
                csrf: live.csrf,
                user: live.user,
            }),
            Ok(None) => {
                tracing::info!("console session ended, expired or unknown");
                Err(see_other(&login, &[session::clear_cookie()]))
            }
            Err(ActionError::Internal(e)) => Err(layout::error_page(
                lang,
                &crate::http::api::respond::failed(e),
            )),
            Err(ActionError::Refused(r)) => {
                Err(layout::error_page(lang, &AppError::internal(&r.into())))
            }
        }
    }
}

impl FromRequestParts<AppState> for ConsoleAdmin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let s = ConsoleSession::from_request_parts(parts, state).await?;
        if s.is_admin() {
            return Ok(ConsoleAdmin(s));
        }
        let lang = PageLang::from_uri(&parts.uri).0;
        Err(forbidden(
            lang,
            &t!(lang, "http-admin-auth-this-page-is-for-administrators-only"),
        ))
    }
}

/// Where a URL points: `(scheme, host, port)`, lower case, default ports filled in.
fn origin_of(url: &str) -> Option<(String, String, u16)> {
    let u = url::Url::parse(url).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    Some((u.scheme().to_owned(), host, u.port_or_known_default()?))
}

/// Whether a POST comes from the console's own pages: `Sec-Fetch-Site`
/// is not cross-site, and `Origin` (or else `Referer`) names the host the
/// request went to (`Host`, or `X-Forwarded-Host` behind a proxy — neither
/// can be set by another site's form). Clients that send neither header
/// (curl) are not browsers and cannot be ridden cross-site; they still need
/// the form token.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        if !matches!(site, "same-origin" | "none") {
            return false;
        }
    }
    let Some(source) = header(ORIGIN.as_str()).or_else(|| header(REFERER.as_str())) else {
        return true;
    };
    let Some((scheme, host, port)) = origin_of(source) else {
        return false; // includes `Origin: null`
    };
    [header("x-forwarded-host"), header(HOST.as_str())]
        .into_iter()
        .flatten()
        .filter_map(|h| origin_of(&format!("{scheme}://{}", h.trim())))
        .any(|(_, h, p)| h == host && p == port)
}

#[cfg(test)]
mod tests;
