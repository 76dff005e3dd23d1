//! Writing to the outbox: every proactive message is a row, written in the
//! same transaction as the state change that caused it, with a typed
//! [`Reference`] to what caused it. The delivery worker claims and sends
//! them.

use anyhow::Context as _;
use sqlx::AnyConnection;

use crate::domain::Message;

/// Most user ids DingTalk accepts in one `oToMessages/batchSend`.
pub const MAX_USERS_PER_BATCH: usize = 20;

/// How a message travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    /// Robot 1:1 messages to staff ids (`oToMessages/batchSend`).
    Direct,
    /// A group conversation (`groupMessages/send`); one recipient, the openConversationId.
    Group,
    /// A custom group robot webhook (`robot/send`).
    CustomRobot,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Direct => "direct",
            Channel::Group => "group",
            Channel::CustomRobot => "custom_robot",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "direct" => Some(Channel::Direct),
            "group" => Some(Channel::Group),
            "custom_robot" => Some(Channel::CustomRobot),
            _ => None,
        }
    }
}

/// Where a row stands (`outbox.status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxStatus {
    /// Waiting to be sent, or to be retried.
    Pending,
    Sent,
    /// Given up on: a dead letter.
    Dead,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Dead => "dead",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(OutboxStatus::Pending),
            "sent" => Some(OutboxStatus::Sent),
            "dead" => Some(OutboxStatus::Dead),
            _ => None,
        }
    }
}

/// What caused a message (`outbox.ref_kind`, `outbox.ref_id`): delivery
/// results go back to it. The column's text is written and parsed only here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reference {
    Notice(i64),
    Incident(i64),
    QuizCampaign(i64),
    QuizAttempt(i64),
    QuizFollowup(i64),
    PasswordReset(i64),
}

impl Reference {
    /// The `ref_kind` column's value.
    pub fn kind(self) -> &'static str {
        match self {
            Reference::Notice(_) => "notice",
            Reference::Incident(_) => "incident",
            Reference::QuizCampaign(_) => "quiz_campaign",
            Reference::QuizAttempt(_) => "quiz_attempt",
            Reference::QuizFollowup(_) => "quiz_followup",
            Reference::PasswordReset(_) => "password_reset",
        }
    }

    /// The `ref_id` column's value.
    pub fn id(self) -> i64 {
        match self {
            Reference::Notice(id)
            | Reference::Incident(id)
            | Reference::QuizCampaign(id)
            | Reference::QuizAttempt(id)
            | Reference::QuizFollowup(id)
            | Reference::PasswordReset(id) => id,
        }
    }

    /// The reference stored as `(kind, id)`; `None` for a kind this
    /// version does not know (a row written by a newer one).
    pub fn parse(kind: &str, id: i64) -> Option<Self> {
        Some(match kind {
            "notice" => Reference::Notice(id),
            "incident" => Reference::Incident(id),
            "quiz_campaign" => Reference::QuizCampaign(id),
            "quiz_attempt" => Reference::QuizAttempt(id),
            "quiz_followup" => Reference::QuizFollowup(id),
            "password_reset" => Reference::PasswordReset(id),
            _ => return None,
        })
    }
}

/// Delivery order: lower first. Replies to people waiting in chat go ahead of bulk traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    Reply = 0,
    Normal = 5,
    Bulk = 10,
}

/// A message to enqueue.
#[derive(Clone, Debug)]
pub struct Outbound<'a> {
    pub channel: Channel,
    pub recipients: &'a [String],
    pub message: &'a Message,
    pub priority: Priority,
    /// Makes the enqueue idempotent: a second row with the same key is not written.
    pub dedupe_key: Option<&'a str>,
    /// What caused the message, for delivery bookkeeping.
    pub reference: Option<Reference>,
    /// Not before this instant (ms); defaults to now.
    pub not_before: Option<i64>,
}

impl<'a> Outbound<'a> {
    /// A 1:1 message to these staff ids.
    pub fn direct(recipients: &'a [String], message: &'a Message) -> Self {
        Self {
            channel: Channel::Direct,
            recipients,
            message,
            priority: Priority::Normal,
            dedupe_key: None,
            reference: None,
            not_before: None,
        }
    }

    pub fn priority(mut self, p: Priority) -> Self {
        self.priority = p;
        self
    }

    pub fn dedupe_key(mut self, key: &'a str) -> Self {
        self.dedupe_key = Some(key);
        self
    }

    pub fn reference(mut self, reference: Reference) -> Self {
        self.reference = Some(reference);
        self
    }

    pub fn not_before(mut self, at_ms: i64) -> Self {
        self.not_before = Some(at_ms);
        self
    }
}

/// Enqueues a message inside the caller's transaction. Direct messages to
/// more than [`MAX_USERS_PER_BATCH`] users become one row per batch.
/// Returns the ids written (empty when the dedupe key already existed).
pub async fn enqueue(
    conn: &mut AnyConnection,
    out: &Outbound<'_>,
    now_ms: i64,
) -> anyhow::Result<Vec<i64>> {
    let message = serde_json::to_string(out.message).context("encode message")?;
    let chunks: Vec<&[String]> = match out.channel {
        Channel::Direct => out.recipients.chunks(MAX_USERS_PER_BATCH).collect(),
        _ => vec![out.recipients],
    };
    let mut ids = Vec::with_capacity(chunks.len());
    for (i, chunk) in chunks.iter().enumerate() {
        let key = out.dedupe_key.map(|k| {
            if i == 0 {
                k.to_owned()
            } else {
                format!("{k}#{i}")
            }
        });
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO outbox (channel, recipients, message, priority, next_attempt_at, dedupe_key, \
             ref_kind, ref_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
        )
        .bind(out.channel.as_str())
        .bind(serde_json::to_string(chunk).context("encode recipients")?)
        .bind(&message)
        .bind(out.priority as i64)
        .bind(out.not_before.unwrap_or(now_ms))
        .bind(key)
        .bind(out.reference.map(Reference::kind))
        .bind(out.reference.map(Reference::id))
        .bind(now_ms)
        .fetch_optional(&mut *conn)
        .await
        .context("enqueue outbound message")?;
        ids.extend(id);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_statuses_read_back_as_written() {
        for r in [
            Reference::Notice(1),
            Reference::Incident(2),
            Reference::QuizCampaign(3),
            Reference::QuizAttempt(4),
            Reference::QuizFollowup(5),
            Reference::PasswordReset(6),
        ] {
            assert_eq!(Reference::parse(r.kind(), r.id()), Some(r));
        }
        assert_eq!(Reference::parse("newer_feature", 1), None);
        for s in [
            OutboxStatus::Pending,
            OutboxStatus::Sent,
            OutboxStatus::Dead,
        ] {
            assert_eq!(OutboxStatus::parse(s.as_str()), Some(s));
        }
    }
}
