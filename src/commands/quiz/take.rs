//! Taking a quiz in chat: `quiz [BANK]` (start or resume), answers (by
//! button or letter), `quiz quit`, and `quiz list`. The quiz actions keep
//! the state; this puts their outcome into words.

use super::super::{Ctx, HandlerResult};
use crate::actions::quiz::{self, Answer, AskedId, Next, Start};
use crate::domain::quiz::render;
use crate::domain::{Button, Message, Reply};
use crate::tr;

/// `quiz [BANK]`: resumes the quiz in progress or starts one.
pub async fn start(ctx: &Ctx<'_>, bank: Option<String>) -> HandlerResult {
    let lang = ctx.lang();
    let start = Start {
        bank,
        in_group: ctx.msg.conversation.is_group(),
    };
    let started = quiz::start(&ctx.action(), start).await?;
    if started.sent_direct {
        return Ok(Reply::text(tr!(
            lang,
            "测验在我们的单聊中进行，我已经把题目私信发给你了。",
            "Quizzes happen in our 1:1 chat; I have sent you the question there."
        )));
    }
    Ok(Reply::message(started.card))
}

/// An answer `A`–`F`, by button (with the question's id) or typed.
pub async fn answer(ctx: &Ctx<'_>, choice: char, question: Option<i64>) -> HandlerResult {
    let lang = ctx.lang();
    let answer = Answer {
        choice,
        question: question.map(AskedId),
        in_group: ctx.msg.conversation.is_group(),
    };
    let answered = quiz::answer(&ctx.action(), answer).await?;
    let next = match &answered.next {
        Next::Question(q) => render::question_card(q, lang, None),
        Next::Finished(outcome) => render::result(outcome, lang),
    };
    Ok(Reply::message(render::feedback(&answered.asked, lang)).then(next))
}

/// `quiz quit`: abandons the quiz in progress.
pub async fn quit(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let quit = quiz::quit(&ctx.action()).await?;
    let (title, k, n) = (quit.title.get(lang), quit.answered, quit.total);
    Ok(Reply::text(tr!(
        lang,
        "已放弃测验《{title}》（已答 {k}/{n} 题，不计成绩）。随时发送「测验」重新开始。",
        "Stopped the quiz \"{title}\" ({k}/{n} answered; no score recorded). Send \"quiz\" to start again at any time."
    )))
}

/// `quiz list`: the banks, each with a button to start it.
pub async fn list(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let all = quiz::list(&ctx.action()).await?;
    let mut text = tr!(lang, "### 题库列表\n\n", "### Quiz banks\n\n");
    let mut buttons = Vec::new();
    for b in &all {
        let (key, title, n, per, pp) = (
            &b.bank_key,
            b.title().get(lang).to_owned(),
            b.question_count,
            b.questions_per_attempt,
            b.pass_percent,
        );
        text.push_str(&tr!(
            lang,
            "- **{key}**《{title}》：题库共 {n} 题，每次 {per} 题，及格线 {pp}%\n",
            "- **{key}** \"{title}\": {n} questions, {per} per quiz, {pp}% to pass\n"
        ));
        buttons.push(Button::new(title, render::start_reply(lang, key)));
    }
    text.push_str(&tr!(
        lang,
        "\n发送「测验 题库名」开始，例如「测验 default」。",
        "\nSend \"quiz BANK\" to start one, e.g. \"quiz default\"."
    ));
    buttons.truncate(crate::dingtalk::message::MAX_OPENAPI_BUTTONS);
    Ok(Reply::message(Message::card(
        tr!(lang, "题库列表", "Quiz banks"),
        text,
        buttons,
    )))
}
