//! Turning what the bot sends (sessionWebhook JSON or dev-sink messages)
//! into readable terminal text: markdown as plain text, buttons and `dtmd`
//! links as numbered choices. Bold and code spans are ANSI-styled on a
//! terminal; without styling (a pipe, or `NO_COLOR`) they keep their markers
//! so a command stays apart from its description.

use serde_json::Value;

use crate::dingtalk::message::dtmd_text;
use crate::domain::{Button, Message};

/// A webhook body as a domain message (the inverse of `webhook_body`).
pub fn from_webhook(v: &Value) -> Option<Message> {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    match v["msgtype"].as_str()? {
        "text" => Some(Message::text(s(&v["text"]["content"]))),
        "markdown" => Some(Message::markdown(
            s(&v["markdown"]["title"]),
            s(&v["markdown"]["text"]),
        )),
        "actionCard" => {
            let card = &v["actionCard"];
            let mut buttons = Vec::new();
            if let Some(url) = card["singleURL"].as_str() {
                buttons.push(button(s(&card["singleTitle"]), url));
            }
            for b in card["btns"].as_array().into_iter().flatten() {
                buttons.push(button(
                    s(&b["title"]),
                    b["actionURL"].as_str().unwrap_or_default(),
                ));
            }
            Some(Message::card(s(&card["title"]), s(&card["text"]), buttons))
        }
        _ => None,
    }
}

fn button(title: String, url: &str) -> Button {
    Button::new(title, dtmd_text(url).unwrap_or_else(|| url.to_owned()))
}

