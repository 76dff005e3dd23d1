//! Quiz commands: taking a quiz (`quiz [BANK]`, answers, `quiz quit`,
//! `quiz list`) in [`take`], campaigns and reports (`quiz assign`,
//! `quiz stats`) in [`admin`], and the quiz part of `me`. The quiz actions
//! do the work; these parse, call them and put the outcome into words.

mod admin;
mod report;
mod take;

pub use admin::{assign, stats};
pub use take::{answer, list, quit, start};

use super::Ctx;
use crate::actions::quiz::standing_of;
use crate::clock::from_ms;
use crate::domain::quiz::Text;
use crate::domain::schedule::format_local;
use crate::i18n::Lang;
use crate::t;

/// Recent results shown in `me`.
const RECENT_RESULTS: i64 = 3;

/// This feature's part of `me`: the quiz in progress, campaigns not passed,
/// a follow-up waiting, and recent results. `None` when there is nothing.
pub async fn me_section(ctx: &Ctx<'_>) -> anyhow::Result<Option<String>> {
    let lang = ctx.lang();
    let action = ctx.action();
    let standing = standing_of(&action, &ctx.user.staff_id, RECENT_RESULTS).await?;
    let mut lines = Vec::new();
    if let Some(a) = &standing.active {
        let (title, k, n) = (a.title().get(lang).to_owned(), a.answered + 1, a.total);
        lines.push(t!(
            lang,
            "commands-quiz-quiz-in-progress-question-send-quiz",
            title,
            k,
            n
        ));
    }
    for c in &standing.campaigns {
        lines.push(campaign_line(c, lang, action.now_ms()));
    }
    if standing.followup_ready {
        lines.push(t!(lang, "commands-quiz-follow-up-quiz-is-ready-send"));
    }
    let tz = ctx.state.config.timezone;
    for r in standing.recent {
        let title = Text::new(r.title_zh, r.title_en);
        let when = format_local(tz, from_ms(r.finished_at.unwrap_or_default()));
        let (title, score, total) = (title.get(lang), r.score.unwrap_or(0), r.total);
        let verdict = verdict(r.passed == Some(1), lang);
        lines.push(t!(
            lang,
            "commands-quiz-when-title-score-total-verdict",
            when,
            title,
            score,
            total,
            verdict
        ));
    }
    if lines.is_empty() {
        return Ok(None);
    }
    let heading = t!(lang, "commands-quiz-security-quizzes");
    Ok(Some(format!("{heading}\n\n{}", lines.join("\n"))))
}

fn campaign_line(c: &crate::actions::quiz::Campaign, lang: Lang, now_ms: i64) -> String {
    let (id, title) = (c.id, c.title().get(lang).to_owned());
    let key = &c.bank_key;
    match (&c.deadline_date, c.deadline_at) {
        (Some(date), Some(at)) if at <= now_ms => t!(
            lang,
            "commands-quiz-quiz-was-due-on-and-is",
            id,
            title,
            date,
            key
        ),
        (Some(date), _) => t!(
            lang,
            "commands-quiz-quiz-due-not-passed-yet-send",
            id,
            title,
            date,
            key
        ),
        _ => t!(
            lang,
            "commands-quiz-quiz-not-passed-yet-send-quiz",
            id,
            title,
            key
        ),
    }
}

/// "passed" / "not passed".
fn verdict(passed: bool, lang: Lang) -> String {
    if passed {
        t!(lang, "commands-quiz-passed")
    } else {
        t!(lang, "commands-quiz-not-passed")
    }
}
