//! The chat client's connection: signs and sends callbacks like DingTalk,
//! serves a loopback sessionWebhook for the replies, and polls the dev sink.
//! A signature refused after `serve --dev` restarted is recovered from by
//! re-reading the dev file ([`Link::reload`]).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use axum::Json;
use axum::extract::{Query, State};
use axum::routing::post;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc};

use super::devfile::{self, Target};
use super::render::from_webhook;
use crate::devsink::SinkEntry;
use crate::dingtalk::signature::sign;
use crate::domain::Message;

/// Who the client speaks as, and where.
pub struct Session {
    pub staff_id: String,
    pub nick: String,
    pub group: Option<String>,
}

impl Session {
    pub fn new(staff_id: &str, nick: Option<&str>, group: Option<&str>) -> Self {
        Self {
            staff_id: staff_id.to_owned(),
            nick: nick.unwrap_or(staff_id).to_owned(),
            group: group.map(str::to_owned),
        }
    }

    /// The conversation id callbacks carry.
    pub fn conversation(&self) -> String {
        self.group
            .clone()
            .unwrap_or_else(|| format!("cid-chat-{}", self.staff_id))
    }

    pub fn describe(&self) -> String {
        match &self.group {
            Some(g) => format!("{} in group {g}", self.staff_id),
            None => format!("{} (1:1 chat)", self.staff_id),
        }
    }
}

#[derive(Default)]
struct Inbox {
    by_conversation: Mutex<HashMap<String, VecDeque<Value>>>,
    arrived: Notify,
}

pub struct Link {
    http: reqwest::Client,
    target: Target,
    webhook: String,
    inbox: Arc<Inbox>,
}

