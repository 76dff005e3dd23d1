//! The notices job, run on every scheduler tick: reminds people who have not
//! acknowledged an open notice once per cadence (24 h) until its deadline,
//! and once the deadline has passed escalates the overdue to their managers
//! and sends a summary to the author and HR. Nothing happens in quiet hours.
//! Every round is claimed by a unique key in the transaction that enqueues
//! its messages, so repeated ticks and a second replica never repeat one.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::AnyConnection;

use crate::domain::inert::inert;
use crate::domain::notice::messages::{NoticeView, Tally, deadline_summary, escalation, reminder};
use crate::domain::notice::remind_round;
use crate::domain::schedule::is_quiet;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::store::audit::{self, AuditEntry};
use crate::store::notices::{self, NoticeRow, rounds, stats};
use crate::store::outbox::{self, Outbound, Priority};

/// How often people who have not acknowledged are reminded.
pub const CADENCE_MS: i64 = 24 * 3600 * 1000;

/// Runs the reminder and escalation rounds due at `now`.
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> anyhow::Result<()> {
    let config = &state.config;
    if is_quiet(config.quiet_hours, config.timezone, now) {
        return Ok(());
    }
    let now_ms = now.timestamp_millis();
    let open = {
        let mut conn = state.store.pool().acquire().await?;
        notices::open_sent(&mut conn).await?
    };
    for notice in &open {
        if notice.is_past_deadline(now_ms) {
            escalate(state, notice, now_ms).await?;
        } else {
            remind_due(state, notice, now_ms).await?;
        }
    }
    Ok(())
}

/// Whether a round was already run (a cheap read before taking the writer).
async fn round_done(state: &AppState, id: i64, kind: &str, key: &str) -> anyhow::Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM notice_rounds WHERE notice_id = $1 AND kind = $2 AND round_key = $3",
    )
    .bind(id)
    .bind(kind)
    .bind(key)
    .fetch_one(state.store.pool())
    .await?;
    Ok(n > 0)
}

async fn remind_due(state: &AppState, notice: &NoticeRow, now_ms: i64) -> anyhow::Result<()> {
    let Some(sent_at) = notice.sent_at else {
        return Ok(());
    };
    let round = remind_round(sent_at, now_ms, CADENCE_MS);
    let key = round.to_string();
    if round < 1 || round_done(state, notice.id, "remind", &key).await? {
        return Ok(());
    }
    let mut tx = state.store.begin_write().await?;
    if !rounds::claim(tx.conn(), notice.id, "remind", &key, "scheduler", now_ms).await? {
        return Ok(());
    }
    // People reminded (or added) within half a cadence are left alone this round.
    let since = now_ms - CADENCE_MS / 2;
    let round_key = format!("remind:{round}");
    let n = enqueue_reminders(tx.conn(), notice, since, &round_key, None, now_ms).await?;
    rounds::set_count(tx.conn(), notice.id, "remind", &key, n).await?;
    let entry = AuditEntry {
        actor: "scheduler",
        action: "notice.remind",
        subject: &format!("notice:{}", notice.id),
        details: json!({"round": round, "recipients": n}),
    };
    audit::append(tx.conn(), &entry, now_ms).await?;
    tx.commit().await?;
    if n > 0 {
        tracing::info!(
            notice = notice.id,
            round,
            recipients = n,
            "notice reminders queued"
        );
    }
    Ok(())
}

/// Enqueues a reminder (in each one's language) for everyone who has not
/// acknowledged and was not reminded or added after `since_ms`, and counts
/// it on their row. `key` names the round in the outbox dedupe keys.
/// Returns how many people it reminds.
pub async fn enqueue_reminders(
    conn: &mut AnyConnection,
    notice: &NoticeRow,
    since_ms: i64,
    key: &str,
    not_before: Option<i64>,
    now_ms: i64,
) -> anyhow::Result<usize> {
    let targets = rounds::remind_targets(conn, notice.id, since_ms).await?;
    if targets.is_empty() {
        return Ok(0);
    }
    let items = notices::items(conn, notice.id).await?;
    let view = notice.view(&items);
    for lang in [Lang::Zh, Lang::En] {
        let ids: Vec<String> = targets
            .iter()
            .filter(|t| Lang::from_code(&t.lang) == lang)
            .map(|t| t.staff_id.clone())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let msg = reminder(&view, lang);
        let dedupe = format!("notice:{}:{key}:{}", notice.id, lang.code());
        let mut out = Outbound::direct(&ids, &msg)
            .priority(Priority::Bulk)
            .reference("notice", notice.id)
            .dedupe_key(&dedupe);
        if let Some(at) = not_before {
            out = out.not_before(at);
        }
        outbox::enqueue(conn, &out, now_ms).await?;
    }
    let ids: Vec<String> = targets.into_iter().map(|t| t.staff_id).collect();
    rounds::mark_reminded(conn, notice.id, &ids, now_ms).await?;
    Ok(ids.len())
}

