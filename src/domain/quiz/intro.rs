//! What the bot says above the first question it shows: a new quiz (full or
//! follow-up) or the one in progress resumed.

use super::Text;
use super::status::AttemptKind;
use crate::i18n::Lang;
use crate::tr;

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
        AttemptKind::Regular => tr!(
            lang,
            "开始测验《{title}》：共 {n} 题，答对 {pp}% 即通过。答错的题目会在以后的测验中再次出现。",
            "Starting \"{title}\": {n} questions, {pp}% to pass. Questions you miss will come back in later quizzes."
        ),
        AttemptKind::Followup => tr!(
            lang,
            "开始复习测验《{title}》：共 {n} 题，针对你上次答错的主题。",
            "Starting a follow-up on \"{title}\": {n} questions on the topics you missed last time."
        ),
    }
}

/// Above the current question of the quiz in progress; `other_asked` when
/// the person asked for another bank.
pub fn resuming(title: &Text, other_asked: bool, lang: Lang) -> String {
    let title = title.get(lang);
    if other_asked {
        tr!(
            lang,
            "你还有一个未完成的测验《{title}》，请先完成它，或发送「测验 退出」放弃后再开始新的测验。",
            "You still have a quiz in progress, \"{title}\". Finish it first, or send \"quiz quit\" to stop it and start another."
        )
    } else {
        tr!(
            lang,
            "继续你的测验《{title}》。",
            "Continuing your quiz \"{title}\"."
        )
    }
}
