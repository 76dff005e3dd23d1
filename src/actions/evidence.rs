//! Exporting an evidence bundle (`dingwarden evidence export`, and the
//! console's download): every section read from one snapshot of the
//! database, written into the ZIP ([`crate::evidence`]) with its hash, the
//! manifest and its signature (`DINGWARDEN_EVIDENCE_KEY`) last; then the
//! export itself is audited (`evidence.export`, with the manifest's
//! SHA-256, so the live log names the bundle handed out). A refused or
//! failed export audits nothing.

use std::collections::BTreeMap;
use std::io::{Seek, Write};

use chrono::NaiveDate;
use chrono_tz::Tz;
use serde_json::json;
use sqlx::AnyConnection;

use super::{ActionResult, Ctx, Refusal};
use crate::domain::audit::{Content, content};
use crate::domain::notice::export::rfc3339;
use crate::domain::roster::local_midnight_ms;
use crate::evidence::bundle::BundleWriter;
use crate::evidence::manifest::{AUDIT_LOG, AuditSpan, FORMAT, Manifest, Period};
use crate::evidence::readme;
use crate::evidence::sections::{self as s, csv, json_bytes, table_json};
use crate::reports::audit::{PAGE, export_line};
use crate::store::audit;
use crate::store::evidence as db;

/// What to export.
#[derive(Clone, Debug, Default)]
pub struct ExportRequest {
    /// Records from this local date on (and those still open); `None`: all.
    pub since: Option<NaiveDate>,
    /// Only these notices (the other sections cover the period); `None`: all.
    pub notices: Option<Vec<i64>>,
}

/// What was exported.
#[derive(Clone, Debug)]
pub struct Exported {
    pub manifest_sha256: String,
    pub counts: BTreeMap<String, i64>,
    pub files: usize,
    /// The `evidence.export` audit entry.
    pub audit_seq: i64,
}

type Counts = BTreeMap<String, i64>;

/// Writes the bundle into `out`, signed with the configured key if there
/// is one, and audits the export by the acting person or service; returns
/// `out`. Refused ([`Refusal::NoSuchNotice`]) before anything is written.
#[tracing::instrument(skip_all)]
pub async fn export<W: Write + Seek>(
    ctx: &Ctx<'_>,
    req: &ExportRequest,
    out: W,
) -> ActionResult<(W, Exported)> {
    let tz = ctx.config.timezone;
    let since_ms = req.since.map_or(i64::MIN, |d| local_midnight_ms(tz, d));
    let now_ms = ctx.now_ms();
    let mut snap = db::snapshot(ctx.store).await?;
    let notices = select_notices(&mut snap, req, since_ms).await?;
    let mut bundle = BundleWriter::new(out, ctx.now.with_timezone(&tz).naive_local());
    let mut counts = Counts::new();
    bundle.add("README.txt", readme::TEXT.as_bytes())?;
    write_notices(&mut snap, &mut bundle, &notices, tz, now_ms, &mut counts).await?;
    write_quiz(&mut snap, &mut bundle, since_ms, tz, &mut counts).await?;
    write_passwords(&mut snap, &mut bundle, since_ms, tz, &mut counts).await?;
    write_reports(&mut snap, &mut bundle, since_ms, tz, &mut counts).await?;
    write_roster(&mut snap, &mut bundle, tz, &mut counts).await?;
    let span = write_audit(&mut snap, &mut bundle, since_ms, tz).await?;
    snap.rollback().await?;
    counts.insert("audit_entries".into(), span.entries);
    let actor = ctx.actor.audit_name().to_owned();
    let manifest = manifest(req, &actor, tz, now_ms, counts, span);
    let key = ctx.config.evidence_key.as_ref();
    let (out, manifest, sha) = bundle.finish(manifest, key)?;
    let audit_seq = audit_export(ctx, req, &manifest, &sha, key.is_some()).await?;
    let exported = Exported {
        manifest_sha256: sha,
        counts: manifest.counts,
        files: manifest.files.len(),
        audit_seq,
    };
    Ok((out, exported))
}

/// The manifest, before the files are listed and the key named.
fn manifest(
    req: &ExportRequest,
    actor: &str,
    tz: Tz,
    now_ms: i64,
    counts: Counts,
    audit: AuditSpan,
) -> Manifest {
    Manifest {
        format: FORMAT.into(),
        what: "Evidence bundle of dingwarden: notices and acknowledgements, quiz training, \
               password rotation, incidents, the roster and the hash-chained audit log"
            .into(),
        generator: format!("dingwarden {}", env!("CARGO_PKG_VERSION")),
        generated_at: rfc3339(tz, now_ms),
        generated_at_ms: now_ms,
        generated_by: actor.to_owned(),
        timezone: tz.name().into(),
        period: Period {
            since: req.since.map(|d| d.to_string()),
            until: rfc3339(tz, now_ms),
        },
        notices: req.notices.clone(),
        counts,
        audit,
        signing_key: None,
        files: Vec::new(),
    }
}

