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
use crate::i18n::{Lang, en_count};
use crate::reports::quiz as quiz_report;
use crate::tr;

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
        Some(d) => tr!(lang, "，截止日期 {d}", ", due {d}"),
        None => String::new(),
    };
    let people = en_count(n, "person", "people");
    let mut text = tr!(
        lang,
        "已创建测验任务 #{id}：《{title}》布置给 {n} 人{by}。邀请已排队发送，未通过的人会收到提醒，截止后会通知其上级和人事。",
        "Created quiz campaign #{id}: \"{title}\" for {people}{by}. Invitations are queued; people who have not passed get reminders, and their managers and HR are told at the deadline."
    );
    let passed = a.already_passed.len();
    if passed > 0 {
        let people = en_count(passed, "person", "people");
        text.push_str(&tr!(
            lang,
            "\n其中 {passed} 人近期已通过该题库，计为已通过，不再邀请。",
            "\n{people} passed this bank recently: counted as passed, not invited."
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
    let mut text = tr!(
        lang,
        "### 测验统计：《{title}》（第 {v} 版）\n",
        "### Quiz stats: \"{title}\" (version {v})\n"
    );
    text.push_str(&report::departments(&s, lang));
    text.push_str(&report::campaigns(&s, lang));
    text.push_str(&report::missed(&s, lang));
    Ok(Reply::markdown(tr!(lang, "测验统计", "Quiz stats"), text))
}
