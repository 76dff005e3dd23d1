//! DingTalk's OpenAPI for proactive robot messages (PROTOCOL.md §3–§4): the
//! app access token (cached, refreshed before expiry, fetched by one caller
//! while the others wait, refreshed and retried once when DingTalk calls it
//! invalid), robot 1:1 `oToMessages/batchSend`, group `groupMessages/send`,
//! and the signed custom group robot `robot/send`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use prometheus_client::metrics::counter::Counter;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use tokio::sync::Mutex;
use url::Url;

use super::api_error::{ApiError, ErrorClass, parse_response};
use super::message::{openapi_msg, webhook_body};
use super::signature::sign;
use crate::config::{Config, CustomRobot};
use crate::domain::Message;

/// Most user ids one `oToMessages/batchSend` takes.
pub const MAX_BATCH_USERS: usize = 20;

/// Largest `msgParam` a group send takes (bytes).
pub const MAX_GROUP_PARAM_BYTES: usize = 15_000;

/// Refresh this long before DingTalk says the token expires (the SDKs use 300 s).
const TOKEN_MARGIN_SECS: i64 = 300;

/// The token header of every `api.dingtalk.com` call.
pub const TOKEN_HEADER: &str = "x-acs-dingtalk-access-token";

/// What DingTalk said about a 1:1 batch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Key for read status and recall within 24 h.
    pub process_query_key: Option<String>,
    /// Users DingTalk does not know (`invalidStaffIdList`).
    pub invalid: Vec<String>,
    /// Users throttled this time (`flowControlledStaffIdList`): retry them later.
    pub flow_controlled: Vec<String>,
    /// Users DingTalk filtered out (`filteredStaffIdList`).
    pub filtered: Vec<String>,
}

/// After a failed token fetch, callers get that error for this long
/// instead of each fetching again.
const TOKEN_FAILURE_HOLD_MS: i64 = 5_000;

struct CachedToken {
    value: String,
    refresh_at_ms: i64,
}

#[derive(Default)]
struct TokenSlot {
    token: Option<CachedToken>,
    /// The last fetch failure and until when (ms) it is repeated.
    failed: Option<(i64, ApiError)>,
}

/// Client for DingTalk's send APIs; one per process, shared by all workers.
pub struct OpenApi {
    http: reqwest::Client,
    api_base: Url,
    oapi_base: Url,
    app_key: String,
    app_secret: SecretString,
    robot_code: String,
    timeout: Duration,
    /// Held while a token is fetched, so concurrent callers wait for one fetch.
    token: Mutex<TokenSlot>,
    refreshes: Counter,
}

impl OpenApi {
    /// A client per the configuration; `refreshes` counts token fetches.
    pub fn new(http: reqwest::Client, config: &Config, refreshes: Counter) -> Self {
        Self {
            http,
            api_base: config.api_base.clone(),
            oapi_base: config.oapi_base.clone(),
            app_key: config.app_key.clone(),
            app_secret: config.app_secrets[0].clone(),
            robot_code: config.robot_code.clone(),
            timeout: config.delivery.openapi_timeout,
            token: Mutex::new(TokenSlot::default()),
            refreshes,
        }
    }

    /// A valid access token: the cached one until shortly before it
    /// expires, else a fresh one (`POST /v1.0/oauth2/accessToken`).
    pub async fn access_token(&self, now: DateTime<Utc>) -> Result<String, ApiError> {
        let now_ms = now.timestamp_millis();
        let mut slot = self.token.lock().await;
        if let Some(t) = slot.token.as_ref().filter(|t| now_ms < t.refresh_at_ms) {
            return Ok(t.value.clone());
        }
        if let Some((_, e)) = slot.failed.as_ref().filter(|(until, _)| now_ms < *until) {
            return Err(ApiError::Token(Box::new(e.clone())));
        }
        let (value, expire_in) = match self.fetch_token().await {
            Ok(fresh) => fresh,
            Err(e) => {
                tracing::warn!(error = %e, "DingTalk access token not obtained");
                slot.failed = Some((now_ms + TOKEN_FAILURE_HOLD_MS, e.clone()));
                return Err(ApiError::Token(Box::new(e)));
            }
        };
        self.refreshes.inc();
        let life = (expire_in - TOKEN_MARGIN_SECS).max(expire_in / 2).max(1);
        slot.failed = None;
        slot.token = Some(CachedToken {
            value: value.clone(),
            refresh_at_ms: now_ms + life * 1000,
        });
        tracing::debug!(expire_in, "DingTalk access token refreshed");
        Ok(value)
    }

