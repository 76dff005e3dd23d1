//! What the bot says above the first question it shows: a new quiz (full or
//! follow-up) or the one in progress resumed.

use super::Text;
use super::status::AttemptKind;
use crate::i18n::Lang;
use crate::t;

/// Above the first question of a new attempt of `n` questions.
pub fn starting(
    title: &Text,
    n: usize,
    pass_percent: i64,
    kind: AttemptKind,
    lang: Lang,
) -> String {
    let (title, pp) = (title.get(lang), pass_percent);
    match kind {
        AttemptKind::Regular => t!(
            lang,
            "domain-quiz-intro-starting-questions-to-pass-questions-you",
            title,
            n,
            pp
        ),
        AttemptKind::Followup => t!(
            lang,
            "domain-quiz-intro-starting-follow-up-on-questions-on",
            title,
            n
        ),
    }
}

/// Above the current question of the quiz in progress; `other_asked` when
/// the person asked for another bank.
pub fn resuming(title: &Text, other_asked: bool, lang: Lang) -> String {
    let title = title.get(lang);
    if other_asked {
        t!(
            lang,
            "domain-quiz-intro-you-still-have-quiz-in-progress",
            title
        )
    } else {
        t!(lang, "domain-quiz-intro-continuing-your-quiz", title)
    }
}
