//! What recipients, managers and authors receive about a notice: the
//! notice card with its acknowledge and checklist buttons, the group post,
//! reminders, escalations to managers and the deadline summary.

use chrono::NaiveDate;

use super::{NoticeKind, display_body, kind_label, shorten};
use crate::domain::{Button, Message};
use crate::i18n::Lang;
use crate::t;

/// The parts of a notice its messages show.
#[derive(Clone, Debug)]
pub struct NoticeView<'a> {
    pub id: i64,
    pub kind: NoticeKind,
    pub title: &'a str,
    pub body: &'a str,
    pub deadline: Option<NaiveDate>,
    pub items: &'a [String],
}

/// Progress figures for a summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub total: i64,
    pub acked: i64,
    pub overdue: i64,
    pub left: i64,
}

/// The reply text the acknowledge button sends (`确认 #3` / `ack #3`).
pub fn ack_text(lang: Lang, id: i64) -> String {
    t!(lang, "domain-notice-messages-ack", id)
}

/// The reply text a checklist button sends (`完成 #3 2` / `done #3 2`).
pub fn done_text(lang: Lang, id: i64, n: usize) -> String {
    t!(lang, "domain-notice-messages-done", id, n)
}

/// The acknowledge button.
pub fn ack_button(lang: Lang, id: i64) -> Button {
    Button::new(
        t!(lang, "domain-notice-messages-acknowledge"),
        ack_text(lang, id),
    )
}

/// Told to an author whose `- item` lines made no checklist.
pub fn checklist_hint(lang: Lang) -> String {
    t!(
        lang,
        "domain-notice-messages-tip-lines-starting-with-are-plain"
    )
}

/// The button that ticks item `n` (1-based).
pub fn done_button(lang: Lang, id: i64, n: usize, item: &str) -> Button {
    let item = shorten(item, 14);
    Button::new(
        t!(lang, "domain-notice-messages-done-2", n, item),
        done_text(lang, id, n),
    )
}

fn heading(n: &NoticeView<'_>, lang: Lang) -> String {
    let title = n.title;
    match kind_label(n.kind, lang) {
        Some(kind) => format!("### [{kind}] {title}"),
        None => format!("### {title}"),
    }
}

/// The heading, the body and the deadline: what every copy of the notice
/// starts with.
fn notice_text(n: &NoticeView<'_>, lang: Lang) -> String {
    let mut text = format!("{}\n\n{}", heading(n, lang), display_body(n.body));
    text.push_str(&deadline_line(n, lang));
    text
}

fn deadline_line(n: &NoticeView<'_>, lang: Lang) -> String {
    n.deadline
        .map(|d| t!(lang, "domain-notice-messages-deadline", d))
        .unwrap_or_default()
}

fn notice_title(n: &NoticeView<'_>, lang: Lang) -> String {
    let id = n.id;
    t!(lang, "domain-notice-messages-notice", id, t = n.title)
}

/// The notice as each recipient gets it: the body, the deadline, how to
/// respond, an acknowledge button and one button per checklist item.
pub fn notice_card(n: &NoticeView<'_>, lang: Lang) -> Message {
    let id = n.id;
    let mut text = notice_text(n, lang);
    text.push_str(&t!(
        lang,
        "domain-notice-messages-notice-tap-acknowledge-or-reply-ack",
        id
    ));
    if !n.items.is_empty() {
        text.push_str(&t!(
            lang,
            "domain-notice-messages-tick-each-checklist-item-as-you",
            id
        ));
    }
    let mut buttons = vec![ack_button(lang, id)];
    buttons.extend(
        n.items
            .iter()
            .enumerate()
            .map(|(i, item)| done_button(lang, id, i + 1, item)),
    );
    Message::card(notice_title(n, lang), text, buttons)
}

/// The notice posted into a group: buttons there would post into the group
/// (where the bot only hears @mentions), so it asks people to answer in
/// their 1:1 chat with the bot instead.
pub fn group_post(n: &NoticeView<'_>, lang: Lang) -> Message {
    let id = n.id;
    let mut text = notice_text(n, lang);
    text.push_str(&t!(
        lang,
        "domain-notice-messages-please-reply-ack-in-your-1",
        id
    ));
    if !n.items.is_empty() {
        text.push_str(&t!(
            lang,
            "domain-notice-messages-tick-checklist-items-with-done-n",
            id
        ));
    }
    Message::markdown(notice_title(n, lang), text)
}

/// A reminder to someone who has not acknowledged yet.
pub fn reminder(n: &NoticeView<'_>, lang: Lang) -> Message {
    let id = n.id;
    let title = n.title;
    // The title says what this reminds of; the text shows the notice.
    let mut text = t!(
        lang,
        "domain-notice-messages-you-have-not-acknowledged-this-notice",
        title,
        id
    );
    text.push_str(&deadline_line(n, lang));
    text.push_str(&t!(
        lang,
        "domain-notice-messages-tap-acknowledge-or-reply-ack-send",
        id
    ));
    Message::card(
        t!(
            lang,
            "domain-notice-messages-reminder-please-acknowledge-notice",
            id
        ),
        text,
        vec![ack_button(lang, id)],
    )
}

