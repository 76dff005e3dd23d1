//! The two error boundaries: HTTP (`AppError`, an opaque JSON body with the
//! right status) and chat (`HandlerError`: text meant for the user, an
//! action's refusal, or an internal failure answered with a reference id).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::actions::{ActionError, Refusal};

/// An HTTP error: `{"error": code, "message": text}` with its status, and
/// `"field"` naming the request's field at fault when one is.
#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
}

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
        }
    }

    /// This error names `field` of the request as the one at fault.
    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unauthorized(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// The database (or another dependency) cannot be reached.
    pub fn unavailable(e: &anyhow::Error) -> Self {
        tracing::error!(error = ?e, "service unavailable");
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the service is temporarily unavailable",
        )
    }

    /// An unexpected failure; logged once here, never echoed to the caller.
    pub fn internal(e: &anyhow::Error) -> Self {
        tracing::error!(error = ?e, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut body = json!({"error": self.code, "message": self.message});
        if let Some(field) = self.field {
            body["field"] = json!(field);
        }
        (self.status, Json(body)).into_response()
    }
}

/// A chat command that did not succeed.
#[derive(Debug)]
pub enum HandlerError {
    /// Text for the user, already in their language.
    User(String),
    /// An action said no; put into words in the user's language.
    Refused(Refusal),
    /// Anything else: the user gets a generic reply with a reference id.
    Internal(anyhow::Error),
}

/// Any error converts; an action's refusal stays a refusal.
impl<E: Into<anyhow::Error>> From<E> for HandlerError {
    fn from(e: E) -> Self {
        let e = e.into();
        let e = match e.downcast::<ActionError>() {
            Ok(ActionError::Refused(r)) => return HandlerError::Refused(r),
            Ok(ActionError::Internal(e)) => e,
            Err(e) => e,
        };
        match e.downcast::<Refusal>() {
            Ok(r) => HandlerError::Refused(r),
            Err(e) => HandlerError::Internal(e),
        }
    }
}

/// Returns early from a handler with a message for the user: a locale
/// text, `user_error!(lang, "key", x)`, or still inline (until
/// tools/locale_convert.py moves it) `user_error!(lang, "中文 {x}", "English {x}")`.
#[macro_export]
macro_rules! user_error {
    ($lang:expr, $zh:literal, $en:literal $(, $($args:tt)+)?) => {
        return Err($crate::error::HandlerError::User($crate::tr!($lang, $zh, $en $(, $($args)+)?)))
    };
    ($($t:tt)+) => {
        return Err($crate::error::HandlerError::User($crate::t!($($t)+)))
    };
}
