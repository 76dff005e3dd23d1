//! "Did you mean": text that is no command, or a command with a subcommand
//! it does not have, is answered with the nearest commands of the catalogue
//! that the sender may run — by edit distance (Damerau–Levenshtein, which
//! counts a swapped pair as one typo) over the English names, the Chinese
//! aliases and the phrasings — each as a button that sends it, with the
//! rest of what was typed (`notice stauts 1` → `notice status 1`). When the
//! first word is a command and nothing is near, its subcommands are listed.

#[cfg(test)]
mod tests;

use super::catalogue::{CATALOGUE, CommandSpec};
use super::parse::{head_words, squash};
use crate::dingtalk::message::MAX_OPENAPI_BUTTONS;
use crate::domain::inert::inert;
use crate::domain::notice::shorten;
use crate::domain::{Button, Message, Reply, User};
use crate::i18n::Lang;
use crate::t;

/// At most this many near commands are offered.
const MAX_NEAR: usize = 3;
/// Longer trailing text is not carried into a suggestion's button.
const MAX_CARRIED: usize = 60;

/// A command near what was typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Near {
    pub spec: &'static CommandSpec,
    /// What its button sends: the command as the sender wrote it, corrected.
    pub send: String,
    /// Edits per character of the catalogue form (lower is nearer).
    score: f64,
}

/// What "did you mean" found.
#[derive(Clone, Debug, PartialEq)]
pub enum Suggestions {
    /// Commands a typo or two away, nearest first.
    Near(Vec<Near>),
    /// The first word is a command with subcommands, none near: each of
    /// them with what its button sends.
    Family {
        word: String,
        members: Vec<(&'static CommandSpec, &'static str)>,
    },
    Nothing,
}

/// The catalogue's commands nearest to `text` among those `may` allows.
pub fn suggest(text: &str, may: impl Fn(&CommandSpec) -> bool) -> Suggestions {
    let words = head_words(text);
    if words.is_empty() {
        return Suggestions::Nothing;
    }
    let one_line = !text.trim().contains('\n');
    let specs: Vec<&'static CommandSpec> =
        CATALOGUE.iter().filter(|s| s.available && may(s)).collect();
    let mut near: Vec<Near> = specs
        .iter()
        .filter_map(|spec| nearest_form(spec, &words, one_line))
        .collect();
    near.sort_by(|a, b| a.score.total_cmp(&b.score));
    if let Some(best) = near.first().map(|n| n.score) {
        near.retain(|n| n.score <= best * 1.34);
        near.truncate(MAX_NEAR);
        return Suggestions::Near(near);
    }
    family(&words[0], &specs)
}

/// The commands whose first word is `first` (or, in Chinese, starts it:
/// `通知撤回1`), with the form each is sent in.
fn family(first: &str, specs: &[&'static CommandSpec]) -> Suggestions {
    let typed = first.to_lowercase();
    let head = |form: &'static str| {
        let (w, _) = form.split_once(' ')?;
        let fits = typed == w || (!w.is_ascii() && typed.starts_with(w));
        fits.then_some(w)
    };
    let mut word = None;
    let members: Vec<_> = specs
        .iter()
        .filter_map(|spec| {
            let form = forms(spec).find(|f| head(f).is_some())?;
            word = word.or(head(form));
            Some((*spec, form))
        })
        .collect();
    match word {
        Some(word) => Suggestions::Family {
            word: word.to_owned(),
            members,
        },
        None => Suggestions::Nothing,
    }
}

/// A command's name and Chinese aliases, lower case as typed forms.
fn forms(spec: &'static CommandSpec) -> impl Iterator<Item = &'static str> {
    std::iter::once(spec.name).chain(spec.aliases.iter().copied())
}

/// The nearest of `spec`'s forms to `words`, if within reach of a typo.
fn nearest_form(spec: &'static CommandSpec, words: &[String], one_line: bool) -> Option<Near> {
    let mut best: Option<Near> = None;
    let mut consider = |form: &'static str, (edits, typed, rest): (usize, usize, String)| {
        let len = squash(form).chars().count();
        // Exact: it was tried and did not parse. Half of what was typed
        // wrong is no typo (`好` is not `你好`).
        if edits == 0 || edits > allowed_edits(len) || edits * 2 > typed {
            return;
        }
        let score = edits as f64 / len as f64;
        if best.as_ref().is_some_and(|b| b.score <= score) {
            return;
        }
        let carried = one_line && !rest.is_empty() && rest.chars().count() <= MAX_CARRIED;
        let send = if carried {
            format!("{form} {rest}")
        } else {
            form.to_owned()
        };
        best = Some(Near { spec, send, score });
    };
    for form in forms(spec) {
        consider(form, command_distance(words, form));
    }
    let said = squash(&words.join(" "));
    let typed = said.chars().count();
    for p in spec.phrasings() {
        let edits = strsim::damerau_levenshtein(&said, &squash(p));
        consider(p, (edits, typed, String::new()));
    }
    best
}

