//! `dingwarden chat`: talk to a running instance as DingTalk would. Each line
//! is sent as a signed robot callback; replies arrive at a loopback
//! sessionWebhook this client serves; against `serve --dev` it also shows
//! what the dev sink received for the user. Buttons are numbered choices.

mod devfile;
mod input;
mod link;
mod render;

use std::io::IsTerminal as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use tokio::sync::mpsc;

use self::input::{ClientCommand, Continuation, Editor, Input};
use self::link::{Link, Reload, SendError, Session};
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

/// Runs the interactive session until Ctrl-D or `:quit`.
pub fn run(args: ChatArgs) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut editor = Editor::new().context("open the terminal")?;
    editor.set_helper(Some(Continuation));
    let printer = if std::io::stdin().is_terminal() {
        editor.create_external_printer().ok()
    } else {
        None
    };
    rt.block_on(session(args, editor, printer))
}

/// Prints above the prompt when the terminal allows it.
struct Out {
    printer: Option<Box<dyn rustyline::ExternalPrinter + Send>>,
    style: Style,
    buttons: Vec<Button>,
    /// Piped input is not echoed by a terminal; show it so transcripts read well.
    echo: Option<String>,
}

impl Out {
    fn new(printer: Option<Box<dyn rustyline::ExternalPrinter + Send>>, staff_id: &str) -> Self {
        Self {
            printer,
            style: Style::detect(
                std::io::stdout().is_terminal(),
                std::env::var_os("NO_COLOR").as_deref(),
            ),
            buttons: Vec::new(),
            echo: (!std::io::stdin().is_terminal()).then(|| staff_id.to_owned()),
        }
    }

    fn line(&mut self, mut s: String) {
        match self.printer.as_mut() {
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
    editor: Editor,
    printer: Option<impl rustyline::ExternalPrinter + Send + 'static>,
) -> anyhow::Result<()> {
    // Connect before the keyboard thread puts the terminal in raw mode, so
    // an error here leaves it as it was.
    let link = Link::start(args.url.as_deref()).await?;
    let who = Session::new(&args.staff_id, args.name.as_deref(), args.group.as_deref());
    let mut out = Out::new(printer.map(|p| Box::new(p) as Box<_>), &args.staff_id);
    out.line(format!(
        "connected to {} as {} — type 帮助 or help. {CLIENT_HELP}",
        link.base(),
        who.describe()
    ));
    let sink = link.sink_updates(&who.staff_id);
    let mut chat = Chat {
        link,
        who,
        out,
        sink,
    };
    let (input_tx, mut input) = mpsc::unbounded_channel();
    let prompt = Arc::new(Mutex::new(args.staff_id));
    std::thread::spawn(move || input::read_lines(editor, &prompt, &input_tx));
    loop {
        tokio::select! {
            got = input.recv() => match got {
                Some(Input::Line(text)) => {
                    if !chat.handle_line(text.trim()).await {
                        break;
                    }
                }
                Some(Input::Eof) | None => break,
            },
            Some(batch) = chat.sink.recv() => chat.out.messages("[DM via OpenAPI]", &batch),
        }
    }
    // Give in-flight proactive messages a moment to show.
    if let Ok(Some(batch)) = tokio::time::timeout(Duration::from_secs(2), chat.sink.recv()).await {
        chat.out.messages("[DM via OpenAPI]", &batch);
    }
    Ok(())
}

/// The session's state between lines.
struct Chat {
    link: Link,
    who: Session,
    out: Out,
    sink: mpsc::Receiver<Vec<Message>>,
}

impl Chat {
    /// Handles one input line; `false` ends the session.
    async fn handle_line(&mut self, line: &str) -> bool {
        if let Some(name) = &self.out.echo {
            let echoed = format!("{name}› {line}");
            self.out.line(echoed);
        }
        if let Some(cmd) = line.strip_prefix(':') {
            return self.client_command(ClientCommand::parse(cmd));
        }
        let text = match line.parse::<usize>() {
            Ok(n) if (1..=self.out.buttons.len()).contains(&n) => {
                let reply = self.out.buttons[n - 1].reply.clone();
                self.out.line(self.out.style.dim(&format!("→ {reply}")));
                reply
            }
            _ => line.to_owned(),
        };
        if self.send(&text).await {
            let replies = self
                .link
                .replies(
                    &self.who.conversation(),
                    FIRST_REPLY_WAIT,
                    QUIET_AFTER_REPLY,
                )
                .await;
            if replies.is_empty() {
                self.out.line(self.out.style.dim("(no reply)"));
            }
            self.out.messages("bot", &replies);
        }
        true
    }

    /// Sends `text`; when the signature is refused because `serve --dev`
    /// restarted with a new secret, switches to it and sends once more.
    async fn send(&mut self, text: &str) -> bool {
        let err = match self.link.send(&self.who, text).await {
            Ok(()) => return true,
            Err(SendError::Signature(_)) => match self.link.reload() {
                Reload::Switched(note) => {
                    self.out.line(self.out.style.dim(&note));
                    self.sink = self.link.sink_updates(&self.who.staff_id);
                    match self.link.send(&self.who, text).await {
                        Ok(()) => return true,
                        Err(e) => e,
                    }
                }
                Reload::Unchanged(hint) => {
                    self.out.line(format!("could not send: {hint}"));
                    return false;
                }
            },
            Err(e) => e,
        };
        self.out.line(format!("could not send: {err:#}"));
        false
    }

    fn client_command(&mut self, cmd: ClientCommand) -> bool {
        match cmd {
            ClientCommand::Quit => return false,
            ClientCommand::As(id) => {
                self.who = Session::new(&id, None, self.who.group.as_deref());
                if self.out.echo.is_some() {
                    self.out.echo = Some(id);
                }
                self.sink = self.link.sink_updates(&self.who.staff_id);
                self.out.buttons.clear();
            }
            ClientCommand::Group(id) => self.who.group = Some(id),
            ClientCommand::Dm => self.who.group = None,
            ClientCommand::Help => {
                self.out.line(CLIENT_HELP.to_owned());
                return true;
            }
            ClientCommand::Missing(usage) => {
                self.out.line(format!("usage: {usage}"));
                return true;
            }
            ClientCommand::Unknown(cmd) => {
                self.out
                    .line(format!("unknown command {cmd}\n{CLIENT_HELP}"));
                return true;
            }
        }
        self.out.line(format!("now {}", self.who.describe()));
        true
    }
}
