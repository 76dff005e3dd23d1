//! `help`: the commands this user may run, generated from the catalogue;
//! the greeting; and the answers to misused commands.

use super::catalogue::{CATALOGUE, CommandSpec};
use super::parse::ValueKind;
use crate::domain::inert::inert;
use crate::domain::notice::shorten;
use crate::domain::{Access, Button, Message, Reply, User};
use crate::i18n::Lang;
use crate::t;

/// Help for `user`: only commands that work and that they may run.
pub fn help(user: &User, lang: Lang) -> Reply {
    let mut text = t!(lang, "commands-help-dingwarden-security-assistant");
    let sections = [
        (Access::Everyone, t!(lang, "commands-help-everyone")),
        (Access::Staff, t!(lang, "commands-help-admins-and-hr")),
        (Access::Admin, t!(lang, "commands-help-admins")),
    ];
    for (access, heading) in sections {
        let specs: Vec<&CommandSpec> = CATALOGUE
            .iter()
            .filter(|s| s.available && s.access == access && user.may(s.access))
            .collect();
        if specs.is_empty() {
            continue;
        }
        text.push_str(&format!("\n{heading}\n\n"));
        for s in specs {
            let (usage, help) = (s.usage(lang), s.help(lang));
            // DingTalk markdown has no inline code; bold sets the command apart.
            text.push_str(&format!("- **{usage}** {help}{}\n", also_said(s, lang)));
        }
    }
    text.push_str(&t!(
        lang,
        "commands-help-commands-are-case-insensitive-in-chinese"
    ));
    Reply::markdown(t!(lang, "commands-help-help"), text)
}

/// The phrasings of `spec` in `lang`, as help shows them after its text.
fn also_said(spec: &CommandSpec, lang: Lang) -> String {
    let said = match lang {
        Lang::Zh => spec.phrasings_zh,
        Lang::En => spec.phrasings_en,
    };
    if said.is_empty() {
        return String::new();
    }
    let list = said.join(&t!(lang, "list-separator"));
    t!(lang, "commands-help-or-say", list)
}

/// The answer to a greeting: what the bot does, `me`, `help`.
pub fn welcome(lang: Lang) -> Reply {
    let text = t!(lang, "commands-help-hello-i-am-security-assistant-i");
    let buttons = vec![
        Button::new(t!(lang, "commands-help-me"), t!(lang, "commands-help-me-2")),
        Button::new(
            t!(lang, "commands-help-help"),
            t!(lang, "commands-help-help-2"),
        ),
    ];
    Reply::message(Message::card(
        t!(lang, "commands-help-hello"),
        text,
        buttons,
    ))
}

/// A value of `spec` that is not what it must be, named, then the usage.
pub fn invalid(spec: &CommandSpec, value: &str, kind: ValueKind, lang: Lang) -> Reply {
    let value = inert(&shorten(value, 30));
    let what = match kind {
        ValueKind::Date => t!(lang, "commands-help-is-not-valid-date-format-2026", value),
        ValueKind::Id => t!(lang, "commands-help-is-not-valid-id-e-g", value),
        ValueKind::Number {
            min,
            max: Some(max),
        } => t!(
            lang,
            "commands-help-is-not-valid-number-whole-number",
            value,
            min,
            max
        ),
        ValueKind::Number { min, max: None } => t!(
            lang,
            "commands-help-is-not-valid-number-whole-number-2",
            value,
            min
        ),
    };
    let (usage, help) = (spec.usage(lang), spec.help(lang));
    Reply::text(t!(lang, "commands-help-usage", what, usage, help))
}

/// How to use one command, in the user's language.
pub fn usage(spec: &CommandSpec, lang: Lang) -> Reply {
    let (usage, help) = (spec.usage(lang), spec.help(lang));
    Reply::text(t!(lang, "commands-help-usage-2", usage, help))
}

/// The answer to text that is not a command.
pub fn hint(lang: Lang) -> Reply {
    Reply::text(t!(lang, "commands-help-sorry-i-didn-t-understand-that"))
}
