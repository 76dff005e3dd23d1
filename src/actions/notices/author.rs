//! Authoring: a draft notice from a title and a body (its deadline and
//! checklist read out of the body), and closing a notice (which completes
//! an offboarding when it is its admins' checklist). Bad input is refused
//! before anything is written.

use serde_json::json;

use super::{audit, load};
use crate::actions::{ActionResult, Ctx, Refusal};
use crate::domain::notice::{MAX_TITLE_CHARS, NoticeKind, NoticeStatus, ParsedBody, parse_body};
use crate::domain::schedule::{end_of_local_day, local_date};
use crate::store::notices::{self, NewNotice};

/// A notice to create, as its author wrote it.
#[derive(Clone, Copy, Debug)]
pub struct Draft<'a> {
    pub kind: NoticeKind,
    pub title: &'a str,
    /// Markdown; `deadline:` and `- [ ] item` lines add a deadline and a checklist.
    pub body: &'a str,
}

/// A stored draft and what its body says.
#[derive(Clone, Debug)]
pub struct Created {
    pub id: i64,
    pub parsed: ParsedBody,
}

/// A closed notice.
#[derive(Clone, Debug)]
pub struct Closed {
    pub id: i64,
    /// Its status before it was closed.
    pub previous: NoticeStatus,
    /// When it was an offboarding's admin checklist: the leaver, now marked
    /// as left with their roles suspended (the offboarding is complete).
    pub offboarded: Option<String>,
}

/// Stores a draft by the acting person (deadline today or later).
#[tracing::instrument(skip_all, fields(kind = draft.kind.as_str(), notice = tracing::field::Empty))]
pub async fn create(ctx: &Ctx<'_>, draft: Draft<'_>) -> ActionResult<Created> {
    if draft.title.chars().count() > MAX_TITLE_CHARS {
        return Err(Refusal::TitleTooLong {
            max: MAX_TITLE_CHARS,
        }
        .into());
    }
    let parsed = parse_body(draft.body).map_err(|error| Refusal::BadNoticeBody { error })?;
    let tz = ctx.config.timezone;
    let today = local_date(tz, ctx.now);
    if let Some(deadline) = parsed.deadline.filter(|d| *d < today) {
        return Err(Refusal::DeadlineInPast { deadline, today }.into());
    }
    let new = NewNotice {
        kind: draft.kind,
        title: draft.title,
        body: draft.body,
        deadline: parsed.deadline,
        deadline_at: parsed
            .deadline
            .map(|d| end_of_local_day(tz, d).timestamp_millis()),
        items: &parsed.items,
        author: ctx.actor.audit_name(),
        subject: None,
    };
    let mut tx = ctx.begin().await?;
    let id = notices::create(tx.conn(), &new, ctx.now_ms()).await?;
    let details = json!({"kind": draft.kind.as_str(), "title": draft.title,
        "deadline": parsed.deadline.map(|d| d.to_string()), "items": parsed.items.len()});
    audit(&mut tx, "notice.create", id, details).await?;
    tx.commit().await?;
    tracing::Span::current().record("notice", id);
    Ok(Created { id, parsed })
}

/// Closes notice `id`: no more sending, reminders or acknowledgements.
/// Closing an offboarding's admin checklist completes the offboarding in
/// the same transaction: the leaver has left and holds no role from that
/// moment (refused when they are the last active administrator).
#[tracing::instrument(skip_all, fields(notice = id))]
pub async fn close(ctx: &Ctx<'_>, id: i64) -> ActionResult<Closed> {
    let mut tx = ctx.begin().await?;
    let notice = load(tx.conn(), id).await?;
    if !notices::close(tx.conn(), id, ctx.actor.audit_name(), ctx.now_ms()).await? {
        return Err(Refusal::NoticeAlreadyClosed { id }.into());
    }
    let previous = notice.status;
    let details = json!({"previous_status": previous.as_str()});
    audit(&mut tx, "notice.close", id, details).await?;
    let offboarded = super::offboard::complete(&mut tx, &notice).await?;
    tx.commit().await?;
    Ok(Closed {
        id,
        previous,
        offboarded,
    })
}
