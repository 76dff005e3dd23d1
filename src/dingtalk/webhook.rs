//! POSTing to a conversation's sessionWebhook (PROTOCOL.md §1.5). The URL
//! comes from the callback body, which the signature does not cover, so it
//! is only used when it lies under the configured OpenAPI base (or on
//! loopback in `--dev`): the bot must not be a way to reach arbitrary hosts.

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;
use url::Url;

/// DingTalk's answer when the sessionWebhook has expired.
pub const SESSION_EXPIRED_ERRCODE: i64 = 300_001;

/// How long one webhook POST may take.
pub const WEBHOOK_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("the callback carried no sessionWebhook")]
    Missing,
    #[error("sessionWebhook host is not allowed")]
    Forbidden,
    #[error("sessionWebhook expired")]
    Expired,
    #[error("DingTalk refused the message: errcode {errcode}: {errmsg}")]
    Rejected { errcode: i64, errmsg: String },
    #[error("sessionWebhook answered HTTP {0}")]
    Status(u16),
    #[error("sessionWebhook request failed: {0}")]
    Transport(#[from] reqwest::Error),
}

impl WebhookError {
    /// A short label for metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            WebhookError::Missing => "missing",
            WebhookError::Forbidden => "forbidden",
            WebhookError::Expired => "expired",
            WebhookError::Rejected { .. } => "rejected",
            WebhookError::Status(_) => "status",
            WebhookError::Transport(e) if e.is_timeout() => "timeout",
            WebhookError::Transport(_) => "transport",
        }
    }
}

#[derive(Deserialize)]
struct ErrBody {
    #[serde(default)]
    errcode: i64,
    #[serde(default)]
    errmsg: String,
}

/// Sends message bodies to sessionWebhooks that pass the host check.
#[derive(Clone)]
pub struct WebhookClient {
    http: reqwest::Client,
    base: Url,
    allow_loopback: bool,
}

impl WebhookClient {
    pub fn new(http: reqwest::Client, base: Url, allow_loopback: bool) -> Self {
        Self {
            http,
            base,
            allow_loopback,
        }
    }

    /// The parsed URL if the bot may POST to it.
    pub fn check(&self, raw: &str) -> Result<Url, WebhookError> {
        let url = Url::parse(raw).map_err(|_| WebhookError::Forbidden)?;
        if url.username() != "" || url.password().is_some() {
            return Err(WebhookError::Forbidden);
        }
        if under_base(&url, &self.base) || (self.allow_loopback && is_loopback(&url)) {
            Ok(url)
        } else {
            Err(WebhookError::Forbidden)
        }
    }

    /// POSTs one body and checks DingTalk's `errcode`.
    pub async fn post(&self, url: &Url, body: &Value) -> Result<(), WebhookError> {
        let resp = self
            .http
            .post(url.clone())
            .json(body)
            .timeout(WEBHOOK_TIMEOUT)
            .send()
            .await?;
        let status = resp.status();
        if !status.is_success() {
            return Err(WebhookError::Status(status.as_u16()));
        }
        let text = resp.text().await?;
        // An empty or non-JSON 200 counts as delivered; only an explicit errcode is a refusal.
        match serde_json::from_str::<ErrBody>(&text) {
            Ok(ErrBody { errcode: 0, .. }) | Err(_) => Ok(()),
            Ok(ErrBody {
                errcode: SESSION_EXPIRED_ERRCODE,
                ..
            }) => Err(WebhookError::Expired),
            Ok(ErrBody { errcode, errmsg }) => Err(WebhookError::Rejected { errcode, errmsg }),
        }
    }
}

fn under_base(url: &Url, base: &Url) -> bool {
    let base_path = base.path().trim_end_matches('/');
    url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default()
        && (base_path.is_empty()
            || url.path() == base_path
            || url
                .path()
                .strip_prefix(base_path)
                .is_some_and(|rest| rest.starts_with('/')))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base: &str, loopback: bool) -> WebhookClient {
        WebhookClient::new(reqwest::Client::new(), Url::parse(base).unwrap(), loopback)
    }

    #[test]
    fn only_urls_under_the_base_pass() {
        let c = client("https://oapi.dingtalk.com", false);
        assert!(
            c.check("https://oapi.dingtalk.com/robot/sendBySession?session=1")
                .is_ok()
        );
        for bad in [
            "http://oapi.dingtalk.com/robot/sendBySession",
            "https://oapi.dingtalk.com.evil.com/robot",
            "https://oapi.dingtalk.com@evil.com/robot",
            "https://user@oapi.dingtalk.com/robot",
            "https://oapi.dingtalk.com:8443/robot",
            "https://evil.com/?u=https://oapi.dingtalk.com",
            "http://127.0.0.1:9/robot",
            "not a url",
        ] {
            assert!(c.check(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn base_paths_are_prefixes_on_segment_boundaries() {
        let c = client("http://127.0.0.1:4000/fake", false);
        assert!(
            c.check("http://127.0.0.1:4000/fake/robot/sendBySession?session=x")
                .is_ok()
        );
        assert!(c.check("http://127.0.0.1:4000/fakeother/robot").is_err());
        assert!(c.check("http://127.0.0.1:4001/fake/robot").is_err());
    }

    #[test]
    fn loopback_only_in_dev() {
        assert!(
            client("https://oapi.dingtalk.com", true)
                .check("http://127.0.0.1:5555/s?session=1")
                .is_ok()
        );
        assert!(
            client("https://oapi.dingtalk.com", true)
                .check("http://localhost:5555/s")
                .is_ok()
        );
        assert!(
            client("https://oapi.dingtalk.com", true)
                .check("http://10.0.0.1/s")
                .is_err()
        );
    }
}
