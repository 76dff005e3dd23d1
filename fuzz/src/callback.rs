//! `RobotCallback::parse` + `into_chat_message`: any body is either refused
//! with an error that never quotes it, or becomes a message with a msgId,
//! no empty ids, the conversation type it said, and text only for `text`.

use dingwarden::dingtalk::inbound::{PayloadError, RobotCallback};
use dingwarden::domain::chat::Body;

/// Checks one callback body.
pub fn check(data: &[u8]) {
    let cb = match RobotCallback::parse(data) {
        Ok(cb) => cb,
        Err(PayloadError::Json(e)) => {
            let shown = PayloadError::Json(e).to_string();
            let digits =
                shown.trim_start_matches("body is not a robot callback (bad JSON at line ");
            assert!(
                digits.len() < shown.len()
                    && digits
                        .chars()
                        .all(|c| c.is_ascii_digit() || ", column)".contains(c)),
                "error quotes more than a position: {shown}"
            );
            return;
        }
        Err(e) => panic!("parse returned a non-JSON error: {e}"),
    };
    let msg_id = cb.msg_id.clone().filter(|m| !m.is_empty());
    assert_eq!(cb.msg_id().ok().map(str::to_owned), msg_id);
    let conversation_type = cb.conversation_type.clone();
    let msgtype = cb.msgtype.clone();
    match cb.into_chat_message() {
        Ok(m) => {
            assert_eq!(Some(&m.msg_id), msg_id.as_ref());
            assert!(m.mentions.iter().all(|s| !s.is_empty()));
            assert_ne!(m.sender_staff_id.as_deref(), Some(""));
            assert_eq!(m.reply.sender_staff_id, m.sender_staff_id);
            assert_eq!(m.reply.conversation.as_ref(), Some(&m.conversation));
            assert_eq!(
                m.conversation.is_group(),
                conversation_type.as_deref() == Some("2")
            );
            match &m.body {
                Body::Text(text) => {
                    assert_eq!(msgtype, "text");
                    super::command::text(text);
                }
                Body::Other(kind) => assert_eq!(kind, &msgtype),
                Body::Withheld => panic!("the parser never withholds; admission does"),
            }
        }
        Err(PayloadError::Missing("msgId")) => assert!(msg_id.is_none()),
        Err(PayloadError::Missing("text.content")) => {
            assert!(msg_id.is_some() && msgtype == "text");
        }
        Err(PayloadError::Missing(what)) => panic!("unexpected missing {what}"),
        Err(PayloadError::ConversationType(t)) => {
            assert!(t != "1" && t != "2");
            assert_eq!(Some(t), conversation_type);
        }
        Err(PayloadError::Json(_)) => panic!("into_chat_message returned a JSON error"),
    }
}
