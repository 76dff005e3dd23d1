//! Ready-made notices: the exit announcement admins edit and send, and the
//! two notices offboarding opens (the leaver's, and the admins' checklist).

use chrono::NaiveDate;

use crate::domain::inert::inert;
use crate::i18n::Lang;
use crate::t;

/// A ready-to-send exit announcement, starting with the command line that
/// creates it, so an admin can copy it, edit the bracketed parts and send it
/// back. Its checklist covers the steps of leaving a platform safely.
pub fn exit_template(lang: Lang, deadline: NaiveDate) -> String {
    t!(
        lang,
        "domain-notice-templates-notice-new-exit-leaving-old-platform",
        deadline
    )
}

/// Title and body of the notice sent to someone who is leaving.
/// The name comes from a profile or roster and is made inert here.
pub fn leaver_notice(lang: Lang, name: &str, deadline: NaiveDate) -> (String, String) {
    let name = inert(name);
    let title = t!(lang, "domain-notice-templates-before-you-leave", name);
    let body = t!(
        lang,
        "domain-notice-templates-hello-thank-you-for-your-work",
        name,
        deadline
    );
    (title, body)
}

/// Title and body of the admins' offboarding checklist for a leaver.
pub fn admin_checklist(
    lang: Lang,
    name: &str,
    staff_id: &str,
    deadline: NaiveDate,
) -> (String, String) {
    let (name, staff_id) = (inert(name), inert(staff_id));
    let title = t!(
        lang,
        "domain-notice-templates-offboarding-checklist",
        name,
        staff_id
    );
    let body = t!(
        lang,
        "domain-notice-templates-is-leaving-admins-please-revoke-their",
        name,
        staff_id,
        deadline
    );
    (title, body)
}

/// Title and body of the leaver's manager's handover checklist.
pub fn manager_checklist(
    lang: Lang,
    name: &str,
    staff_id: &str,
    deadline: NaiveDate,
) -> (String, String) {
    let (name, staff_id) = (inert(name), inert(staff_id));
    let title = t!(
        lang,
        "domain-notice-templates-handover-checklist",
        name,
        staff_id
    );
    let body = t!(
        lang,
        "domain-notice-templates-who-reports-to-you-is-leaving",
        name,
        staff_id,
        deadline
    );
    (title, body)
}

/// What HR is told when an offboarding starts.
#[derive(Clone, Copy, Debug)]
pub struct HrSummary<'a> {
    pub leaver: crate::domain::Person<'a>,
    pub by: crate::domain::Person<'a>,
    pub deadline: NaiveDate,
    pub leaver_notice: i64,
    pub admin_notice: i64,
    pub admins: usize,
    /// The manager's checklist and the manager, if the leaver has one.
    pub manager: Option<(i64, crate::domain::Person<'a>)>,
}

/// The summary HR gets when an offboarding starts, in `lang`.
pub fn hr_summary(s: &HrSummary<'_>, lang: Lang) -> String {
    let (leaver, by, d) = (s.leaver.label(lang), s.by.label(lang), s.deadline);
    let (ln, an, admins) = (s.leaver_notice, s.admin_notice, s.admins);
    let mut text = t!(
        lang,
        "domain-notice-templates-offboarding-started-by-due-leaver-s",
        leaver,
        by,
        d,
        ln,
        an,
        admins
    );
    match s.manager {
        Some((id, m)) => {
            let m = m.label(lang);
            text.push_str(&t!(
                lang,
                "domain-notice-templates-handover-checklist-went-to-their-manager",
                id,
                m
            ));
        }
        None => text.push_str(&t!(
            lang,
            "commands-notice-offboard-roster-names-no-active-manager-so"
        )),
    }
    text.push_str(&t!(
        lang,
        "domain-notice-templates-send-notice-status-to-see-who",
        an
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::super::parse_body;
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 14).unwrap()
    }

    #[test]
    fn offboarding_notices_carry_checklists() {
        for lang in [Lang::Zh, Lang::En] {
            let (_, body) = leaver_notice(lang, "Li", day());
            assert_eq!(parse_body(&body).unwrap().items.len(), 4);
            let (title, body) = admin_checklist(lang, "Li", "u9", day());
            assert!(title.contains("u9"));
            assert_eq!(parse_body(&body).unwrap().items.len(), 5);
            let (title, body) = manager_checklist(lang, "Li", "u9", day());
            assert!(title.contains("u9"));
            let parsed = parse_body(&body).unwrap();
            assert_eq!(parsed.items.len(), 4);
            assert_eq!(parsed.deadline, Some(day()));
        }
    }
}
