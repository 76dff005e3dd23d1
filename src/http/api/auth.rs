//! The admin token: `Authorization: Bearer …`, compared in constant time
//! (over SHA-256 digests, so lengths do not leak either). Without
//! `DINGWARDEN_ADMIN_TOKEN` the API and the dashboard are off (404).

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use secrecy::{ExposeSecret as _, SecretString};
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

use crate::error::AppError;
use crate::state::AppState;

/// Proof that a request carried the admin token; extract it first in every API handler.
pub struct AdminToken;

/// The configured token, or 404 when the API and dashboard are off.
pub(crate) fn configured_token(state: &AppState) -> Result<&SecretString, AppError> {
    state
        .config
        .admin_token
        .as_ref()
        .ok_or_else(|| AppError::not_found("the API is off: DINGWARDEN_ADMIN_TOKEN is not set"))
}

/// The bearer credential of a request, if it has an `Authorization: Bearer` header.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// Whether `given` is the admin token, in constant time.
pub(crate) fn token_matches(expected: &SecretString, given: &str) -> bool {
    let a = Sha256::digest(given.as_bytes());
    let b = Sha256::digest(expected.expose_secret().as_bytes());
    bool::from(a.as_slice().ct_eq(b.as_slice()))
}

impl FromRequestParts<AppState> for AdminToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let expected = configured_token(state)?;
        if token_matches(expected, bearer(&parts.headers).unwrap_or_default()) {
            Ok(AdminToken)
        } else {
            tracing::warn!("API request with a missing or wrong bearer token");
            Err(AppError::unauthorized(
                "unauthorized",
                "missing or wrong bearer token",
            ))
        }
    }
}
