//! Who may call `/api/v1`: `Authorization: Bearer` with the bootstrap token
//! (`DINGWARDEN_ADMIN_TOKEN`, shared, admin scope, audited as `api`) or a
//! personal token made in the console (its scope, audited as its owner).
//! Tokens are compared in constant time (the bootstrap token over SHA-256
//! digests, so lengths do not leak; personal ones are found by digest).
//! Wrong tokens are throttled per client address ([`crate::http::throttle`]).
//! The API is off (404) unless the bootstrap token or the console is set up.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, RETRY_AFTER};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use secrecy::{ExposeSecret as _, SecretString};
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

use super::ACTOR;
use crate::actions::{ActionError, Actor, Ctx, api_tokens};
use crate::domain::User;
use crate::domain::console::Scope;
use crate::error::AppError;
use crate::http::throttle::{ClientKey, Throttle};
use crate::state::AppState;

/// Who is calling.
#[derive(Clone, Debug)]
enum Who {
    /// The shared bootstrap token.
    Bootstrap,
    /// A personal token: its id and owner.
    Person { token_id: i64, owner: User },
}

/// Proof that a request carried a working token (any scope); extract it
/// first in every read handler, and audit with [`ApiCaller::actor`].
#[derive(Clone, Debug)]
pub struct ApiCaller {
    who: Who,
    pub scope: Scope,
}

/// Proof that a request carried an admin-scope token (403 for a `read`
/// one); extract it in every handler that changes something.
#[derive(Clone, Debug)]
pub struct AdminToken(pub ApiCaller);

impl ApiCaller {
    /// Who actions and audit entries name: the owner, or `api` for the
    /// bootstrap token.
    pub fn actor(&self) -> Actor<'_> {
        match &self.who {
            Who::Bootstrap => Actor::System(ACTOR),
            Who::Person { owner, .. } => Actor::Person(owner),
        }
    }

    /// The audit log's name for the caller.
    pub fn audit_name(&self) -> &str {
        match &self.who {
            Who::Bootstrap => ACTOR,
            Who::Person { owner, .. } => &owner.staff_id,
        }
    }

    /// The personal token's id (`None` for the bootstrap token).
    pub fn token_id(&self) -> Option<i64> {
        match &self.who {
            Who::Bootstrap => None,
            Who::Person { token_id, .. } => Some(*token_id),
        }
    }
}

/// Whether the API answers at all: a bootstrap token is set, or the
/// console is (personal tokens are made there).
pub(crate) fn api_on(state: &AppState) -> Result<(), AppError> {
    if state.config.admin_token.is_some() || crate::http::admin::console_on(&state.config) {
        Ok(())
    } else {
        Err(AppError::not_found(
            "the API is off: set DINGWARDEN_PUBLIC_URL (the console) or DINGWARDEN_ADMIN_TOKEN",
        ))
    }
}

/// The bearer credential of a request, if it has an `Authorization: Bearer` header.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Whether `given` is the bootstrap token, in constant time.
pub(crate) fn token_matches(expected: &SecretString, given: &str) -> bool {
    let a = Sha256::digest(given.as_bytes());
    let b = Sha256::digest(expected.expose_secret().as_bytes());
    bool::from(a.as_slice().ct_eq(b.as_slice()))
}

/// 429 with `Retry-After`, as JSON.
pub(crate) fn too_many(wait_secs: u64) -> Response {
    let mut resp = AppError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        format!("too many failed attempts from this address; try again in {wait_secs} s"),
    )
    .into_response();
    resp.headers_mut().insert(RETRY_AFTER, wait_secs.into());
    resp
}

async fn identify(state: &AppState, given: &str) -> Result<Option<ApiCaller>, AppError> {
    if let Some(expected) = &state.config.admin_token {
        if token_matches(expected, given) {
            return Ok(Some(ApiCaller {
                who: Who::Bootstrap,
                scope: Scope::Admin,
            }));
        }
    }
    let ctx = Ctx::new(
        &state.store,
        &state.config,
        state.clock.now(),
        Actor::System(ACTOR),
    );
    let accepted = match api_tokens::accept(&ctx, given).await {
        Ok(a) => a,
        Err(ActionError::Internal(e)) => return Err(super::respond::failed(e)),
        Err(ActionError::Refused(r)) => return Err(AppError::internal(&r.into())),
    };
    Ok(accepted.map(|a| ApiCaller {
        who: Who::Person {
            token_id: a.id,
            owner: a.owner,
        },
        scope: a.scope,
    }))
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        api_on(state).map_err(IntoResponse::into_response)?;
        let throttle = parts.extensions.get::<Arc<Throttle>>().cloned();
        let key = throttle.as_ref().map_or_else(
            || ClientKey::of(&parts.extensions, &parts.headers, &[]),
            |t| t.key(parts),
        );
        let now_ms = state.clock.now().timestamp_millis();
        if let Some(wait) = throttle.as_ref().and_then(|t| t.blocked(key, now_ms)) {
            tracing::warn!(
                ?key,
                "API request refused: too many failed tokens from this address"
            );
            return Err(too_many(wait));
        }
        let Some(given) = bearer(&parts.headers) else {
            return Err(unauthorized());
        };
        match identify(state, given)
            .await
            .map_err(IntoResponse::into_response)?
        {
            Some(caller) => Ok(caller),
            None => {
                tracing::warn!(?key, "API request with a wrong, revoked or powerless token");
                if let Some(t) = throttle {
                    t.failed(key, now_ms);
                }
                Err(unauthorized())
            }
        }
    }
}

fn unauthorized() -> Response {
    AppError::unauthorized("unauthorized", "missing or wrong bearer token").into_response()
}

impl FromRequestParts<AppState> for AdminToken {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let caller = ApiCaller::from_request_parts(parts, state).await?;
        if caller.scope.allows(Scope::Admin) {
            Ok(AdminToken(caller))
        } else {
            Err(AppError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "this token has the read scope; changes need an admin token",
            )
            .into_response())
        }
    }
}
