//! The chat client's keyboard: a thread that keeps reading lines while the
//! session waits for replies, so type-ahead is queued rather than lost, and
//! the parsing of `:` client commands.
//!
//! rustyline is built with its `buffer-redux` feature: without it,
//! `readline` drops whatever it read past the end of a line, so the lines of
//! a paste without bracketed paste (all but the first) were lost. Reading
//! continuously keeps typed-ahead lines; a line ending in `\` does not end
//! the `readline` call (the validator asks for more), so a pasted message
//! continued with `\` arrives whole.

use std::sync::{Arc, Mutex};

use rustyline::completion::Completer;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use tokio::sync::mpsc;

/// The line editor the keyboard thread uses.
pub type Editor = rustyline::Editor<Continuation, rustyline::history::DefaultHistory>;

/// Lines from the keyboard thread, in the order they were typed.
pub enum Input {
    Line(String),
    Eof,
}

/// A command to the client itself (a line starting with `:`).
#[derive(Debug, PartialEq, Eq)]
pub enum ClientCommand {
    Quit,
    As(String),
    Group(String),
    Dm,
    Help,
    /// `:as` or `:group` without its argument.
    Missing(&'static str),
    Unknown(String),
}

impl ClientCommand {
    /// Parses the text after `:`.
    pub fn parse(cmd: &str) -> Self {
        let mut words = cmd.split_whitespace();
        match (words.next(), words.next()) {
            (Some("quit" | "q" | "exit"), _) => Self::Quit,
            (Some("as"), Some(id)) => Self::As(id.to_owned()),
            (Some("as"), None) => Self::Missing(":as STAFF_ID"),
            (Some("group"), Some(id)) => Self::Group(id.to_owned()),
            (Some("group"), None) => Self::Missing(":group ID"),
            (Some("dm"), _) => Self::Dm,
            (Some("help" | "h" | "?"), _) => Self::Help,
            _ => Self::Unknown(format!(":{}", cmd.trim())),
        }
    }
}

/// Asks for another line while the input ends with `\`.
pub struct Continuation;

impl Validator for Continuation {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(if continues(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Completer for Continuation {
    type Candidate = String;
}
impl Hinter for Continuation {
    type Hint = String;
}
impl Highlighter for Continuation {}
impl rustyline::Helper for Continuation {}

fn continues(text: &str) -> bool {
    text.trim_end_matches([' ', '\t']).ends_with('\\')
}

/// One message from what the editor returned: a `\` ending a line joins it
/// to the next (the backslash is dropped, the line break kept).
pub fn join_continued(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let last = lines.len().saturating_sub(1);
    lines
        .iter()
        .enumerate()
        .map(|(i, line)| match line.trim_end_matches([' ', '\t']) {
            l if i < last && l.ends_with('\\') => &l[..l.len() - 1],
            _ => *line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Who the prompt shows; `:as` changes it.
pub type PromptName = Arc<Mutex<String>>;

/// Reads lines until end of input or `:quit`, never waiting for the session,
/// so nothing typed meanwhile is dropped.
pub fn read_lines(mut editor: Editor, name: &PromptName, tx: &mpsc::UnboundedSender<Input>) {
    loop {
        let prompt = format!("{}› ", name.lock().map(|n| n.clone()).unwrap_or_default());
        match editor.readline(&prompt) {
            Ok(raw) => {
                let text = join_continued(&raw);
                if text.trim().is_empty() {
                    continue;
                }
                let _ = editor.add_history_entry(raw.as_str());
                let command = text.trim().strip_prefix(':').map(ClientCommand::parse);
                if let (Some(ClientCommand::As(id)), Ok(mut shown)) = (&command, name.lock()) {
                    id.clone_into(&mut shown);
                }
                if tx.send(Input::Line(text)).is_err() {
                    return;
                }
                // Stop reading so the terminal leaves raw mode before exit.
                if command == Some(ClientCommand::Quit) {
                    return;
                }
            }
            Err(rustyline::error::ReadlineError::Interrupted) => {}
            Err(_) => {
                let _ = tx.send(Input::Eof);
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backslash_continues_a_line_and_is_dropped() {
        assert!(continues("notice new exit T\\"));
        assert!(continues("a\\  "));
        assert!(!continues("a\\\nb"));
        assert_eq!(
            join_continued("notice new exit T\\\n- [ ] a \\\n截止: 2026-12-31"),
            "notice new exit T\n- [ ] a \n截止: 2026-12-31"
        );
        // A bracketed paste without backslashes keeps its lines as they are.
        assert_eq!(join_continued("a\nb"), "a\nb");
        assert_eq!(join_continued("ends with \\"), "ends with \\");
    }

    #[test]
    fn client_commands_parse_and_name_what_is_unknown() {
        assert_eq!(ClientCommand::parse("q"), ClientCommand::Quit);
        assert_eq!(
            ClientCommand::parse("as bob"),
            ClientCommand::As("bob".into())
        );
        assert_eq!(
            ClientCommand::parse("group g1"),
            ClientCommand::Group("g1".into())
        );
        assert_eq!(ClientCommand::parse("dm"), ClientCommand::Dm);
        assert_eq!(ClientCommand::parse("help"), ClientCommand::Help);
        assert_eq!(
            ClientCommand::parse("as"),
            ClientCommand::Missing(":as STAFF_ID")
        );
        assert_eq!(
            ClientCommand::parse("foo"),
            ClientCommand::Unknown(":foo".into())
        );
        assert_eq!(ClientCommand::parse(""), ClientCommand::Unknown(":".into()));
    }
}
