//! What the bot says, independent of how DingTalk carries it: plain text,
//! markdown, or an action card whose buttons send a chat message back as the user.

use serde::{Deserialize, Serialize};

/// A button that, when tapped, makes the user send `reply` to the bot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    pub title: String,
    pub reply: String,
}

impl Button {
    pub fn new(title: impl Into<String>, reply: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            reply: reply.into(),
        }
    }
}

/// One message from the bot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Message {
    Text {
        content: String,
    },
    Markdown {
        title: String,
        text: String,
    },
    ActionCard {
        title: String,
        text: String,
        buttons: Vec<Button>,
    },
}

impl Message {
    pub fn text(content: impl Into<String>) -> Self {
        Message::Text {
            content: content.into(),
        }
    }

    pub fn markdown(title: impl Into<String>, text: impl Into<String>) -> Self {
        Message::Markdown {
            title: title.into(),
            text: text.into(),
        }
    }

    pub fn card(title: impl Into<String>, text: impl Into<String>, buttons: Vec<Button>) -> Self {
        Message::ActionCard {
            title: title.into(),
            text: text.into(),
            buttons,
        }
    }
}

/// The answer to one chat message: zero or more messages, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reply {
    pub messages: Vec<Message>,
}

impl Reply {
    pub fn none() -> Self {
        Self::default()
    }

    pub fn text(content: impl Into<String>) -> Self {
        Self {
            messages: vec![Message::text(content)],
        }
    }

    pub fn markdown(title: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            messages: vec![Message::markdown(title, text)],
        }
    }

    pub fn message(m: Message) -> Self {
        Self { messages: vec![m] }
    }

    pub fn then(mut self, m: Message) -> Self {
        self.messages.push(m);
        self
    }
}
