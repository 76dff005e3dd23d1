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
use crate::i18n::{Lang, en_count};
use crate::tr;

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
    let admins_en = en_count(admins, "admin", "admins");
    let name = inert(name);
    let mut text = tr!(
        lang,
        "已为 {name} 发起离职流程（截止 {d}）：\n- 离职须知 #{leaver} 已排队发给本人\n- 管理员清单 #{admin} 已排队发给 {admins} 位管理员",
        "Offboarding of {name} started (due {d}):\n- leaver's notice #{leaver} is queued for them\n- admin checklist #{admin} is queued for {admins_en}"
    );
    text.push_str(&match &o.manager {
        Some((id, m)) => {
            let m = m.person().label(lang);
            tr!(
                lang,
                "\n- 主管交接清单 #{id} 已排队发给 {m}",
                "\n- handover checklist #{id} is queued for their manager {m}"
            )
        }
        None => tr!(
            lang,
            "\n- 花名册中没有其在职主管，未发送主管交接清单",
            "\n- the roster names no active manager, so no handover checklist was sent"
        ),
    });
    let hr = o.hr;
    if hr > 0 {
        let hr_en = en_count(hr, "person", "people");
        text.push_str(&tr!(
            lang,
            "\n- 已通知 {hr} 位人事",
            "\n- HR told ({hr_en})"
        ));
    }
    text + &tr!(
        lang,
        "\n发送「通知 状态 {admin}」查看谁完成了哪一项。",
        "\nSend \"notice status {admin}\" to see who did what."
    )
}