/// Names joined for a message, at most `max`, then "and N more".
pub fn name_list(names: &[String], max: usize, lang: Lang) -> String {
    let shown: Vec<&str> = names.iter().take(max).map(String::as_str).collect();
    let mut out = shown.join(&crate::i18n::list_separator(lang));
    let more = names.len().saturating_sub(max);
    if more > 0 {
        out.push_str(&t!(lang, "actions-refusal-roster-and-more", more));
    }
    out
}

/// To a manager: these reports did not acknowledge by the deadline.
pub fn escalation(n: &NoticeView<'_>, lang: Lang, reports: &[String]) -> Message {
    let id = n.id;
    let title = n.title;
    let deadline = n.deadline.map(|d| d.to_string()).unwrap_or_default();
    let names = name_list(reports, 30, lang);
    let count = reports.len();
    let text = t!(
        lang,
        "domain-notice-messages-overdue-notice-was-due-of-your",
        id,
        title,
        deadline,
        count,
        names
    );
    Message::markdown(t!(lang, "domain-notice-messages-overdue-notice", id), text)
}

/// To the author and HR when the deadline has passed.
pub fn deadline_summary(
    n: &NoticeView<'_>,
    lang: Lang,
    tally: Tally,
    managers: usize,
    overdue_names: &[String],
) -> Message {
    let id = n.id;
    let title = n.title;
    let Tally {
        total,
        acked,
        overdue,
        left,
    } = tally;
    let pct = super::percent(acked, total);
    let mut text = t!(
        lang,
        "domain-notice-messages-deadline-summary-notice-acknowledged-overdue-lef",
        id,
        title,
        acked,
        total,
        pct,
        overdue,
        left,
        managers
    );
    if !overdue_names.is_empty() {
        let names = name_list(overdue_names, 20, lang);
        text.push_str(&t!(lang, "domain-notice-messages-overdue", names));
    }
    text.push_str(&t!(
        lang,
        "domain-notice-messages-send-notice-status-for-details",
        id
    ));
    Message::markdown(
        t!(lang, "domain-notice-messages-deadline-summary-notice", id),
        text,
    )
}

/// To the author of a notice without a deadline, once its scheduled
/// reminders (`reminders` of them) are over: who is still pending
/// (`names`, already inert), and how to remind again.
pub fn reminders_over(
    n: &NoticeView<'_>,
    lang: Lang,
    reminders: u32,
    pending: usize,
    names: &[String],
) -> Message {
    let (id, title) = (n.id, n.title);
    let names = name_list(names, 20, lang);
    let text = t!(
        lang,
        "domain-notice-messages-reminders-over-notice-has-no-deadline",
        id,
        title,
        reminders,
        pending,
        names
    );
    Message::markdown(
        t!(lang, "domain-notice-messages-reminders-over-notice", id),
        text,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(items: &[String]) -> NoticeView<'_> {
        NoticeView {
            id: 3,
            kind: NoticeKind::Exit,
            title: "Leaving OldChat",
            body: "Please move.\n- [ ] Back up files\n截止: 2026-12-10",
            deadline: NaiveDate::from_ymd_opt(2026, 12, 10),
            items,
        }
    }

    #[test]
    fn card_has_an_ack_button_and_one_per_item() {
        let items = vec!["Back up files".to_owned(), "Export contacts".to_owned()];
        let Message::ActionCard { text, buttons, .. } = notice_card(&view(&items), Lang::Zh) else {
            panic!("not a card");
        };
        assert!(text.contains("### [退出] Leaving OldChat"));
        assert!(text.contains("1. Back up files"));
        assert!(text.contains("截止日期：2026-12-10"));
        assert!(!text.contains("截止: 2026-12-10"));
        let replies: Vec<&str> = buttons.iter().map(|b| b.reply.as_str()).collect();
        assert_eq!(replies, vec!["确认 #3", "完成 #3 1", "完成 #3 2"]);
        let Message::ActionCard { buttons, .. } = notice_card(&view(&items), Lang::En) else {
            panic!("not a card");
        };
        assert_eq!(buttons[0].reply, "ack #3");
        assert_eq!(buttons[2].reply, "done #3 2");
    }

    #[test]
    fn name_lists_are_capped() {
        let names: Vec<String> = (1..=5).map(|i| format!("n{i}")).collect();
        assert_eq!(name_list(&names, 3, Lang::En), "n1, n2, n3 and 2 more");
        assert_eq!(name_list(&names[..2], 3, Lang::Zh), "n1、n2");
    }
}