/// How many typos a form of `len` characters absorbs: none in one
/// character, then one per four characters (at least one).
fn allowed_edits(len: usize) -> usize {
    if len <= 1 { 0 } else { (len / 4).max(1) }
}

/// Edits between the start of `words` and the command `form`, how many
/// characters that start has, and the words after it. Chinese forms of
/// three characters or more are also compared without their spaces
/// against the start of the first word (`测验列彪` against `测验 列表`).
fn command_distance(words: &[String], form: &str) -> (usize, usize, String) {
    let form_lower = form.to_lowercase();
    let k = form.split(' ').count().min(words.len());
    let head = words[..k].join(" ").to_lowercase();
    let mut best = (
        strsim::damerau_levenshtein(&head, &form_lower),
        squash(&head).chars().count(),
        words[k..].join(" "),
    );
    let compact = form.replace(' ', "");
    let n = compact.chars().count();
    // Two characters at the start of a sentence say too little (`我忘…` is not `我的`).
    if !form.is_ascii() && n >= 3 {
        let first = &words[0];
        let cut = first.char_indices().nth(n).map_or(first.len(), |(i, _)| i);
        let edits = strsim::damerau_levenshtein(&first[..cut], &compact);
        if edits < best.0 {
            let typed = first[..cut].chars().count();
            let rest = std::iter::once(&first[cut..])
                .chain(words[1..].iter().map(String::as_str))
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            best = (edits, typed, rest);
        }
    }
    best
}

/// The answer to text that is not a command: the nearest commands the
/// sender may run, or the hint to send `help`.
pub fn did_you_mean(text: &str, user: &User) -> Reply {
    let lang = user.lang;
    match suggest(text, |s| user.may(s.access)) {
        Suggestions::Near(near) => near_reply(lang, text, &near),
        Suggestions::Family { word, members } => family_reply(lang, &word, &members),
        Suggestions::Nothing => super::help::hint(lang),
    }
}

fn button(send: &str) -> Button {
    Button::new(inert(&shorten(send, 24)), send)
}

fn near_reply(lang: Lang, text: &str, near: &[Near]) -> Reply {
    let typed = inert(&shorten(text.trim().lines().next().unwrap_or(""), 40));
    let mut body = t!(lang, "commands-suggest-i-didn-t-understand-did-you", typed);
    for n in near {
        let (send, help) = (inert(&n.send), n.spec.help(lang));
        body.push_str(&format!("\n- **{send}** {help}"));
    }
    let buttons = near.iter().map(|n| button(&n.send)).collect();
    Reply::message(Message::card(
        t!(lang, "commands-suggest-did-you-mean"),
        body,
        buttons,
    ))
}

fn family_reply(lang: Lang, word: &str, members: &[(&CommandSpec, &'static str)]) -> Reply {
    let word = inert(&shorten(word, 20));
    let mut body = t!(lang, "commands-suggest-goes-with", word);
    for (spec, form) in members {
        // The usage in the language the person typed the command in.
        let usage = spec.usage(if form.is_ascii() { Lang::En } else { Lang::Zh });
        let help = spec.help(lang);
        body.push_str(&format!("\n- **{usage}** {help}"));
    }
    body.push_str(&t!(lang, "commands-suggest-send-help-to-see-every-command"));
    let buttons = members
        .iter()
        .take(MAX_OPENAPI_BUTTONS)
        .map(|(_, form)| button(form))
        .collect();
    Reply::message(Message::card(
        t!(lang, "commands-suggest-commands"),
        body,
        buttons,
    ))
}
