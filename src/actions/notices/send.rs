//! Sending: a notice to people (`all | dept NAME | users IDS`) snapshots
//! the recipients and writes their cards to the outbox in one transaction;
//! a notice posted to a group chat takes whoever then acknowledges it.
//! Closed notices and notices past their deadline are not sent.

use serde_json::json;
use sqlx::AnyConnection;

use super::{audit, load};
use crate::actions::audience::{Purpose, Targets, resolve};
use crate::actions::{ActionResult, Ctx, Refusal};
use crate::domain::audience::Audience;
use crate::domain::notice::AddedVia;
use crate::domain::notice::messages::{group_post, notice_card};
use crate::i18n::Lang;
use crate::store::notices::{self, NoticeRow, recipients};
use crate::store::outbox::Reference;
use crate::store::outbox::{self, Channel, Outbound, Priority};

/// A notice to send to people.
#[derive(Clone, Copy, Debug)]
pub struct SendToPeople<'a> {
    pub notice: i64,
    /// Anyone but `group` (see [`post_to_group`]).
    pub to: &'a Audience,
}

/// What [`queue_cards`] wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Queued {
    /// New recipients (people already addressed are not sent it again).
    pub added: usize,
    /// Outbox rows (≤ 20 recipients each).
    pub batches: usize,
}

/// A sent notice.
#[derive(Clone, Debug)]
pub struct Sent {
    pub id: i64,
    pub queued: Queued,
    /// People the audience named who had received it before.
    pub already: usize,
    /// Staff ids asked for that are unknown or have left.
    pub unknown: Vec<String>,
}

/// A notice to post into a group chat.
#[derive(Clone, Copy, Debug)]
pub struct GroupPost<'a> {
    pub notice: i64,
    /// The group chat the request came from; `None` outside a group.
    pub conversation: Option<&'a str>,
    /// The language of the post.
    pub lang: Lang,
}

/// A notice queued for a group.
#[derive(Clone, Debug)]
pub struct Posted {
    pub id: i64,
    pub conversation: String,
}

/// Adds `staff_ids` as recipients of `notice` and enqueues each new one's
/// card in their language, in the caller's transaction; marks the notice sent.
pub(super) async fn queue_cards(
    conn: &mut AnyConnection,
    notice: &NoticeRow,
    items: &[String],
    staff_ids: &[String],
    now_ms: i64,
) -> anyhow::Result<Queued> {
    // Marking it sent first locks the notice row: concurrent sends take turns.
    notices::mark_sent(conn, notice.id, false, now_ms).await?;
    let added = recipients::add(conn, notice.id, staff_ids, AddedVia::Direct, now_ms).await?;
    let v = notice.view(items);
    let mut batches = 0;
    for lang in [Lang::Zh, Lang::En] {
        let ids: Vec<String> = added
            .iter()
            .filter(|a| Lang::from_code(&a.lang) == lang)
            .map(|a| a.staff_id.clone())
            .collect();
        if ids.is_empty() {
            continue;
        }
        let card = notice_card(&v, lang);
        let out = Outbound::direct(&ids, &card)
            .priority(Priority::Bulk)
            .reference(Reference::Notice(notice.id));
        batches += outbox::enqueue(conn, &out, now_ms).await?.len();
    }
    Ok(Queued {
        added: added.len(),
        batches,
    })
}

/// Refuses closed notices and notices whose deadline has passed.
fn check_open(notice: &NoticeRow, now_ms: i64) -> Result<(), Refusal> {
    let id = notice.id;
    if notice.is_closed() {
        return Err(Refusal::NoticeClosed { id });
    }
    if notice.is_past_deadline(now_ms) {
        return Err(Refusal::PastDeadline { id });
    }
    Ok(())
}

/// Sends notice `input.notice` to the people its audience names now.
#[tracing::instrument(skip_all, fields(notice = input.notice))]
pub async fn send(ctx: &Ctx<'_>, input: SendToPeople<'_>) -> ActionResult<Sent> {
    let id = input.notice;
    let now_ms = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    let notice = load(tx.conn(), id).await?;
    check_open(&notice, now_ms)?;
    let Targets { staff_ids, unknown } = resolve(tx.conn(), input.to, Purpose::Notice).await?;
    if staff_ids.is_empty() {
        return Err(Refusal::NobodyToSend { id }.into());
    }
    let items = notices::items(tx.conn(), id).await?;
    let queued = queue_cards(tx.conn(), &notice, &items, &staff_ids, now_ms).await?;
    let already = staff_ids.len() - queued.added;
    let details = json!({"audience": input.to.label(), "queued": queued.added,
        "batches": queued.batches, "already_addressed": already, "unknown": unknown});
    audit(&mut tx, "notice.send", id, details).await?;
    tx.commit().await?;
    Ok(Sent {
        id,
        queued,
        already,
        unknown,
    })
}

/// Posts notice `input.notice` into the group chat it was asked from, once;
/// whoever then acknowledges it is counted as a recipient.
#[tracing::instrument(skip_all, fields(notice = input.notice))]
pub async fn post_to_group(ctx: &Ctx<'_>, input: GroupPost<'_>) -> ActionResult<Posted> {
    let id = input.notice;
    let now_ms = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    let notice = load(tx.conn(), id).await?;
    check_open(&notice, now_ms)?;
    let Some(conv) = input.conversation else {
        return Err(Refusal::NotInGroupChat { id }.into());
    };
    let items = notices::items(tx.conn(), id).await?;
    let post = group_post(&notice.view(&items), input.lang);
    let key = format!("notice:{id}:group:{conv}");
    let to = [conv.to_owned()];
    let out = Outbound {
        channel: Channel::Group,
        recipients: &to,
        message: &post,
        priority: Priority::Bulk,
        dedupe_key: Some(&key),
        reference: Some(Reference::Notice(id)),
        not_before: None,
    };
    if outbox::enqueue(tx.conn(), &out, now_ms).await?.is_empty() {
        return Err(Refusal::AlreadyPostedToGroup { id }.into());
    }
    notices::mark_sent(tx.conn(), id, true, now_ms).await?;
    let details = json!({"audience": "group", "conversation": conv});
    audit(&mut tx, "notice.send", id, details).await?;
    tx.commit().await?;
    Ok(Posted {
        id,
        conversation: conv.to_owned(),
    })
}
