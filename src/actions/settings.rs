//! Personal settings: the acting person's reply language.

use super::Ctx;
use crate::i18n::Lang;
use crate::store::users;

/// Sets the acting person's reply language.
#[tracing::instrument(skip_all, fields(lang = %lang))]
pub async fn set_lang(ctx: &Ctx<'_>, lang: Lang) -> anyhow::Result<()> {
    let staff_id = ctx.actor.audit_name();
    let mut tx = ctx.begin().await?;
    users::set_lang(tx.conn(), staff_id, lang, ctx.now_ms()).await?;
    tx.commit().await
}
