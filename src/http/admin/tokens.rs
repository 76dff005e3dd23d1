//! `/admin/tokens` (administrators): personal API tokens — the list with
//! owner, scope and last use, a form to make one (the token is shown once,
//! on the page that answers the form) and a revoke button per token. Both
//! forms carry the session's form token.

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::auth::{ConsoleAdmin, ConsoleSession, see_other};
use super::layout::{self, Nav, Page, PageLang, link, when};
use crate::actions::api_tokens::{self, Created, LABEL_MAX, TokenRequest};
use crate::actions::refusal::Viewer;
use crate::actions::{ActionError, Ctx};
use crate::domain::console::Scope;
use crate::error::AppError;
use crate::http::api::respond::{failed, parse_id};
use crate::i18n::Lang;
use crate::state::AppState;
use crate::store::api_tokens::TokenRow;
use crate::t;

fn page(
    s: &ConsoleSession,
    state: &AppState,
    lang: Lang,
    top: &Markup,
    rows: &[TokenRow],
) -> Response {
    let title = t!(lang, "http-admin-layout-api-tokens");
    let p = Page {
        lang,
        title: &title,
        nav: Nav::Tokens,
        path: "/admin/tokens",
        session: Some(s),
    };
    let body = html! {
        (top)
        (create_form(s, lang))
        h2 { (t!(lang, "http-admin-tokens-all-tokens")) }
        (table(s, rows, lang, state.config.timezone))
    };
    layout::page(&p, &body).into_response()
}

fn create_form(s: &ConsoleSession, lang: Lang) -> Markup {
    html! {
        form.panel.form method="post" action=(link("/admin/tokens", lang)) {
            h2 { (t!(lang, "http-admin-tokens-new-token")) }
            (s.csrf_input())
            label for="label" { (t!(lang, "http-admin-tokens-what-it-is-for")) }
            input #label name="label" required maxlength=(LABEL_MAX) placeholder=(t!(lang, "http-admin-tokens-e-g-siem-export"));
            label for="owner" { (t!(lang, "http-admin-tokens-owner-s-staff-id-empty-yourself")) }
            input #owner name="owner";
            label for="scope" { (t!(lang, "http-admin-tokens-scope")) }
            select #scope name="scope" {
                option value="read" selected { (t!(lang, "http-admin-tokens-read-reads-and-exports")) }
                option value="admin" { (t!(lang, "http-admin-tokens-admin-reads-and-writes")) }
            }
            button type="submit" { (t!(lang, "http-admin-tokens-create-token")) }
        }
    }
}

fn table(s: &ConsoleSession, rows: &[TokenRow], lang: Lang, tz: chrono_tz::Tz) -> Markup {
    html! { div.panel {
        @if rows.is_empty() { p.muted { (t!(lang, "http-admin-tokens-no-tokens-yet")) } }
        @else { div.scroll { table {
            thead { tr {
                th { "#" } th { (t!(lang, "http-admin-tokens-label")) } th { (t!(lang, "http-admin-tokens-owner")) }
                th { (t!(lang, "http-admin-tokens-scope")) } th { (t!(lang, "http-admin-tokens-created")) }
                th { (t!(lang, "http-admin-tokens-last-used")) } th { (t!(lang, "http-admin-tokens-state")) }
            } }
            tbody { @for t in rows { tr {
                td.num { (t.id) }
                td { (t.label) }
                td { (t.owner) }
                td { (t.scope) }
                td { (when(tz, t.created_at)) br; span.muted { (t.created_by) } }
                td { (t.last_used_at.map_or_else(|| "—".to_owned(), |ms| when(tz, ms))) }
                td { @if let Some(at) = t.revoked_at {
                    span.chip.bad { (t!(lang, "http-admin-tokens-revoked")) } br; span.muted { (when(tz, at)) }
                } @else {
                    form method="post" action=(link(&format!("/admin/tokens/{}/revoke", t.id), lang)) {
                        (s.csrf_input())
                        button.link type="submit" { (t!(lang, "http-admin-tokens-revoke")) }
                    }
                } }
            } } }
        } } }
    } }
}

async fn rows(s: &ConsoleSession, state: &AppState) -> Result<Vec<TokenRow>, AppError> {
    let ctx = Ctx::new(&state.store, &state.config, state.clock.now(), s.actor());
    api_tokens::list(&ctx)
        .await
        .map_err(|e| refused_or_failed(e, Lang::Zh, state))
}

