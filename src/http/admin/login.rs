//! Signing in and out of the console. `GET /admin/login` offers "使用钉钉登录"
//! (DingTalk's OAuth sign-in, bound to this browser by a `state` cookie)
//! and, under `serve --dev` only, "sign in as" any active admin or HR
//! person. `GET /admin/auth/callback` checks the state (mismatch: 400,
//! nothing stored), turns DingTalk's code into a staff id and signs the
//! person in (admins and HR; anyone else gets a polite 403 page). Failed
//! attempts are throttled per client address. `POST /admin/logout` ends
//! the session (form token and same origin required).

use std::sync::Arc;

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Extension, Form, Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use rand::RngCore as _;
use serde::Deserialize;
use subtle::ConstantTimeEq as _;

use super::auth::{ConsoleSession, same_origin, see_other};
use super::layout::{PageLang, error_page, link};
use super::{session, views};
use crate::actions::console::{SignedIn, Via, dev_people, sign_in, sign_out};
use crate::actions::{ActionError, Actor, Ctx, Refusal};
use crate::dingtalk::oauth::{OAuthClient, authorize_url};
use crate::error::AppError;
use crate::http::api::respond::failed;
use crate::http::throttle::{Client, ClientKey, Throttle};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::t;

/// Where DingTalk sends the browser back, when DingTalk sign-in is set up
/// (`DINGWARDEN_PUBLIC_URL`, and not `--dev`, which has no real app).
fn redirect_uri(state: &AppState) -> Option<String> {
    if state.config.dev {
        return None;
    }
    state.config.public_link("/admin/auth/callback")
}

/// A fresh `state`: 128 random bits.
fn new_state() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// `GET /admin/login`: the sign-in page (and the state cookie its
/// DingTalk link is bound to).
pub async fn page(State(state): State<AppState>, PageLang(lang): PageLang) -> Response {
    if let Err(e) = super::console_enabled(&state) {
        return e.into_response();
    }
    let mut cookie = None;
    let dingtalk = redirect_uri(&state).map(|uri| {
        let st = new_state();
        cookie = Some(session::set_state_cookie(&format!("{st}.{}", lang.code())));
        let config = &state.config;
        authorize_url(&config.login_base, &config.app_key, &uri, &st).to_string()
    });
    let people = if state.config.dev {
        let ctx = Ctx::new(
            &state.store,
            &state.config,
            state.clock.now(),
            Actor::System("dev"),
        );
        dev_people(&ctx).await.unwrap_or_default()
    } else {
        vec![]
    };
    let mut resp = views::login(
        lang,
        dingtalk.as_deref(),
        state.config.dev.then_some(&people[..]),
    )
    .into_response();
    if let Some(v) = cookie.and_then(|c| c.parse().ok()) {
        resp.headers_mut().insert(SET_COOKIE, v);
    }
    resp
}

/// DingTalk's return: `authCode` (or `code`) and `state`.
#[derive(Deserialize)]
pub struct Callback {
    #[serde(rename = "authCode")]
    auth_code: Option<String>,
    code: Option<String>,
    state: Option<String>,
}

/// One sign-in attempt from one address: failures count against it.
struct Attempt<'a> {
    throttle: &'a Throttle,
    key: ClientKey,
    now_ms: i64,
    lang: Lang,
}

impl Attempt<'_> {
    /// A failed attempt: counted against the address, answered with
    /// `status` and a page saying `why`; the state cookie is cleared.
    fn fail(&self, status: StatusCode, why: &str) -> Response {
        self.throttle.failed(self.key, self.now_ms);
        let mut resp = (status, views::outcome(self.lang, why)).into_response();
        if let Ok(v) = session::clear_state_cookie().parse() {
            resp.headers_mut().append(SET_COOKIE, v);
        }
        resp
    }
}

/// The state cookie's `(state, lang)`.
fn state_cookie(headers: &HeaderMap) -> Option<(&str, Lang)> {
    let (st, lang) = session::cookie(headers, session::STATE_COOKIE)?.rsplit_once('.')?;
    Some((st, lang.parse().unwrap_or_default()))
}

/// The code DingTalk handed back, if the state is this browser's (compared
/// in constant time) and there is one.
#[expect(clippy::result_large_err, reason = "the refusal is the response")]
fn code_of(q: Callback, expected: &str, at: &Attempt<'_>) -> Result<String, Response> {
    let lang = at.lang;
    let given = q.state.as_deref().unwrap_or_default();
    if expected.is_empty() || !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        tracing::warn!(key = ?at.key, "console sign-in refused: state missing or not this browser's");
        let why = t!(lang, "http-admin-login-this-sign-in-link-has-expired");
        return Err(at.fail(StatusCode::BAD_REQUEST, &why));
    }
    let code = q.auth_code.or(q.code).filter(|c| !c.trim().is_empty());
    code.map(|c| c.trim().to_owned()).ok_or_else(|| {
        let why = t!(
            lang,
            "http-admin-login-dingtalk-returned-no-authorisation-code-sign"
        );
        at.fail(StatusCode::BAD_REQUEST, &why)
    })
}

