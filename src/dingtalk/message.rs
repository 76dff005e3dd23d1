//! Rendering the bot's messages as DingTalk JSON (PROTOCOL.md §2 and §4.4):
//! webhook bodies (sessionWebhook, custom robot) and OpenAPI `msgKey` +
//! `msgParam`. Buttons become `dtmd://` links, which make the tapping user
//! send the button's reply text to the bot.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use crate::domain::{Button, Message};

/// Everything but `A-Za-z0-9-_.~` is encoded; `(`, `)`, `&`, `#`, `%` and
/// space in particular would break the link or the markdown around it.
const DTMD_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Most buttons an OpenAPI action card carries (`sampleActionCard5`).
pub const MAX_OPENAPI_BUTTONS: usize = 5;

/// A link that, when tapped in DingTalk, sends `text` to the bot as the user.
pub fn dtmd_link(text: &str) -> String {
    format!(
        "dtmd://dingtalkclient/sendMessage?content={}",
        utf8_percent_encode(text, DTMD_ENCODE)
    )
}

/// The text a `dtmd://` link sends, if `url` is one.
pub fn dtmd_text(url: &str) -> Option<String> {
    let q = url.strip_prefix("dtmd://dingtalkclient/sendMessage?content=")?;
    Some(
        percent_encoding::percent_decode_str(q)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// Buttons that do not fit as buttons are appended to the text as links.
fn text_with_link_buttons(text: &str, buttons: &[Button]) -> String {
    let mut out = text.to_owned();
    for b in buttons {
        out.push_str(&format!("\n\n[{}]({})", b.title, dtmd_link(&b.reply)));
    }
    out
}

/// The JSON body for a sessionWebhook or custom-robot POST. `at` is the
/// staff id to @-mention (group answers); only text carries it.
pub fn webhook_body(message: &Message, at: Option<&str>) -> Value {
    match message {
        Message::Text { content } => match at {
            Some(staff) => {
                json!({"msgtype": "text", "text": {"content": content}, "at": {"atUserIds": [staff]}})
            }
            None => json!({"msgtype": "text", "text": {"content": content}}),
        },
        Message::Markdown { title, text } => {
            json!({"msgtype": "markdown", "markdown": {"title": title, "text": text}})
        }
        Message::ActionCard {
            title,
            text,
            buttons,
        } => match buttons.as_slice() {
            [] => json!({"msgtype": "markdown", "markdown": {"title": title, "text": text}}),
            [b] => json!({"msgtype": "actionCard", "actionCard": {
                "title": title, "text": text, "btnOrientation": "0",
                "singleTitle": b.title, "singleURL": dtmd_link(&b.reply)}}),
            many => json!({"msgtype": "actionCard", "actionCard": {
                "title": title, "text": text, "btnOrientation": "0",
                "btns": many.iter().map(|b| json!({"title": b.title, "actionURL": dtmd_link(&b.reply)})).collect::<Vec<_>>()}}),
        },
    }
}

/// `(msgKey, msgParam)` for the robot OpenAPI sends; `msgParam` is a JSON
/// string, as DingTalk requires (PROTOCOL.md §7.7).
pub fn openapi_msg(message: &Message) -> (&'static str, String) {
    let (key, param) = match message {
        Message::Text { content } => ("sampleText", json!({"content": content})),
        Message::Markdown { title, text } => {
            ("sampleMarkdown", json!({"title": title, "text": text}))
        }
        Message::ActionCard {
            title,
            text,
            buttons,
        } => openapi_card(title, text, buttons),
    };
    (key, param.to_string())
}

fn openapi_card(title: &str, text: &str, buttons: &[Button]) -> (&'static str, Value) {
    match buttons {
        [] => ("sampleMarkdown", json!({"title": title, "text": text})),
        [b] => (
            "sampleActionCard",
            json!({"title": title, "text": text,
            "singleTitle": b.title, "singleURL": dtmd_link(&b.reply)}),
        ),
        _ => {
            let (shown, rest) = buttons.split_at(buttons.len().min(MAX_OPENAPI_BUTTONS));
            let mut param = serde_json::Map::new();
            param.insert("title".into(), json!(title));
            param.insert("text".into(), json!(text_with_link_buttons(text, rest)));
            for (i, b) in shown.iter().enumerate() {
                param.insert(format!("actionTitle{}", i + 1), json!(b.title));
                param.insert(format!("actionURL{}", i + 1), json!(dtmd_link(&b.reply)));
            }
            let key = match shown.len() {
                2 => "sampleActionCard2",
                3 => "sampleActionCard3",
                4 => "sampleActionCard4",
                _ => "sampleActionCard5",
            };
            (key, Value::Object(param))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtmd_links_encode_everything_that_breaks_links() {
        let link = dtmd_link("答 B #12 (x)&%");
        assert_eq!(
            link,
            "dtmd://dingtalkclient/sendMessage?content=%E7%AD%94%20B%20%2312%20%28x%29%26%25"
        );
        assert_eq!(dtmd_text(&link).as_deref(), Some("答 B #12 (x)&%"));
    }

    #[test]
    fn webhook_text_mentions_the_sender_in_groups() {
        let v = webhook_body(&Message::text("hi"), Some("u1"));
        assert_eq!(
            v,
            json!({"msgtype":"text","text":{"content":"hi"},"at":{"atUserIds":["u1"]}})
        );
    }

    #[test]
    fn webhook_cards_use_single_or_independent_buttons() {
        let one = Message::card("T", "body", vec![Button::new("OK", "ack 1")]);
        let v = webhook_body(&one, None);
        assert_eq!(v["actionCard"]["singleTitle"], "OK");
        assert_eq!(v["actionCard"]["singleURL"], dtmd_link("ack 1"));
        let two = Message::card("T", "b", vec![Button::new("A", "a"), Button::new("B", "b")]);
        let v = webhook_body(&two, None);
        assert_eq!(v["actionCard"]["btns"][1]["actionURL"], dtmd_link("b"));
    }

    #[test]
    fn openapi_params_are_json_strings_and_extra_buttons_become_links() {
        let (key, param) = openapi_msg(&Message::text("hello"));
        assert_eq!(key, "sampleText");
        assert_eq!(param, r#"{"content":"hello"}"#);
        let buttons: Vec<_> = (1..=7)
            .map(|i| Button::new(format!("b{i}"), format!("done 1 {i}")))
            .collect();
        let (key, param) = openapi_msg(&Message::card("T", "body", buttons));
        assert_eq!(key, "sampleActionCard5");
        let v: Value = serde_json::from_str(&param).unwrap();
        assert_eq!(v["actionTitle5"], "b5");
        assert!(v.get("actionTitle6").is_none());
        assert!(v["text"].as_str().unwrap().contains(&dtmd_link("done 1 7")));
    }
}
