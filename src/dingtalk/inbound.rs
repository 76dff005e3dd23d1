//! The robot callback body (PROTOCOL.md §1.3), typed, and its translation
//! into a [`ChatMessage`]. Every field but `msgtype` is optional in the wire
//! format; what the bot cannot work without is checked here.

use serde::{Deserialize, Deserializer};

use crate::domain::chat::{Body, ChatMessage, Conversation, ReplyRoute};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RobotCallback {
    pub msgtype: String,
    #[serde(default)]
    pub text: Option<TextContent>,
    #[serde(default)]
    pub msg_id: Option<String>,
    #[serde(default)]
    pub conversation_type: Option<String>,
    #[serde(default)]
    pub conversation_id: Option<String>,
    #[serde(default)]
    pub conversation_title: Option<String>,
    #[serde(default)]
    pub sender_staff_id: Option<String>,
    #[serde(default)]
    pub sender_nick: Option<String>,
    #[serde(default)]
    pub chatbot_user_id: Option<String>,
    #[serde(default)]
    pub robot_code: Option<String>,
    #[serde(default)]
    pub is_admin: bool,
    #[serde(default)]
    pub session_webhook: Option<String>,
    #[serde(default, deserialize_with = "millis")]
    pub session_webhook_expired_time: Option<i64>,
    #[serde(default, deserialize_with = "millis")]
    pub create_at: Option<i64>,
    #[serde(default)]
    pub at_users: Vec<AtUser>,
}

#[derive(Debug, Deserialize)]
pub struct TextContent {
    #[serde(default)]
    pub content: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AtUser {
    #[serde(default)]
    pub dingtalk_id: Option<String>,
    #[serde(default)]
    pub staff_id: Option<String>,
}

/// Accepts a millisecond instant as a JSON number or a decimal string.
fn millis<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrStr {
        Num(i64),
        Str(String),
    }
    Ok(match Option::<NumOrStr>::deserialize(d)? {
        Some(NumOrStr::Num(n)) => Some(n),
        Some(NumOrStr::Str(s)) => s.trim().parse().ok(),
        None => None,
    })
}

