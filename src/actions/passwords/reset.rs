//! Forced password changes: everyone in the audience must change their
//! password now, under either policy. One transaction creates the campaign,
//! queues the notices (one message per language) and audits it as
//! `password.reset_required`; reminders follow until each says `password done`.

use serde_json::json;
use sqlx::AnyConnection;

use crate::actions::audience::{Purpose, Targets, resolve};
use crate::actions::{ActionResult, Ctx, Refusal};
use crate::domain::audience::Audience;
use crate::domain::password::messages as text;
use crate::i18n::Lang;
use crate::store::outbox::{self, Outbound};
use crate::store::passwords::{self as db, NewReset};

/// Longest reason accepted for a forced change, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// `password reset-required AUDIENCE REASON`.
#[derive(Clone, Debug)]
pub struct RequireReset {
    pub audience: Audience,
    /// Why (shown to everyone addressed); trimmed.
    pub reason: String,
}

/// A forced change sent.
#[derive(Clone, Debug)]
pub struct ResetRequired {
    pub id: i64,
    /// How many people must change their password.
    pub recipients: usize,
    /// Ids asked for that are unknown or have left.
    pub unknown: Vec<String>,
}

/// Requires everyone in the audience to change their password now.
#[tracing::instrument(skip_all, fields(reset = tracing::field::Empty))]
pub async fn require_reset(ctx: &Ctx<'_>, req: RequireReset) -> ActionResult<ResetRequired> {
    let reason = req.reason.trim();
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(Refusal::ReasonTooLong {
            max: MAX_REASON_CHARS,
        }
        .into());
    }
    let now_ms = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    let Targets { staff_ids, unknown } =
        resolve(tx.conn(), &req.audience, Purpose::PasswordReset).await?;
    if staff_ids.is_empty() {
        return Err(Refusal::NobodyToReset.into());
    }
    let label = req.audience.label();
    let new = NewReset {
        reason,
        audience: &label,
        created_by: ctx.actor.audit_name(),
        staff_ids: &staff_ids,
    };
    let id = db::create_reset(tx.conn(), &new, now_ms).await?;
    tracing::Span::current().record("reset", id);
    notify(tx.conn(), id, reason, &staff_ids, now_ms).await?;
    let details = json!({"audience": label, "recipients": staff_ids.len(),
        "unknown": unknown, "reason": reason});
    tx.audit(
        "password.reset_required",
        &format!("password_reset#{id}"),
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(ResetRequired {
        id,
        recipients: staff_ids.len(),
        unknown,
    })
}

/// Queues the notice of forced change `id` to `staff_ids`, one message per language.
async fn notify(
    conn: &mut AnyConnection,
    id: i64,
    reason: &str,
    staff_ids: &[String],
    now_ms: i64,
) -> anyhow::Result<()> {
    let langs = db::languages(conn, staff_ids).await?;
    for lang in [Lang::Zh, Lang::En] {
        let group: Vec<String> = langs
            .iter()
            .filter(|(_, l)| *l == lang)
            .map(|(s, _)| s.clone())
            .collect();
        if group.is_empty() {
            continue;
        }
        let message = text::reset_notice(lang, id, reason);
        let key = format!("pwreset:{id}:notice:{}", lang.code());
        let out = Outbound::direct(&group, &message)
            .dedupe_key(&key)
            .reference(crate::store::outbox::Reference::PasswordReset(id));
        outbox::enqueue(conn, &out, now_ms).await?;
    }
    Ok(())
}
