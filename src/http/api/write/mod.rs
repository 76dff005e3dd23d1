//! The write side of `/api/v1` (admin scope only): notices created, sent,
//! reminded and closed ([`notices`]) and quiz campaigns assigned
//! ([`quiz`]), through the same actions as chat — same audit entries, same
//! outbox rows. Bodies are JSON objects read field by field ([`Fields`]),
//! so a bad one is a 400 that names its field (`"field"`); an action's
//! refusal is a 400 when a field of the request is at fault, a 404 when the
//! notice in the path does not exist, a 409 when it is not in a state that
//! allows it (closed, not sent yet) — see [`refused`].

mod fields;
pub(crate) mod notices;
pub(crate) mod quiz;

pub use fields::{Fields, JsonBody, audience};

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use chrono_tz::Tz;

use super::{AdminToken, ApiCaller};
use crate::actions::refusal::Viewer;
use crate::actions::{ActionError, Actor, Ctx, Refusal};
use crate::domain::notice::BodyError;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

/// Who is writing: a caller with an admin-scope token — a personal token's
/// owner, or the bootstrap token (audited as `api`); a `read` token is
/// refused with 403 by the extractor.
pub struct Writer(ApiCaller);

impl Writer {
    /// Who the actions and their audit entries name.
    pub fn actor(&self) -> Actor<'_> {
        self.0.actor()
    }

    /// The context the write's action runs in.
    pub fn ctx<'a>(&'a self, state: &'a AppState) -> Ctx<'a> {
        Ctx::new(&state.store, &state.config, state.clock.now(), self.actor())
    }
}

impl FromRequestParts<AppState> for Writer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let AdminToken(caller) = AdminToken::from_request_parts(parts, state).await?;
        Ok(Writer(caller))
    }
}

/// The request field a refusal is about, when a field of the body is at
/// fault (`None`: the notice in the path, or its state).
fn field_of(r: &Refusal) -> Option<&'static str> {
    Some(match r {
        Refusal::TitleTooLong { .. } => "title",
        Refusal::BadNoticeBody { error } => body_field(error),
        Refusal::DeadlineInPast { .. } | Refusal::DeadlinePast { .. } => "deadline",
        Refusal::NoSuchDepartment { .. } => "audience.departments",
        Refusal::GroupAudience { .. } | Refusal::NobodyToSend { .. } | Refusal::NobodyToAssign => {
            "audience"
        }
        Refusal::NoSuchBank { .. } => "bank",
        _ => return None,
    })
}

/// The field a body error is about.
pub fn body_field(e: &BodyError) -> &'static str {
    match e {
        BodyError::BadDeadline(_) | BodyError::TwoDeadlines => "deadline",
        BodyError::TooManyItems | BodyError::BadItem(_) => "checklist",
        BodyError::TooLong => "body",
    }
}

/// A refusal as a JSON error: its stable code, its words (in English, as
/// the API's messages are), 400 with the field / 404 / 409.
pub fn refused(r: &Refusal, tz: Tz) -> AppError {
    let viewer = Viewer {
        lang: Lang::En,
        tz,
        staff: true,
    };
    let message = r.message(viewer);
    match field_of(r) {
        Some(field) => AppError::bad_request(r.code(), message).with_field(field),
        None if matches!(r, Refusal::NotPermitted { .. }) => {
            AppError::new(StatusCode::FORBIDDEN, r.code(), message)
        }
        None if r.is_not_found() => AppError::new(StatusCode::NOT_FOUND, r.code(), message),
        None => AppError::new(StatusCode::CONFLICT, r.code(), message),
    }
}

/// An action's failure as a JSON error: refusals by [`refused`]; a
/// database that cannot be reached is a 503, anything else a 500.
pub fn action_failed(e: ActionError, tz: Tz) -> AppError {
    match e {
        ActionError::Refused(r) => refused(&r, tz),
        ActionError::Internal(e) => super::respond::failed(e),
    }
}
