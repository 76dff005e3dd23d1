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
    tr!(
        lang,
        "已为 {name} 发起离职流程（截止 {d}）：\n- 离职须知 #{leaver} 已排队发给本人\n- 管理员清单 #{admin} 已排队发给 {admins} 位管理员\n发送「通知 状态 {admin}」跟踪进度。",
        "Offboarding of {name} started (due {d}):\n- leaver's notice #{leaver} is queued for them\n- admin checklist #{admin} is queued for {admins_en}\nSend \"notice status {admin}\" to follow it."
    )
}