/// Why a callback was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The server refused the signature: the secret is out of date.
    #[error("HTTP 401 Unauthorized: {0}")]
    Signature(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// What re-reading the dev file did.
pub enum Reload {
    /// Switched to a new secret or URL; the line says which.
    Switched(String),
    /// Nothing newer: the line says what to do.
    Unchanged(String),
}

/// Fails at once, saying so, when nothing answers at `base` (rather than
/// greeting with "connected" and failing on the first line typed). Any HTTP
/// answer will do: the callbacks themselves show whether it is dingwarden.
async fn probe(http: &reqwest::Client, base: &str) -> anyhow::Result<()> {
    let url = format!("{base}/healthz");
    match http.get(&url).timeout(Duration::from_secs(5)).send().await {
        Ok(_) => Ok(()),
        Err(e) => {
            let why = if e.is_timeout() {
                "no answer within 5 seconds"
            } else if e.is_connect() {
                "nothing is listening there"
            } else {
                "the request failed"
            };
            anyhow::bail!(
                "cannot connect to {base}: {why} (is `dingwarden serve --dev` running? \
                 `--url` picks another address)"
            )
        }
    }
}

#[derive(Deserialize)]
struct SessionQuery {
    session: String,
}

impl Link {
    /// Finds the instance and its secret, and starts the loopback webhook.
    pub async fn start(url: Option<&str>) -> anyhow::Result<Self> {
        let target = Target::find(url, crate::config::client_app_secret(), devfile::read())?;
        let inbox = Arc::new(Inbox::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .context("bind loopback webhook")?;
        let webhook = format!("http://{}/robot/sendBySession", listener.local_addr()?);
        let app = axum::Router::new()
            .route("/robot/sendBySession", post(receive))
            .with_state(inbox.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            // A redirect is a failed call: never follow one (issue 12).
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        probe(&http, &target.base).await?;
        Ok(Self {
            http,
            target,
            webhook,
            inbox,
        })
    }

    pub fn base(&self) -> &str {
        &self.target.base
    }

    /// After [`SendError::Signature`]: takes a new secret (or URL) from the
    /// dev file if `serve --dev` restarted since.
    pub fn reload(&mut self) -> Reload {
        match self.target.refreshed(devfile::read().as_ref()) {
            Some(next) => {
                let note = self.target.switch_note(&next);
                self.target = next;
                Reload::Switched(note)
            }
            None => Reload::Unchanged(self.target.stale_hint()),
        }
    }

    /// Sends `text` as a signed robot callback.
    pub async fn send(&self, who: &Session, text: &str) -> Result<(), SendError> {
        let now = Utc::now().timestamp_millis();
        let conv = who.conversation();
        let mut body = json!({
            "msgtype": "text", "text": {"content": text},
            "msgId": format!("chat{}", uuid::Uuid::new_v4().simple()),
            "conversationType": "1", "conversationId": conv,
            "senderStaffId": who.staff_id, "senderNick": who.nick,
            "senderId": format!("$:LWCP_v1:${}", who.staff_id),
            "chatbotUserId": "$:LWCP_v1:$dingwarden", "robotCode": "dingwarden-dev",
            "sessionWebhook": format!("{}?session={conv}", self.webhook),
            "sessionWebhookExpiredTime": now + 90 * 60 * 1000, "createAt": now,
        });
        if let Some(g) = &who.group {
            body["conversationType"] = json!("2");
            body["conversationTitle"] = json!(g);
            body["isInAtList"] = json!(true);
        }
        let ts = now.to_string();
        let resp = self
            .http
            .post(format!("{}/dingtalk/robot", self.target.base))
            .header("timestamp", &ts)
            .header("sign", sign(&self.target.secret, &ts))
            .json(&body)
            .send()
            .await
            .with_context(|| format!("is dingwarden running at {}?", self.target.base))?;
        let status = resp.status();
        if status.is_success() {
            return Ok(());
        }
        let err: Value = resp.json().await.unwrap_or_default();
        let message = err["message"].as_str().unwrap_or("no details").to_owned();
        if status == reqwest::StatusCode::UNAUTHORIZED && err["error"] == "bad_signature" {
            return Err(SendError::Signature(message));
        }
        Err(anyhow::anyhow!("HTTP {status}: {message}").into())
    }

    /// Replies posted to `conversation`: waits up to `first` for one, then
    /// until `quiet` passes without another.
    pub async fn replies(
        &self,
        conversation: &str,
        first: Duration,
        quiet: Duration,
    ) -> Vec<Message> {
        let mut got = Vec::new();
        let mut wait = first;
        loop {
            let notified = self.inbox.arrived.notified();
            let taken: Vec<Value> = {
                let mut map = self.inbox.by_conversation.lock().expect("inbox lock");
                map.get_mut(conversation)
                    .map(|q| q.drain(..).collect())
                    .unwrap_or_default()
            };
            if !taken.is_empty() {
                got.extend(taken.iter().filter_map(from_webhook));
                wait = quiet;
                continue;
            }
            if tokio::time::timeout(wait, notified).await.is_err() {
                return got;
            }
        }
    }

    /// Dev-sink messages for `staff_id` (those already there first), polled
    /// every second until the receiver is dropped; stops quietly when the
    /// instance has no dev sink, and starts over when it was unreachable (a
    /// restarted `serve --dev` has a new, empty sink).
    pub fn sink_updates(&self, staff_id: &str) -> mpsc::Receiver<Vec<Message>> {
        let (tx, rx) = mpsc::channel(16);
        let (http, url) = (self.http.clone(), format!("{}/dev/sink", self.target.base));
        let staff_id = staff_id.to_owned();
        tokio::spawn(async move {
            let mut after = 0;
            while !tx.is_closed() {
                match fetch(&http, &url, &staff_id, after).await {
                    Poll::NoSink => return,
                    Poll::Unreachable => after = 0,
                    Poll::Entries(entries) => {
                        if let Some(last) = entries.last() {
                            after = last.seq;
                            let batch = entries.into_iter().map(|e| e.message).collect();
                            if tx.send(batch).await.is_err() {
                                return;
                            }
                        }
                    }
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
        rx
    }
}

enum Poll {
    Entries(Vec<SinkEntry>),
    NoSink,
    Unreachable,
}

async fn fetch(http: &reqwest::Client, url: &str, staff_id: &str, after: u64) -> Poll {
    let sent = http
        .get(url)
        .query(&[("staff_id", staff_id), ("after", &after.to_string())])
        .send()
        .await;
    match sent {
        Err(_) => Poll::Unreachable,
        Ok(resp) if !resp.status().is_success() => Poll::NoSink,
        Ok(resp) => resp.json().await.map_or(Poll::NoSink, Poll::Entries),
    }
}

async fn receive(
    State(inbox): State<Arc<Inbox>>,
    Query(q): Query<SessionQuery>,
    Json(body): Json<Value>,
) -> Json<Value> {
    inbox
        .by_conversation
        .lock()
        .expect("inbox lock")
        .entry(q.session)
        .or_default()
        .push_back(body);
    inbox.arrived.notify_waiters();
    Json(json!({"errcode": 0, "errmsg": "ok"}))
}
