//! `me` / `我的`: everything pending for the user, one section per feature.

use super::{Ctx, HandlerResult};
use crate::domain::Reply;
use crate::tr;

pub async fn me(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let sections = [
        super::notice::me_section(ctx).await?,
        super::quiz::me_section(ctx).await?,
        super::password::me_section(ctx).await?,
    ];
    let body: Vec<String> = sections.into_iter().flatten().collect();
    let mut text = tr!(lang, "### 我的待办\n", "### What is pending for you\n");
    if body.is_empty() {
        text.push_str(&tr!(lang, "\n目前没有待办事项。", "\nNothing is pending."));
    } else {
        text.push('\n');
        text.push_str(&body.join("\n\n"));
    }
    Ok(Reply::markdown(tr!(lang, "我的", "Me"), text))
}
