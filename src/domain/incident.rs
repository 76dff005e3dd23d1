//! Security incidents and feedback: the length rule, and the messages sent
//! to people about an incident (the admins' card, the reporter's notice that
//! it was closed). What people wrote is quoted and made inert (links
//! defanged, markdown neutralised), never taken as the bot's own words;
//! the reporter is named through [`Person::label`], inert too.

use chrono_tz::Tz;

use super::inert::quote;
use super::schedule::format_local;
use super::{Button, Message, Person};
use crate::clock::from_ms;
use crate::i18n::Lang;
use crate::t;

/// Longest report, note or feedback accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 2000;

/// Whether `text` is within [`MAX_TEXT_CHARS`].
pub fn fits(text: &str) -> bool {
    text.chars().count() <= MAX_TEXT_CHARS
}

/// A new incident.
#[derive(Clone, Copy, Debug)]
pub struct NewIncident<'a> {
    pub id: i64,
    pub reporter: Person<'a>,
    pub text: &'a str,
    pub at_ms: i64,
}

/// The card that tells admins about a new incident, in `lang`.
pub fn admin_card(i: &NewIncident<'_>, tz: Tz, lang: Lang) -> Message {
    let id = i.id;
    let reporter = i.reporter.label(lang);
    let (at, body) = (format_local(tz, from_ms(i.at_ms)), quote(i.text));
    Message::card(
        t!(lang, "domain-incident-security-incident", id),
        t!(
            lang,
            "domain-incident-new-security-incident-reported-at",
            id,
            reporter,
            at,
            body
        ),
        vec![Button::new(
            t!(lang, "domain-incident-list-incidents"),
            t!(lang, "domain-incident-incidents"),
        )],
    )
}

/// Tells the reporter, in `lang`, that incident `id` was closed, with the note.
pub fn closed_message(id: i64, note: Option<&str>, lang: Lang) -> Message {
    let extra = note
        .map(|n| format!("\n\n{}", quote(n)))
        .unwrap_or_default();
    Message::markdown(
        t!(lang, "domain-incident-incident-closed", id),
        t!(
            lang,
            "domain-incident-security-incident-you-reported-has-been",
            id,
            extra
        ),
    )
}
