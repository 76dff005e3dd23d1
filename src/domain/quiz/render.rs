//! What the quiz feature says, in the user's language: question cards whose
//! buttons answer with the question's id, feedback with the explanation and
//! its source, results, campaign invitations, reminders and escalations, and
//! follow-up invitations.

use chrono::NaiveDate;

use super::bank::{Text, letter};
use super::{Asked, pick};
use crate::domain::inert::inert;
use crate::domain::{Button, Message};
use crate::i18n::Lang;
use crate::t;

/// Most people listed by name in one escalation message.
const MAX_LISTED: usize = 50;

/// The text a button sends to answer `letter` to attempt question `id`.
pub fn answer_reply(lang: Lang, letter: char, id: i64) -> String {
    t!(lang, "domain-quiz-render-answer", letter, id)
}

/// The text a button sends to start (or resume) a quiz on `bank_key`.
pub fn start_reply(lang: Lang, bank_key: &str) -> String {
    t!(lang, "domain-quiz-render-quiz", bank_key)
}

/// The text a button sends to start a follow-up quiz.
pub fn review_reply(lang: Lang) -> String {
    t!(lang, "domain-quiz-render-quiz-review")
}

/// The card for one question: an optional introduction, the prompt, the
/// options in shuffled order, and one button per letter.
pub fn question_card(q: &Asked, lang: Lang, intro: Option<&str>) -> Message {
    let (pos, total) = (q.position, q.total);
    let bank = q.bank_title.get(lang);
    let topic = q.topic.get(lang);
    let mut text = intro.map(|i| format!("{i}\n\n")).unwrap_or_default();
    text += &t!(
        lang,
        "domain-quiz-render-question-topic",
        bank,
        pos,
        total,
        topic
    );
    text.push_str(&format!("**{}**\n\n", q.prompt.get(lang)));
    let mut buttons = Vec::with_capacity(q.order.len());
    for (shown, option) in q.order.iter().enumerate() {
        let l = letter(shown);
        let option_text = q.options.get(*option).map_or("", |o| o.get(lang));
        text.push_str(&format!("{l}. {option_text}\n\n"));
        buttons.push(Button::new(l.to_string(), answer_reply(lang, l, q.id)));
    }
    text.push_str(&t!(
        lang,
        "domain-quiz-render-tap-button-below-or-reply-with"
    ));
    let title = t!(lang, "domain-quiz-render-security-quiz", pos, total);
    Message::card(title, text, buttons)
}

/// Right or wrong, the right answer, the explanation and its source.
pub fn feedback(q: &Asked, lang: Lang) -> Message {
    let right = q.correct_letter();
    let right_text = q.options.get(q.correct).map_or("", |o| o.get(lang));
    let mut text = match q.answer {
        Some(a) if a == q.correct => t!(lang, "domain-quiz-render-correct", right, right_text),
        Some(a) => {
            let chose = letter(pick::shown_index(&q.order, a));
            t!(
                lang,
                "domain-quiz-render-not-quite-you-chose-right-answer",
                chose,
                right,
                right_text
            )
        }
        None => String::new(),
    };
    let explanation = q.explanation.get(lang);
    text.push_str(&t!(lang, "domain-quiz-render-why", explanation));
    if let Some(source) = &q.source {
        let source = source.get(lang);
        text.push_str(&t!(lang, "domain-quiz-render-source", source));
    }
    let title = t!(lang, "domain-quiz-render-answer-2");
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
    let verdict = if o.passed {
        t!(lang, "domain-quiz-render-passed")
    } else {
        t!(lang, "domain-quiz-render-not-passed")
    };
    let mut text = if o.followup {
        t!(lang, "domain-quiz-render-follow-up-quiz-finished")
    } else {
        t!(lang, "domain-quiz-render-quiz-finished")
    };
    text.push_str(&t!(
        lang,
        "domain-quiz-render-pass-mark",
        bank,
        score,
        total,
        pct,
        pp,
        verdict
    ));
    let tail = match (o.passed, o.followup_in_days) {
        (true, _) => t!(
            lang,
            "domain-quiz-render-questions-you-missed-will-come-back"
        ),
        (false, Some(days)) => {
            t!(lang, "domain-quiz-render-in-i-will-send-you-short", days)
        }
        (false, None) => t!(lang, "domain-quiz-render-send-quiz-to-try-again-at"),
    };
    text.push_str(&tail);
    Message::markdown(t!(lang, "domain-quiz-render-quiz-result"), text)
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
        t!(lang, "domain-quiz-render-start-quiz"),
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
        Some(d) => t!(lang, "domain-quiz-render-by", d),
        None => String::new(),
    };
    let text = t!(
        lang,
        "domain-quiz-render-security-quiz-please-complete-quiz-questions",
        id,
        bank,
        by,
        n,
        pp,
        key
    );
    Message::card(
        t!(lang, "domain-quiz-render-security-quiz-2"),
        text,
        start_button(c, lang),
    )
}

