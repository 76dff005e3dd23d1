//! Organisation events (staff leaving or joining), applied exactly once: the
//! event's dedupe claim and the roster change commit in one transaction, so
//! a failed apply leaves no claim and DingTalk's retry applies it.

use anyhow::Context as _;

use super::Store;
use super::users::{mark_joined, mark_left};
use crate::domain::org_event::{OrgChange, OrgEvent};

/// What applying an event did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventOutcome {
    /// Claimed and applied now.
    Applied,
    /// Claimed earlier (a redelivery): nothing changed.
    Duplicate,
    /// An event type the bot does not act on: nothing stored.
    Ignored,
}

impl Store {
    /// Claims `event.key` and applies the change in one transaction.
    pub async fn apply_org_event(
        &self,
        event: &OrgEvent,
        now_ms: i64,
    ) -> anyhow::Result<EventOutcome> {
        if event.change == OrgChange::Ignored {
            return Ok(EventOutcome::Ignored);
        }
        let mut tx = self.begin_write().await?;
        // The claim lives with the robot msgIds (pruned with them); an event
        // has no signature pair, so its pair hash is one of its own that no
        // robot callback could match.
        let claimed = sqlx::query(
            "INSERT INTO inbound_messages (msg_id, pair_hash, received_at) \
             VALUES ($1, $2, $3) ON CONFLICT (msg_id) DO NOTHING",
        )
        .bind(&event.key)
        .bind(super::inbound::pair_hash(
            0,
            &format!("event:{}", event.key),
        ))
        .bind(now_ms)
        .execute(tx.conn())
        .await
        .context("claim event")?
        .rows_affected();
        if claimed == 0 {
            // Dropping the transaction writes nothing.
            return Ok(EventOutcome::Duplicate);
        }
        match event.change {
            OrgChange::Left => mark_left(tx.conn(), &event.user_ids, now_ms).await?,
            OrgChange::Joined => mark_joined(tx.conn(), &event.user_ids, now_ms).await?,
            OrgChange::Ignored => {}
        }
        tx.commit().await?;
        Ok(EventOutcome::Applied)
    }
}
