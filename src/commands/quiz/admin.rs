//! Campaigns and reports in chat: `quiz assign BANK to … [by DATE]` (the
//! assign action creates the campaign and queues its invitations) and
//! `quiz stats [BANK]` (the quiz report).

use chrono::NaiveDate;

use super::super::{Audience, Ctx, HandlerResult};
use super::report;
use crate::actions::Refusal;
use crate::actions::quiz::{self, Assign, Assigned};
use crate::commands::audience::skipped_line;
use crate::domain::Reply;
use crate::domain::quiz::bank::DEFAULT_BANK;
use crate::i18n::Lang;
use crate::reports::quiz as quiz_report;
use crate::t;

/// Most missed questions listed by `quiz stats`.
const MOST_MISSED: i64 = 5;
/// Campaigns listed by `quiz stats`.
const CAMPAIGNS_SHOWN: usize = 5;

/// `quiz assign BANK to all|dept NAME|users IDS [by DATE]`.
pub async fn assign(
    ctx: &Ctx<'_>,
    bank: String,
    audience: Audience,
    by: Option<NaiveDate>,
) -> HandlerResult {
    let assign = Assign { bank, audience, by };
    let assigned = quiz::assign(&ctx.action(), assign).await?;
    Ok(Reply::text(assigned_text(&assigned, ctx.lang())))
}

fn assigned_text(a: &Assigned, lang: Lang) -> String {
    let view = &a.campaign;
    let (id, title, n) = (view.id, view.bank_title.get(lang), a.members);
    let by = match view.deadline {
        Some(d) => t!(lang, "commands-quiz-admin-due", d),
        None => String::new(),
    };
    let mut text = t!(
        lang,
        "commands-quiz-admin-created-quiz-campaign-for-invitations-are",
        id,
        title,
        n,
        by
    );
    let passed = a.already_passed.len();
    if passed > 0 {
        text.push_str(&t!(
            lang,
            "commands-quiz-admin-passed-this-bank-recently-counted-as",
            passed
        ));
    }
    text.push_str(&skipped_line(&a.unknown, lang));
    text
}

/// `quiz stats [BANK]`: completion and pass rate per department, campaigns,
/// and the most missed questions.
pub async fn stats(ctx: &Ctx<'_>, bank: Option<String>) -> HandlerResult {
    let lang = ctx.lang();
    let action = ctx.action();
    quiz::ensure_builtin(action.store, action.now_ms()).await?;
    let key = bank.map_or_else(|| DEFAULT_BANK.to_owned(), |b| b.to_lowercase());
    let stats = quiz_report::stats(action.store, &key, CAMPAIGNS_SHOWN, MOST_MISSED).await?;
    let Some(s) = stats else {
        return Err(Refusal::NoSuchBank { key }.into());
    };
    let (title, v) = (s.bank.title().get(lang).to_owned(), s.bank.version);
    let mut text = t!(lang, "commands-quiz-admin-quiz-stats-version", title, v);
    text.push_str(&report::departments(&s, lang));
    text.push_str(&report::campaigns(&s, lang));
    text.push_str(&report::missed(&s, lang));
    Ok(Reply::markdown(
        t!(lang, "commands-quiz-admin-quiz-stats"),
        text,
    ))
}
