//! The roster import's pages: the upload form, the rows a bad file was
//! refused for, the dry run (every group of the plan, the warnings, the
//! password reminders it brings, and the apply form) and what an applied
//! import changed. Names come from the file: maud escapes them.

use base64::Engine as _;
use maud::{Markup, html};

use super::{PATH, Principal};
use crate::actions::roster::{Imported, Planned};
use crate::domain::Role;
use crate::domain::roster::LineError;
use crate::domain::roster::plan::{Field, Person, TooManyLeavers, Warning};
use crate::http::admin::layout::link;
use crate::i18n::Lang;
use crate::tr;

/// People listed per group (the counts are always whole).
const LISTED: usize = 200;

/// The upload form; `error` above it.
pub fn upload(who: &Principal, lang: Lang, error: Option<&str>) -> Markup {
    html! {
        @if let Some(e) = error { p.error role="alert" { (e) } }
        p { (tr!(lang, "先试运行：页面会列出新增、变更、离职、重新入职的人员和角色变更，确认后才会写入。",
            "A dry run comes first: the page lists new, changed, leaving and rejoining people and role changes; nothing is written until you apply it.")) }
        p.muted { (tr!(lang, "UTF-8 CSV，首行为列名：staff_id（必填）、name、department、manager_staff_id、role、password_changed_at、active。",
            "UTF-8 CSV with a header line: staff_id (required), name, department, manager_staff_id, role, password_changed_at, active.")) }
        form.stack method="post" enctype="multipart/form-data" action=(link(PATH, lang)) {
            (who.csrf_input())
            label for="file" { (tr!(lang, "花名册 CSV 文件", "Roster CSV file")) }
            input #file type="file" name="file" accept=".csv,text/csv";
            label for="csv" { (tr!(lang, "或粘贴 CSV 内容", "Or paste the CSV")) }
            textarea #csv name="csv" rows="6" {}
            div.actions {
                button.primary type="submit" name="do" value="plan" { (tr!(lang, "试运行（不做更改）", "Dry run (changes nothing)")) }
            }
        }
    }
}

/// A file refused for its bad rows: every problem, by line.
pub fn rejected(
    who: &Principal,
    lang: Lang,
    name: &str,
    errors: &[LineError],
    bad_rows: usize,
) -> Markup {
    html! {
        p.error role="alert" { (tr!(lang, "{name} 有 {bad_rows} 行有误，没有导入任何内容：", "{name} has {bad_rows} bad rows; nothing was imported:")) }
        div.panel { ul { @for e in errors { li { (tr!(lang, "第 {} 行：", "line {}: ", e.line)) (e.reason) } } } }
        (upload(who, lang, None))
    }
}

/// What the dry run page needs besides the plan.
pub struct Shown<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
    pub fingerprint: &'a str,
    /// The leaver guard's refusal, when applying needs the number confirmed.
    pub guard: Option<&'a TooManyLeavers>,
    /// Applying was just refused for want of that confirmation.
    pub refused: bool,
}

fn who(p: &Person, lang: Lang) -> Markup {
    let label = crate::domain::Person {
        staff_id: &p.staff_id,
        name: &p.name,
    }
    .label_as_typed(lang);
    html! { (label) }
}

fn field(f: Field, lang: Lang) -> String {
    match f {
        Field::Name => tr!(lang, "姓名", "name"),
        Field::Department => tr!(lang, "部门", "department"),
        Field::Manager => tr!(lang, "上级", "manager"),
        Field::PasswordDate => tr!(lang, "改密日期", "password date"),
    }
}

fn group(title: &str, id: &str, people: &[Person], lang: Lang) -> Markup {
    if people.is_empty() {
        return html! {};
    }
    html! {
        h2 id=(id) { (title) " (" (people.len()) ")" }
        div.panel { ul.people { @for p in people.iter().take(LISTED) { li { (who(p, lang)) } } }
            @if people.len() > LISTED { p.muted { (tr!(lang, "只列出前 {LISTED} 位。", "Only the first {LISTED} are listed.")) } } }
    }
}

fn summary(planned: &Planned, lang: Lang) -> Markup {
    let p = &planned.plan;
    let (new, changed, leaving, back) = (
        p.new.len(),
        p.changed.len(),
        p.leaving.len(),
        p.rejoining.len(),
    );
    let (roles, same, active) = (p.roles.len(), p.unchanged, p.active_before);
    html! {
        p.big role="status" { (tr!(lang,
            "新增 {new}，变更 {changed}，离职 {leaving}，重新入职 {back}，角色变更 {roles}，不变 {same}（现有在职 {active} 人）。",
            "{new} new, {changed} changed, {leaving} leaving, {back} rejoining, {roles} role changes, {same} unchanged ({active} active users now).")) }
    }
}