fn refused_or_failed(e: ActionError, lang: Lang, state: &AppState) -> AppError {
    match e {
        ActionError::Refused(r) => {
            let viewer = Viewer {
                lang,
                tz: state.config.timezone,
                staff: true,
            };
            let status = if r.is_not_found() {
                axum::http::StatusCode::NOT_FOUND
            } else {
                axum::http::StatusCode::BAD_REQUEST
            };
            AppError::new(status, r.code(), r.message(viewer))
        }
        ActionError::Internal(e) => failed(e),
    }
}

/// `GET /admin/tokens`.
pub async fn list(
    ConsoleAdmin(s): ConsoleAdmin,
    State(state): State<AppState>,
    PageLang(lang): PageLang,
) -> Response {
    match rows(&s, &state).await {
        Ok(rows) => page(&s, &state, lang, &html! {}, &rows),
        Err(e) => layout::error_page(lang, &e),
    }
}

/// The new-token form.
#[derive(Deserialize)]
pub struct CreateForm {
    csrf: Option<String>,
    label: Option<String>,
    owner: Option<String>,
    scope: Option<String>,
}

fn shown_once(c: &Created, lang: Lang) -> Markup {
    html! { div.panel role="status" {
        h2 { (t!(lang, "http-admin-tokens-token-created", id = c.id)) }
        p { (t!(lang, "http-admin-tokens-copy-it-now-it-cannot-be")) }
        p.secret { code #token { (c.token) } }
        p.muted { (t!(lang, "http-admin-tokens-owner-scope-use-authorization-bearer-token", owner = c.owner, scope = c.scope)) }
    } }
}

/// `POST /admin/tokens`: makes a token and shows it once.
pub async fn create(
    ConsoleAdmin(s): ConsoleAdmin,
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    form: Result<Form<CreateForm>, FormRejection>,
) -> Response {
    let form = form.ok().map(|Form(f)| f);
    let token = form.as_ref().and_then(|f| f.csrf.as_deref());
    if let Err(refused) = s.check_post(&headers, token, lang) {
        return refused;
    }
    let Some(f) = form else {
        return layout::error_page(
            lang,
            &AppError::bad_request("bad_form", "expected label, owner and scope"),
        );
    };
    let Some(scope) = f.scope.as_deref().and_then(|x| x.parse::<Scope>().ok()) else {
        return layout::said_page(
            lang,
            &AppError::bad_request(
                "bad_scope",
                t!(lang, "http-admin-tokens-scope-must-be-read-or-admin"),
            ),
        );
    };
    let owner = f.owner.as_deref().map(str::trim).filter(|o| !o.is_empty());
    let req = TokenRequest {
        owner,
        label: f.label.as_deref().unwrap_or_default(),
        scope,
    };
    let ctx = Ctx::new(&state.store, &state.config, state.clock.now(), s.actor());
    let created = match api_tokens::create(&ctx, req).await {
        Ok(c) => c,
        Err(e) => return layout::said_page(lang, &refused_or_failed(e, lang, &state)),
    };
    match rows(&s, &state).await {
        Ok(rows) => page(&s, &state, lang, &shown_once(&created, lang), &rows),
        Err(e) => layout::error_page(lang, &e),
    }
}

/// The revoke button's form.
#[derive(Deserialize)]
pub struct RevokeForm {
    csrf: Option<String>,
}

/// `POST /admin/tokens/{id}/revoke`.
pub async fn revoke(
    ConsoleAdmin(s): ConsoleAdmin,
    State(state): State<AppState>,
    Path(id): Path<String>,
    PageLang(lang): PageLang,
    headers: HeaderMap,
    form: Result<Form<RevokeForm>, FormRejection>,
) -> Response {
    let token = form.ok().and_then(|Form(f)| f.csrf);
    if let Err(refused) = s.check_post(&headers, token.as_deref(), lang) {
        return refused;
    }
    let id = match parse_id(&id, "token") {
        Ok(id) => id,
        Err(e) => return layout::error_page(lang, &e),
    };
    let ctx = Ctx::new(&state.store, &state.config, state.clock.now(), s.actor());
    match api_tokens::revoke(&ctx, id).await {
        Ok(_) => see_other(&link("/admin/tokens", lang), &[]),
        Err(e) => layout::said_page(lang, &refused_or_failed(e, lang, &state)),
    }
}
