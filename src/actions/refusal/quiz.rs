//! The quiz refusals in words: banks, campaigns, taking a quiz and answering.

use super::Refusal;
use crate::i18n::Lang;
use crate::t;

/// A quiz refusal in `lang` (other refusals are worded in [`super`]).
pub(super) fn message(r: &Refusal, lang: Lang) -> String {
    match r {
        Refusal::NoSuchBank { key } => t!(
            lang,
            "actions-refusal-quiz-there-is-no-quiz-bank-called", // Typed by the user: shown inert.
            key = crate::domain::inert::inert(key)
        ),
        Refusal::DeadlinePast { date: d } => {
            t!(lang, "actions-refusal-quiz-deadline-is-in-past", d)
        }
        Refusal::NobodyToAssign => t!(
            lang,
            "actions-refusal-quiz-nobody-active-matches-that-audience"
        ),
        Refusal::NoQuizInProgress => t!(lang, "actions-refusal-quiz-you-have-no-quiz-in-progress"),
        Refusal::NoFollowupWaiting => t!(lang, "actions-refusal-quiz-no-follow-up-quiz-is-waiting"),
        Refusal::EmptyBank => t!(lang, "actions-refusal-quiz-that-bank-has-no-questions-to"),
        Refusal::AnswerInGroup => t!(lang, "actions-refusal-quiz-please-answer-in-our-1-1"),
        answering => answer(answering, lang),
    }
}

/// Refusals of an answer to a question.
fn answer(r: &Refusal, lang: Lang) -> String {
    match r {
        Refusal::StaleQuestion => t!(lang, "actions-refusal-quiz-i-can-t-find-that-question"),
        Refusal::QuizOver {
            score: Some((score, total)),
        } => t!(
            lang,
            "actions-refusal-quiz-that-quiz-is-over-score-this",
            score,
            total
        ),
        Refusal::QuizOver { score: None } => {
            t!(lang, "actions-refusal-quiz-that-quiz-is-over-this-answer")
        }
        Refusal::QuestionAnswered { letter: l } => t!(
            lang,
            "actions-refusal-quiz-you-have-already-answered-that-question",
            l
        ),
        Refusal::AnswerInOrder { position: k } => t!(
            lang,
            "actions-refusal-quiz-please-answer-question-first-send-quiz",
            k
        ),
        Refusal::NoSuchOption { last } => t!(
            lang,
            "actions-refusal-quiz-this-question-has-options-please-choose",
            last
        ),
        Refusal::AnsweredTwice => t!(
            lang,
            "actions-refusal-quiz-you-have-already-answered-that-question-2"
        ),
        // `Refusal::message` sends only quiz refusals here; the unit test
        // checks that every one has words of its own.
        other => other.code().to_owned(),
    }
}