/// Records the export (`evidence.export`): what was asked, the manifest's
/// SHA-256, the audit head it carries and the counts, never the data.
async fn audit_export(
    ctx: &Ctx<'_>,
    req: &ExportRequest,
    manifest: &Manifest,
    sha: &str,
    signed: bool,
) -> anyhow::Result<i64> {
    let details = json!({
        "since": req.since.map(|d| d.to_string()), "notices": req.notices,
        "manifest_sha256": sha, "audit_head": manifest.audit.last_seq, "signed": signed,
        "counts": manifest.counts,
    });
    let entry = audit::AuditEntry {
        actor: ctx.actor.audit_name(),
        action: "evidence.export",
        subject: "evidence_bundle",
        details,
    };
    let mut tx = ctx.begin().await?;
    let seq = audit::append(tx.conn(), &entry, ctx.now_ms()).await?;
    tx.commit().await?;
    Ok(seq)
}

/// The notices to export: those asked for (each must exist), or the period's.
async fn select_notices(
    conn: &mut AnyConnection,
    req: &ExportRequest,
    since_ms: i64,
) -> ActionResult<Vec<db::NoticeRecord>> {
    let Some(ids) = &req.notices else {
        return Ok(db::notices(conn, since_ms).await?);
    };
    let mut out = Vec::new();
    for &id in ids {
        match db::notice(conn, id).await? {
            Some(n) if !out.iter().any(|o: &db::NoticeRecord| o.id == id) => out.push(n),
            Some(_) => {}
            None => return Err(Refusal::NoSuchNotice { id }.into()),
        }
    }
    Ok(out)
}

async fn write_notices<W: Write + Seek>(
    conn: &mut AnyConnection,
    bundle: &mut BundleWriter<W>,
    notices: &[db::NoticeRecord],
    tz: Tz,
    now_ms: i64,
    counts: &mut Counts,
) -> anyhow::Result<()> {
    use crate::domain::notice::export::{to_csv, to_json};
    use crate::store::notices::{items, stats};
    let mut listed = Vec::new();
    let (mut recipients, mut acked) = (0, 0);
    for n in notices {
        let rows = stats::export(conn, n.id, now_ms).await?.unwrap_or_default();
        let done = rows.iter().filter(|r| r.acked_at.is_some()).count();
        let checklist = items(conn, n.id).await?;
        let ticks = stats::item_ticks(conn, n.id).await?;
        listed.push(s::notice(n, &checklist, &ticks, rows.len(), done, tz));
        let stem = format!("notices/notice-{}-acks", n.id);
        bundle.add(&format!("{stem}.csv"), &to_csv(&rows, tz)?)?;
        bundle.add(&format!("{stem}.json"), &json_bytes(&to_json(&rows, tz))?)?;
        recipients += rows.len();
        acked += done;
    }
    bundle.add("notices/notices.json", &json_bytes(&listed.into())?)?;
    counts.insert("notices".into(), notices.len() as i64);
    counts.insert("notice_recipients".into(), recipients as i64);
    counts.insert("notice_acknowledged".into(), acked as i64);
    Ok(())
}

async fn write_quiz<W: Write + Seek>(
    conn: &mut AnyConnection,
    bundle: &mut BundleWriter<W>,
    since_ms: i64,
    tz: Tz,
    counts: &mut Counts,
) -> anyhow::Result<()> {
    use crate::reports::quiz::export::{to_csv, to_json};
    let campaigns = db::campaigns(conn, since_ms).await?;
    bundle.add(
        "quiz/campaigns.json",
        &json_bytes(&s::campaigns(&campaigns, tz))?,
    )?;
    let attempts = crate::store::quiz::stats::export_since(conn, since_ms).await?;
    bundle.add("quiz/attempts.csv", to_csv(&attempts, tz)?.as_bytes())?;
    bundle.add("quiz/attempts.json", &json_bytes(&to_json(&attempts, tz))?)?;
    counts.insert("quiz_campaigns".into(), campaigns.len() as i64);
    counts.insert("quiz_attempts".into(), attempts.len() as i64);
    Ok(())
}