/// The staff id DingTalk names for `code`.
async fn staff_id_of(state: &AppState, code: &str, at: &Attempt<'_>) -> Result<String, Response> {
    let config = &state.config;
    let client = OAuthClient {
        http: &state.http,
        api_base: &config.api_base,
        oapi_base: &config.oapi_base,
        client_id: &config.app_key,
        client_secret: &config.app_secrets[0],
    };
    client.staff_id_for_code(code).await.map_err(|e| {
        tracing::warn!(error = %e, kind = e.kind(), "console sign-in: DingTalk did not name the person");
        let why = t!(at.lang, "http-admin-login-dingtalk-could-not-confirm-who-you");
        at.fail(StatusCode::BAD_GATEWAY, &why)
    })
}

/// `GET /admin/auth/callback`.
pub async fn callback(
    State(state): State<AppState>,
    Extension(throttle): Extension<Arc<Throttle>>,
    Client(key): Client,
    headers: HeaderMap,
    query: Result<Query<Callback>, QueryRejection>,
) -> Response {
    if let Err(e) = super::console_enabled(&state) {
        return e.into_response();
    }
    let now = state.clock.now();
    let (expected, lang) = state_cookie(&headers).unwrap_or(("", Lang::Zh));
    let at = Attempt {
        throttle: &throttle,
        key,
        now_ms: now.timestamp_millis(),
        lang,
    };
    if let Some(wait) = throttle.blocked(key, at.now_ms) {
        tracing::warn!(?key, "console sign-in refused: too many failed attempts");
        let page = views::outcome(lang, &views::too_many(lang, wait));
        return (StatusCode::TOO_MANY_REQUESTS, page).into_response();
    }
    let q = query.map(|Query(q)| q).unwrap_or(Callback {
        auth_code: None,
        code: None,
        state: None,
    });
    let staff_id = match code_of(q, expected, &at) {
        Ok(code) => staff_id_of(&state, &code, &at).await,
        Err(refused) => Err(refused),
    };
    let staff_id = match staff_id {
        Ok(id) => id,
        Err(refused) => return refused,
    };
    let ctx = Ctx::new(&state.store, &state.config, now, Actor::System("dingtalk"));
    finish(sign_in(&ctx, &staff_id, Via::DingTalk).await, &at)
}

/// Answers a sign-in: the session cookie and the overview, or the refusal.
fn finish(outcome: Result<SignedIn, ActionError>, at: &Attempt<'_>) -> Response {
    let lang = at.lang;
    match outcome {
        Ok(s) => {
            tracing::info!(staff_id = %s.user.staff_id, role = %s.role, "console sign-in");
            let cookies = [
                session::set_cookie(&s.secret),
                session::clear_state_cookie(),
            ];
            see_other(&link("/admin/", lang), &cookies)
        }
        Err(ActionError::Refused(r @ Refusal::ConsoleNotAllowed { .. })) => {
            tracing::info!("console sign-in refused: not an active admin or HR person");
            let why = r.message(crate::actions::refusal::Viewer {
                lang,
                tz: chrono_tz::UTC,
                staff: false,
            });
            at.fail(StatusCode::FORBIDDEN, &why)
        }
        Err(ActionError::Refused(r)) => error_page(lang, &AppError::internal(&r.into())),
        Err(ActionError::Internal(e)) => error_page(lang, &failed(e)),
    }
}

/// The "sign in as" form (`serve --dev` only).
#[derive(Deserialize)]
pub struct DevForm {
    staff_id: String,
    lang: Option<String>,
}

/// `POST /admin/login/dev` (`serve --dev` only; without it the route does not exist).
pub async fn dev(
    State(state): State<AppState>,
    Extension(throttle): Extension<Arc<Throttle>>,
    Client(key): Client,
    headers: HeaderMap,
    form: Result<Form<DevForm>, FormRejection>,
) -> Response {
    if !state.config.dev || !same_origin(&headers) {
        return AppError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "cross-site request refused",
        )
        .into_response();
    }
    let Ok(Form(form)) = form else {
        return AppError::bad_request("bad_form", "expected a staff_id field").into_response();
    };
    let lang = form
        .lang
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or_default();
    let now = state.clock.now();
    let ctx = Ctx::new(&state.store, &state.config, now, Actor::System("dev"));
    let outcome = sign_in(&ctx, form.staff_id.trim(), Via::Dev).await;
    let at = Attempt {
        throttle: &throttle,
        key,
        now_ms: now.timestamp_millis(),
        lang,
    };
    finish(outcome, &at)
}

/// The logout form.
#[derive(Deserialize)]
pub struct LogoutForm {
    csrf: Option<String>,
}

/// `POST /admin/logout`: deletes the session (the cookie is useless from
/// then on, even if kept) and forgets the cookie.
pub async fn logout(
    s: ConsoleSession,
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    form: Result<Form<LogoutForm>, FormRejection>,
) -> Response {
    let token = form.ok().and_then(|Form(f)| f.csrf);
    if let Err(refused) = s.check_post(&headers, token.as_deref(), lang) {
        return refused;
    }
    let secret = session::from_request(&headers).unwrap_or_default();
    let ctx = Ctx::new(&state.store, &state.config, state.clock.now(), s.actor());
    if let Err(e) = sign_out(&ctx, secret).await {
        tracing::error!(error = %e, "console sign-out failed");
        return error_page(
            lang,
            &AppError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error",
            ),
        );
    }
    see_other(&link("/admin/login", lang), &[session::clear_cookie()])
}
