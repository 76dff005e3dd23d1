//! Banks: the built-in bank kept current, imports (the command line), and
//! the list people choose from. An import that writes a new version is
//! audited as `quiz.import` in the same transaction.

use serde_json::json;
use sqlx::AnyConnection;

use crate::actions::{ActionResult, Ctx};
use crate::domain::quiz::{self, Bank};
use crate::store::Store;
use crate::store::audit::{self, AuditEntry};
pub use crate::store::quiz::banks::Imported;
use crate::store::quiz::banks::{self, BankVersion};

/// Who imports the built-in bank.
pub const BUILTIN_ACTOR: &str = "system";

/// Writes `bank` (if its content changed) and audits the new version.
async fn record(
    conn: &mut AnyConnection,
    bank: &Bank,
    builtin: bool,
    by: &str,
    now_ms: i64,
) -> anyhow::Result<Imported> {
    let done = banks::import(conn, bank, builtin, by, now_ms).await?;
    if let Imported::New { version, questions } = done {
        let entry = AuditEntry {
            actor: by,
            action: "quiz.import",
            subject: &format!("quiz_bank:{}", bank.id),
            details: json!({"version": version, "questions": questions,
                "hash": bank.content_hash()}),
        };
        audit::append(conn, &entry, now_ms).await?;
    }
    Ok(done)
}

/// Imports the built-in bank if it is missing or differs from the current
/// version. Cheap when nothing changed: one read. Called at startup and
/// before anything that lists or starts quizzes.
#[tracing::instrument(skip_all)]
pub async fn ensure_builtin(store: &Store, now_ms: i64) -> anyhow::Result<()> {
    let bank = quiz::default_bank()?;
    let hash = quiz::default_bank_hash()?;
    let current = banks::current_hash(&mut *store.read().await?, &bank.id).await?;
    if current.as_deref() == Some(hash) {
        return Ok(());
    }
    let mut tx = store.begin_write().await?;
    match record(tx.conn(), bank, true, BUILTIN_ACTOR, now_ms).await {
        Ok(Imported::New { version, questions }) => {
            tx.commit().await?;
            tracing::info!(version, questions, "built-in quiz bank imported");
            Ok(())
        }
        Ok(Imported::Unchanged { .. }) => Ok(()),
        // Another replica imported it at the same moment.
        Err(e)
            if e.downcast_ref::<sqlx::Error>()
                .is_some_and(crate::store::is_unique_violation) =>
        {
            Ok(())
        }
        Err(e) => Err(e),
    }
}

/// Adds a bank or, if its content changed, a new version of it, imported by
/// the actor.
#[tracing::instrument(skip_all, fields(bank = %bank.id))]
pub async fn import(ctx: &Ctx<'_>, bank: &Bank) -> ActionResult<Imported> {
    let mut tx = ctx.begin().await?;
    let done = record(tx.conn(), bank, false, ctx.actor.audit_name(), ctx.now_ms()).await?;
    tx.commit().await?;
    Ok(done)
}

/// Every bank's current version, by key (the built-in one included).
pub async fn list(ctx: &Ctx<'_>) -> anyhow::Result<Vec<BankVersion>> {
    ensure_builtin(ctx.store, ctx.now_ms()).await?;
    banks::list(&mut *ctx.read().await?).await
}
