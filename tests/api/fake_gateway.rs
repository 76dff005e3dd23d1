//! A fake DingTalk Stream gateway on loopback (PROTOCOL.md §6), behaving as
//! DingTalk's does, not as the client would like: `connections/open` (on the
//! test's fake OpenAPI) checks the client id, the secret and the
//! subscriptions and hands out a ticket that is valid for 90 s and one
//! WebSocket only; the WebSocket (on its own port) refuses a missing, reused
//! or unknown ticket at the handshake, sends frames as JSON text with string
//! headers and a string `data`, answers WebSocket pings only while it reads,
//! and records every ack. Tests steer it per connection: frames, an abrupt
//! close (no close frame), a zombie connection that neither reads nor
//! answers.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::fake_dingtalk::APP_KEY;
use crate::helpers::SECRET;

/// The robot-message topic.
pub const ROBOT_TOPIC: &str = "/v1.0/im/bot/messages/get";

/// How long a ticket is valid (DingTalk: 90 s).
const TICKET_TTL: Duration = Duration::from_secs(90);

#[derive(Default)]
struct State {
    /// Ticket → when it was issued and whether a WebSocket used it.
    tickets: HashMap<String, (Instant, bool)>,
    opens: u64,
    refused: u64,
    refuse: bool,
    zombie_next: bool,
    bad_handshakes: u64,
    /// What the fake saw that DingTalk would not accept.
    violations: Vec<String>,
}

/// Handle on the fake gateway; cheap to clone.
#[derive(Clone)]
pub struct FakeGateway {
    state: Arc<Mutex<State>>,
    conns: Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<Conn>>>,
}

