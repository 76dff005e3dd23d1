//! The console's forms as markup: composing a notice, the preview of a
//! notice card exactly as the bot sends it, choosing an audience, and the
//! one-button forms (remind, close). Every form posts back with the
//! session's form token; every label names its field for screen readers.

use maud::{Markup, html};

use super::Principal;
use crate::domain::Message;
use crate::http::admin::layout::link;
use crate::i18n::Lang;
use crate::t;

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
        ("general", t!(lang, "http-admin-act-forms-general")),
        ("exit", t!(lang, "http-admin-act-forms-exit")),
        ("policy", t!(lang, "domain-notice-policy")),
        ("security", t!(lang, "domain-notice-security")),
    ]
}

/// The compose form, filled with `f`; `error` is shown above it.
pub fn compose(who: &Principal, lang: Lang, f: &DraftForm, error: Option<&str>) -> Markup {
    html! {
        @if let Some(e) = error { p.error role="alert" { (e) } }
        form.stack method="post" action=(link("/admin/notices/new", lang)) {
            (who.csrf_input())
            label for="kind" { (t!(lang, "http-admin-act-forms-kind")) }
            select #kind name="kind" {
                @for (value, label) in kinds(lang) {
                    option value=(value) selected[f.kind == value] { (label) }
                }
            }
            label for="title" { (t!(lang, "http-admin-notices-title")) }
            input #title type="text" name="title" value=(f.title) required maxlength="100";
            label for="body" { (t!(lang, "http-admin-act-forms-body-markdown")) }
            textarea #body name="body" rows="8" { (f.body) }
            label for="checklist" { (t!(lang, "http-admin-act-forms-checklist-one-item-per-line-optional")) }
            textarea #checklist name="checklist" rows="4" aria-describedby="checklist-help" { (f.checklist) }
            small #checklist-help .muted { (t!(lang, "http-admin-act-forms-one-item-per-line-at-most")) }
            label for="deadline" { (t!(lang, "http-admin-act-forms-deadline-optional")) }
            input #deadline type="date" name="deadline" value=(f.deadline);
            div.actions {
                button.secondary type="submit" name="do" value="preview" { (t!(lang, "http-admin-act-forms-preview")) }
                button.primary type="submit" name="do" value="create" { (t!(lang, "http-admin-act-forms-save-draft")) }
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
        section.preview aria-label=(t!(lang, "http-admin-act-forms-message-recipients-get")) {
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
            legend { (t!(lang, "http-admin-act-forms-who-gets-it")) }
            label { input type="radio" name="audience" value="all" checked[chosen.kind == "all"];
                " " (t!(lang, "http-admin-act-forms-everyone")) }
            label { input type="radio" name="audience" value="departments" checked[chosen.kind == "departments"];
                " " (t!(lang, "http-admin-act-forms-these-departments-with-their-sub-departments")) }
            fieldset.choices {
                legend { (t!(lang, "http-admin-act-forms-departments")) }
                @for d in departments {
                    label { input type="checkbox" name="dept" value=(d) checked[chosen.depts.contains(d)]; " " (d) }
                }
            }
            label { input type="radio" name="audience" value="users" checked[chosen.kind == "users"];
                " " (t!(lang, "http-admin-act-forms-these-staff-ids")) }
            label for="users" { (t!(lang, "http-admin-act-forms-staff-ids-separated-by-commas-spaces")) }
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
