//! Confirmation before what changes someone's power (issue 12 point 2):
//! `role grant`, `role revoke` and `offboard` do nothing at first.
//! [`request`] checks the request as its action would, stores it with the
//! SHA-256 of a one-time code and audits `*.requested`; [`confirm`] takes
//! the code from the same person, in the same venue (conversation or
//! console session), within five minutes, once, and executes the stored
//! request through its own action (audited `*.confirmed`, then the action's
//! entry). Wrong codes are audited and, at five, void every open
//! confirmation of that person. Entry-point neutral: chat and console call
//! the same two functions.

mod check;
mod execute;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

pub use execute::{Confirmed, confirm};

use super::{ActionError, ActionResult, Ctx, Refusal};
use crate::domain::confirm::{self, Request};
use crate::domain::{Named, User};
use crate::store::confirmations::{self, NewConfirmation};

/// Where a request was made, and so where its code is accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Venue<'a> {
    /// A DingTalk conversation (1:1 or group), by its conversation id.
    Chat(&'a str),
    /// Another entry point (the console), by a stable, non-secret id of
    /// the signed-in session (never the session cookie itself).
    Console(&'a str),
}

impl Venue<'_> {
    /// The stored form.
    fn key(self) -> String {
        match self {
            Venue::Chat(id) => format!("chat:{id}"),
            Venue::Console(id) => format!("console:{id}"),
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Venue::Chat(_) => "chat",
            Venue::Console(_) => "console",
        }
    }
}

/// A request waiting for its code.
#[derive(Clone, Debug)]
pub struct Requested {
    /// The code, to show the requester once; only its hash is kept.
    pub code: String,
    pub expires_at: DateTime<Utc>,
    pub request: Request,
    /// Who it is about, as messages name them.
    pub who: Named,
}

/// How far back confirmations are looked at; older ones are deleted.
fn kept() -> Duration {
    Duration::days(1)
}

/// The acting person, when they may make (or confirm) `request`.
fn requester<'c>(ctx: &'c Ctx<'_>, request: &Request) -> ActionResult<&'c User> {
    match ctx.actor.person() {
        Some(me) if me.may(request.needs()) => Ok(me),
        _ => Err(Refusal::NotPermitted {
            needs: request.needs(),
        }
        .into()),
    }
}

/// Stores `request` for confirmation in `venue` when its action would take
/// it now (otherwise its refusal, and nothing is stored).
#[tracing::instrument(skip_all, fields(action = request.action()))]
pub async fn request(ctx: &Ctx<'_>, venue: Venue<'_>, request: Request) -> ActionResult<Requested> {
    let me = requester(ctx, &request)?;
    let mut tx = ctx.begin().await?;
    let who = match check::would_take(tx.conn(), &request).await {
        Err(ActionError::Refused(last @ Refusal::LastAdmin { .. })) => {
            // As the revocation itself would: the attempt is on record.
            let details = json!({"role": "admin", "reason": "last_admin"});
            tx.audit("role.revoke.refused", request.staff_id(), details)
                .await?;
            tx.commit().await?;
            return Err(last.into());
        }
        other => other?,
    };
    confirmations::purge(tx.conn(), (ctx.now - kept()).timestamp_millis()).await?;
    let code = confirm::code_from(rand::random());
    let expires_at = ctx.now + confirm::window();
    let stored = request.to_json().to_string();
    let (code_hash, venue_key) = (confirm::hash(&code), venue.key());
    let new = NewConfirmation {
        requester: &me.staff_id,
        venue: &venue_key,
        action: request.action(),
        request: &stored,
        code_hash: &code_hash,
        expires_at: expires_at.timestamp_millis(),
    };
    let id = confirmations::insert(tx.conn(), &new, ctx.now_ms()).await?;
    let mut details = request.to_json();
    details["confirmation"] = json!(id);
    details["venue"] = json!(venue.kind());
    details["expires_at"] = json!(new.expires_at);
    let action = format!("{}.requested", request.action());
    tx.audit(&action, &request.subject(), details).await?;
    tx.commit().await?;
    Ok(Requested {
        code,
        expires_at,
        request,
        who,
    })
}