impl FakeGateway {
    /// Starts the WebSocket listener and mounts `connections/open` on `fake`.
    pub async fn start(fake: &MockServer) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let endpoint = format!("ws://{}/connect", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(accept_loop(listener, state.clone(), tx));
        let open_state = state.clone();
        Mock::given(method("POST"))
            .and(path("/v1.0/gateway/connections/open"))
            .respond_with(move |req: &wiremock::Request| open(&open_state, &endpoint, req))
            .mount(fake)
            .await;
        Self {
            state,
            conns: Arc::new(tokio::sync::Mutex::new(rx)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("gateway state")
    }

    /// The next WebSocket a client opened (panics after `within`).
    pub async fn connection(&self, within: Duration) -> Conn {
        let mut rx = self.conns.lock().await;
        tokio::time::timeout(within, rx.recv())
            .await
            .expect("no Stream connection in time")
            .expect("gateway stopped")
    }

    /// Whether a client opens another WebSocket within `within`.
    pub async fn no_connection(&self, within: Duration) -> bool {
        let mut rx = self.conns.lock().await;
        tokio::time::timeout(within, rx.recv()).await.is_err()
    }

    /// Refuse the credentials from now on (or stop refusing).
    pub fn refuse(&self, on: bool) {
        self.lock().refuse = on;
    }

    /// The next WebSocket neither reads nor answers (a zombie).
    pub fn zombie_next(&self) {
        self.lock().zombie_next = true;
    }

    /// Successful `connections/open` calls.
    pub fn opens(&self) -> u64 {
        self.lock().opens
    }

    /// Refused `connections/open` calls.
    pub fn refused(&self) -> u64 {
        self.lock().refused
    }

    /// Handshakes refused for a missing, unknown, expired or reused ticket.
    pub fn bad_handshakes(&self) -> u64 {
        self.lock().bad_handshakes
    }

    /// Requests DingTalk would have rejected.
    pub fn violations(&self) -> Vec<String> {
        self.lock().violations.clone()
    }
}

fn open(state: &Mutex<State>, endpoint: &str, req: &wiremock::Request) -> ResponseTemplate {
    let mut s = state.lock().expect("gateway state");
    let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
    let accept = req.headers.get("accept").and_then(|v| v.to_str().ok());
    if accept != Some("application/json") {
        s.violations.push(format!("Accept header {accept:?}"));
    }
    let subs = body["subscriptions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for (t, topic) in [("EVENT", "*"), ("CALLBACK", ROBOT_TOPIC)] {
        if !subs.contains(&json!({"type": t, "topic": topic})) {
            s.violations
                .push(format!("missing subscription {t} {topic}"));
        }
    }
    if !body["ua"]
        .as_str()
        .is_some_and(|ua| ua.starts_with("dingwarden/"))
    {
        s.violations.push(format!("ua {}", body["ua"]));
    }
    let good = body["clientId"] == APP_KEY && body["clientSecret"] == SECRET;
    if s.refuse || !good {
        s.refused += 1;
        return ResponseTemplate::new(401).set_body_json(json!({
            "code": "InvalidAuthentication",
            "message": "clientId or clientSecret is not valid",
            "requestid": uuid::Uuid::new_v4().to_string(),
        }));
    }
    s.opens += 1;
    let ticket = uuid::Uuid::new_v4().to_string();
    s.tickets.insert(ticket.clone(), (Instant::now(), false));
    ResponseTemplate::new(200).set_body_json(json!({"endpoint": endpoint, "ticket": ticket}))
}

async fn accept_loop(
    listener: TcpListener,
    state: Arc<Mutex<State>>,
    conns: mpsc::UnboundedSender<Conn>,
) {
    while let Ok((tcp, _)) = listener.accept().await {
        let state = state.clone();
        let conns = conns.clone();
        tokio::spawn(async move {
            let mut ticket = String::new();
            #[expect(
                clippy::result_large_err,
                reason = "tungstenite's handshake callback type"
            )]
            let check = |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
                match take_ticket(&state, req) {
                    Some(t) => {
                        ticket = t;
                        Ok(resp)
                    }
                    None => {
                        let mut e = ErrorResponse::new(Some("invalid ticket".into()));
                        *e.status_mut() =
                            tokio_tungstenite::tungstenite::http::StatusCode::UNAUTHORIZED;
                        Err(e)
                    }
                }
            };
            let Ok(ws) = tokio_tungstenite::accept_hdr_async(tcp, check).await else {
                return;
            };
            let zombie = std::mem::take(&mut state.lock().expect("gateway state").zombie_next);
            let (cmds, cmd_rx) = mpsc::channel(64);
            let (acks, ack_rx) = mpsc::unbounded_channel();
            let (closed_tx, closed) = watch::channel(false);
            tokio::spawn(serve(ws, zombie, cmd_rx, acks, closed_tx));
            let _ = conns.send(Conn {
                ticket,
                cmds,
                acks: ack_rx,
                seen: Vec::new(),
                closed,
                seq: AtomicU64::new(0),
            });
        });
    }
}

/// The ticket of a handshake, when it is known, fresh and unused (then used).
fn take_ticket(state: &Mutex<State>, req: &Request) -> Option<String> {
    let mut s = state.lock().expect("gateway state");
    let url = url::Url::parse(&format!("ws://x{}", req.uri())).ok()?;
    let ticket = url
        .query_pairs()
        .find(|(k, _)| k == "ticket")
        .map(|(_, v)| v.into_owned());
    let fresh = url.path() == "/connect"
        && ticket.as_ref().is_some_and(|t| {
            s.tickets
                .get(t)
                .is_some_and(|(at, used)| !used && at.elapsed() < TICKET_TTL)
        });
    if !fresh {
        s.bad_handshakes += 1;
        return None;
    }
    let ticket = ticket?;
    s.tickets.get_mut(&ticket)?.1 = true;
    Some(ticket)
}

enum Cmd {
    Send(String),
    /// Drop the TCP connection without a close frame.
    Abort,
}

