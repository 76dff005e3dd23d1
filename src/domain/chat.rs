//! A chat message as the bot understands it, whatever platform JSON carried it.
//! It (de)serialises so the durable inbox can keep it until it is handled.

use serde::{Deserialize, Serialize};

/// Where a message was said.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Conversation {
    /// The 1:1 chat between a user and the bot.
    Direct { id: String },
    /// A group chat; `id` is the open conversation id used to send into it.
    Group { id: String, title: String },
}

impl Conversation {
    pub fn is_group(&self) -> bool {
        matches!(self, Conversation::Group { .. })
    }

    pub fn id(&self) -> &str {
        match self {
            Conversation::Direct { id } | Conversation::Group { id, .. } => id,
        }
    }
}

/// What was said.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Body {
    Text(String),
    /// Any other kind of message (picture, file, audio…), by its type name.
    Other(String),
    /// A text that looked like it carried a password or key: only that fact
    /// is kept, never the text.
    Withheld,
}

/// How to answer in the same conversation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyRoute {
    /// Temporary URL that posts into the conversation (DingTalk's sessionWebhook).
    pub session_webhook: Option<String>,
    /// When that URL stops working (ms since the epoch).
    pub expires_at_ms: Option<i64>,
    /// Robot that received the message.
    pub robot_code: Option<String>,
    /// Staff id to @-mention in group answers.
    pub sender_staff_id: Option<String>,
    pub conversation: Option<Conversation>,
}

/// One incoming chat message.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChatMessage {
    pub msg_id: String,
    /// Organisation user id; absent for people outside the organisation.
    pub sender_staff_id: Option<String>,
    pub sender_nick: String,
    /// The platform says the sender administers the organisation.
    pub sender_is_org_admin: bool,
    pub conversation: Conversation,
    pub body: Body,
    /// Staff ids @-mentioned in the message, the bot itself excluded.
    pub mentions: Vec<String>,
    pub reply: ReplyRoute,
}
