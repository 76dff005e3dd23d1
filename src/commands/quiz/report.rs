//! The text of `quiz stats`: departments, campaigns, most missed questions.

use crate::domain::inert::inert;
use crate::domain::quiz::CampaignStatus;
use crate::domain::quiz::pick::percent;
use crate::i18n::Lang;
use crate::reports::quiz::Stats;
use crate::t;

/// Completion and pass rate per department, with a total.
pub(super) fn departments(s: &Stats, lang: Lang) -> String {
    let mut text = t!(
        lang,
        "commands-quiz-report-by-department-completed-finished-at-least"
    );
    for d in &s.departments {
        let name = if d.department.is_empty() {
            t!(lang, "commands-notice-status-no-department")
        } else {
            inert(&d.department)
        };
        text.push_str(&line(&name, d.completed, d.passed, d.members, lang));
    }
    let (name, t) = (&t!(lang, "commands-quiz-report-total"), &s.total);
    text.push_str(&line(name, t.completed, t.passed, t.members, lang));
    text
}

fn line(name: &str, completed: i64, passed: i64, members: i64, lang: Lang) -> String {
    let (cp, pp) = (percent(completed, members), percent(passed, members));
    t!(
        lang,
        "commands-quiz-report-completed-passed",
        name,
        completed,
        members,
        cp,
        passed,
        pp
    )
}

/// Each campaign with how many passed; empty when there are none.
pub(super) fn campaigns(s: &Stats, lang: Lang) -> String {
    if s.campaigns.is_empty() {
        return String::new();
    }
    let mut text = t!(lang, "commands-quiz-report-campaigns");
    for p in &s.campaigns {
        let (c, members, passed) = (&p.campaign, p.members, p.passed);
        let id = c.id;
        let state = match c.status {
            CampaignStatus::Open => t!(lang, "commands-quiz-report-open"),
            CampaignStatus::Closed => t!(lang, "commands-quiz-report-past-deadline"),
        };
        let due = c
            .deadline_date
            .clone()
            .unwrap_or_else(|| t!(lang, "commands-quiz-report-none"));
        text.push_str(&t!(
            lang,
            "commands-quiz-report-due-passed",
            id,
            due,
            passed,
            members,
            state
        ));
    }
    text
}

/// The most missed questions, numbered.
pub(super) fn missed(s: &Stats, lang: Lang) -> String {
    let missed = &s.most_missed;
    let mut text = t!(lang, "commands-quiz-report-most-missed-questions");
    if missed.is_empty() {
        text.push_str(&t!(lang, "commands-quiz-report-no-wrong-answers-yet"));
    }
    for (i, m) in missed.iter().enumerate() {
        let (n, wrong, of, key) = (i + 1, m.missed, m.answered, &m.question_key);
        let prompt = lang.pick(&m.prompt_zh, &m.prompt_en);
        text.push_str(&t!(
            lang,
            "commands-quiz-report-missed-times",
            n,
            prompt,
            key,
            wrong,
            of
        ));
    }
    text
}
