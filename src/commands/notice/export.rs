//! `export ID` / `导出 ID` (admins and HR): where to download a notice's
//! acknowledgement CSV — the console link when `DINGWARDEN_PUBLIC_URL` is
//! set (the console asks for sign-in), otherwise the CLI and API commands;
//! and `console` / `控制台`: the console's link.
//! Nothing is read but the notice's title; the download itself is audited
//! where it happens.

use super::Ctx;
use crate::actions::Refusal;
use crate::commands::HandlerResult;
use crate::domain::Reply;
use crate::domain::inert::inert;
use crate::error::HandlerError;
use crate::reports::notices;
use crate::t;

/// `console`: the console's address, or where it would be.
pub fn console(ctx: &Ctx<'_>) -> Reply {
    let lang = ctx.lang();
    let text = match ctx.state.config.public_link("/admin/") {
        Some(link) => t!(
            lang,
            "commands-notice-export-open-console-sign-in-required-notice",
            link
        ),
        None => t!(lang, "commands-notice-export-console-is-at-admin-on-this"),
    };
    Reply::markdown(t!(lang, "commands-notice-export-console"), text)
}

/// `export ID`.
pub async fn export(ctx: &Ctx<'_>, id: i64) -> HandlerResult {
    let lang = ctx.lang();
    let Some(notice) = notices::find(&ctx.state.store, id).await? else {
        return Err(HandlerError::Refused(Refusal::NoSuchNotice { id }));
    };
    let title = inert(&notice.title);
    let heading = t!(
        lang,
        "commands-notice-export-acknowledgements-of-notice",
        id,
        title
    );
    let config = &ctx.state.config;
    let links = config
        .public_link(&format!("/admin/notices/{id}/acks.csv"))
        .zip(config.public_link(&format!("/admin/notices/{id}")));
    let text = match links {
        Some((csv, page)) => t!(
            lang,
            "commands-notice-export-download-csv-sign-in-to-console",
            csv,
            page
        ),
        None => t!(
            lang,
            "commands-notice-export-on-server-run-dingwarden-export-acks",
            id
        ),
    };
    Ok(Reply::markdown(
        t!(lang, "commands-notice-export-export-notice", id),
        heading + &text,
    ))
}
