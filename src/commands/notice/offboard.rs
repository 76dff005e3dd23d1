//! `offboard STAFF_ID`: asks for confirmation ([`crate::commands::confirm`]);
//! once confirmed, offboarding starts through
//! [`crate::actions::notices::offboard`] (the user marked as leaving, the
//! leaver's notice and the admins' checklist sent) and says what was sent.
//! Closing the admins' checklist (`notice close`) completes it: the user
//! has left and their roles are suspended.

use super::Ctx;
use crate::actions::notices::Offboarded;
use crate::commands::HandlerResult;
use crate::domain::confirm::Request;
use crate::domain::inert::inert;
use crate::i18n::Lang;
use crate::t;

/// `offboard STAFF_ID`: asks for confirmation first.
pub async fn offboard(ctx: &Ctx<'_>, staff_id: &str) -> HandlerResult {
    let request = Request::Offboard {
        staff_id: staff_id.to_owned(),
        lang: ctx.lang(),
    };
    crate::commands::confirm::ask(ctx, request).await
}

/// The answer once an offboarding was confirmed and started.
pub fn started_text(lang: Lang, o: &Offboarded) -> String {
    let (name, d, admins) = (&o.name, o.deadline, o.admins);
    let (leaver, admin) = (o.leaver_notice, o.admin_notice);
    let name = inert(name);
    let mut text = t!(
        lang,
        "commands-notice-offboard-offboarding-of-started-due-leaver-s",
        name,
        d,
        leaver,
        admin,
        admins
    );
    text.push_str(&match &o.manager {
        Some((id, m)) => {
            let m = m.person().label(lang);
            t!(
                lang,
                "commands-notice-offboard-handover-checklist-is-sent-to-their",
                id,
                m
            )
        }
        None => t!(
            lang,
            "commands-notice-offboard-roster-names-no-active-manager-so"
        ),
    });
    let hr = o.hr;
    if hr > 0 {
        text.push_str(&t!(lang, "commands-notice-offboard-hr-told", hr));
    }
    text + &t!(
        lang,
        "commands-notice-offboard-send-notice-status-to-see-who",
        admin
    )
}
