//! Authoring notices in chat: `notice new` (body with deadline and
//! checklist), `notice template exit` and `notice close`.

use chrono::Duration;

use super::Ctx;
use crate::actions::notices::{self, Draft};
use crate::commands::{HandlerResult, NoticeKind};
use crate::domain::inert::inert;
use crate::domain::notice::messages::checklist_hint;
use crate::domain::notice::templates::exit_template;
use crate::domain::notice::{ParsedBody, plain_list_without_checklist};
use crate::domain::schedule::local_date;
use crate::domain::{Message, Reply};
use crate::i18n::Lang;
use crate::t;

/// How far ahead the template's deadline is set.
const TEMPLATE_DAYS: i64 = 14;

/// `notice new [kind] TITLE` + body: stores a draft and names its id.
pub async fn new(ctx: &Ctx<'_>, kind: NoticeKind, title: &str, body: &str) -> HandlerResult {
    let draft = Draft { kind, title, body };
    let created = notices::create(&ctx.action(), draft).await?;
    let lang = ctx.lang();
    let mut text = created_text(lang, created.id, title, &created.parsed);
    if plain_list_without_checklist(body) {
        text.push_str(&checklist_hint(lang));
    }
    Ok(Reply::text(text))
}

fn created_text(lang: Lang, id: i64, title: &str, parsed: &ParsedBody) -> String {
    let deadline = match parsed.deadline {
        Some(d) => t!(lang, "commands-notice-author-deadline", d),
        None => t!(lang, "commands-notice-author-no-deadline"),
    };
    let items = parsed.items.len();
    let mut text = t!(
        lang,
        "commands-notice-author-created-notice-checklist-items",
        id,
        title,
        deadline,
        items
    );
    for (i, item) in parsed.items.iter().enumerate() {
        text.push_str(&format!("\n{}. {item}", i + 1));
    }
    text.push_str(&t!(
        lang,
        "commands-notice-author-send-it-notice-send-to-all",
        id
    ));
    text
}

/// `notice template exit`: a ready-to-edit exit announcement to copy back.
/// Nothing is stored until the author sends it back as `notice new`.
pub fn template_exit(ctx: &Ctx<'_>) -> HandlerResult {
    let lang = ctx.lang();
    let deadline = local_date(ctx.state.config.timezone, ctx.now) + Duration::days(TEMPLATE_DAYS);
    let intro = t!(
        lang,
        "commands-notice-author-here-is-exit-announcement-template-copy"
    );
    Ok(Reply::text(intro).then(Message::text(exit_template(lang, deadline))))
}

/// `notice close ID`: no more reminders or acknowledgements.
pub async fn close(ctx: &Ctx<'_>, id: i64) -> HandlerResult {
    let lang = ctx.lang();
    let closed = notices::close(&ctx.action(), id).await?;
    let text = t!(
        lang,
        "commands-notice-author-closed-notice-no-more-reminders-or",
        id
    );
    let completed = closed.offboarded.map(|leaver| {
        let shown = inert(&leaver);
        t!(
            lang,
            "commands-notice-author-offboarding-is-complete-is-marked-as",
            shown
        )
    });
    Ok(Reply::text(text + &completed.unwrap_or_default()))
}
