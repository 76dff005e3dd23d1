//! `me` / `我的`: everything pending for the user, one section per feature.

use super::{Ctx, HandlerResult};
use crate::domain::Reply;
use crate::t;

pub async fn me(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let sections = [
        super::notice::me_section(ctx).await?,
        super::quiz::me_section(ctx).await?,
        super::password::me_section(ctx).await?,
    ];
    let body: Vec<String> = sections.into_iter().flatten().collect();
    let mut text = t!(lang, "commands-me-what-is-pending-for-you");
    if body.is_empty() {
        text.push_str(&t!(lang, "commands-me-nothing-is-pending"));
    } else {
        text.push('\n');
        text.push_str(&body.join("\n\n"));
    }
    Ok(Reply::markdown(t!(lang, "commands-help-me"), text))
}