/// Terminal styling; plain when output is not a terminal.
#[derive(Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    /// ANSI styling when stdout is a terminal and `NO_COLOR` is unset or
    /// empty (no-color.org).
    pub fn detect(stdout_is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> Self {
        Self {
            color: stdout_is_terminal && no_color.is_none_or(|v| v.is_empty()),
        }
    }

    /// Headings and card titles, on a line of their own.
    fn bold(self, s: &str) -> String {
        if self.color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    /// A `**bold**` span inside a line: plain text keeps the markers.
    fn strong(self, s: &str) -> String {
        if self.color {
            self.bold(s)
        } else {
            format!("**{s}**")
        }
    }

    fn code(self, s: &str) -> String {
        if self.color {
            format!("\x1b[36m{s}\x1b[0m")
        } else {
            format!("`{s}`")
        }
    }

    pub fn dim(self, s: &str) -> String {
        if self.color {
            format!("\x1b[2m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }
}

/// Renders a message; buttons (and dtmd links in the text) are numbered
/// from `first`, and returned so the user can pick them by number.
pub fn render(m: &Message, style: Style, first: usize) -> (String, Vec<Button>) {
    let mut buttons = Vec::new();
    let mut out = match m {
        Message::Text { content } => content.clone(),
        Message::Markdown { text, .. } => markdown(text, style, first, &mut buttons),
        Message::ActionCard {
            title,
            text,
            buttons: card,
        } => {
            let mut body = markdown(text, style, first, &mut buttons);
            if !text.contains(title.as_str()) {
                body = format!("{}\n{body}", style.bold(title));
            }
            for b in card {
                buttons.push(b.clone());
                body.push_str(&format!("\n  [{}] {}", first + buttons.len() - 1, b.title));
            }
            body
        }
    };
    while out.ends_with('\n') {
        out.pop();
    }
    (out, buttons)
}

/// DingTalk markdown to plain lines: headings and bold as bold, links as
/// their text, dtmd links as numbered choices.
fn markdown(text: &str, style: Style, first: usize, buttons: &mut Vec<Button>) -> String {
    let mut lines = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_end();
        let heading = trimmed.trim_start_matches('#');
        let line = if heading.len() < trimmed.len() && heading.starts_with(' ') {
            style.bold(heading.trim())
        } else {
            inline(trimmed, style, first, buttons)
        };
        lines.push(line);
    }
    lines.join("\n")
}

fn inline(line: &str, style: Style, first: usize, buttons: &mut Vec<Button>) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('[') {
        let Some(close) = rest[start..].find("](").map(|i| start + i) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else {
            break;
        };
        out.push_str(&bolds(&rest[..start], style));
        let label = &rest[start + 1..close];
        let url = &rest[close + 2..end];
        match dtmd_text(url) {
            Some(reply) => {
                buttons.push(Button::new(label, reply));
                out.push_str(&format!("[{}] {label}", first + buttons.len() - 1));
            }
            None => out.push_str(&format!("{label} ({url})")),
        }
        rest = &rest[end + 1..];
    }
    out.push_str(&bolds(rest, style));
    out
}

/// `**bold**` and `` `code` `` spans, styled (their markers dropped) or
/// left as typed.
fn bolds(s: &str, style: Style) -> String {
    if !style.color {
        return s.to_owned();
    }
    styled(&styled(s, "**", |p| style.strong(p)), "`", |p| {
        style.code(p)
    })
}

fn styled(s: &str, marker: &str, f: impl Fn(&str) -> String) -> String {
    let parts: Vec<&str> = s.split(marker).collect();
    if parts.len() < 3 {
        return s.to_owned();
    }
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        // An unpaired last marker stays as typed.
        if i % 2 == 1 && i + 1 < parts.len() {
            out.push_str(&f(p));
        } else {
            if i % 2 == 1 {
                out.push_str(marker);
            }
            out.push_str(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dingtalk::message::{dtmd_link, webhook_body};

    const PLAIN: Style = Style { color: false };

    #[test]
    fn webhook_bodies_round_trip_to_messages() {
        let card = Message::card(
            "T",
            "body",
            vec![
                Button::new("OK", "确认 #3"),
                Button::new("Done", "完成 #3 1"),
            ],
        );
        assert_eq!(from_webhook(&webhook_body(&card, None)), Some(card));
        let single = Message::card("T", "body", vec![Button::new("OK", "ack 1")]);
        assert_eq!(from_webhook(&webhook_body(&single, None)), Some(single));
        let text = Message::text("hi");
        assert_eq!(from_webhook(&webhook_body(&text, Some("u"))), Some(text));
    }

    #[test]
    fn markdown_becomes_plain_text_with_numbered_links() {
        let md = format!(
            "### 标题\n- **重要** `ack` 事项 [帮助](https://x.y/z)\n[确认]({})",
            dtmd_link("确认 #3")
        );
        let (out, buttons) = render(&Message::markdown("t", md), PLAIN, 1);
        assert_eq!(
            out,
            "标题\n- **重要** `ack` 事项 帮助 (https://x.y/z)\n[1] 确认"
        );
        assert_eq!(buttons, vec![Button::new("确认", "确认 #3")]);
    }

    #[test]
    fn help_lines_keep_the_command_apart_from_its_description() {
        let md = "- **notice new [exit] TITLE** Create a notice";
        let (plain, _) = render(&Message::markdown("t", md), PLAIN, 1);
        assert_eq!(plain, "- **notice new [exit] TITLE** Create a notice");
        let (ansi, _) = render(&Message::markdown("t", md), Style { color: true }, 1);
        assert_eq!(
            ansi,
            "- \x1b[1mnotice new [exit] TITLE\x1b[0m Create a notice"
        );
        let (code, _) = render(
            &Message::markdown("t", "run `ack`"),
            Style { color: true },
            1,
        );
        assert_eq!(code, "run \x1b[36mack\x1b[0m");
    }

    #[test]
    fn styling_needs_a_terminal_and_no_no_color() {
        use std::ffi::OsStr;
        assert!(Style::detect(true, None).color);
        assert!(Style::detect(true, Some(OsStr::new(""))).color);
        assert!(!Style::detect(true, Some(OsStr::new("1"))).color);
        assert!(!Style::detect(false, None).color);
    }

    #[test]
    fn card_buttons_continue_the_numbering() {
        let m = Message::card(
            "Notice",
            "Read this",
            vec![Button::new("A", "答 A #1"), Button::new("B", "答 B #1")],
        );
        let (out, buttons) = render(&m, PLAIN, 3);
        assert_eq!(out, "Notice\nRead this\n  [3] A\n  [4] B");
        assert_eq!(buttons.len(), 2);
    }
}
