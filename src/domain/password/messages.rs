//! What the password feature says: reminders, overdue notices, manager
//! escalations, forced-change notices and the pasted-password warning. Every
//! message explains how to change a password in general terms and says that
//! nobody will ever ask for it; none of them asks for one.

use chrono::NaiveDate;

use super::{Holder, PendingReset};
use crate::domain::inert::{defanged, inert};
use crate::domain::{Button, Message};
use crate::i18n::Lang;
use crate::t;

/// How to change a password, and the rule never to send one.
pub fn how_to_change(lang: Lang) -> String {
    t!(
        lang,
        "domain-password-messages-how-to-change-it-dingtalk-open"
    )
}

/// The button that confirms a change (it sends `已改密` / `password done`).
fn done_button(lang: Lang) -> Button {
    Button::new(
        t!(lang, "domain-password-messages-i-changed-it"),
        t!(lang, "domain-password-messages-password-done"),
    )
}

/// A periodic reminder on `today` for a password due on `due` whose
/// overdue clock started on `since` ([`super::password::clock_start`]):
/// before the due date, on it, overdue — or, when nobody had told its
/// holder before the due date passed, a first notice that asks for a
/// change without counting days nobody knew about, then "reminded on …".
pub fn reminder(lang: Lang, due: NaiveDate, since: NaiveDate, today: NaiveDate) -> Message {
    let days_left = (due - today).num_days();
    let (title, lead) = match days_left {
        n if n > 0 => (
            t!(lang, "domain-password-messages-your-password-is-due-soon"),
            {
                t!(
                    lang,
                    "domain-password-messages-your-password-is-due-on-from",
                    due,
                    n
                )
            },
        ),
        _ if since > due => late_start(lang, due, since, today),
        0 => (
            t!(lang, "domain-password-messages-your-password-is-due-today"),
            t!(
                lang,
                "domain-password-messages-your-password-is-due-today-please",
                due
            ),
        ),
        n => {
            let days = -n;
            (
                t!(lang, "domain-password-messages-your-password-is-overdue"),
                t!(
                    lang,
                    "domain-password-messages-your-password-was-due-on-and",
                    due,
                    days
                ),
            )
        }
    };
    let text = format!("### {title}\n\n{lead}\n\n{}", how_to_change(lang));
    Message::card(title, text, vec![done_button(lang)])
}

/// Title and lead of a reminder whose first one came after the due date.
fn late_start(lang: Lang, due: NaiveDate, since: NaiveDate, today: NaiveDate) -> (String, String) {
    let days = (today - since).num_days();
    if days <= 0 {
        return (
            t!(
                lang,
                "domain-password-messages-time-to-change-your-password"
            ),
            t!(
                lang,
                "domain-password-messages-under-company-s-password-policy-your",
                due
            ),
        );
    }
    (
        t!(
            lang,
            "domain-password-messages-your-password-still-needs-changing"
        ),
        t!(
            lang,
            "domain-password-messages-we-asked-you-on-to-change",
            since,
            days
        ),
    )
}

/// Tells a manager that `who`'s password is overdue: `days` since `since`,
/// the overdue clock's start (the due date, or a later first reminder).
pub fn escalation(
    lang: Lang,
    who: &Holder,
    due: NaiveDate,
    since: NaiveDate,
    days: i64,
) -> Message {
    let (name, staff_id) = (inert(&who.name), inert(&who.staff_id));
    let title = t!(
        lang,
        "domain-password-messages-colleague-s-password-is-overdue"
    );
    let fact = if since > due {
        t!(
            lang,
            "domain-password-messages-has-not-confirmed-password-change-they",
            name,
            staff_id,
            since,
            days
        )
    } else {
        t!(
            lang,
            "domain-password-messages-has-not-confirmed-password-change-it",
            name,
            staff_id,
            due,
            days
        )
    };
    let text = t!(
        lang,
        "domain-password-messages-please-remind-them-to-change-it",
        title,
        fact
    );
    Message::markdown(title, text)
}

/// The forced-change notice of `password reset-required`.
pub fn reset_notice(lang: Lang, reset_id: i64, reason: &str) -> Message {
    let reason = defanged(reason);
    let title = t!(lang, "domain-password-messages-change-your-password-now");
    let text = t!(
        lang,
        "domain-password-messages-administrators-require-you-to-change-your",
        title,
        reset_id,
        reason,
        how = how_to_change(lang)
    );
    Message::card(title, text, vec![done_button(lang)])
}

/// A daily reminder of a forced change still pending after `days` days.
pub fn reset_reminder(lang: Lang, reset: &PendingReset, days: i64) -> Message {
    let (reset_id, reason) = (reset.reset_id, defanged(&reset.reason));
    let title = t!(
        lang,
        "domain-password-messages-password-change-still-pending"
    );
    let text = t!(
        lang,
        "domain-password-messages-administrators-asked-you-ago-to-change",
        title,
        reset_id,
        days,
        reason,
        how = how_to_change(lang)
    );
    Message::card(title, text, vec![done_button(lang)])
}

/// Tells a manager that `who` has not done forced change `reset` after `days` days.
pub fn reset_escalation(lang: Lang, who: &Holder, reset: &PendingReset, days: i64) -> Message {
    let (name, staff_id, reset_id) = (&who.name, &who.staff_id, reset.reset_id);
    let title = t!(
        lang,
        "domain-password-messages-colleague-has-not-changed-their-password"
    );
    let (name, staff_id) = (inert(name), inert(staff_id));
    let text = t!(
        lang,
        "domain-password-messages-was-asked-ago-to-change-their",
        title,
        name,
        staff_id,
        days,
        reset_id
    );
    Message::markdown(title, text)
}

/// The answer to a message that looked like it contained a password or key.
pub fn pasted_warning(lang: Lang, in_group: bool) -> String {
    let mut text = t!(
        lang,
        "domain-password-messages-your-message-looks-like-it-contains"
    );
    if in_group {
        text.push_str(&t!(
            lang,
            "domain-password-messages-this-is-group-chat-and-others"
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(m: &Message) -> String {
        match m {
            Message::Text { content } => content.clone(),
            Message::Markdown { text, .. } | Message::ActionCard { text, .. } => text.clone(),
        }
    }

    fn reset() -> PendingReset {
        PendingReset {
            reset_id: 2,
            staff_id: "u1".into(),
            reason: "vendor breach".into(),
            notified_ms: 0,
            escalated: false,
        }
    }

    #[test]
    fn messages_explain_how_to_change_and_never_ask_for_the_password() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let day = |n: i64| due + chrono::Duration::days(n);
        for lang in [Lang::Zh, Lang::En] {
            for m in [
                reminder(lang, due, due, day(-3)),
                reminder(lang, due, due, due),
                reminder(lang, due, due, day(4)),
                reminder(lang, due, day(2), day(2)),
                reminder(lang, due, day(2), day(5)),
                reset_notice(lang, 2, "vendor breach"),
                reset_reminder(lang, &reset(), 1),
            ] {
                let t = text(&m);
                assert!(
                    t.contains(lang.pick("账号与安全", "Account and Security")),
                    "{t}"
                );
                assert!(t.contains(lang.pick("**绝不会**", "**never** ask")), "{t}");
            }
        }
        assert!(text(&reminder(Lang::Zh, due, due, day(-3))).contains("还有 3 天"));
        assert!(text(&reminder(Lang::En, due, due, day(4))).contains("4 days overdue"));
        assert!(pasted_warning(Lang::Zh, true).contains("撤回"));
        assert!(!pasted_warning(Lang::En, false).contains("recall"));
    }
}
