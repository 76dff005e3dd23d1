//! Who is using the console, as the pages and actions need to know it: the
//! signed-in person's session ([`ConsoleSession`]: who acts and is audited,
//! whether an administrator, the session's form token).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::Response;
use maud::Markup;

use crate::actions::{Actor, Ctx};
use crate::http::admin::ConsoleSession;
use crate::state::AppState;

/// Someone signed in to the console.
#[derive(Clone, Debug)]
pub struct Principal(ConsoleSession);

impl Principal {
    /// Who actions and audit entries name: the person.
    pub fn actor(&self) -> Actor<'_> {
        self.0.actor()
    }

    /// The audit log's name for them (reads of personal data).
    pub fn audit_name(&self) -> &str {
        &self.0.staff_id
    }

    /// Whether they may do what only administrators may (HR may read,
    /// export and remind).
    pub fn is_admin(&self) -> bool {
        self.0.is_admin()
    }

    /// Their session (the page header shows who is signed in).
    pub fn session(&self) -> &ConsoleSession {
        &self.0
    }

    /// The context an action runs in for them.
    pub fn ctx<'a>(&'a self, state: &'a AppState) -> Ctx<'a> {
        Ctx::new(&state.store, &state.config, state.clock.now(), self.actor())
    }

    /// The hidden field with the form token: put it in every form.
    pub fn csrf_input(&self) -> Markup {
        self.0.csrf_input()
    }

    /// A stable, non-secret id of this session: where its confirmation
    /// codes are accepted (a digest of the form token, never the token).
    pub fn venue(&self) -> String {
        let digest = <sha2::Sha256 as sha2::Digest>::digest(self.0.csrf.as_bytes());
        digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        ConsoleSession::from_request_parts(parts, state)
            .await
            .map(Principal)
    }
}
