//! `password status` (admins and HR): per department, how many are due soon,
//! overdue, confirmed and still owe a forced change, then the first overdue
//! and forced-change names.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{Ctx, HandlerResult};
use crate::domain::Reply;
use crate::domain::password::{self, Holder, Policy, Standing};
use crate::domain::schedule::local_date;
use crate::i18n::Lang;
use crate::tr;

/// How many names each list shows.
const NAMES_SHOWN: usize = 10;

#[derive(Default)]
struct Counts {
    total: usize,
    due_soon: usize,
    overdue: usize,
    confirmed: usize,
    forced: usize,
}

impl Counts {
    fn line(&self, lang: Lang, periodic: bool) -> String {
        let Counts {
            total,
            due_soon,
            overdue,
            confirmed,
            forced,
        } = self;
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
}

/// `password status`.
pub async fn status(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let store = &ctx.state.store;
    let tz = ctx.state.config.timezone;
    let today = local_date(tz, ctx.now);
    let policy = store.password_policy().await?;
    let holders = store.password_holders().await?;
    let resets = store.pending_resets().await?;
    let mut forced: HashMap<&str, Vec<i64>> = HashMap::new();
    for r in &resets {
        forced
            .entry(r.staff_id.as_str())
            .or_default()
            .push(r.reset_id);
    }
    let no_dept = tr!(lang, "（未分配部门）", "(no department)");
    let mut by_dept: BTreeMap<String, Counts> = BTreeMap::new();
    let mut all = Counts::default();
    let mut overdue: Vec<(i64, &Holder, chrono::NaiveDate)> = Vec::new();
    for h in &holders {
        let st = password::standing(&policy, &h.facts, tz, today);
        if let Standing::Overdue { due, days } = st {
            overdue.push((days, h, due));
        }
        let dept = h.department.clone().unwrap_or_else(|| no_dept.clone());
        for c in [by_dept.entry(dept).or_default(), &mut all] {
            c.total += 1;
            match st {
                Standing::Overdue { .. } => c.overdue += 1,
                Standing::DueSoon { .. } => c.due_soon += 1,
                Standing::Confirmed { .. } => c.confirmed += 1,
                Standing::Current { .. } => {}
            }
            c.forced += usize::from(forced.contains_key(h.staff_id.as_str()));
        }
    }
    overdue.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.staff_id.cmp(&b.1.staff_id)));
    let periodic = matches!(policy, Policy::Periodic { .. });
    let mut text = header(lang, &policy, &all, periodic);
    for (dept, c) in &by_dept {
        let sep = lang.pick("：", ": ");
        text.push_str(&format!("- {dept}{sep}{}\n", c.line(lang, periodic)));
    }
    text.push_str(&overdue_names(lang, &overdue));
    text.push_str(&forced_names(lang, &holders, &forced));
    Ok(Reply::markdown(
        tr!(lang, "密码状态", "Password status"),
        text,
    ))
}

fn header(lang: Lang, policy: &Policy, all: &Counts, periodic: bool) -> String {
    let desc = policy.describe(lang);
    let totals = all.line(lang, periodic);
    tr!(
        lang,
        "### 密码状态\n\n策略：{desc}。\n\n合计：{totals}。\n\n**按部门**\n\n",
        "### Password status\n\nPolicy: {desc}.\n\nIn total: {totals}.\n\n**By department**\n\n"
    )
}

fn overdue_names(lang: Lang, overdue: &[(i64, &Holder, chrono::NaiveDate)]) -> String {
    if overdue.is_empty() {
        return String::new();
    }
    let (shown, n) = (overdue.len().min(NAMES_SHOWN), overdue.len());
    let mut s = tr!(
        lang,
        "\n**已逾期（前 {shown} 位，共 {n} 位）**\n\n",
        "\n**Overdue (first {shown} of {n})**\n\n"
    );
    for (days, h, due) in overdue.iter().take(NAMES_SHOWN) {
        let who = person(lang, h);
        s.push_str(&tr!(
            lang,
            "- {who}：{due} 到期，已逾期 {days} 天\n",
            "- {who}: due {due}, {days} days overdue\n"
        ));
    }
    s
}

fn forced_names(lang: Lang, holders: &[Holder], forced: &HashMap<&str, Vec<i64>>) -> String {
    let pending: Vec<&Holder> = holders
        .iter()
        .filter(|h| forced.contains_key(h.staff_id.as_str()))
        .collect();
    if pending.is_empty() {
        return String::new();
    }
    let (shown, n) = (pending.len().min(NAMES_SHOWN), pending.len());
    let mut s = tr!(
        lang,
        "\n**强制改密待完成（前 {shown} 位，共 {n} 位）**\n\n",
        "\n**Forced change pending (first {shown} of {n})**\n\n"
    );
    for h in pending.iter().take(NAMES_SHOWN) {
        let who = person(lang, h);
        let ids: HashSet<&i64> = forced[h.staff_id.as_str()].iter().collect();
        let mut ids: Vec<String> = ids.into_iter().map(|i| format!("#{i}")).collect();
        ids.sort();
        let ids = ids.join(", ");
        let sep = lang.pick("：", ": ");
        s.push_str(&format!("- {who}{sep}{ids}\n"));
    }
    s
}

fn person(lang: Lang, h: &Holder) -> String {
    let (name, id) = (&h.name, &h.staff_id);
    match &h.department {
        Some(dept) => tr!(lang, "{name}（{id}，{dept}）", "{name} ({id}, {dept})"),
        None => tr!(lang, "{name}（{id}）", "{name} ({id})"),
    }
}
