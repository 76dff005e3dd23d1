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
use crate::tr;

/// How many notices `notices` lists.
const LIST_LIMIT: i64 = 20;
/// How many departments `notice status` shows.
const DEPT_LIMIT: usize = 30;
/// How many pending names `notice status` shows.
const NAMES_LIMIT: i64 = 10;

fn status_label(n: &NoticeRow, lang: Lang) -> String {
    match n.status {
        NoticeStatus::Draft => tr!(lang, "草稿", "draft"),
        NoticeStatus::Closed => tr!(lang, "已关闭", "closed"),
        NoticeStatus::Sent => tr!(lang, "已发送", "sent"),
    }
}

/// `notices`: the newest notices with their progress.
pub async fn list(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let rows = notices::list(&ctx.state.store, None, LIST_LIMIT).await?;
    if rows.is_empty() {
        return Ok(Reply::text(tr!(
            lang,
            "还没有通知。发送「通知 模板 退出」获取模板，或「通知 新建 标题」新建。",
            "No notices yet. Send \"notice template exit\" for a template, or \"notice new TITLE\"."
        )));
    }
    let mut text = tr!(lang, "### 通知列表\n", "### Notices\n");
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
            text.push_str(&tr!(
                lang,
                " · 已确认 {acked}/{total}（{pct}%）",
                " · acked {acked}/{total} ({pct}%)"
            ));
        }
        if let Some(d) = &n.deadline_date {
            text.push_str(&tr!(lang, " · 截止 {d}", " · due {d}"));
        }
    }
    Ok(Reply::markdown(tr!(lang, "通知列表", "Notices"), text))
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
            let list = names.join(lang.pick("、", ", "));
            text.push_str(&tr!(
                lang,
                "\n\n**尚未确认（前 {shown} 位）**\n{list}",
                "\n\n**Not acknowledged yet (first {shown})**\n{list}"
            ));
        }
    }
    Ok(Reply::markdown(
        tr!(lang, "通知 #{id} 状态", "Notice #{id} status"),
        text,
    ))
}

fn header(ctx: &Ctx<'_>, s: &Status) -> String {
    let lang = ctx.lang();
    let (n, all) = (&s.notice, &s.all);
    let (id, title, state) = (n.id, &n.title, status_label(n, lang));
    let mut text = tr!(
        lang,
        "### 通知 #{id}：{title}\n\n状态：{state}",
        "### Notice #{id}: {title}\n\nStatus: {state}"
    );
    if let Some(at) = n.sent_at {
        let when = local(ctx, at);
        text.push_str(&tr!(lang, "（首次发送 {when}）", " (first sent {when})"));
    }
    match &n.deadline_date {
        Some(d) => text.push_str(&tr!(lang, " · 截止 {d}", " · due {d}")),
        None => text.push_str(&tr!(lang, " · 未设截止日期", " · no deadline")),
    }
    let (acked, total) = (all.acked, all.total);
    let pct = percent(acked, total);
    let (pending, overdue) = (s.pending, s.overdue);
    let (left, delivered, failed) = (all.left_count, all.delivered, all.undeliverable);
    text.push_str(&tr!(
        lang,
        "\n\n**已确认 {acked}/{total}（{pct}%）**\n- 待确认 {pending} · 逾期 {overdue} · 已离职 {left}\n- 已送达 {delivered} · 无法送达 {failed}",
        "\n\n**Acknowledged {acked}/{total} ({pct}%)**\n- pending {pending} · overdue {overdue} · left {left}\n- delivered {delivered} · undeliverable {failed}"
    ));
    text
}

fn departments(lang: Lang, depts: &[DeptTally]) -> String {
    let mut text = tr!(lang, "\n\n**按部门**", "\n\n**By department**");
    for d in depts.iter().take(DEPT_LIMIT) {
        let name = if d.department.is_empty() {
            tr!(lang, "（未分配部门）", "(no department)")
        } else {
            inert(&d.department)
        };
        let (acked, total, pct) = (d.acked, d.total, percent(d.acked, d.total));
        text.push_str(&tr!(
            lang,
            "\n- {name}：{acked}/{total}（{pct}%）",
            "\n- {name}: {acked}/{total} ({pct}%)"
        ));
    }
    let more = depts.len().saturating_sub(DEPT_LIMIT);
    if more > 0 {
        text.push_str(&tr!(
            lang,
            "\n- 另有 {more} 个部门",
            "\n- and {more} more departments"
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
    let mut text = tr!(lang, "\n\n**谁完成了哪一项**", "\n\n**Who did what**");
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
                tr!(lang, "{who}（{at}）", "{who} ({at})")
            })
            .collect();
        let by = if by.is_empty() {
            tr!(lang, "尚未完成", "not done yet")
        } else {
            by.join(lang.pick("、", ", "))
        };
        text.push_str(&tr!(lang, "\n{n}. {by}", "\n{n}. {by}"));
    }
    text
}

fn checklist(lang: Lang, items: &[ItemProgress], all: &DeptTally) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut text = tr!(lang, "\n\n**清单完成情况**", "\n\n**Checklist**");
    for ItemProgress {
        n,
        text: item,
        done,
    } in items
    {
        let pct = percent(*done, all.total);
        let total = all.total;
        text.push_str(&tr!(
            lang,
            "\n{n}. {item}：{done}/{total}（{pct}%）",
            "\n{n}. {item}: {done}/{total} ({pct}%)"
        ));
    }
    let (complete, total) = (all.checklist_complete, all.total);
    text.push_str(&tr!(
        lang,
        "\n全部完成：{complete}/{total}",
        "\nAll items done: {complete}/{total}"
    ));
    text
}
