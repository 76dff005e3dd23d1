//! `dingwarden chat`: talk to a running instance as DingTalk would. Each line
//! is sent as a signed robot callback; replies arrive at a loopback
//! sessionWebhook this client serves; against `serve --dev` it also shows
//! what the dev sink received for the user. Buttons are numbered choices.

mod link;
mod render;

use std::io::IsTerminal as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use tokio::sync::mpsc;

use self::link::{Link, Session};
use self::render::{Style, render};
use crate::domain::{Button, Message};

/// Options of `dingwarden chat`.
#[derive(Debug, clap::Args)]
pub struct ChatArgs {
    /// Staff id to act as.
    #[arg(long = "as", value_name = "STAFF_ID", default_value = "alice")]
    pub staff_id: String,
    /// The instance to talk to (default: from ./dingwarden.dev.json, else http://127.0.0.1:8080).
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Display name sent as the sender's nick.
    #[arg(long)]
    pub name: Option<String>,
    /// Talk in a group conversation with this id instead of the 1:1 chat.
    #[arg(long, value_name = "CONVERSATION")]
    pub group: Option<String>,
}

/// How long to wait for the first reply to a message, and for quiet after it.
const FIRST_REPLY_WAIT: Duration = Duration::from_secs(5);
const QUIET_AFTER_REPLY: Duration = Duration::from_millis(300);

const CLIENT_HELP: &str = "client commands: :as STAFF_ID  :group ID  :dm  :help  :quit   \
(a number picks a button; end a line with \\ to continue it)";

/// Lines from the keyboard thread.
enum Input {
    Line(String, std::sync::mpsc::Sender<()>),
    Eof,
}

/// Runs the interactive session until Ctrl-D or `:quit`.
pub fn run(args: ChatArgs) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut editor = rustyline::DefaultEditor::new().context("open the terminal")?;
    let printer = editor.create_external_printer().ok();
    let (input_tx, input_rx) = mpsc::channel(1);
    let prompt_name = Arc::new(Mutex::new(args.staff_id.clone()));
    let shown = prompt_name.clone();
    std::thread::spawn(move || read_lines(editor, &shown, &input_tx));
    rt.block_on(session(args, input_rx, printer, prompt_name))
}

/// Who the prompt shows; `:as` changes it.
type PromptName = Arc<Mutex<String>>;

fn read_lines(mut editor: rustyline::DefaultEditor, name: &PromptName, tx: &mpsc::Sender<Input>) {
    let mut pending = String::new();
    loop {
        let prompt = if pending.is_empty() {
            let name = name.lock().map(|n| n.clone()).unwrap_or_default();
            format!("{name}› ")
        } else {
            "…  ".to_owned()
        };
        match editor.readline(&prompt) {
            Ok(line) => {
                if let Some(head) = line.strip_suffix('\\') {
                    pending.push_str(head);
                    pending.push('\n');
                    continue;
                }
                pending.push_str(&line);
                let text = std::mem::take(&mut pending);
                if text.trim().is_empty() {
                    continue;
                }
                let _ = editor.add_history_entry(text.as_str());
                let (done_tx, done_rx) = std::sync::mpsc::channel();
                if tx.blocking_send(Input::Line(text, done_tx)).is_err() {
                    return;
                }
                // Wait until the replies are printed before prompting again.
                let _ = done_rx.recv();
            }
            Err(rustyline::error::ReadlineError::Interrupted) => pending.clear(),
            Err(_) => {
                let _ = tx.blocking_send(Input::Eof);
                return;
            }
        }
    }
}

/// Prints above the prompt when the terminal allows it.
struct Out {
    printer: Option<Box<dyn rustyline::ExternalPrinter + Send>>,
    style: Style,
    buttons: Vec<Button>,
    /// Piped input is not echoed by a terminal; show it so transcripts read well.
    echo: Option<String>,
    prompt: PromptName,
    /// The keyboard thread shows a prompt: print above it, not into it.
    prompting: bool,
}

impl Out {
    fn line(&mut self, mut s: String) {
        match self.printer.as_mut().filter(|_| self.prompting) {
            Some(p) => {
                // The printer ends lines itself only while the editor is
                // reading; between two prompts it writes the text as is.
                if !s.ends_with('\n') {
                    s.push('\n');
                }
                let _ = p.print(s);
            }
            None => println!("{s}"),
        }
    }

