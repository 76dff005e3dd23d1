//! POSTing to a conversation's sessionWebhook (PROTOCOL.md §1.5). The URL
//! comes from the callback body, which the signature does not cover, so it
//! is only used when it is exactly DingTalk's: the configured OpenAPI base's
//! scheme, host and port, the path `/robot/sendBySession` and a `session`
//! parameter (in `--dev` the same path on loopback). A forged
//! `…/robot/send?access_token=<someone's robot>` must not carry replies to
//! another group, and the bot must not be a way to reach arbitrary hosts.
//! The client follows no redirects, and no error names the URL: its query
//! is the session's credential.

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
    /// The URL is stripped from the error: it must never reach a log.
    #[error("sessionWebhook request failed: {0}")]
    Transport(reqwest::Error),
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

impl From<reqwest::Error> for WebhookError {
    fn from(e: reqwest::Error) -> Self {
        WebhookError::Transport(e.without_url())
    }
}

/// The only path a sessionWebhook may have.
pub const SESSION_WEBHOOK_PATH: &str = "/robot/sendBySession";

/// Sends message bodies to sessionWebhooks that pass the check.
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

    /// The parsed URL if the bot may POST to it: DingTalk's host exactly
    /// (or loopback in `--dev`), `/robot/sendBySession`, a `session`
    /// parameter, no user info, no fragment.
    pub fn check(&self, raw: &str) -> Result<Url, WebhookError> {
        let url = Url::parse(raw).map_err(|_| WebhookError::Forbidden)?;
        let shaped = url.username().is_empty()
            && url.password().is_none()
            && url.fragment().is_none()
            && url.path() == SESSION_WEBHOOK_PATH
            && url
                .query_pairs()
                .any(|(k, v)| k == "session" && !v.is_empty());
        let host_ok = same_origin(&url, &self.base)
            || (self.allow_loopback
                && is_loopback(&url)
                && matches!(url.scheme(), "http" | "https"));
        if shaped && host_ok {
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

fn same_origin(url: &Url, base: &Url) -> bool {
    url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default()
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
    fn only_dingtalks_session_webhook_passes() {
        let c = client("https://oapi.dingtalk.com", false);
        for good in [
            "https://oapi.dingtalk.com/robot/sendBySession?session=1",
            "https://oapi.dingtalk.com:443/robot/sendBySession?session=abc&x=1",
        ] {
            assert!(c.check(good).is_ok(), "{good}");
        }
        for bad in [
            "https://oapi.dingtalk.com/robot/send?access_token=attacker",
            "https://oapi.dingtalk.com/robot/sendBySession",
            "https://oapi.dingtalk.com/robot/sendBySession?session=",
            "https://oapi.dingtalk.com/robot/sendBySession?token=1",
            "https://oapi.dingtalk.com/robot/sendBySession/x?session=1",
            "https://oapi.dingtalk.com/robot/sendBySession?session=1#f",
            "https://oapi.dingtalk.com/gettoken?session=1",
            "http://oapi.dingtalk.com/robot/sendBySession?session=1",
            "https://oapi.dingtalk.com.evil.com/robot/sendBySession?session=1",
            "https://oapi.dingtalk.com@evil.com/robot/sendBySession?session=1",
            "https://user@oapi.dingtalk.com/robot/sendBySession?session=1",
            "https://oapi.dingtalk.com:8443/robot/sendBySession?session=1",
            "https://evil.com/robot/sendBySession?session=1",
            "http://127.0.0.1:9/robot/sendBySession?session=1",
            "not a url",
        ] {
            assert!(c.check(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn loopback_only_in_dev_and_only_the_same_path() {
        let dev = client("https://oapi.dingtalk.com", true);
        for good in [
            "http://127.0.0.1:5555/robot/sendBySession?session=1",
            "http://localhost:5555/robot/sendBySession?session=1",
            "http://[::1]:5555/robot/sendBySession?session=1",
        ] {
            assert!(dev.check(good).is_ok(), "{good}");
        }
        for bad in [
            "http://127.0.0.1:5555/s?session=1",
            "http://127.0.0.1:5555/robot/sendBySession",
            "http://10.0.0.1/robot/sendBySession?session=1",
            "ftp://127.0.0.1/robot/sendBySession?session=1",
        ] {
            assert!(dev.check(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn transport_errors_never_show_the_session() {
        let c = client("http://127.0.0.1:9", false);
        let url = c
            .check("http://127.0.0.1:9/robot/sendBySession?session=SECRETSESSION")
            .unwrap();
        let e = c.post(&url, &serde_json::json!({})).await.unwrap_err();
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("SECRETSESSION"), "{shown}");
    }
}
