//! The deadline escalation, once per notice: each active manager hears
//! which of their reports are overdue, the author and HR get a summary.
//! Claimed by its key in the transaction that enqueues the messages.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;
use sqlx::AnyConnection;

use super::{Claimed, audit};
use crate::actions::{ActionResult, Ctx};
use crate::domain::Role;
use crate::domain::inert::inert;
use crate::domain::notice::messages::{NoticeView, Tally, deadline_summary, escalation};
use crate::domain::notice::round::{ESCALATION_KEY, RoundKind};
use crate::i18n::Lang;
use crate::store::notices::{self, NoticeRow, rounds, stats};
use crate::store::outbox::Reference;
use crate::store::outbox::{self, Outbound};

/// What an escalation told whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Escalated {
    /// People overdue (not acknowledged, still in the organisation).
    pub overdue: usize,
    /// Managers told.
    pub managers: usize,
    /// Who got the summary (the author and HR), by staff id.
    pub summary_to: Vec<String>,
}

/// Escalates `notice`, past its deadline, unless that was done before.
#[tracing::instrument(skip_all, fields(notice = notice.id))]
pub async fn escalate(ctx: &Ctx<'_>, notice: &NoticeRow) -> ActionResult<Claimed<Escalated>> {
    let now_ms = ctx.now_ms();
    let actor = ctx.actor.audit_name();
    let kind = RoundKind::Escalate;
    let mut tx = ctx.begin().await?;
    let conn = tx.conn();
    if !rounds::claim(conn, notice.id, kind, ESCALATION_KEY, actor, now_ms).await? {
        return Ok(Claimed::Taken);
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
    rounds::set_count(conn, notice.id, kind, ESCALATION_KEY, overdue.len()).await?;
    let details = json!({"overdue": overdue.len(), "managers": managers, "summary_to": told});
    audit(&mut tx, "notice.escalate", notice.id, details).await?;
    tx.commit().await?;
    tracing::info!(
        notice = notice.id,
        overdue = overdue.len(),
        "notice deadline escalated"
    );
    Ok(Claimed::Ran(Escalated {
        overdue: overdue.len(),
        managers,
        summary_to: told,
    }))
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
            .reference(Reference::Notice(notice.id))
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
    let mut to: BTreeSet<String> = rounds::holders_of(conn, Role::Hr)
        .await?
        .into_iter()
        .collect();
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
            .reference(Reference::Notice(notice.id))
            .dedupe_key(&dedupe);
        outbox::enqueue(conn, &out, now_ms).await?;
    }
    Ok(to)
}
