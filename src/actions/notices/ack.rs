//! Recipients' side: acknowledging a notice and ticking checklist items.
//! Both are idempotent in effect (a repeat is refused, changes nothing) and
//! audited in the transaction that records them. A notice posted to a group
//! takes anyone on the roster who acknowledges it as a recipient.

use serde_json::json;
use sqlx::AnyConnection;

use super::{audit, load};
use crate::actions::{ActionResult, Ctx, Refusal};
use crate::domain::notice::AddedVia;
use crate::store::notices::recipients::{self, Open, RecipientRow, Tick};
use crate::store::notices::{self, NoticeRow};

/// How an acknowledgement arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AckVia {
    /// The card's button (its exact text).
    Button,
    /// Typed in the 1:1 chat.
    Chat,
    /// In a group chat.
    Group,
    /// Another entry point (console, API).
    Other(&'static str),
}

impl AckVia {
    pub fn as_str(self) -> &'static str {
        match self {
            AckVia::Button => "button",
            AckVia::Chat => "chat",
            AckVia::Group => "group",
            AckVia::Other(s) => s,
        }
    }
}

/// An acknowledgement to record.
#[derive(Clone, Copy, Debug)]
pub struct Ack {
    pub notice: i64,
    pub via: AckVia,
}

/// A recorded acknowledgement, with the checklist as it now stands.
#[derive(Clone, Debug)]
pub struct Acked {
    pub notice: NoticeRow,
    pub items: Vec<String>,
    pub ticked: Vec<i64>,
}

/// A ticked item, with the checklist as it now stands.
#[derive(Clone, Debug)]
pub struct Ticked {
    pub notice: NoticeRow,
    pub item: i64,
    /// Items done now, of `notice.checklist_total`.
    pub done: i64,
    pub items: Vec<String>,
    pub ticked: Vec<i64>,
    pub acked: bool,
}

/// A notice waiting for a person, with its checklist.
#[derive(Clone, Debug)]
pub struct Pending {
    pub open: Open,
    pub items: Vec<String>,
    pub ticked: Vec<i64>,
}

/// The acting person acknowledges `ack.notice`.
#[tracing::instrument(skip_all, fields(notice = ack.notice, via = ack.via.as_str()))]
pub async fn ack(ctx: &Ctx<'_>, ack: Ack) -> ActionResult<Acked> {
    let user = ctx.person_who("acknowledges a notice")?;
    let id = ack.notice;
    let mut tx = ctx.begin().await?;
    let notice = load(tx.conn(), id).await?;
    let rec = addressed(tx.conn(), &notice, &user.staff_id, ctx.now_ms()).await?;
    if let Some(at) = rec.acked_at {
        return Err(Refusal::AlreadyAcked {
            id,
            at_ms: Some(at),
        }
        .into());
    }
    let via = ack.via.as_str();
    if !recipients::ack(tx.conn(), id, &user.staff_id, via, ctx.now_ms()).await? {
        return Err(Refusal::AlreadyAcked { id, at_ms: None }.into());
    }
    audit(&mut tx, "ack.record", id, json!({"via": via})).await?;
    let items = notices::items(tx.conn(), id).await?;
    let ticked = recipients::ticked(tx.conn(), id, &user.staff_id).await?;
    tx.commit().await?;
    Ok(Acked {
        notice,
        items,
        ticked,
    })
}

/// The acting person ticks item `item` (1-based) of notice `id`.
#[tracing::instrument(skip_all, fields(notice = id, item))]
pub async fn tick(ctx: &Ctx<'_>, id: i64, item: u32) -> ActionResult<Ticked> {
    let user = ctx.person_who("acknowledges a notice")?;
    let now_ms = ctx.now_ms();
    let mut tx = ctx.begin().await?;
    let notice = load(tx.conn(), id).await?;
    let rec = addressed(tx.conn(), &notice, &user.staff_id, now_ms).await?;
    let n = item_number(&notice, item)?;
    let done = match recipients::tick(tx.conn(), id, &user.staff_id, n, now_ms).await? {
        Tick::Ticked { done } => done,
        Tick::Already { at } => {
            return Err(Refusal::ItemAlreadyDone {
                id,
                item: n,
                at_ms: at,
            }
            .into());
        }
    };
    audit(&mut tx, "checklist.tick", id, json!({"item": n})).await?;
    let items = notices::items(tx.conn(), id).await?;
    let ticked = recipients::ticked(tx.conn(), id, &user.staff_id).await?;
    tx.commit().await?;
    Ok(Ticked {
        notice,
        item: n,
        done,
        items,
        ticked,
        acked: rec.acked_at.is_some(),
    })
}

/// Open notices addressed to `staff_id`, with their checklists.
#[tracing::instrument(skip_all)]
pub async fn pending_for(ctx: &Ctx<'_>, staff_id: &str) -> anyhow::Result<Vec<Pending>> {
    let mut conn = ctx.read().await?;
    let open = recipients::open_for(&mut conn, staff_id).await?;
    let mut pending = Vec::with_capacity(open.len());
    for o in open {
        let (items, ticked) = if o.checklist_done < o.checklist_total {
            (
                notices::items(&mut conn, o.id).await?,
                recipients::ticked(&mut conn, o.id, staff_id).await?,
            )
        } else {
            (Vec::new(), Vec::new())
        };
        pending.push(Pending {
            open: o,
            items,
            ticked,
        });
    }
    Ok(pending)
}

/// The recipient row for `staff_id`, adding them if the notice was posted
/// to a group (anyone may acknowledge those); a refusal otherwise.
async fn addressed(
    conn: &mut AnyConnection,
    notice: &NoticeRow,
    staff_id: &str,
    now_ms: i64,
) -> ActionResult<RecipientRow> {
    let id = notice.id;
    if notice.is_closed() {
        return Err(Refusal::NoticeNotTakingAcks { id }.into());
    }
    if let Some(r) = recipients::get(conn, id, staff_id).await? {
        return Ok(r);
    }
    if notice.is_sent() && notice.open_acks == 1 {
        let staff = [staff_id.to_owned()];
        recipients::add(conn, id, &staff, AddedVia::Group, now_ms).await?;
        if let Some(r) = recipients::get(conn, id, staff_id).await? {
            return Ok(r);
        }
    }
    Err(Refusal::NotAddressed { id }.into())
}

/// Item `item` of the notice's checklist, or why there is none.
fn item_number(notice: &NoticeRow, item: u32) -> Result<i64, Refusal> {
    let (id, total) = (notice.id, notice.checklist_total);
    if total == 0 {
        return Err(Refusal::NoChecklist { id });
    }
    let n = i64::from(item);
    if n < 1 || n > total {
        return Err(Refusal::NoSuchItem { id, total });
    }
    Ok(n)
}
