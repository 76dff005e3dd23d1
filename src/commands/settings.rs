//! Personal settings: `lang zh|en`.

use super::{Ctx, HandlerResult};
use crate::actions;
use crate::domain::Reply;
use crate::i18n::Lang;
use crate::tr;

/// `lang` shows the reply language; `lang zh|en` sets it.
pub async fn lang(ctx: &Ctx<'_>, lang: Option<Lang>) -> HandlerResult {
    let Some(lang) = lang else {
        let current = ctx.lang();
        return Ok(Reply::text(tr!(
            current,
            "当前语言：中文。发送「语言 en」切换为英文。",
            "Current language: English. Send \"lang zh\" to switch to Chinese."
        )));
    };
    actions::settings::set_lang(&ctx.action(), lang).await?;
    Ok(Reply::text(tr!(
        lang,
        "好的，今后我用中文回复你。",
        "OK, I will answer you in English from now on."
    )))
}