/// The DM that reminds a member who has not passed yet.
pub fn reminder(c: &CampaignView, today: NaiveDate, lang: Lang) -> Message {
    let (id, bank) = (c.id, c.bank_title.get(lang));
    let when = match c.deadline {
        Some(d) if d == today => t!(lang, "domain-quiz-render-deadline-is-today"),
        Some(d) => {
            let left = super::campaign::days_left(d, today);
            t!(lang, "domain-quiz-render-deadline-is-from-now", d, left)
        }
        None => String::new(),
    };
    let text = t!(
        lang,
        "domain-quiz-render-quiz-reminder-you-have-not-passed",
        id,
        bank,
        when
    );
    Message::card(
        t!(lang, "domain-quiz-render-quiz-reminder"),
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
                Some(d) => t!(lang, "domain-quiz-render-name-id-d", name, id, d = inert(d)),
                None => t!(lang, "domain-quiz-render-name-id", name, id),
            }
        })
        .collect();
    if people.len() > MAX_LISTED {
        let more = people.len() - MAX_LISTED;
        out.push(t!(lang, "domain-quiz-render-and-more", more));
    }
    out.join("\n")
}

/// To a manager at the deadline: their reports who have not passed.
pub fn escalation_to_manager(c: &CampaignView, reports: &[Person], lang: Lang) -> Message {
    let (id, bank) = (c.id, c.bank_title.get(lang));
    let date = c.deadline.map(|d| d.to_string()).unwrap_or_default();
    let list = person_lines(reports, lang);
    let text = t!(
        lang,
        "domain-quiz-render-quiz-overdue-quiz-was-due-on",
        id,
        bank,
        date,
        list
    );
    Message::markdown(t!(lang, "domain-quiz-render-quiz-overdue"), text)
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
    let mut text = t!(
        lang,
        "domain-quiz-render-quiz-campaign-is-past-its-deadline",
        id,
        bank,
        date,
        passed,
        total
    );
    if k > 0 {
        let list = person_lines(missing, lang);
        text.push_str(&t!(lang, "domain-quiz-render-not-passed-2", k, list));
    }
    Message::markdown(t!(lang, "domain-quiz-render-quiz-campaign-due"), text)
}

/// The DM that offers a follow-up quiz on the topics a failed attempt missed.
pub fn followup_invite(bank_title: &Text, topics: &[Text], n: i64, lang: Lang) -> Message {
    let bank = bank_title.get(lang);
    let names: Vec<&str> = topics.iter().map(|t| t.get(lang)).collect();
    let list = names.join(&crate::i18n::list_separator(lang));
    let text = t!(
        lang,
        "domain-quiz-render-follow-up-quiz-in-your-last",
        bank,
        list,
        n
    );
    let button = Button::new(
        t!(lang, "domain-quiz-render-start-follow-up"),
        review_reply(lang),
    );
    Message::card(
        t!(lang, "domain-quiz-render-follow-up-quiz"),
        text,
        vec![button],
    )
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
