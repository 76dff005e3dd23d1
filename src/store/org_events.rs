//! Organisation events (staff leaving or joining) are applied exactly once:
//! the action claims the event's dedupe key here, in the transaction that
//! applies the change, so a failed apply leaves no claim and DingTalk's
//! retry applies it.

use anyhow::Context as _;
use sqlx::AnyConnection;

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

/// Claims an event's dedupe key on the caller's transaction; false when it
/// was claimed before.
pub async fn claim(conn: &mut AnyConnection, key: &str, now_ms: i64) -> anyhow::Result<bool> {
    // The claim lives with the robot msgIds (pruned with them); an event
    // has no signature pair, so its pair hash is one of its own that no
    // robot callback could match.
    let claimed = sqlx::query(
        "INSERT INTO inbound_messages (msg_id, pair_hash, received_at) \
         VALUES ($1, $2, $3) ON CONFLICT (msg_id) DO NOTHING",
    )
    .bind(key)
    .bind(super::inbound::pair_hash(0, &format!("event:{key}")))
    .bind(now_ms)
    .execute(conn)
    .await
    .context("claim event")?
    .rows_affected();
    Ok(claimed > 0)
}