async fn serve(
    mut ws: tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>,
    zombie: bool,
    mut cmds: mpsc::Receiver<Cmd>,
    acks: mpsc::UnboundedSender<Value>,
    closed: watch::Sender<bool>,
) {
    loop {
        tokio::select! {
            cmd = cmds.recv() => match cmd {
                Some(Cmd::Send(text)) => {
                    if ws.send(Message::text(text)).await.is_err() {
                        break;
                    }
                }
                Some(Cmd::Abort) | None => return,
            },
            // A zombie never reads: no pongs, no acks, no close noticed.
            msg = ws.next(), if !zombie => match msg {
                Some(Ok(Message::Text(t))) => {
                    let v = serde_json::from_str(t.as_str()).unwrap_or_else(|_| json!({"unparsable": t.as_str()}));
                    let _ = acks.send(v);
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
                Some(Ok(_)) => {}
            },
        }
    }
    let _ = closed.send(true);
}

/// One client connection, as the gateway sees it.
pub struct Conn {
    /// The ticket it was opened with.
    pub ticket: String,
    cmds: mpsc::Sender<Cmd>,
    acks: mpsc::UnboundedReceiver<Value>,
    seen: Vec<Value>,
    closed: watch::Receiver<bool>,
    seq: AtomicU64,
}

impl Conn {
    fn next_id(&self) -> String {
        let n = self.seq.fetch_add(1, Ordering::Relaxed);
        format!("{}_{n}", &self.ticket[..8])
    }

    fn headers(&self, topic: &str, message_id: &str) -> Value {
        json!({
            "appId": "1305d5f5-app", "connectionId": self.ticket,
            "contentType": "application/json", "messageId": message_id,
            "time": chrono::Utc::now().timestamp_millis().to_string(), "topic": topic,
        })
    }

    /// Sends raw text as a frame.
    pub async fn send_raw(&self, text: String) {
        self.cmds
            .send(Cmd::Send(text))
            .await
            .expect("connection task");
    }

    /// Sends a frame of `frame_type` with `headers` and `data` (a string).
    pub async fn send(&self, frame_type: &str, headers: Value, data: &str) {
        let frame =
            json!({"specVersion": "1.0", "type": frame_type, "headers": headers, "data": data});
        self.send_raw(frame.to_string()).await;
    }

    /// Delivers a robot message (the HTTP callback body) under a new frame id.
    pub async fn message(&self, body: &Value) -> String {
        let id = self.next_id();
        self.send(
            "CALLBACK",
            self.headers(ROBOT_TOPIC, &id),
            &body.to_string(),
        )
        .await;
        id
    }

    /// Delivers an organisation event.
    pub async fn event(&self, event_type: &str, event_id: &str, data: &Value) -> String {
        let id = self.next_id();
        let mut headers = self.headers(event_type, &id);
        headers["eventType"] = json!(event_type);
        headers["eventId"] = json!(event_id);
        headers["eventCorpId"] = json!("dingcorp");
        headers["eventBornTime"] = json!("1685501863357");
        headers["eventUnifiedAppId"] = json!("app-unified");
        self.send("EVENT", headers, &data.to_string()).await;
        id
    }

    /// A SYSTEM frame (`ping`, `disconnect`, …).
    pub async fn system(&self, topic: &str, data: &Value) -> String {
        let id = self.next_id();
        self.send("SYSTEM", self.headers(topic, &id), &data.to_string())
            .await;
        id
    }

    /// The ack of frame `message_id`, waiting at most `within`.
    pub async fn ack(&mut self, message_id: &str, within: Duration) -> Value {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if let Some(i) = self
                .seen
                .iter()
                .position(|a| a["headers"]["messageId"] == message_id)
            {
                return self.seen.remove(i);
            }
            match tokio::time::timeout_at(deadline, self.acks.recv()).await {
                Ok(Some(v)) => self.seen.push(v),
                _ => panic!(
                    "no ack for {message_id} within {within:?}; got {:?}",
                    self.seen
                ),
            }
        }
    }

    /// Every ack received within `within` that was not taken yet.
    pub async fn other_acks(&mut self, within: Duration) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + within;
        while let Ok(Some(v)) = tokio::time::timeout_at(deadline, self.acks.recv()).await {
            self.seen.push(v);
        }
        std::mem::take(&mut self.seen)
    }

    /// Whether the client closed this connection within `within`.
    pub async fn closed_by_client(&mut self, within: Duration) -> bool {
        tokio::time::timeout(within, self.closed.wait_for(|c| *c))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// Drops the TCP connection without a close frame.
    pub async fn abort(&self) {
        let _ = self.cmds.send(Cmd::Abort).await;
    }
}
