//! The quiz refusals in words: banks, campaigns, taking a quiz and answering.

use super::Refusal;
use crate::i18n::Lang;
use crate::tr;

/// A quiz refusal in `lang` (other refusals are worded in [`super`]).
pub(super) fn message(r: &Refusal, lang: Lang) -> String {
    match r {
        Refusal::NoSuchBank { key } => tr!(
            lang,
            "没有名为「{key}」的题库。发送「测验 列表」查看可用的题库。",
            "There is no quiz bank called \"{key}\". Send \"quiz list\" to see the banks.",
            // Typed by the user: shown inert.
            key = crate::domain::inert::inert(key)
        ),
        Refusal::DeadlinePast { date: d } => tr!(
            lang,
            "截止日期 {d} 已经过去了。",
            "The deadline {d} is in the past."
        ),
        Refusal::NobodyToAssign => tr!(
            lang,
            "没有找到可以布置测验的在职人员。",
            "Nobody active matches that audience."
        ),
        Refusal::NoQuizInProgress => tr!(
            lang,
            "你现在没有进行中的测验。发送「测验」开始。",
            "You have no quiz in progress. Send \"quiz\" to start one."
        ),
        Refusal::NoFollowupWaiting => tr!(
            lang,
            "目前没有等你完成的复习测验。发送「测验」开始一次完整的测验。",
            "No follow-up quiz is waiting for you. Send \"quiz\" to take a full quiz."
        ),
        Refusal::EmptyBank => tr!(
            lang,
            "这个题库里没有可用的题目。",
            "That bank has no questions to ask."
        ),
        Refusal::AnswerInGroup => tr!(
            lang,
            "请在与我的单聊中作答。",
            "Please answer in our 1:1 chat."
        ),
        answering => answer(answering, lang),
    }
}

/// Refusals of an answer to a question.
fn answer(r: &Refusal, lang: Lang) -> String {
    match r {
        Refusal::StaleQuestion => tr!(
            lang,
            "找不到这道题，可能已经过期。发送「测验」继续或开始测验。",
            "I can't find that question; it may be out of date. Send \"quiz\" to continue or start a quiz."
        ),
        Refusal::QuizOver {
            score: Some((score, total)),
        } => tr!(
            lang,
            "这次测验已经结束了（得分 {score}/{total}），这个答案不再计分。发送「测验」开始新的测验。",
            "That quiz is over (score {score}/{total}); this answer does not count. Send \"quiz\" to start a new one."
        ),
        Refusal::QuizOver { score: None } => tr!(
            lang,
            "这次测验已经结束了，这个答案不再计分。发送「测验」开始新的测验。",
            "That quiz is over; this answer does not count. Send \"quiz\" to start a new one."
        ),
        Refusal::QuestionAnswered { letter: l } => tr!(
            lang,
            "这道题你已经答过了（你选了 {l}），不会重复计分。发送「测验」查看当前题目。",
            "You have already answered that question (you chose {l}); it is not scored twice. Send \"quiz\" to see the current question."
        ),
        Refusal::AnswerInOrder { position: k } => tr!(
            lang,
            "请先回答第 {k} 题。发送「测验」查看当前题目。",
            "Please answer question {k} first. Send \"quiz\" to see it."
        ),
        Refusal::NoSuchOption { last } => tr!(
            lang,
            "这道题的选项是 A–{last}，请重新选择。",
            "This question has options A–{last}; please choose one of them."
        ),
        Refusal::AnsweredTwice => tr!(
            lang,
            "这道题你已经答过了。",
            "You have already answered that question."
        ),
        // `Refusal::message` sends only quiz refusals here; the unit test
        // checks that every one has words of its own.
        other => other.code().to_owned(),
    }
}
