//! Reports for admins and HR: `notices` (the list with progress) and
//! `notice status ID` (acknowledged/total, by department, per checklist
//! item, the first people still pending), read through
//! [`crate::reports::notices`] (figures aggregated in SQL).

use super::{Ctx, local};
use crate::actions::Refusal;
use crate::commands::HandlerResult;
use crate::domain::inert::inert;
use crate::domain::notice::{NoticeStatus, kind_label, percent};
use crate::domain::{Person, Reply};
use crate::error::HandlerError;
use crate::i18n::Lang;
use crate::reports::notices::{self, DeptTally, ItemProgress, NoticeRow, Status};
use crate::t;

/// How many notices `notices` lists.
const LIST_LIMIT: i64 = 20;
/// How many departments `notice status` shows.
const DEPT_LIMIT: usize = 30;
/// How many pending names `notice status` shows.
const NAMES_LIMIT: i64 = 10;

fn status_label(n: &NoticeRow, lang: Lang) -> String {
    match n.status {
        NoticeStatus::Draft => t!(lang, "commands-notice-status-draft"),
        NoticeStatus::Closed => t!(lang, "commands-notice-status-closed"),
        NoticeStatus::Sent => t!(lang, "actions-refusal-incidents-sent"),
    }
}

/// `notices`: the newest notices with their progress.
pub async fn list(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let rows = notices::list(&ctx.state.store, None, LIST_LIMIT).await?;
    if rows.is_empty() {
        return Ok(Reply::text(t!(
            lang,
            "commands-notice-status-no-notices-yet-send-notice-template"
        )));
    }
    let mut text = t!(lang, "commands-notice-status-notices");
    for l in &rows {
        let n = &l.notice;
        let kind = kind_label(n.kind, lang)
            .map(|k| format!("[{k}] "))
            .unwrap_or_default();
        let state = status_label(n, lang);
        let (acked, total) = (l.acked, l.total);
        let pct = percent(acked, total);
        text.push_str(&format!("\n- #{} {kind}{} · {state}", n.id, n.title));
        if n.status != NoticeStatus::Draft {
            text.push_str(&t!(lang, "commands-notice-status-acked", acked, total, pct));
        }
        if let Some(d) = &n.deadline_date {
            text.push_str(&t!(lang, "commands-notice-status-due", d));
        }
    }
    Ok(Reply::markdown(
        t!(lang, "commands-notice-status-notices-2"),
        text,
    ))
}

/// `notice status ID`.
pub async fn status(ctx: &Ctx<'_>, id: i64) -> HandlerResult {
    let lang = ctx.lang();
    let Some(s) = notices::status(&ctx.state.store, id, ctx.now, NAMES_LIMIT).await? else {
        return Err(HandlerError::Refused(Refusal::NoSuchNotice { id }));
    };
    let all = &s.all;
    let mut text = header(ctx, &s);
    if all.total > 0 {
        text.push_str(&departments(lang, &s.departments));
        text.push_str(&checklist(lang, &s.checklist, all));
        text.push_str(&who_did_what(ctx, &s));
        if !s.waiting.is_empty() {
            let names: Vec<String> = s
                .waiting
                .iter()
                .map(|(staff_id, name)| Person { staff_id, name }.label(lang))
                .collect();
            let shown = names.len();
            let list = names.join(&crate::i18n::list_separator(lang));
            text.push_str(&t!(
                lang,
                "commands-notice-status-not-acknowledged-yet-first",
                shown,
                list
            ));
        }
    }
    Ok(Reply::markdown(
        t!(lang, "commands-notice-status-notice-status", id),
        text,
    ))
}

fn header(ctx: &Ctx<'_>, s: &Status) -> String {
    let lang = ctx.lang();
    let (n, all) = (&s.notice, &s.all);
    let (id, title, state) = (n.id, &n.title, status_label(n, lang));
    let mut text = t!(
        lang,
        "commands-notice-status-notice-status-2",
        id,
        title,
        state
    );
    if let Some(at) = n.sent_at {
        let when = local(ctx, at);
        text.push_str(&t!(lang, "commands-notice-status-first-sent", when));
    }
    match &n.deadline_date {
        Some(d) => text.push_str(&t!(lang, "commands-notice-status-due", d)),
        None => text.push_str(&t!(lang, "commands-notice-status-no-deadline")),
    }
    let (acked, total) = (all.acked, all.total);
    let pct = percent(acked, total);
    let (pending, overdue) = (s.pending, s.overdue);
    let (left, delivered, failed) = (all.left_count, all.delivered, all.undeliverable);
    text.push_str(&t!(
        lang,
        "commands-notice-status-acknowledged-pending-overdue-left-delivered-unde",
        acked,
        total,
        pct,
        pending,
        overdue,
        left,
        delivered,
        failed
    ));
    text
}

fn departments(lang: Lang, depts: &[DeptTally]) -> String {
    let mut text = t!(lang, "commands-notice-status-by-department");
    for d in depts.iter().take(DEPT_LIMIT) {
        let name = if d.department.is_empty() {
            t!(lang, "commands-notice-status-no-department")
        } else {
            inert(&d.department)
        };
        let (acked, total, pct) = (d.acked, d.total, percent(d.acked, d.total));
        text.push_str(&t!(
            lang,
            "commands-notice-status-name-acked-total-pct",
            name,
            acked,
            total,
            pct
        ));
    }
    let more = depts.len().saturating_sub(DEPT_LIMIT);
    if more > 0 {
        text.push_str(&t!(
            lang,
            "commands-notice-status-and-more-departments",
            more
        ));
    }
    text
}

/// For an offboarding checklist: each item with who ticked it and when,
/// or that nobody has yet.
fn who_did_what(ctx: &Ctx<'_>, s: &Status) -> String {
    if !s.notice.is_handover_checklist() || s.checklist.is_empty() {
        return String::new();
    }
    let lang = ctx.lang();
    let mut text = t!(lang, "commands-notice-status-who-did-what");
    for item in &s.checklist {
        let n = item.n;
        let by: Vec<String> = s
            .ticked_by
            .iter()
            .filter(|t| t.n == n)
            .map(|t| {
                let who = Person {
                    staff_id: &t.staff_id,
                    name: &t.name,
                }
                .label(lang);
                let at = local(ctx, t.at_ms);
                t!(lang, "commands-notice-status-who-at", who, at)
            })
            .collect();
        let by = if by.is_empty() {
            t!(lang, "commands-notice-status-not-done-yet")
        } else {
            by.join(&t!(lang, "list-separator"))
        };
        text.push_str(&t!(lang, "commands-notice-status-n-by", n, by));
    }
    text
}

fn checklist(lang: Lang, items: &[ItemProgress], all: &DeptTally) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut text = t!(lang, "commands-notice-status-checklist");
    for ItemProgress {
        n,
        text: item,
        done,
    } in items
    {
        let pct = percent(*done, all.total);
        let total = all.total;
        text.push_str(&t!(
            lang,
            "commands-notice-status-n-item-done-total-pct",
            n,
            item,
            done,
            total,
            pct
        ));
    }
    let (complete, total) = (all.checklist_complete, all.total);
    text.push_str(&t!(
        lang,
        "commands-notice-status-all-items-done",
        complete,
        total
    ));
    text
}
