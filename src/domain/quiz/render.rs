//! What the quiz feature says, in the user's language: question cards whose
//! buttons answer with the question's id, feedback with the explanation and
//! its source, results, campaign invitations, reminders and escalations, and
//! follow-up invitations.

use chrono::NaiveDate;

use super::bank::{Text, letter};
use super::{Asked, pick};
use crate::domain::inert::inert;
use crate::domain::{Button, Message};
use crate::i18n::{Lang, en_count};
use crate::tr;

/// Most people listed by name in one escalation message.
const MAX_LISTED: usize = 50;

/// The text a button sends to answer `letter` to attempt question `id`.
pub fn answer_reply(lang: Lang, letter: char, id: i64) -> String {
    tr!(lang, "答 {letter} #{id}", "answer {letter} #{id}")
}

/// The text a button sends to start (or resume) a quiz on `bank_key`.
pub fn start_reply(lang: Lang, bank_key: &str) -> String {
    tr!(lang, "测验 {bank_key}", "quiz {bank_key}")
}

/// The text a button sends to start a follow-up quiz.
pub fn review_reply(lang: Lang) -> String {
    tr!(lang, "测验 复习", "quiz review")
}

/// The card for one question: an optional introduction, the prompt, the
/// options in shuffled order, and one button per letter.
pub fn question_card(q: &Asked, lang: Lang, intro: Option<&str>) -> Message {
    let (pos, total) = (q.position, q.total);
    let bank = q.bank_title.get(lang);
    let topic = q.topic.get(lang);
    let mut text = intro.map(|i| format!("{i}\n\n")).unwrap_or_default();
    text += &tr!(
        lang,
        "#### 《{bank}》第 {pos}/{total} 题\n**主题**：{topic}\n\n",
        "#### {bank} · question {pos}/{total}\n**Topic:** {topic}\n\n"
    );
    text.push_str(&format!("**{}**\n\n", q.prompt.get(lang)));
    let mut buttons = Vec::with_capacity(q.order.len());
    for (shown, option) in q.order.iter().enumerate() {
        let l = letter(shown);
        let option_text = q.options.get(*option).map_or("", |o| o.get(lang));
        text.push_str(&format!("{l}. {option_text}\n\n"));
        buttons.push(Button::new(l.to_string(), answer_reply(lang, l, q.id)));
    }
    text.push_str(&tr!(
        lang,
        "点击下方按钮作答，或直接回复字母（如「B」）。",
        "Tap a button below or reply with the letter (e.g. \"B\")."
    ));
    let title = tr!(
        lang,
        "安全测验 {pos}/{total}",
        "Security quiz {pos}/{total}"
    );
    Message::card(title, text, buttons)
}

/// Right or wrong, the right answer, the explanation and its source.
pub fn feedback(q: &Asked, lang: Lang) -> Message {
    let right = q.correct_letter();
    let right_text = q.options.get(q.correct).map_or("", |o| o.get(lang));
    let mut text = match q.answer {
        Some(a) if a == q.correct => tr!(
            lang,
            "✅ 回答正确：{right}. {right_text}",
            "✅ Correct: {right}. {right_text}"
        ),
        Some(a) => {
            let chose = letter(pick::shown_index(&q.order, a));
            tr!(
                lang,
                "❌ 回答错误。你选了 {chose}，正确答案是 {right}：{right_text}",
                "❌ Not quite. You chose {chose}; the right answer is {right}. {right_text}"
            )
        }
        None => String::new(),
    };
    let explanation = q.explanation.get(lang);
    text.push_str(&tr!(
        lang,
        "\n\n**解析**：{explanation}",
        "\n\n**Why:** {explanation}"
    ));
    if let Some(source) = &q.source {
        let source = source.get(lang);
        text.push_str(&tr!(
            lang,
            "\n\n**依据**：{source}",
            "\n\n**Source:** {source}"
        ));
    }
    let title = tr!(lang, "答题结果", "Answer");
    Message::markdown(title, text)
}

/// How an attempt ended.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub bank_title: Text,
    pub score: i64,
    pub total: i64,
    pub pass_percent: i64,
    pub passed: bool,
    pub followup: bool,
    /// A follow-up quiz was scheduled this many days from now.
    pub followup_in_days: Option<u32>,
}

