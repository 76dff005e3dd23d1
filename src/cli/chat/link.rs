//! The chat client's connection: signs and sends callbacks like DingTalk,
//! serves a loopback sessionWebhook for the replies, and polls the dev sink.

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

use super::render::from_webhook;
use crate::app::DEV_FILE;
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
    base: String,
    secret: String,
    webhook: String,
    inbox: Arc<Inbox>,
}

#[derive(Deserialize)]
struct DevFile {
    url: String,
    app_secret: String,
}

#[derive(Deserialize)]
struct SessionQuery {
    session: String,
}

impl Link {
    /// Finds the instance and its secret, and starts the loopback webhook.
    pub async fn start(url: Option<&str>) -> anyhow::Result<Self> {
        let dev: Option<DevFile> = std::fs::read(DEV_FILE)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        let secret = crate::config::client_app_secret()
            .or_else(|| dev.as_ref().map(|d| d.app_secret.clone()))
            .context(format!("no app secret: set DINGTALK_APP_SECRET or run `serve --dev` here (it writes {DEV_FILE})"))?;
        let base = url
            .map(str::to_owned)
            .or_else(|| dev.as_ref().map(|d| d.url.clone()))
            .unwrap_or_else(|| "http://127.0.0.1:8080".to_owned());
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
            .build()?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            secret,
            webhook,
            inbox,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Sends `text` as a signed robot callback.
    pub async fn send(&self, who: &Session, text: &str) -> anyhow::Result<()> {
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
            .post(format!("{}/dingtalk/robot", self.base))
            .header("timestamp", &ts)
            .header("sign", sign(&self.secret, &ts))
            .json(&body)
            .send()
            .await
            .with_context(|| format!("is dingwarden running at {}?", self.base))?;
        if !resp.status().is_success() {
            let status = resp.status();
            let err: Value = resp.json().await.unwrap_or_default();
            anyhow::bail!(
                "HTTP {status}: {}",
                err["message"].as_str().unwrap_or("no details")
            );
        }
        Ok(())
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
    /// every second; stops quietly when the instance has no dev sink.
    pub fn sink_updates(&self, staff_id: &str) -> mpsc::Receiver<Vec<Message>> {
        let (tx, rx) = mpsc::channel(16);
        let (http, url) = (self.http.clone(), format!("{}/dev/sink", self.base));
        let staff_id = staff_id.to_owned();
        tokio::spawn(async move {
            let mut after = 0;
            loop {
                let Some(entries) = fetch(&http, &url, &staff_id, after).await else {
                    return;
                };
                if let Some(last) = entries.last() {
                    after = last.seq;
                    let batch = entries.into_iter().map(|e| e.message).collect();
                    if tx.send(batch).await.is_err() {
                        return;
                    }
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
        rx
    }
}

async fn fetch(
    http: &reqwest::Client,
    url: &str,
    staff_id: &str,
    after: u64,
) -> Option<Vec<SinkEntry>> {
    let resp = http
        .get(url)
        .query(&[("staff_id", staff_id), ("after", &after.to_string())])
        .send()
        .await
        .ok()?;
    if !resp.status().is_success() {
        return None;
    }
    resp.json().await.ok()
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
