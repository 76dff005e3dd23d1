//! Use cases: the one layer where state changes. An action takes a [`Ctx`]
//! (store, settings, `now`, who acts) and a typed input, owns its
//! transaction, its audit entry and its outbox rows, and returns a typed
//! outcome or a typed [`Refusal`]. Chat commands, the console, the API, the
//! CLI and scheduler jobs call actions; actions never call them back.

pub mod api_tokens;
pub mod audience;
pub mod confirm;
pub mod console;
pub mod evidence;
pub mod feedback;
pub mod inbox;
pub mod incidents;
pub mod notices;
pub mod outbox;
pub mod passwords;
pub mod quiz;
pub mod refusal;
pub mod replies;
pub mod retention;
pub mod roles;
pub mod roster;
pub mod settings;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::AnyConnection;

pub use inbox::{InboxLost, InboxRun};
pub use refusal::Refusal;

use crate::config::Config;
use crate::domain::User;
use crate::store::audit::{self, AuditEntry};
use crate::store::{Store, WriteTx};

/// Who is acting; recorded as the audit actor.
#[derive(Clone, Copy, Debug)]
pub enum Actor<'a> {
    /// A person on the roster (chat, console).
    Person(&'a User),
    /// The service itself: `scheduler`, `cli`, `dingtalk`, `api`…
    System(&'static str),
}

impl<'a> Actor<'a> {
    /// The name the audit log records.
    pub fn audit_name(&self) -> &str {
        match self {
            Actor::Person(u) => &u.staff_id,
            Actor::System(name) => name,
        }
    }

    /// The person acting, if a person is.
    pub fn person(&self) -> Option<&'a User> {
        match self {
            Actor::Person(u) => Some(u),
            Actor::System(_) => None,
        }
    }
}

/// What every action is given.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub store: &'a Store,
    pub config: &'a Config,
    pub now: DateTime<Utc>,
    pub actor: Actor<'a>,
    /// The inbox run of the chat message being handled, if any: the first
    /// transaction committed marks its row handled ([`inbox`]).
    pub inbox: Option<&'a Arc<InboxRun>>,
}

impl<'a> Ctx<'a> {
    pub fn new(store: &'a Store, config: &'a Config, now: DateTime<Utc>, actor: Actor<'a>) -> Self {
        Self {
            store,
            config,
            now,
            actor,
            inbox: None,
        }
    }

    /// The person acting, for an action only a person takes (`what`
    /// completes "only a person …" in the error otherwise).
    pub fn person_who(&self, what: &str) -> anyhow::Result<&'a User> {
        self.actor
            .person()
            .ok_or_else(|| anyhow::anyhow!("only a person {what}"))
    }

    /// The same context, part of inbox run `run`.
    pub fn in_inbox(self, run: Option<&'a Arc<InboxRun>>) -> Self {
        Self { inbox: run, ..self }
    }

    pub fn now_ms(&self) -> i64 {
        self.now.timestamp_millis()
    }

    /// Begins the action's write transaction.
    pub async fn begin(&self) -> anyhow::Result<Tx> {
        Ok(Tx {
            inner: self.store.begin_write().await?,
            actor: self.actor.audit_name().to_owned(),
            now_ms: self.now_ms(),
            inbox: self.inbox.cloned(),
        })
    }

    /// A pooled connection for reads outside a transaction.
    pub async fn read(&self) -> anyhow::Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.store.pool().acquire().await?)
    }
}

/// An action's transaction: its statements, its audit entries, its outbox
/// rows and (under an inbox run) the message's inbox row marked handled
/// commit together or not at all.
pub struct Tx {
    inner: WriteTx,
    actor: String,
    now_ms: i64,
    inbox: Option<Arc<InboxRun>>,
}

impl Tx {
    /// The connection to run store statements on.
    pub fn conn(&mut self) -> &mut AnyConnection {
        self.inner.conn()
    }

    /// The action's `now`, in epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// Appends an audit entry by the acting person or service.
    pub async fn audit(
        &mut self,
        action: &str,
        subject: &str,
        details: Value,
    ) -> anyhow::Result<()> {
        let entry = AuditEntry {
            actor: &self.actor,
            action,
            subject,
            details,
        };
        audit::append(self.inner.conn(), &entry, self.now_ms).await?;
        Ok(())
    }

    /// Commits; under an inbox run not yet done, marks its row handled
    /// first, and fails with [`InboxLost`] (rolling back) when the run no
    /// longer holds the row.
    pub async fn commit(mut self) -> anyhow::Result<()> {
        let run = self.inbox.take().filter(|r| !r.is_done());
        if let Some(run) = &run {
            let marked =
                crate::store::inbox::mark_done(self.inner.conn(), run.key(), self.now_ms).await?;
            if !marked {
                run.set_lost();
                return Err(InboxLost.into());
            }
        }
        self.inner.commit().await?;
        if let Some(run) = run {
            run.set_done();
        }
        Ok(())
    }
}

/// Why an action did not complete: refused (a rule said no; nothing
/// changed) or failed (anything else).
#[derive(Debug)]
pub enum ActionError {
    Refused(Refusal),
    Internal(anyhow::Error),
}

impl std::fmt::Display for ActionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ActionError::Refused(r) => write!(f, "refused: {r}"),
            ActionError::Internal(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for ActionError {}

impl From<Refusal> for ActionError {
    fn from(r: Refusal) -> Self {
        ActionError::Refused(r)
    }
}

impl From<anyhow::Error> for ActionError {
    fn from(e: anyhow::Error) -> Self {
        ActionError::Internal(e)
    }
}

impl From<sqlx::Error> for ActionError {
    fn from(e: sqlx::Error) -> Self {
        ActionError::Internal(e.into())
    }
}

/// The result of an action.
pub type ActionResult<T> = Result<T, ActionError>;