/// The end of an attempt: the score as `N/M` and pass or fail.
pub fn result(o: &Outcome, lang: Lang) -> Message {
    let (score, total, pp) = (o.score, o.total, o.pass_percent);
    let pct = pick::percent(score, total);
    let bank = o.bank_title.get(lang);
    let verdict = match (o.passed, lang) {
        (true, Lang::Zh) => "**通过** 🎉",
        (false, Lang::Zh) => "**未通过**",
        (true, Lang::En) => "**passed** 🎉",
        (false, Lang::En) => "**not passed**",
    };
    let mut text = if o.followup {
        tr!(lang, "### 复习测验完成\n", "### Follow-up quiz finished\n")
    } else {
        tr!(lang, "### 测验完成\n", "### Quiz finished\n")
    };
    text.push_str(&tr!(
        lang,
        "《{bank}》得分 **{score}/{total}**（{pct}%），及格线 {pp}%：{verdict}",
        "{bank}: **{score}/{total}** ({pct}%), pass mark {pp}%: {verdict}"
    ));
    let tail = match (o.passed, o.followup_in_days) {
        (true, _) => tr!(
            lang,
            "\n\n答错的题目会在之后的测验中再次出现，帮你巩固。发送「我的」可查看成绩。",
            "\n\nQuestions you missed will come back in later quizzes. Send \"me\" to see your results."
        ),
        (false, Some(days)) => {
            let after = en_count(days, "day", "days");
            tr!(
                lang,
                "\n\n{days} 天后我会发给你一份针对薄弱主题的简短复习测验。你也可以随时发送「测验」再试一次。",
                "\n\nIn {after} I will send you a short follow-up quiz on the topics you missed. You can also send \"quiz\" to try again at any time."
            )
        }
        (false, None) => tr!(
            lang,
            "\n\n随时发送「测验」再试一次，答错的题目会再次出现。",
            "\n\nSend \"quiz\" to try again at any time; the questions you missed will come back."
        ),
    };
    text.push_str(&tail);
    Message::markdown(tr!(lang, "测验结果", "Quiz result"), text)
}

/// A campaign as its messages describe it.
#[derive(Clone, Debug)]
pub struct CampaignView {
    pub id: i64,
    pub bank_key: String,
    pub bank_title: Text,
    pub deadline: Option<NaiveDate>,
    pub per_attempt: i64,
    pub pass_percent: i64,
}

/// Someone named in an escalation.
#[derive(Clone, Debug)]
pub struct Person {
    pub staff_id: String,
    pub name: String,
    pub department: Option<String>,
}

fn start_button(c: &CampaignView, lang: Lang) -> Vec<Button> {
    vec![Button::new(
        tr!(lang, "开始测验", "Start the quiz"),
        start_reply(lang, &c.bank_key),
    )]
}

/// The DM that invites a campaign member.
pub fn invitation(c: &CampaignView, lang: Lang) -> Message {
    let (id, bank, key, n, pp) = (
        c.id,
        c.bank_title.get(lang),
        &c.bank_key,
        c.per_attempt,
        c.pass_percent,
    );
    let by = match c.deadline {
        Some(d) => tr!(lang, "，截止日期 {d}", " by {d}"),
        None => String::new(),
    };
    let text = tr!(
        lang,
        "### 安全测验任务 #{id}\n请完成测验《{bank}》{by}。\n\n共 {n} 题，答对 {pp}% 即通过，几分钟即可完成。点击下方按钮开始，或发送「测验 {key}」。",
        "### Security quiz #{id}\nPlease complete the quiz \"{bank}\"{by}.\n\n{n} questions, {pp}% to pass; it takes a few minutes. Tap the button below or send \"quiz {key}\"."
    );
    Message::card(
        tr!(lang, "安全测验任务", "Security quiz"),
        text,
        start_button(c, lang),
    )
}

/// The DM that reminds a member who has not passed yet.
pub fn reminder(c: &CampaignView, today: NaiveDate, lang: Lang) -> Message {
    let (id, bank) = (c.id, c.bank_title.get(lang));
    let when = match c.deadline {
        Some(d) if d == today => tr!(lang, "今天是截止日。", "The deadline is today."),
        Some(d) => {
            let left = super::campaign::days_left(d, today);
            let left_en = en_count(left, "day", "days");
            tr!(
                lang,
                "截止日期 {d}，还剩 {left} 天。",
                "The deadline is {d}, {left_en} from now."
            )
        }
        None => String::new(),
    };
    let text = tr!(
        lang,
        "### 测验提醒 #{id}\n你还没有通过测验《{bank}》。{when}\n\n点击下方按钮开始，几分钟即可完成。",
        "### Quiz reminder #{id}\nYou have not passed the quiz \"{bank}\" yet. {when}\n\nTap the button below; it takes a few minutes."
    );
    Message::card(
        tr!(lang, "测验提醒", "Quiz reminder"),
        text,
        start_button(c, lang),
    )
}

fn person_lines(people: &[Person], lang: Lang) -> String {
    let mut out: Vec<String> = people
        .iter()
        .take(MAX_LISTED)
        .map(|p| {
            let (name, id) = (inert(&p.name), inert(&p.staff_id));
            match &p.department {
                Some(d) => format!("- {name}（{id}）· {}", inert(d)),
                None => format!("- {name}（{id}）"),
            }
        })
        .collect();
    if people.len() > MAX_LISTED {
        let more = people.len() - MAX_LISTED;
        out.push(tr!(lang, "- ……另有 {more} 人", "- …and {more} more"));
    }
    out.join("\n")
}

