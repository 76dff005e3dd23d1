//! The text of `quiz stats`: departments, campaigns, most missed questions.

use crate::domain::inert::inert;
use crate::domain::quiz::CampaignStatus;
use crate::domain::quiz::pick::percent;
use crate::i18n::Lang;
use crate::reports::quiz::Stats;
use crate::tr;

/// Completion and pass rate per department, with a total.
pub(super) fn departments(s: &Stats, lang: Lang) -> String {
    let mut text = tr!(
        lang,
        "\n**按部门**（完成：至少完成过一次完整测验）\n\n",
        "\n**By department** (completed: finished at least one full quiz)\n\n"
    );
    for d in &s.departments {
        let name = if d.department.is_empty() {
            lang.pick("（未分配部门）", "(no department)").to_owned()
        } else {
            inert(&d.department)
        };
        text.push_str(&line(&name, d.completed, d.passed, d.members, lang));
    }
    let (name, t) = (lang.pick("**合计**", "**Total**"), &s.total);
    text.push_str(&line(name, t.completed, t.passed, t.members, lang));
    text
}

fn line(name: &str, completed: i64, passed: i64, members: i64, lang: Lang) -> String {
    let (cp, pp) = (percent(completed, members), percent(passed, members));
    tr!(
        lang,
        "- {name}：完成 {completed}/{members}（{cp}%），通过 {passed}/{members}（{pp}%）\n",
        "- {name}: completed {completed}/{members} ({cp}%), passed {passed}/{members} ({pp}%)\n"
    )
}

/// Each campaign with how many passed; empty when there are none.
pub(super) fn campaigns(s: &Stats, lang: Lang) -> String {
    if s.campaigns.is_empty() {
        return String::new();
    }
    let mut text = tr!(lang, "\n**测验任务**\n\n", "\n**Campaigns**\n\n");
    for p in &s.campaigns {
        let (c, members, passed) = (&p.campaign, p.members, p.passed);
        let id = c.id;
        let state = match (c.status, lang) {
            (CampaignStatus::Open, Lang::Zh) => "进行中",
            (CampaignStatus::Closed, Lang::Zh) => "已截止",
            (CampaignStatus::Open, Lang::En) => "open",
            (CampaignStatus::Closed, Lang::En) => "past deadline",
        };
        let due = c
            .deadline_date
            .clone()
            .unwrap_or_else(|| lang.pick("无", "none").to_owned());
        text.push_str(&tr!(
            lang,
            "- #{id} 截止 {due}：通过 {passed}/{members}（{state}）\n",
            "- #{id} due {due}: passed {passed}/{members} ({state})\n"
        ));
    }
    text
}

/// The most missed questions, numbered.
pub(super) fn missed(s: &Stats, lang: Lang) -> String {
    let missed = &s.most_missed;
    let mut text = tr!(
        lang,
        "\n**最常答错的题目**\n\n",
        "\n**Most missed questions**\n\n"
    );
    if missed.is_empty() {
        text.push_str(&tr!(lang, "暂无答错记录。\n", "No wrong answers yet.\n"));
    }
    for (i, m) in missed.iter().enumerate() {
        let (n, wrong, of, key) = (i + 1, m.missed, m.answered, &m.question_key);
        let prompt = lang.pick(&m.prompt_zh, &m.prompt_en);
        text.push_str(&tr!(
            lang,
            "{n}. {prompt}（{key}）答错 {wrong}/{of} 次\n",
            "{n}. {prompt} ({key}): missed {wrong}/{of} times\n"
        ));
    }
    text
}
