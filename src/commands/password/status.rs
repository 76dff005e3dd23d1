//! `password status` (admins and HR): per department, how many are due soon,
//! overdue, confirmed and still owe a forced change, then the first overdue
//! and forced-change names (the figures come from the password report).

use crate::commands::{Ctx, HandlerResult};
use crate::domain::inert::inert;
use crate::domain::password::Policy;
use crate::domain::password::report::{Counts, Forced, Overdue};
use crate::domain::{Person, Reply};
use crate::i18n::{Lang, en_count};
use crate::reports::passwords as report;
use crate::tr;

/// How many names each list shows.
const NAMES_SHOWN: usize = 10;

fn line(c: &Counts, lang: Lang, periodic: bool) -> String {
    let Counts {
        total,
        due_soon,
        overdue,
        confirmed,
        forced,
    } = c;
    if periodic {
        tr!(
            lang,
            "{total} 人，即将到期 {due_soon}，已逾期 {overdue}，已确认 {confirmed}，强制改密待完成 {forced}",
            "{total} staff, {due_soon} due soon, {overdue} overdue, {confirmed} confirmed, {forced} forced change pending"
        )
    } else {
        tr!(
            lang,
            "{total} 人，已确认 {confirmed}，强制改密待完成 {forced}",
            "{total} staff, {confirmed} confirmed, {forced} forced change pending"
        )
    }
}

/// `password status`.
pub async fn status(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let status = report::status(&ctx.state.store, ctx.state.config.timezone, ctx.now).await?;
    let (policy, report) = (&status.policy, &status.report);
    let periodic = report.periodic;
    let mut text = header(lang, policy, &report.total, periodic);
    let no_dept = tr!(lang, "（未分配部门）", "(no department)");
    let mut depts: Vec<(&str, &Counts, bool)> = report
        .by_department
        .iter()
        .map(|(d, c)| (d.as_deref().unwrap_or(&no_dept), c, d.is_some()))
        .collect();
    depts.sort_by(|a, b| a.0.cmp(b.0));
    for (dept, c, named) in depts {
        let sep = lang.pick("：", ": ");
        // Department names come from rosters: shown inert.
        let dept = if named { inert(dept) } else { dept.to_owned() };
        text.push_str(&format!("- {dept}{sep}{}\n", line(c, lang, periodic)));
    }
    text.push_str(&overdue_names(lang, &report.overdue));
    text.push_str(&forced_names(lang, &report.forced));
    Ok(Reply::markdown(
        tr!(lang, "密码状态", "Password status"),
        text,
    ))
}

fn header(lang: Lang, policy: &Policy, all: &Counts, periodic: bool) -> String {
    let desc = policy.describe(lang);
    let totals = line(all, lang, periodic);
    tr!(
        lang,
        "### 密码状态\n\n策略：{desc}。\n\n合计：{totals}。\n\n**按部门**\n\n",
        "### Password status\n\nPolicy: {desc}.\n\nIn total: {totals}.\n\n**By department**\n\n"
    )
}

fn overdue_names(lang: Lang, overdue: &[Overdue]) -> String {
    if overdue.is_empty() {
        return String::new();
    }
    let (shown, n) = (overdue.len().min(NAMES_SHOWN), overdue.len());
    let mut s = tr!(
        lang,
        "\n**已逾期（前 {shown} 位，共 {n} 位）**\n\n",
        "\n**Overdue (first {shown} of {n})**\n\n"
    );
    for o in overdue.iter().take(NAMES_SHOWN) {
        let o_who = Person {
            staff_id: &o.staff_id,
            name: &o.name,
        };
        let who = person(lang, o_who, o.department.as_deref());
        let (due, days) = (o.due, o.days);
        let late = en_count(days, "day", "days");
        s.push_str(&tr!(
            lang,
            "- {who}：{due} 到期，已逾期 {days} 天\n",
            "- {who}: due {due}, {late} overdue\n"
        ));
    }
    s
}

fn forced_names(lang: Lang, forced: &[Forced]) -> String {
    if forced.is_empty() {
        return String::new();
    }
    let (shown, n) = (forced.len().min(NAMES_SHOWN), forced.len());
    let mut s = tr!(
        lang,
        "\n**强制改密待完成（前 {shown} 位，共 {n} 位）**\n\n",
        "\n**Forced change pending (first {shown} of {n})**\n\n"
    );
    for f in forced.iter().take(NAMES_SHOWN) {
        let f_who = Person {
            staff_id: &f.staff_id,
            name: &f.name,
        };
        let who = person(lang, f_who, f.department.as_deref());
        let ids: Vec<String> = f.reset_ids.iter().map(|i| format!("#{i}")).collect();
        let ids = ids.join(", ");
        let sep = lang.pick("：", ": ");
        s.push_str(&format!("- {who}{sep}{ids}\n"));
    }
    s
}

/// `张三（u1，研发部）`: the name and staff id always, the department when
/// known; all three made inert (they come from profiles and rosters).
fn person(lang: Lang, who: Person<'_>, dept: Option<&str>) -> String {
    let (name, id) = (inert(who.name), inert(who.staff_id));
    match dept.map(inert) {
        Some(dept) => tr!(lang, "{name}（{id}，{dept}）", "{name} ({id}, {dept})"),
        None => tr!(lang, "{name}（{id}）", "{name} ({id})"),
    }
}
