//! Taking a quiz in chat: `quiz [BANK]` (start or resume), answers (by
//! button or letter), `quiz quit`, and `quiz list`. The quiz actions keep
//! the state; this puts their outcome into words.

use super::super::{Ctx, HandlerResult};
use crate::actions::quiz::{self, Answer, AskedId, Next, Start};
use crate::domain::quiz::render;
use crate::domain::{Button, Message, Reply};
use crate::t;

/// `quiz [BANK]`: resumes the quiz in progress or starts one.
pub async fn start(ctx: &Ctx<'_>, bank: Option<String>) -> HandlerResult {
    let lang = ctx.lang();
    let start = Start {
        bank,
        in_group: ctx.msg.conversation.is_group(),
    };
    let started = quiz::start(&ctx.action(), start).await?;
    if started.sent_direct {
        return Ok(Reply::text(t!(
            lang,
            "commands-quiz-take-quizzes-happen-in-our-1-1"
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
    Ok(Reply::text(t!(
        lang,
        "commands-quiz-take-stopped-quiz-answered-no-score-recorded",
        title,
        k,
        n
    )))
}

/// `quiz list`: the banks, each with a button to start it.
pub async fn list(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let all = quiz::list(&ctx.action()).await?;
    let mut text = t!(lang, "commands-quiz-take-quiz-banks");
    let mut buttons = Vec::new();
    for b in &all {
        let (key, title, n, per, pp) = (
            &b.bank_key,
            b.title().get(lang).to_owned(),
            b.question_count,
            b.questions_per_attempt,
            b.pass_percent,
        );
        text.push_str(&t!(
            lang,
            "commands-quiz-take-questions-per-quiz-to-pass",
            key,
            title,
            n,
            per,
            pp
        ));
        buttons.push(Button::new(title, render::start_reply(lang, key)));
    }
    text.push_str(&t!(lang, "commands-quiz-take-send-quiz-bank-to-start-one"));
    buttons.truncate(crate::dingtalk::message::MAX_OPENAPI_BUTTONS);
    Ok(Reply::message(Message::card(
        t!(lang, "commands-quiz-take-quiz-banks-2"),
        text,
        buttons,
    )))
}
