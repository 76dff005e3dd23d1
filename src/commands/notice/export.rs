//! `export ID` / `导出 ID` (admins and HR): where to download a notice's
//! acknowledgement CSV — the console link when `DINGWARDEN_PUBLIC_URL` is
//! set (the console asks for sign-in), otherwise the CLI and API commands.
//! Nothing is read but the notice's title; the download itself is audited
//! where it happens.

use super::Ctx;
use crate::actions::Refusal;
use crate::commands::HandlerResult;
use crate::domain::Reply;
use crate::domain::inert::inert;
use crate::error::HandlerError;
use crate::reports::notices;
use crate::tr;

/// `export ID`.
pub async fn export(ctx: &Ctx<'_>, id: i64) -> HandlerResult {
    let lang = ctx.lang();
    let Some(notice) = notices::find(&ctx.state.store, id).await? else {
        return Err(HandlerError::Refused(Refusal::NoSuchNotice { id }));
    };
    let title = inert(&notice.title);
    let heading = tr!(
        lang,
        "### 通知 #{id}「{title}」的确认记录\n\n",
        "### Acknowledgements of notice #{id} \"{title}\"\n\n"
    );
    let config = &ctx.state.config;
    let links = config
        .public_link(&format!("/admin/notices/{id}/acks.csv"))
        .zip(config.public_link(&format!("/admin/notices/{id}")));
    let text = match links {
        Some((csv, page)) => tr!(
            lang,
            "[下载 CSV]({csv})（需先登录控制台；每次下载都记入审计日志）\n\n[在控制台查看通知]({page})",
            "[Download the CSV]({csv}) (sign in to the console first; every download is audited)\n\n[See the notice in the console]({page})"
        ),
        None => tr!(
            lang,
            "在服务器上运行：\n\ndingwarden export acks {id} > notice-{id}.csv\n\n或通过 API（需要 DINGWARDEN_ADMIN_TOKEN）：\n\ncurl -H \"Authorization: Bearer $DINGWARDEN_ADMIN_TOKEN\" -o notice-{id}.csv https://服务地址/api/v1/notices/{id}/acks.csv\n\n设置 DINGWARDEN_PUBLIC_URL 后，这里会直接给出控制台的下载链接。",
            "On the server, run:\n\ndingwarden export acks {id} > notice-{id}.csv\n\nor through the API (needs DINGWARDEN_ADMIN_TOKEN):\n\ncurl -H \"Authorization: Bearer $DINGWARDEN_ADMIN_TOKEN\" -o notice-{id}.csv https://SERVICE/api/v1/notices/{id}/acks.csv\n\nWith DINGWARDEN_PUBLIC_URL set, this answer links to the download in the console."
        ),
    };
    Ok(Reply::markdown(
        tr!(lang, "导出通知 #{id}", "Export notice #{id}"),
        heading + &text,
    ))
}