    /// Forgets `token` if it is still the cached one (a caller that saw an
    /// older token fail does not throw away a fresh one).
    async fn invalidate(&self, token: &str) {
        let mut slot = self.token.lock().await;
        if slot.token.as_ref().is_some_and(|t| t.value == token) {
            slot.token = None;
        }
    }

    async fn fetch_token(&self) -> Result<(String, i64), ApiError> {
        let url = endpoint(&self.api_base, "v1.0/oauth2/accessToken");
        let body = json!({"appKey": self.app_key, "appSecret": self.app_secret.expose_secret()});
        let v = self.post_json(url, &body, None).await?;
        let token = v["accessToken"]
            .as_str()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| ApiError::Decode("no accessToken in the answer".into()))?;
        Ok((token.to_owned(), v["expireIn"].as_i64().unwrap_or(7200)))
    }

    async fn post_json(
        &self,
        url: Url,
        body: &Value,
        token: Option<&str>,
    ) -> Result<Value, ApiError> {
        let mut req = self.http.post(url).json(body).timeout(self.timeout);
        if let Some(t) = token {
            req = req.header(TOKEN_HEADER, t);
        }
        let resp = req.send().await.map_err(ApiError::from_reqwest)?;
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.map_err(ApiError::from_reqwest)?;
        parse_response(status, &bytes)
    }

    /// POSTs to the new OpenAPI with the access token; when DingTalk calls
    /// the token invalid, refreshes it and retries once.
    async fn call(&self, path: &str, body: &Value, now: DateTime<Utc>) -> Result<Value, ApiError> {
        let url = endpoint(&self.api_base, path);
        let token = self.access_token(now).await?;
        match self.post_json(url.clone(), body, Some(&token)).await {
            Err(e) if e.class() == ErrorClass::InvalidToken => {
                tracing::info!("DingTalk refused the access token; refreshing once");
                self.invalidate(&token).await;
                let token = self.access_token(now).await?;
                self.post_json(url, body, Some(&token)).await
            }
            other => other,
        }
    }

    /// Robot 1:1 messages to up to [`MAX_BATCH_USERS`] staff ids.
    pub async fn batch_send(
        &self,
        user_ids: &[String],
        message: &Message,
        now: DateTime<Utc>,
    ) -> Result<BatchOutcome, ApiError> {
        if user_ids.is_empty() || user_ids.len() > MAX_BATCH_USERS {
            return Err(ApiError::Invalid(format!(
                "batchSend takes 1 to {MAX_BATCH_USERS} users, not {}",
                user_ids.len()
            )));
        }
        let (key, param) = openapi_msg(message);
        let body = json!({"robotCode": self.robot_code, "userIds": user_ids,
                          "msgKey": key, "msgParam": param});
        let v = self
            .call("v1.0/robot/oToMessages/batchSend", &body, now)
            .await?;
        Ok(BatchOutcome {
            process_query_key: v["processQueryKey"].as_str().map(str::to_owned),
            invalid: string_list(&v["invalidStaffIdList"]),
            flow_controlled: string_list(&v["flowControlledStaffIdList"]),
            filtered: string_list(&v["filteredStaffIdList"]),
        })
    }

    /// A robot message into a group; returns the processQueryKey.
    pub async fn group_send(
        &self,
        open_conversation_id: &str,
        message: &Message,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, ApiError> {
        let (key, param) = openapi_msg(message);
        if open_conversation_id.is_empty() || param.len() > MAX_GROUP_PARAM_BYTES {
            return Err(ApiError::Invalid(
                "group send needs a conversation id and msgParam under 15,000 bytes".into(),
            ));
        }
        let body = json!({"robotCode": self.robot_code, "openConversationId": open_conversation_id,
                          "msgKey": key, "msgParam": param});
        let v = self
            .call("v1.0/robot/groupMessages/send", &body, now)
            .await?;
        Ok(v["processQueryKey"].as_str().map(str::to_owned))
    }

    /// A message through a custom group robot's webhook, signed at `now`.
    /// `msg_uuid` makes DingTalk drop a repeat of the same message.
    pub async fn robot_send(
        &self,
        robot: &CustomRobot,
        message: &Message,
        msg_uuid: &str,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let url = robot_send_url(
            &self.oapi_base,
            robot.access_token.expose_secret(),
            robot.secret.as_ref().map(|s| s.expose_secret()),
            now.timestamp_millis(),
        );
        let mut body = webhook_body(message, None);
        body["msgUuid"] = json!(msg_uuid);
        self.post_json(url, &body, None).await.map(drop)
    }
}

