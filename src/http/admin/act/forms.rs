//! The console's forms as markup: composing a notice, the preview of a
//! notice card exactly as the bot sends it, choosing an audience, and the
//! one-button forms (remind, close). Every form posts back with the
//! session's form token; every label names its field for screen readers.

use maud::{Markup, html};

use super::Principal;
use crate::domain::Message;
use crate::http::admin::layout::link;
use crate::i18n::Lang;
use crate::tr;

/// A notice as typed into the compose form.
#[derive(Clone, Debug, Default)]
pub struct DraftForm {
    pub kind: String,
    pub title: String,
    pub body: String,
    /// One item per line.
    pub checklist: String,
    pub deadline: String,
}

impl DraftForm {
    /// The checklist lines that are not blank.
    pub fn items(&self) -> Vec<String> {
        self.checklist
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

fn kinds(lang: Lang) -> [(&'static str, String); 4] {
    [
        ("general", tr!(lang, "一般", "General")),
        ("exit", tr!(lang, "退出/离职", "Exit")),
        ("policy", tr!(lang, "制度", "Policy")),
        ("security", tr!(lang, "安全", "Security")),
    ]
}

/// The compose form, filled with `f`; `error` is shown above it.
pub fn compose(who: &Principal, lang: Lang, f: &DraftForm, error: Option<&str>) -> Markup {
    html! {
        @if let Some(e) = error { p.error role="alert" { (e) } }
        form.stack method="post" action=(link("/admin/notices/new", lang)) {
            (who.csrf_input())
            label for="kind" { (tr!(lang, "类型", "Kind")) }
            select #kind name="kind" {
                @for (value, label) in kinds(lang) {
                    option value=(value) selected[f.kind == value] { (label) }
                }
            }
            label for="title" { (tr!(lang, "标题", "Title")) }
            input #title type="text" name="title" value=(f.title) required maxlength="100";
            label for="body" { (tr!(lang, "正文（Markdown）", "Body (markdown)")) }
            textarea #body name="body" rows="8" { (f.body) }
            label for="checklist" { (tr!(lang, "清单（每行一项，可留空）", "Checklist (one item per line, optional)")) }
            textarea #checklist name="checklist" rows="4" aria-describedby="checklist-help" { (f.checklist) }
            small #checklist-help .muted { (tr!(lang, "每项一行，最多 20 项。", "One item per line, at most 20.")) }
            label for="deadline" { (tr!(lang, "截止日期（可留空）", "Deadline (optional)")) }
            input #deadline type="date" name="deadline" value=(f.deadline);
            div.actions {
                button.secondary type="submit" name="do" value="preview" { (tr!(lang, "预览", "Preview")) }
                button.primary type="submit" name="do" value="create" { (tr!(lang, "保存草稿", "Save draft")) }
            }
        }
    }
}

/// A message as DingTalk shows it: its title, its text (markdown as sent)
/// and its buttons. All of it is escaped.
pub fn preview(m: &Message, lang: Lang) -> Markup {
    let (title, text, buttons) = match m {
        Message::ActionCard {
            title,
            text,
            buttons,
        } => (title.as_str(), text.as_str(), buttons.as_slice()),
        Message::Markdown { title, text } => (title.as_str(), text.as_str(), &[][..]),
        Message::Text { content } => ("", content.as_str(), &[][..]),
    };
    html! {
        section.preview aria-label=(tr!(lang, "收件人看到的消息", "The message recipients get")) {
            @if !title.is_empty() { p { strong { (title) } } }
            div.text { (text) }
            @if !buttons.is_empty() {
                div.buttons { @for b in buttons { span { (b.title) } } }
            }
        }
    }
}

/// The audience chooser: everyone, departments from the tree, or staff ids.
pub fn audience(lang: Lang, departments: &[String], chosen: &Chosen) -> Markup {
    html! {
        fieldset {
            legend { (tr!(lang, "发给谁", "Who gets it")) }
            label { input type="radio" name="audience" value="all" checked[chosen.kind == "all"];
                " " (tr!(lang, "全员", "Everyone")) }
            label { input type="radio" name="audience" value="departments" checked[chosen.kind == "departments"];
                " " (tr!(lang, "以下部门（含下级部门）", "These departments (with their sub-departments)")) }
            fieldset.choices {
                legend { (tr!(lang, "部门", "Departments")) }
                @for d in departments {
                    label { input type="checkbox" name="dept" value=(d) checked[chosen.depts.contains(d)]; " " (d) }
                }
            }
            label { input type="radio" name="audience" value="users" checked[chosen.kind == "users"];
                " " (tr!(lang, "指定工号", "These staff ids")) }
            label for="users" { (tr!(lang, "工号（用逗号、空格或换行分隔）", "Staff ids (separated by commas, spaces or lines)")) }
            textarea #users name="users" rows="2" { (chosen.users) }
        }
    }
}

/// An audience as chosen in the form.
#[derive(Clone, Debug, Default)]
pub struct Chosen {
    /// `all`, `departments` or `users`.
    pub kind: String,
    pub depts: Vec<String>,
    pub users: String,
}

/// The chosen audience again, as hidden fields (the confirmation step).
pub fn chosen_hidden(c: &Chosen) -> Markup {
    html! {
        input type="hidden" name="audience" value=(c.kind);
        @for d in &c.depts { input type="hidden" name="dept" value=(d); }
        input type="hidden" name="users" value=(c.users);
    }
}

/// A form with one button posting to `action`.
pub fn button(who: &Principal, lang: Lang, action: &str, label: &str) -> Markup {
    html! {
        form.inline method="post" action=(link(action, lang)) {
            (who.csrf_input())
            button.secondary type="submit" { (label) }
        }
    }
}