    /// Prints a batch of bot messages; their buttons become the choices.
    fn messages(&mut self, label: &str, messages: &[Message]) {
        let mut buttons = Vec::new();
        for m in messages {
            let (text, mut b) = render(m, self.style, buttons.len() + 1);
            buttons.append(&mut b);
            let head = self.style.dim(label);
            self.line(format!("{head}\n{}\n", indent(&text)));
        }
        if !buttons.is_empty() {
            self.buttons = buttons;
        }
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("  {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

async fn session(
    args: ChatArgs,
    mut input: mpsc::Receiver<Input>,
    printer: Option<impl rustyline::ExternalPrinter + Send + 'static>,
    prompt: PromptName,
) -> anyhow::Result<()> {
    let style = Style {
        color: std::io::stdout().is_terminal(),
    };
    let echo = (!std::io::stdin().is_terminal()).then(|| args.staff_id.clone());
    let mut out = Out {
        printer: printer.map(|p| Box::new(p) as Box<_>),
        style,
        buttons: Vec::new(),
        echo,
        prompt,
        prompting: true,
    };
    let link = Link::start(args.url.as_deref()).await?;
    let mut who = Session::new(&args.staff_id, args.name.as_deref(), args.group.as_deref());
    out.line(format!(
        "connected to {} as {} — type 帮助 or help. {CLIENT_HELP}",
        link.base(),
        who.describe()
    ));
    let mut sink = link.sink_updates(&who.staff_id);
    loop {
        tokio::select! {
            got = input.recv() => match got {
                Some(Input::Line(text, done)) => {
                    out.prompting = false;
                    if !handle_line(&link, &mut who, &mut out, &mut sink, text.trim()).await {
                        break;
                    }
                    out.prompting = true;
                    let _ = done.send(());
                }
                Some(Input::Eof) | None => break,
            },
            Some(batch) = sink.recv() => out.messages("[DM via OpenAPI]", &batch),
        }
    }
    // Give in-flight proactive messages a moment to show.
    if let Ok(Some(batch)) = tokio::time::timeout(Duration::from_secs(2), sink.recv()).await {
        out.messages("[DM via OpenAPI]", &batch);
    }
    Ok(())
}

/// Handles one input line; `false` ends the session.
async fn handle_line(
    link: &Link,
    who: &mut Session,
    out: &mut Out,
    sink: &mut mpsc::Receiver<Vec<Message>>,
    line: &str,
) -> bool {
    if let Some(name) = &out.echo {
        let echoed = format!("{name}› {line}");
        out.line(echoed);
    }
    if let Some(cmd) = line.strip_prefix(':') {
        return client_command(link, who, out, sink, cmd);
    }
    let text = match line.parse::<usize>() {
        Ok(n) if (1..=out.buttons.len()).contains(&n) => {
            let reply = out.buttons[n - 1].reply.clone();
            out.line(out.style.dim(&format!("→ {reply}")));
            reply
        }
        _ => line.to_owned(),
    };
    match link.send(who, &text).await {
        Ok(()) => {
            let replies = link
                .replies(&who.conversation(), FIRST_REPLY_WAIT, QUIET_AFTER_REPLY)
                .await;
            if replies.is_empty() {
                out.line(out.style.dim("(no reply)"));
            }
            out.messages("bot", &replies);
        }
        Err(e) => out.line(format!("could not send: {e:#}")),
    }
    true
}

fn client_command(
    link: &Link,
    who: &mut Session,
    out: &mut Out,
    sink: &mut mpsc::Receiver<Vec<Message>>,
    cmd: &str,
) -> bool {
    let mut words = cmd.split_whitespace();
    match (words.next(), words.next()) {
        (Some("quit" | "q" | "exit"), _) => return false,
        (Some("as"), Some(id)) => {
            *who = Session::new(id, None, who.group.as_deref());
            if out.echo.is_some() {
                out.echo = Some(id.to_owned());
            }
            if let Ok(mut name) = out.prompt.lock() {
                id.clone_into(&mut name);
            }
            *sink = link.sink_updates(&who.staff_id);
            out.buttons.clear();
        }
        (Some("group"), Some(id)) => who.group = Some(id.to_owned()),
        (Some("dm"), _) => who.group = None,
        _ => {
            out.line(CLIENT_HELP.to_owned());
            return true;
        }
    }
    out.line(format!("now {}", who.describe()));
    true
}