/// Why a verified callback body cannot be handled.
#[derive(Debug, thiserror::Error)]
pub enum PayloadError {
    /// Only the position is shown: serde's own message can quote the
    /// payload (a message's text), which must never reach logs or replies.
    #[error("body is not a robot callback (bad JSON at line {}, column {})", .0.line(), .0.column())]
    Json(#[from] serde_json::Error),
    #[error("callback has no {0}")]
    Missing(&'static str),
    #[error("unknown conversationType '{0}'")]
    ConversationType(String),
}

impl RobotCallback {
    pub fn parse(body: &[u8]) -> Result<Self, PayloadError> {
        Ok(serde_json::from_slice(body)?)
    }

    /// The message id DingTalk dedupes by; required.
    pub fn msg_id(&self) -> Result<&str, PayloadError> {
        self.msg_id
            .as_deref()
            .filter(|s| !s.is_empty())
            .ok_or(PayloadError::Missing("msgId"))
    }

    /// Translates the wire body into the bot's own message type.
    pub fn into_chat_message(self) -> Result<ChatMessage, PayloadError> {
        let msg_id = self.msg_id()?.to_owned();
        let conv_id = self.conversation_id.clone().unwrap_or_default();
        let conversation = match self.conversation_type.as_deref() {
            Some("1") | None => Conversation::Direct { id: conv_id },
            Some("2") => Conversation::Group {
                id: conv_id,
                title: self.conversation_title.unwrap_or_default(),
            },
            Some(other) => return Err(PayloadError::ConversationType(other.to_owned())),
        };
        let body = match (self.msgtype.as_str(), self.text) {
            ("text", Some(t)) => Body::Text(t.content),
            ("text", None) => return Err(PayloadError::Missing("text.content")),
            (other, _) => Body::Other(other.to_owned()),
        };
        let bot = self.chatbot_user_id.as_deref();
        // DingTalk lists the robot itself among atUsers; it is not a mention of anyone.
        let mentions = self
            .at_users
            .into_iter()
            .filter(|u| bot.is_none() || u.dingtalk_id.as_deref() != bot)
            .filter_map(|u| u.staff_id)
            .filter(|s| !s.is_empty())
            .collect();
        let sender_staff_id = self.sender_staff_id.filter(|s| !s.is_empty());
        Ok(ChatMessage {
            msg_id,
            sender_nick: self.sender_nick.unwrap_or_default(),
            sender_is_org_admin: self.is_admin,
            mentions,
            reply: ReplyRoute {
                session_webhook: self.session_webhook,
                expires_at_ms: self.session_webhook_expired_time,
                robot_code: self.robot_code,
                sender_staff_id: sender_staff_id.clone(),
                conversation: Some(conversation.clone()),
            },
            sender_staff_id,
            conversation,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_official_text_sample() {
        let body = r#"{"conversationId":"cide****4g=","chatbotCorpId":"ding****6741","chatbotUserId":"$:LWC****ihY/",
 "msgId":"msgY****Pw==","senderNick":"张三","isAdmin":true,"senderStaffId":"042***297",
 "sessionWebhookExpiredTime":1695289035996,"createAt":1695283635765,"senderCorpId":"ding****6741",
 "conversationType":"1","senderId":"$:LWC****PA==",
 "sessionWebhook":"https://oapi.dingtalk.com/robot/sendBySession?session=79b48****4d4b",
 "robotCode":"ding****c6gk","msgtype":"text","text":{"content":"hello DingTalk!"}}"#;
        let m = RobotCallback::parse(body.as_bytes())
            .unwrap()
            .into_chat_message()
            .unwrap();
        assert_eq!(m.msg_id, "msgY****Pw==");
        assert_eq!(m.sender_staff_id.as_deref(), Some("042***297"));
        assert_eq!(m.body, Body::Text("hello DingTalk!".into()));
        assert_eq!(
            m.conversation,
            Conversation::Direct {
                id: "cide****4g=".into()
            }
        );
        assert_eq!(m.reply.expires_at_ms, Some(1_695_289_035_996));
        assert!(m.sender_is_org_admin);
    }

    #[test]
    fn group_mentions_exclude_the_bot_and_times_may_be_strings() {
        let body = br#"{"msgtype":"text","text":{"content":" hi"},"msgId":"m1","conversationType":"2",
          "conversationId":"cidG","conversationTitle":"T","chatbotUserId":"$:bot","createAt":"1613630252678",
          "atUsers":[{"dingtalkId":"$:bot"},{"dingtalkId":"$:x","staffId":"bob"}]}"#;
        let cb = RobotCallback::parse(body).unwrap();
        assert_eq!(cb.create_at, Some(1_613_630_252_678));
        let m = cb.into_chat_message().unwrap();
        assert_eq!(m.mentions, vec!["bob"]);
        assert!(m.conversation.is_group());
        assert_eq!(m.sender_staff_id, None);
    }

    #[test]
    fn other_message_types_are_kept_by_name() {
        let body = br#"{"msgtype":"picture","msgId":"m2","content":{"downloadCode":"x"}}"#;
        let m = RobotCallback::parse(body)
            .unwrap()
            .into_chat_message()
            .unwrap();
        assert_eq!(m.body, Body::Other("picture".into()));
    }

    #[test]
    fn missing_msg_id_or_bad_json_is_an_error() {
        assert!(RobotCallback::parse(b"{").is_err());
        assert!(RobotCallback::parse(br#"{"text":{"content":"x"}}"#).is_err());
        let cb = RobotCallback::parse(br#"{"msgtype":"text","text":{"content":"x"}}"#).unwrap();
        assert!(matches!(cb.msg_id(), Err(PayloadError::Missing("msgId"))));
    }

    #[test]
    fn json_errors_never_quote_the_payload() {
        let body = br#"{"msgtype":"text","text":"my password is hunter22"}"#;
        let e = RobotCallback::parse(body).unwrap_err().to_string();
        assert!(!e.contains("hunter22"), "{e}");
        assert!(e.contains("line 1"), "{e}");
    }
}
