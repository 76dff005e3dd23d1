//! Personal settings: the acting person's reply language.

use super::Ctx;
use crate::i18n::Lang;
use crate::store::users;

/// Sets the acting person's reply language.
#[tracing::instrument(skip_all, fields(lang = %lang))]
pub async fn set_lang(ctx: &Ctx<'_>, lang: Lang) -> anyhow::Result<()> {
    let me = ctx
        .actor
        .person()
        .ok_or_else(|| anyhow::anyhow!("only a person has a reply language"))?;
    let mut tx = ctx.begin().await?;
    users::set_lang(tx.conn(), &me.staff_id, lang, ctx.now_ms()).await?;
    tx.commit().await
}