async fn write_passwords<W: Write + Seek>(
    conn: &mut AnyConnection,
    bundle: &mut BundleWriter<W>,
    since_ms: i64,
    tz: Tz,
    counts: &mut Counts,
) -> anyhow::Result<()> {
    let policy = audit::with_action(conn, "password.policy", since_ms).await?;
    let changes = s::policy_changes(&policy, tz);
    bundle.add("passwords/policy-changes.json", &json_bytes(&changes)?)?;
    let confirmed = db::confirmations(conn, since_ms).await?;
    let rows = s::confirmation_rows(&confirmed, tz);
    bundle.add(
        "passwords/confirmations.csv",
        &csv(&s::CONFIRMATION_COLUMNS, &rows)?,
    )?;
    let v = table_json(&s::CONFIRMATION_COLUMNS, &rows);
    bundle.add("passwords/confirmations.json", &json_bytes(&v)?)?;
    let resets = db::resets(conn, since_ms).await?;
    bundle.add(
        "passwords/forced-changes.json",
        &json_bytes(&s::resets(&resets, tz))?,
    )?;
    let targets = s::target_rows(&db::reset_targets(conn, since_ms).await?, tz);
    bundle.add(
        "passwords/forced-change-targets.csv",
        &csv(&s::TARGET_COLUMNS, &targets)?,
    )?;
    counts.insert("password_policy_changes".into(), policy.len() as i64);
    counts.insert("password_confirmations".into(), confirmed.len() as i64);
    counts.insert("password_forced_changes".into(), resets.len() as i64);
    Ok(())
}

async fn write_reports<W: Write + Seek>(
    conn: &mut AnyConnection,
    bundle: &mut BundleWriter<W>,
    since_ms: i64,
    tz: Tz,
    counts: &mut Counts,
) -> anyhow::Result<()> {
    let incidents = db::incidents(conn, since_ms).await?;
    let v = s::reports("incident", &incidents, tz);
    bundle.add("incidents/incidents.json", &json_bytes(&v)?)?;
    let feedback = db::feedback(conn, since_ms).await?;
    let v = s::reports("feedback", &feedback, tz);
    bundle.add("incidents/feedback.json", &json_bytes(&v)?)?;
    counts.insert("incidents".into(), incidents.len() as i64);
    counts.insert("feedback".into(), feedback.len() as i64);
    Ok(())
}

async fn write_roster<W: Write + Seek>(
    conn: &mut AnyConnection,
    bundle: &mut BundleWriter<W>,
    tz: Tz,
    counts: &mut Counts,
) -> anyhow::Result<()> {
    let users = db::users(conn).await?;
    let roles = db::roles(conn).await?;
    let rows = s::user_rows(&users, &roles, tz);
    bundle.add("roster/users.csv", &csv(&s::USER_COLUMNS, &rows)?)?;
    bundle.add(
        "roster/users.json",
        &json_bytes(&table_json(&s::USER_COLUMNS, &rows))?,
    )?;
    counts.insert("users".into(), users.len() as i64);
    let active = users.iter().filter(|u| u.active == 1).count();
    counts.insert("users_active".into(), active as i64);
    Ok(())
}

/// Streams the chain from the period's first entry to the head.
async fn write_audit<W: Write + Seek>(
    conn: &mut AnyConnection,
    bundle: &mut BundleWriter<W>,
    since_ms: i64,
    tz: Tz,
) -> anyhow::Result<AuditSpan> {
    let current_form_from = audit::current_form_from(&mut *conn).await?;
    let first = audit::first_seq_since(conn, since_ms).await?;
    let mut span = AuditSpan {
        entries: 0,
        first_seq: None,
        first_prev_hash: None,
        last_seq: None,
        head: None,
        current_form_from,
        redacted: 0,
    };
    bundle.begin(AUDIT_LOG)?;
    let mut after = first.map_or(i64::MAX, |f| f - 1);
    loop {
        let rows = audit::page(&mut *conn, after, i64::MIN, PAGE).await?;
        for row in &rows {
            if span.first_seq.is_none() {
                span.first_seq = Some(row.seq);
                span.first_prev_hash = Some(row.prev_hash.clone());
            }
            if content(&row.chain_entry(), current_form_from) == Content::Redacted {
                span.redacted += 1;
            }
            let mut line = export_line(row, tz).to_string();
            line.push('\n');
            bundle.write(line.as_bytes())?;
            span.entries += 1;
            span.last_seq = Some(row.seq);
            span.head = Some(row.hash.clone());
        }
        match rows.last() {
            Some(last) if rows.len() as i64 == PAGE => after = last.seq,
            _ => break,
        }
    }
    bundle.end()?;
    Ok(span)
}
