//! Personal settings: `lang zh|en`.

use super::{Ctx, HandlerResult};
use crate::actions;
use crate::domain::Reply;
use crate::i18n::Lang;
use crate::t;

/// `lang` shows the reply language; `lang zh|en` sets it.
pub async fn lang(ctx: &Ctx<'_>, lang: Option<Lang>) -> HandlerResult {
    let Some(lang) = lang else {
        let current = ctx.lang();
        return Ok(Reply::text(t!(
            current,
            "commands-settings-current-language-english-send-lang-zh"
        )));
    };
    actions::settings::set_lang(&ctx.action(), lang).await?;
    Ok(Reply::text(t!(
        lang,
        "commands-settings-ok-i-will-answer-you-in"
    )))
}