fn details(planned: &Planned, lang: Lang) -> Markup {
    let p = &planned.plan;
    let soon = planned.reminders_soon;
    html! {
        (group(&tr!(lang, "新增", "New"), "new", &p.new, lang))
        @if !p.changed.is_empty() {
            h2 #changed { (tr!(lang, "变更", "Changed")) " (" (p.changed.len()) ")" }
            div.panel { ul.people { @for c in p.changed.iter().take(LISTED) {
                li { (who(&c.person, lang)) (lang.pick("：", ": ")) (c.fields.iter().map(|f| field(*f, lang)).collect::<Vec<_>>().join(lang.pick("、", ", "))) }
            } } }
        }
        (group(&tr!(lang, "离职", "Leaving"), "leaving", &p.leaving, lang))
        (group(&tr!(lang, "重新入职", "Rejoining"), "rejoining", &p.rejoining, lang))
        @if !p.roles.is_empty() {
            h2 #roles { (tr!(lang, "角色变更", "Role changes")) " (" (p.roles.len()) ")" }
            div.panel { ul.people { @for r in p.roles.iter().take(LISTED) {
                li { (who(&r.person, lang)) (lang.pick("：", ": ")) (grant_or_revoke(r.grant, r.role, lang)) }
            } } }
        }
        @if !p.warnings.is_empty() {
            h2 { (tr!(lang, "提醒", "Warnings")) }
            div.panel { ul { @for w in &p.warnings { li.warn { (warning(w, lang)) } } } }
        }
        p.muted { (tr!(lang, "导入后一天内将收到改密提醒的人数：{soon}", "People who get a password reminder within a day of applying: {soon}")) }
    }
}

fn grant_or_revoke(grant: bool, role: Role, lang: Lang) -> String {
    let role = role.label(lang);
    if grant {
        tr!(lang, "授予{role}", "grant {role}")
    } else {
        tr!(lang, "撤销{role}", "revoke {role}")
    }
}

fn warning(w: &Warning, lang: Lang) -> String {
    match w {
        Warning::UnknownManager {
            line,
            staff_id,
            manager,
        } => {
            let at = line.map_or_else(String::new, |l| tr!(lang, "第 {l} 行：", "line {l}: "));
            at + &tr!(
                lang,
                "{staff_id} 的上级 {manager} 既不在此文件中，也不是在职用户",
                "the manager {manager} of {staff_id} is neither in this file nor an active user"
            )
        }
    }
}

/// The dry run, with the apply form.
pub fn planned(who: &Principal, lang: Lang, planned: &Planned, s: &Shown<'_>) -> Markup {
    let data = base64::engine::general_purpose::STANDARD.encode(s.bytes);
    let name = s.name;
    html! {
        @if s.refused { p.error role="alert" { (tr!(lang, "没有导入：请先勾选下面的确认框。", "Not imported: tick the confirmation box below first.")) } }
        h2 { (tr!(lang, "试运行：{name}", "Dry run: {name}")) }
        p.muted { (tr!(lang, "尚未做任何更改。文件 SHA-256：", "Nothing was changed yet. File SHA-256: ")) code { (s.fingerprint) } }
        (summary(planned, lang))
        (details(planned, lang))
        form.stack method="post" action=(link(PATH, lang)) {
            (who.csrf_input())
            input type="hidden" name="data" value=(data);
            input type="hidden" name="filename" value=(name);
            @if let Some(g) = s.guard {
                @let (n, active, max) = (g.leaving, g.active, g.max_percent);
                p.warn { (tr!(lang, "将有 {n} 人（在职 {active} 人）被标记为离职，超过上限（{max}% 或 20 人）。",
                    "{n} of {active} active users would be marked as left, more than allowed ({max}% or 20 people).")) }
                label { input type="checkbox" name="allow_leavers" value=(n) required;
                    " " (tr!(lang, "我已核对，确认将这 {n} 人标记为离职", "I have checked: mark these {n} people as left")) }
            }
            div.actions { button.primary type="submit" name="do" value="apply" { (tr!(lang, "确认导入", "Apply the import")) } }
        }
        p { a.btn href=(link(PATH, lang)) { (tr!(lang, "换一个文件", "Choose another file")) } }
    }
}

/// What an applied import changed.
pub fn applied(lang: Lang, name: &str, done: &Imported) -> Markup {
    let s = &done.summary;
    let (users, added, updated, same) = (s.users, s.added, s.updated, s.unchanged);
    let (left, back) = (s.left.len(), s.rejoined.len());
    let (granted, revoked) = (s.roles_granted, s.roles_revoked);
    html! {
        div.panel.outcome role="status" {
            p.big { (tr!(lang, "已导入 {name}。", "{name} is imported.")) }
            p { (tr!(lang,
                "共 {users} 人：新增 {added}，更新 {updated}，不变 {same}，离职 {left}，重新入职 {back}；授予角色 {granted}，撤销角色 {revoked}。",
                "{users} users: {added} new, {updated} updated, {same} unchanged, {left} left, {back} rejoined; {granted} roles granted, {revoked} revoked.")) }
            @if !done.planned.plan.warnings.is_empty() {
                ul { @for w in &done.planned.plan.warnings { li.warn { (warning(w, lang)) } } }
            }
        }
        p { a.btn href=(link("/admin/", lang)) { (tr!(lang, "返回概览", "Back to the overview")) } }
    }
}
