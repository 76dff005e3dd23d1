//! Who may see the dashboard: the admin token as `Authorization: Bearer`, or
//! the session cookie a login at `/admin/login` sets ([`super::session`]).
//! Login and logout are the only POSTs; they refuse requests from another
//! site (`Origin`/`Referer` must match `Host`, `Sec-Fetch-Site` must not be
//! cross-site), and logins are rate limited.

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::rejection::FormRejection;
use axum::extract::{Extension, Form, FromRequestParts, State};
use axum::http::header::{HOST, LOCATION, ORIGIN, REFERER, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use secrecy::ExposeSecret as _;
use serde::Deserialize;

use super::layout::{self, PageLang, link};
use super::session;
use crate::error::AppError;
use crate::http::api::{bearer, configured_token, token_matches};
use crate::i18n::Lang;
use crate::state::AppState;

/// Login attempts allowed per minute (all clients together).
const LOGINS_PER_MINUTE: u32 = 10;

/// The login rate limit, shared by the dashboard's routes.
#[derive(Clone)]
pub struct LoginLimiter(Arc<DefaultDirectRateLimiter>);

impl Default for LoginLimiter {
    fn default() -> Self {
        let n = NonZeroU32::new(LOGINS_PER_MINUTE).unwrap_or(NonZeroU32::MIN);
        Self(Arc::new(RateLimiter::direct(Quota::per_minute(n))))
    }
}

/// Proof that the request is an admin's: extract it in every dashboard page.
pub struct Admin;

fn see_other(to: &str, cookie: Option<String>) -> Response {
    let mut resp = (StatusCode::SEE_OTHER, [(LOCATION, to.to_owned())]).into_response();
    if let Some(c) = cookie.and_then(|c| c.parse().ok()) {
        resp.headers_mut().insert(SET_COOKIE, c);
    }
    resp
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let expected = configured_token(state).map_err(IntoResponse::into_response)?;
        if let Some(given) = bearer(&parts.headers) {
            if token_matches(expected, given) {
                return Ok(Admin);
            }
            tracing::warn!("dashboard request with a wrong bearer token");
            return Err(
                AppError::unauthorized("unauthorized", "missing or wrong bearer token")
                    .into_response(),
            );
        }
        let lang = PageLang::from_uri(&parts.uri).0;
        let login = link("/admin/login", lang);
        let now_ms = state.clock.now().timestamp_millis();
        match session::from_request(&parts.headers) {
            Some(v) if session::verify(expected.expose_secret(), v, now_ms) => Ok(Admin),
            Some(_) => {
                tracing::info!("dashboard session expired or invalid");
                let clear = session::clear_cookie(session::secure(&parts.headers));
                Err(see_other(&login, Some(clear)))
            }
            None => Err(see_other(&login, None)),
        }
    }
}

/// Where a URL points: `(scheme, host, port)`, lower case, default ports filled in.
fn origin_of(url: &str) -> Option<(String, String, u16)> {
    let u = url::Url::parse(url).ok()?;
    let host = u.host_str()?.to_ascii_lowercase();
    Some((u.scheme().to_owned(), host, u.port_or_known_default()?))
}

/// Whether a POST comes from the dashboard's own pages: `Sec-Fetch-Site`
/// is not cross-site, and `Origin` (or else `Referer`) names the host the
/// request went to (`Host`, or `X-Forwarded-Host` behind a proxy — neither
/// can be set by another site's form). Clients that send neither header
/// (curl) are not browsers and cannot be ridden cross-site.
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

fn cross_site() -> Response {
    tracing::warn!("dashboard login or logout refused: cross-site request");
    AppError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "cross-site request refused",
    )
    .into_response()
}

/// `GET /admin/login`: the form.
pub async fn login_page(State(state): State<AppState>, lang: PageLang) -> Response {
    if let Err(e) = configured_token(&state) {
        return e.into_response();
    }
    layout::login(lang.0, None).into_response()
}

/// The login form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    token: String,
    lang: Option<String>,
}

/// `POST /admin/login`: checks the token, sets the session cookie.
pub async fn login(
    State(state): State<AppState>,
    Extension(limiter): Extension<LoginLimiter>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let expected = match configured_token(&state) {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    if !same_origin(&headers) {
        return cross_site();
    }
    let Ok(Form(form)) = form else {
        return AppError::bad_request("bad_form", "expected a token field").into_response();
    };
    let lang = form
        .lang
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or(Lang::Zh);
    if limiter.0.check().is_err() {
        tracing::warn!("dashboard login refused: too many attempts");
        return (
            StatusCode::TOO_MANY_REQUESTS,
            layout::login(lang, Some(429)),
        )
            .into_response();
    }
    if !token_matches(expected, form.token.trim()) {
        tracing::warn!("dashboard login with a wrong token");
        return (StatusCode::UNAUTHORIZED, layout::login(lang, Some(401))).into_response();
    }
    let expires = state.clock.now().timestamp_millis() + session::LIFETIME_MS;
    let value = session::sign(expected.expose_secret(), expires);
    tracing::info!("dashboard login");
    let cookie = session::set_cookie(&value, session::secure(&headers));
    see_other(&link("/admin/", lang), Some(cookie))
}

/// `POST /admin/logout`: forgets the session cookie.
pub async fn logout(headers: HeaderMap, lang: PageLang) -> Response {
    if !same_origin(&headers) {
        return cross_site();
    }
    let clear = session::clear_cookie(session::secure(&headers));
    see_other(&link("/admin/login", lang.0), Some(clear))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn same_origin_posts_pass() {
        let ok = [
            vec![
                ("host", "ops.example.com"),
                ("origin", "https://ops.example.com"),
            ],
            vec![
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8080"),
            ],
            vec![
                ("host", "OPS.example.com:443"),
                ("origin", "https://ops.example.com"),
            ],
            vec![
                ("host", "127.0.0.1:8080"),
                ("x-forwarded-host", "ops.example.com"),
                ("origin", "https://ops.example.com"),
            ],
            vec![
                ("host", "ops.example.com"),
                ("referer", "https://ops.example.com/admin/login"),
            ],
            vec![
                ("host", "ops.example.com"),
                ("sec-fetch-site", "same-origin"),
            ],
            vec![("host", "ops.example.com")],
        ];
        for h in ok {
            assert!(same_origin(&headers(&h)), "{h:?}");
        }
    }

    #[test]
    fn cross_site_posts_are_refused() {
        let bad = [
            vec![
                ("host", "ops.example.com"),
                ("origin", "https://evil.example"),
            ],
            vec![("host", "ops.example.com"), ("origin", "null")],
            vec![
                ("host", "ops.example.com"),
                ("origin", "http://ops.example.com:8443"),
            ],
            vec![
                ("host", "ops.example.com"),
                ("referer", "https://evil.example/x"),
            ],
            vec![
                ("host", "ops.example.com"),
                ("sec-fetch-site", "cross-site"),
            ],
            vec![
                ("host", "ops.example.com"),
                ("sec-fetch-site", "same-site"),
                ("origin", "https://ops.example.com"),
            ],
            vec![("origin", "https://ops.example.com")],
        ];
        for h in bad {
            assert!(!same_origin(&headers(&h)), "{h:?}");
        }
    }
}
