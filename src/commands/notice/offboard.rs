//! `offboard STAFF_ID`: starts offboarding through
//! [`crate::actions::notices::offboard`] (the user marked as leaving, the
//! leaver's notice and the admins' checklist sent) and says what was sent.
//! Closing the admins' checklist (`notice close`) completes it: the user
//! has left and their roles are suspended.

use super::Ctx;
use crate::actions::notices::{self, Offboard, Offboarded};
use crate::commands::HandlerResult;
use crate::domain::Reply;
use crate::domain::inert::inert;
use crate::i18n::{Lang, en_count};
use crate::tr;

/// `offboard STAFF_ID`.
pub async fn offboard(ctx: &Ctx<'_>, staff_id: &str) -> HandlerResult {
    let lang = ctx.lang();
    let input = Offboard { staff_id, lang };
    let started = notices::offboard(&ctx.action(), input).await?;
    Ok(Reply::text(reply_text(lang, &started)))
}

fn reply_text(lang: Lang, o: &Offboarded) -> String {
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
