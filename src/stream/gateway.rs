//! Reaching DingTalk's Stream gateway (PROTOCOL.md §6.1–§6.2): register a
//! connection with `POST {DINGTALK_API_BASE}/v1.0/gateway/connections/open`
//! (client id and the first app secret, our subscriptions) for an endpoint
//! and a one-use ticket, then open the WebSocket at `endpoint?ticket=…`.
//! TLS is rustls with the ring provider and the webpki roots, as reqwest's.

use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};
use url::Url;

use crate::config::Config;
use crate::stream::frame::ROBOT_TOPIC;

/// An open Stream WebSocket.
pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// How long the WebSocket handshake (TCP, TLS, upgrade) may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Largest frame accepted from the gateway (robot messages are a few KiB).
const MAX_FRAME_BYTES: usize = 1 << 20;

/// Where to connect, with a ticket valid for one connection.
#[derive(Deserialize)]
pub struct Ticket {
    pub endpoint: String,
    pub ticket: String,
}

impl std::fmt::Debug for Ticket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The ticket is a credential for 90 s: never printed.
        f.debug_struct("Ticket")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

/// Why no connection could be opened. The texts name no secret.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// DingTalk answered `connections/open` with a 4xx: wrong credentials,
    /// or Stream mode is not enabled for the app.
    #[error("DingTalk refused the credentials (HTTP {status}{detail})")]
    Refused { status: u16, detail: String },
    /// DingTalk answered with a 5xx.
    #[error("the gateway is unavailable (HTTP {status}{detail})")]
    Unavailable { status: u16, detail: String },
    /// No answer at all: DNS, TCP, TLS, timeout.
    #[error("the gateway is unreachable: {0}")]
    Unreachable(String),
    /// An answer without an endpoint and a ticket, or an endpoint that is not ws(s).
    #[error("the gateway gave an unusable answer: {0}")]
    BadAnswer(String),
    /// The WebSocket itself could not be opened.
    #[error("the WebSocket could not be opened: {0}")]
    WebSocket(String),
}

impl OpenError {
    /// The metric label.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Refused { .. } => "refused",
            Self::Unavailable { .. } => "unavailable",
            Self::Unreachable(_) => "unreachable",
            Self::BadAnswer(_) => "bad_answer",
            Self::WebSocket(_) => "websocket",
        }
    }
}

/// Registers a connection: one ticket, for one WebSocket.
pub async fn open(http: &reqwest::Client, config: &Config) -> Result<Ticket, OpenError> {
    let url = config
        .api_base
        .join("v1.0/gateway/connections/open")
        .map_err(|e| OpenError::BadAnswer(e.to_string()))?;
    let mut body = json!({
        "clientId": config.app_key,
        "clientSecret": config.primary_secret(),
        "subscriptions": [
            {"type": "EVENT", "topic": "*"},
            {"type": "CALLBACK", "topic": ROBOT_TOPIC},
        ],
        "ua": concat!("dingwarden/", env!("CARGO_PKG_VERSION")),
    });
    if let Some(ip) = local_ip(&config.api_base).await {
        body["localIp"] = json!(ip);
    }
    let resp = http
        .post(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .json(&body)
        .send()
        .await
        .map_err(|e| OpenError::Unreachable(without_url(&e)))?;
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    if status.is_client_error() || status.is_server_error() {
        let detail = detail(&text, config.primary_secret());
        let status = status.as_u16();
        return Err(if (400..500).contains(&status) {
            OpenError::Refused { status, detail }
        } else {
            OpenError::Unavailable { status, detail }
        });
    }
    let ticket: Ticket = serde_json::from_str(&text)
        .map_err(|_| OpenError::BadAnswer(format!("HTTP {status} without endpoint and ticket")))?;
    if ticket.ticket.is_empty() {
        return Err(OpenError::BadAnswer("empty ticket".into()));
    }
    Ok(ticket)
}

/// Opens the WebSocket with the ticket (URL-encoded; used once).
pub async fn connect(ticket: &Ticket) -> Result<Socket, OpenError> {
    let mut url = Url::parse(&ticket.endpoint)
        .map_err(|e| OpenError::BadAnswer(format!("endpoint is not a URL: {e}")))?;
    if !matches!(url.scheme(), "ws" | "wss") {
        return Err(OpenError::BadAnswer(format!(
            "endpoint scheme {} is not ws or wss",
            url.scheme()
        )));
    }
    url.query_pairs_mut().append_pair("ticket", &ticket.ticket);
    let config = WebSocketConfig::default()
        .max_message_size(Some(MAX_FRAME_BYTES))
        .max_frame_size(Some(MAX_FRAME_BYTES));
    let connect = tokio_tungstenite::connect_async_tls_with_config(
        url.as_str(),
        Some(config),
        false,
        Some(Connector::Rustls(tls_config())),
    );
    match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
        Ok(Ok((socket, _response))) => Ok(socket),
        Ok(Err(e)) => Err(OpenError::WebSocket(e.to_string())),
        Err(_) => Err(OpenError::WebSocket(format!(
            "no handshake within {} s",
            CONNECT_TIMEOUT.as_secs()
        ))),
    }
}

/// rustls with the ring provider (the one reqwest already brings) and the
/// Mozilla roots, built explicitly so no process-wide default is needed.
fn tls_config() -> Arc<rustls::ClientConfig> {
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("ring supports the default protocol versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    Arc::new(config)
}

/// DingTalk's `code` and `message` from an error body, shortened, with the
/// secret masked should it ever be echoed.
fn detail(body: &str, secret: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let field = |k: &str| {
        parsed
            .as_ref()
            .and_then(|v| v.get(k)?.as_str().map(str::to_owned))
    };
    let text = match (field("code"), field("message")) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (Some(c), None) => c,
        (None, Some(m)) => m,
        (None, None) => return String::new(),
    };
    let mut text: String = text.chars().filter(|c| !c.is_control()).take(160).collect();
    if !secret.is_empty() {
        text = text.replace(secret, "***");
    }
    format!(", {text}")
}

/// A reqwest error without the URL it carries (kept short for one log line).
fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else {
        "request failed"
    };
    // The innermost cause says most ("Connection refused (os error 111)").
    let mut cause = std::error::Error::source(e);
    let mut last = None;
    while let Some(c) = cause {
        last = Some(c.to_string());
        cause = c.source();
    }
    match last {
        Some(source) => format!("{kind}: {source}"),
        None => kind.to_owned(),
    }
}

/// The local address that would reach the API host (`localIp`, optional):
/// a UDP socket is "connected" to it, which sends nothing.
async fn local_ip(api_base: &Url) -> Option<String> {
    let host = api_base.host_str()?;
    let port = api_base.port_or_known_default()?;
    let target = tokio::net::lookup_host((host, port)).await.ok()?.next()?;
    let bind = if target.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    };
    let socket = tokio::net::UdpSocket::bind(bind).await.ok()?;
    socket.connect(target).await.ok()?;
    Some(socket.local_addr().ok()?.ip().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_details_keep_code_and_message_and_mask_the_secret() {
        let body = r#"{"code":"InvalidAuthentication","message":"bad clientSecret s3cr3t","requestid":"r"}"#;
        assert_eq!(
            detail(body, "s3cr3t"),
            ", InvalidAuthentication: bad clientSecret ***"
        );
        assert_eq!(detail("<html>oops</html>", "x"), "");
    }

    #[test]
    fn tickets_do_not_print() {
        let t = Ticket {
            endpoint: "wss://gw/connect".into(),
            ticket: "tkt-123".into(),
        };
        assert!(!format!("{t:?}").contains("tkt-123"));
    }
}