/// Once per notice after its deadline: each manager hears about their
/// overdue reports, the author and HR get a summary.
async fn escalate(state: &AppState, notice: &NoticeRow, now_ms: i64) -> anyhow::Result<()> {
    if round_done(state, notice.id, "escalate", "deadline").await? {
        return Ok(());
    }
    let mut tx = state.store.begin_write().await?;
    let conn = tx.conn();
    if !rounds::claim(conn, notice.id, "escalate", "deadline", "scheduler", now_ms).await? {
        return Ok(());
    }
    let items = notices::items(conn, notice.id).await?;
    let view = notice.view(&items);
    let overdue = rounds::overdue(conn, notice.id).await?;
    let managers = notify_managers(conn, notice, &view, &overdue, now_ms).await?;
    let names: Vec<String> = overdue
        .iter()
        .map(|o| display_name(&o.name, &o.staff_id))
        .collect();
    let told = send_summary(conn, notice, &view, managers, &names, now_ms).await?;
    rounds::set_count(conn, notice.id, "escalate", "deadline", overdue.len()).await?;
    let entry = AuditEntry {
        actor: "scheduler",
        action: "notice.escalate",
        subject: &format!("notice:{}", notice.id),
        details: json!({"overdue": overdue.len(), "managers": managers, "summary_to": told}),
    };
    audit::append(conn, &entry, now_ms).await?;
    tx.commit().await?;
    tracing::info!(
        notice = notice.id,
        overdue = overdue.len(),
        "notice deadline escalated"
    );
    Ok(())
}

/// Tells each active manager which of their reports are overdue and stamps
/// those reports as escalated; returns how many managers were told.
async fn notify_managers(
    conn: &mut AnyConnection,
    notice: &NoticeRow,
    view: &NoticeView<'_>,
    overdue: &[rounds::Overdue],
    now_ms: i64,
) -> anyhow::Result<usize> {
    let managers: Vec<String> = overdue
        .iter()
        .filter_map(|o| o.manager.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    // Only managers still active on the roster are told.
    let manager_langs = rounds::langs(conn, &managers).await?;
    let mut reports: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut escalated = Vec::new();
    for o in overdue {
        if let Some(m) = o
            .manager
            .as_deref()
            .filter(|m| manager_langs.contains_key(*m))
        {
            reports
                .entry(m)
                .or_default()
                .push(display_name(&o.name, &o.staff_id));
            escalated.push(o.staff_id.clone());
        }
    }
    for (manager, names) in &reports {
        let lang = Lang::from_code(&manager_langs[*manager]);
        let msg = escalation(view, lang, names);
        let dedupe = format!("notice:{}:escalate:{manager}", notice.id);
        let to = [(*manager).to_owned()];
        let out = Outbound::direct(&to, &msg)
            .reference("notice", notice.id)
            .dedupe_key(&dedupe);
        outbox::enqueue(conn, &out, now_ms).await?;
    }
    rounds::mark_escalated(conn, notice.id, &escalated, now_ms).await?;
    Ok(reports.len())
}

/// `name（staff_id）`, or the staff id alone when the name is unknown; both
/// made inert (they come from profiles and rosters).
fn display_name(name: &str, staff_id: &str) -> String {
    let (name, staff_id) = (inert(name), inert(staff_id));
    if name.is_empty() {
        staff_id
    } else {
        format!("{name}（{staff_id}）")
    }
}

/// The deadline summary for the author and everyone with the HR role.
async fn send_summary(
    conn: &mut AnyConnection,
    notice: &NoticeRow,
    view: &NoticeView<'_>,
    managers: usize,
    overdue_names: &[String],
    now_ms: i64,
) -> anyhow::Result<Vec<String>> {
    let depts = stats::by_department(conn, notice).await?;
    let all = stats::DeptTally::sum(&depts, "");
    let tally = Tally {
        total: all.total,
        acked: all.acked,
        overdue: all.waiting(),
        left: all.left_count,
    };
    let mut to: BTreeSet<String> = rounds::holders_of(conn, "hr").await?.into_iter().collect();
    to.insert(notice.author.clone());
    let to: Vec<String> = to.into_iter().collect();
    let langs = rounds::langs(conn, &to).await?;
    for lang in [Lang::Zh, Lang::En] {
        let ids: Vec<String> = to
            .iter()
            .filter(|s| langs.get(*s).map_or(Lang::Zh, |l| Lang::from_code(l)) == lang)
            .cloned()
            .collect();
        if ids.is_empty() {
            continue;
        }
        let msg = deadline_summary(view, lang, tally, managers, overdue_names);
        let dedupe = format!("notice:{}:summary:{}", notice.id, lang.code());
        let out = Outbound::direct(&ids, &msg)
            .reference("notice", notice.id)
            .dedupe_key(&dedupe);
        outbox::enqueue(conn, &out, now_ms).await?;
    }
    Ok(to)
}