/// `robot/send?access_token=…[&timestamp=…&sign=…]`. The query is built by
/// the URL serializer, which percent-encodes the base64 sign exactly once
/// (`+` → `%2B`, `/` → `%2F`, `=` → `%3D`), as DingTalk requires (§3.3).
pub fn robot_send_url(
    base: &Url,
    access_token: &str,
    secret: Option<&str>,
    timestamp_ms: i64,
) -> Url {
    let mut url = endpoint(base, "robot/send");
    let ts = timestamp_ms.to_string();
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("access_token", access_token);
        if let Some(secret) = secret {
            q.append_pair("timestamp", &ts);
            q.append_pair("sign", &sign(secret, &ts));
        }
    }
    url
}

/// `base` + `path`, keeping any path prefix the base has.
pub(super) fn endpoint(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    url.set_path(&format!("{}/{path}", base.path().trim_end_matches('/')));
    url.set_query(None);
    url
}

fn string_list(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robot_url_matches_the_reference_vector() {
        let base = Url::parse("https://oapi.dingtalk.com").unwrap();
        let url = robot_send_url(
            &base,
            "TOKEN",
            Some("SEC_test_secret_0123456789"),
            1_700_000_000_000,
        );
        assert_eq!(
            url.as_str(),
            "https://oapi.dingtalk.com/robot/send?access_token=TOKEN&timestamp=1700000000000\
             &sign=T8s6shrFJvFVwQO38TOeaWI4HziJJqNOnxpOAlVM1KY%3D"
        );
        // `+` and `/` in the signature are encoded once, never twice.
        let url = robot_send_url(
            &base,
            "T",
            Some("SEC_test_secret_0123456789"),
            1_700_000_000_001,
        );
        assert!(
            url.as_str()
                .ends_with("&sign=%2BhD5%2B4nA6xyM%2FvWhvUIvS7pZmm%2FjFiCFHgSTvk1KiRA%3D")
        );
        assert_eq!(
            robot_send_url(&base, "T", None, 1).as_str(),
            "https://oapi.dingtalk.com/robot/send?access_token=T"
        );
    }

    #[test]
    fn endpoints_keep_the_base_path() {
        let base = Url::parse("http://127.0.0.1:9/fake/").unwrap();
        assert_eq!(
            endpoint(&base, "v1.0/robot/groupMessages/send").as_str(),
            "http://127.0.0.1:9/fake/v1.0/robot/groupMessages/send"
        );
        let base = Url::parse("https://api.dingtalk.com").unwrap();
        assert_eq!(
            endpoint(&base, "v1.0/oauth2/accessToken").as_str(),
            "https://api.dingtalk.com/v1.0/oauth2/accessToken"
        );
    }

    #[test]
    fn lists_tolerate_absence_and_null() {
        let v = json!({"a": ["x", "y"], "b": null});
        assert_eq!(string_list(&v["a"]), vec!["x", "y"]);
        assert!(string_list(&v["b"]).is_empty());
        assert!(string_list(&v["c"]).is_empty());
    }
}
