//! Retention (issue 17 point 3; PIPL Art. 19 and 47): personal data kept no
//! longer than its purpose needs. One run, in one transaction: every leaver
//! gone longer than `DINGWARDEN_RETENTION_LEAVER_DAYS` is pseudonymised
//! everywhere and the audit entries naming them are redacted; incident and
//! feedback texts older than `…_TEXT_DAYS` are erased; sent payloads older
//! than `…_OUTBOX_DAYS` and dead letters older than `…_DEAD_LETTER_DAYS` are
//! dropped. Rows stay, so counts and report totals do not move. The run is
//! audited (`retention.run`) with counts only; a dry run changes nothing.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use secrecy::ExposeSecret as _;
use serde_json::json;
use sqlx::AnyConnection;

use super::{ActionResult, Ctx};
use crate::domain::retention::{Counts, Pseudonym, Replacement, pseudonym, replace_in_text, scrub};
use crate::store::audit;
use crate::store::retention::{self as db, leaver};

/// What to run.
#[derive(Clone, Copy, Debug, Default)]
pub struct Request {
    /// Count what is due, change nothing, audit nothing.
    pub dry_run: bool,
    /// The scheduler's daily run: at most one per local date.
    pub once_on: Option<NaiveDate>,
}

/// What a run did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Applied(Counts),
    /// What a run would do now.
    DryRun(Counts),
    /// The scheduled run of that day already happened.
    AlreadyRan,
}

/// Whether a daily run is due on `day` (local date): it has not run that
/// day and something has reached its retention period.
pub async fn due_on(ctx: &Ctx<'_>, day: NaiveDate) -> anyhow::Result<bool> {
    let cut = ctx.config.retention.periods.cutoffs(ctx.now);
    let mut conn = ctx.read().await?;
    Ok(
        !db::ran_on(&mut conn, &day.to_string()).await?
            && db::anything_due(&mut conn, &cut).await?,
    )
}

/// Applies (or, dry, counts) everything due at `ctx.now`.
#[tracing::instrument(skip_all)]
pub async fn run(ctx: &Ctx<'_>, req: Request) -> ActionResult<Outcome> {
    let settings = &ctx.config.retention;
    let cut = settings.periods.cutoffs(ctx.now);
    let key: Vec<u8> = match &settings.key {
        Some(k) => k.expose_secret().as_bytes().to_vec(),
        None => rand::random::<[u8; 32]>().to_vec(),
    };
    let now_ms = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    if let Some(day) = req.once_on {
        if !db::claim_day(tx.conn(), &day.to_string(), now_ms).await? {
            return Ok(Outcome::AlreadyRan);
        }
    }
    let mut counts = Counts::default();
    for (staff_id, name) in db::due_leavers(tx.conn(), &cut).await? {
        let p = pseudonym(&key, &staff_id);
        let conn = tx.conn();
        counts.rows_pseudonymised +=
            leaver::pseudonymise(conn, &staff_id, &name, &p, now_ms).await?;
        redact_audit(conn, (&staff_id, &name), &p, now_ms, &mut counts).await?;
        counts.leavers += 1;
    }
    counts.texts_erased = db::erase_texts(tx.conn(), &cut, now_ms).await?;
    counts.payloads_dropped = db::drop_sent(tx.conn(), &cut, now_ms).await?;
    counts.dead_letters_dropped = db::drop_dead(tx.conn(), &cut, now_ms).await?;
    if req.dry_run {
        return Ok(Outcome::DryRun(counts)); // dropping the transaction undoes it all
    }
    let p = settings.periods;
    let details = json!({
        "counts": counts,
        "days": {"leaver": p.leaver_days, "text": p.text_days, "outbox": p.outbox_days,
                 "dead_letter": p.dead_letter_days},
        "keyed": settings.key.is_some(),
    });
    tx.audit("retention.run", "retention", details).await?;
    tx.commit().await?;
    Ok(Outcome::Applied(counts))
}

/// Redacts the audit entries that name the leaver (as actor, in the
/// subject, or in the details, by id or by name); their staff id becomes
/// the pseudonym in actor and subject. Entries of the old form cannot be
/// redacted: they are counted.
async fn redact_audit(
    conn: &mut AnyConnection,
    (staff_id, name): (&str, &str),
    p: &Pseudonym,
    now_ms: i64,
    counts: &mut Counts,
) -> anyhow::Result<()> {
    let mut reps = vec![Replacement {
        find: staff_id,
        with: &p.staff_id,
    }];
    if name.chars().count() >= 2 {
        reps.push(Replacement {
            find: name,
            with: &p.name,
        });
    }
    let mut candidates = Vec::new();
    for r in &reps {
        candidates.extend(audit::mentioning(conn, r.find).await?);
    }
    let mut seen = BTreeSet::new();
    for row in candidates {
        let named = row.actor == staff_id
            || [&row.subject, &row.details]
                .iter()
                .any(|text| reps.iter().any(|r| replace_in_text(text, r).is_some()));
        if !named || !seen.insert(row.seq) {
            continue;
        }
        let actor = scrub(&row.actor, &reps).unwrap_or(row.actor);
        let subject = scrub(&row.subject, &reps).unwrap_or(row.subject);
        match (&row.payload_hash, &row.payload_salt) {
            (Some(_), Some(_)) => {
                audit::redact(conn, row.seq, &actor, &subject, now_ms).await?;
                counts.audit_redacted += 1;
            }
            (Some(_), None) => audit::rename_redacted(conn, row.seq, &actor, &subject).await?,
            (None, _) => counts.audit_unredactable += 1,
        }
    }
    Ok(())
}