/// To a manager at the deadline: their reports who have not passed.
pub fn escalation_to_manager(c: &CampaignView, reports: &[Person], lang: Lang) -> Message {
    let (id, bank) = (c.id, c.bank_title.get(lang));
    let date = c.deadline.map(|d| d.to_string()).unwrap_or_default();
    let list = person_lines(reports, lang);
    let text = tr!(
        lang,
        "### 测验逾期 #{id}\n测验《{bank}》已于 {date} 截止，你的以下下属尚未通过：\n\n{list}\n\n请提醒他们尽快完成。",
        "### Quiz overdue #{id}\nThe quiz \"{bank}\" was due on {date}. These people reporting to you have not passed it:\n\n{list}\n\nPlease remind them to complete it soon."
    );
    Message::markdown(tr!(lang, "测验逾期", "Quiz overdue"), text)
}

/// To the admin who assigned the campaign and HR at the deadline.
pub fn escalation_summary(
    c: &CampaignView,
    passed: usize,
    total: usize,
    missing: &[Person],
    lang: Lang,
) -> Message {
    let (id, bank) = (c.id, c.bank_title.get(lang));
    let date = c.deadline.map(|d| d.to_string()).unwrap_or_default();
    let k = missing.len();
    let mut text = tr!(
        lang,
        "### 测验任务 #{id} 已截止\n《{bank}》截止日期 {date}：{passed}/{total} 人已通过。",
        "### Quiz campaign #{id} is past its deadline\n\"{bank}\", due {date}: {passed}/{total} passed."
    );
    if k > 0 {
        let list = person_lines(missing, lang);
        text.push_str(&tr!(
            lang,
            "\n\n未通过（{k} 人）：\n\n{list}",
            "\n\nNot passed ({k}):\n\n{list}"
        ));
    }
    Message::markdown(tr!(lang, "测验任务截止", "Quiz campaign due"), text)
}

/// The DM that offers a follow-up quiz on the topics a failed attempt missed.
pub fn followup_invite(bank_title: &Text, topics: &[Text], n: i64, lang: Lang) -> Message {
    let bank = bank_title.get(lang);
    let names: Vec<&str> = topics.iter().map(|t| t.get(lang)).collect();
    let list = names.join(lang.pick("、", ", "));
    let text = tr!(
        lang,
        "### 复习测验\n在上次的测验《{bank}》中，你在这些主题上有答错的题目：{list}。\n\n这里有一份 {n} 道题的简短复习测验。点击下方按钮开始，或发送「测验 复习」。",
        "### Follow-up quiz\nIn your last quiz \"{bank}\" you missed questions on: {list}.\n\nHere is a short {n}-question follow-up. Tap the button below or send \"quiz review\"."
    );
    let button = Button::new(
        tr!(lang, "开始复习", "Start the follow-up"),
        review_reply(lang),
    );
    Message::card(tr!(lang, "复习测验", "Follow-up quiz"), text, vec![button])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(answer: Option<usize>) -> Asked {
        Asked {
            id: 42,
            attempt_id: 1,
            position: 2,
            total: 5,
            bank_title: Text::new("安全基础", "Security basics"),
            question_key: "q".into(),
            topic: Text::new("钓鱼", "Phishing"),
            prompt: Text::new("哪个对？", "Which is right?"),
            options: vec![
                Text::new("甲", "one"),
                Text::new("乙", "two"),
                Text::new("丙", "three"),
            ],
            correct: 1,
            explanation: Text::new("因为乙。", "Because two."),
            source: Some(Text::new("《个人信息保护法》第五十七条", "PIPL Art. 57")),
            order: vec![2, 0, 1],
            answer,
        }
    }

    #[test]
    fn cards_show_shuffled_options_and_buttons_carry_the_question_id() {
        let Message::ActionCard { text, buttons, .. } = question_card(&asked(None), Lang::Zh, None)
        else {
            panic!("not a card");
        };
        assert!(text.contains("第 2/5 题"));
        assert!(text.contains("A. 丙\n\nB. 甲\n\nC. 乙"), "{text}");
        assert_eq!(buttons[1].reply, "答 B #42");
        let Message::ActionCard { buttons, .. } = question_card(&asked(None), Lang::En, Some("Hi"))
        else {
            panic!("not a card");
        };
        assert_eq!(buttons[2].reply, "answer C #42");
    }

    #[test]
    fn feedback_names_the_right_letter_as_shown() {
        let Message::Markdown { text, .. } = feedback(&asked(Some(0)), Lang::En) else {
            panic!("not markdown");
        };
        assert!(
            text.contains("You chose B; the right answer is C. two"),
            "{text}"
        );
        assert!(text.contains("**Source:** PIPL Art. 57"));
        let Message::Markdown { text, .. } = feedback(&asked(Some(1)), Lang::Zh) else {
            panic!("not markdown");
        };
        assert!(text.starts_with("✅ 回答正确：C. 乙"), "{text}");
    }

    #[test]
    fn results_show_the_score_as_n_of_m() {
        let o = Outcome {
            bank_title: Text::new("安全基础", "Security basics"),
            score: 3,
            total: 5,
            pass_percent: 80,
            passed: false,
            followup: false,
            followup_in_days: Some(3),
        };
        let Message::Markdown { text, .. } = result(&o, Lang::Zh) else {
            panic!("not markdown");
        };
        assert!(
            text.contains("**3/5**（60%），及格线 80%：**未通过**"),
            "{text}"
        );
        assert!(text.contains("3 天后"));
    }
}
