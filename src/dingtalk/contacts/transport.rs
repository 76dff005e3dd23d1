//! The contacts API's transport: the access token, signed POSTs with the
//! retry policy, and DingTalk's error envelope turned into [`ContactsError`].

use secrecy::ExposeSecret as _;
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use super::{ContactsClient, ContactsError, Envelope, TOKEN_ERRCODES};

impl ContactsClient {
    /// An access token, fetched once and reused until DingTalk rejects it.
    pub(super) async fn token(&self) -> Result<String, ContactsError> {
        if let Some(t) = self.token.lock().expect("token lock").clone() {
            return Ok(t);
        }
        let mut url = self.endpoint("gettoken");
        url.query_pairs_mut()
            .append_pair("appkey", &self.app_key)
            .append_pair("appsecret", self.app_secret.expose_secret());
        let env = self
            .with_retries("gettoken", || {
                self.send(self.http.get(url.clone()), "gettoken")
            })
            .await?;
        let token = env
            .access_token
            .filter(|t| !t.is_empty())
            .ok_or(ContactsError::Decode {
                api: "gettoken",
                detail: "no access_token".into(),
            })?;
        *self.token.lock().expect("token lock") = Some(token.clone());
        Ok(token)
    }

    /// POSTs `body` to `path` and decodes `result`; renews the token once
    /// if DingTalk says it is invalid.
    pub(super) async fn post<T: DeserializeOwned>(
        &self,
        api: &'static str,
        path: &str,
        body: Value,
    ) -> Result<Option<T>, ContactsError> {
        let mut renewed = false;
        loop {
            let token = self.token().await?;
            let mut url = self.endpoint(path);
            url.query_pairs_mut().append_pair("access_token", &token);
            let result = self
                .with_retries(api, || {
                    self.send(self.http.post(url.clone()).json(&body), api)
                })
                .await;
            match result {
                Err(e) if !renewed && e.errcode().is_some_and(|c| TOKEN_ERRCODES.contains(&c)) => {
                    renewed = true;
                    *self.token.lock().expect("token lock") = None;
                }
                Err(e) => return Err(e),
                Ok(env) => {
                    return env
                        .result
                        .map(|v| {
                            serde_json::from_value(v).map_err(|e| ContactsError::Decode {
                                api,
                                detail: e.to_string(),
                            })
                        })
                        .transpose();
                }
            }
        }
    }

    pub(super) fn endpoint(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        let joined = format!("{}/{path}", url.path().trim_end_matches('/'));
        url.set_path(&joined);
        url
    }

    pub(super) async fn with_retries<F, Fut>(
        &self,
        api: &'static str,
        call: F,
    ) -> Result<Envelope, ContactsError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<Envelope, ContactsError>>,
    {
        let mut wait = self.retry.backoff;
        let mut attempt = 1;
        loop {
            self.limiter.until_ready().await;
            match call().await {
                Err(e) if e.retryable() && attempt < self.retry.attempts => {
                    tracing::warn!(api, attempt, error = %e, "contacts call failed; retrying");
                    tokio::time::sleep(wait).await;
                    wait *= 2;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    /// Sends one request and checks the `{errcode, errmsg}` envelope.
    pub(super) async fn send(
        &self,
        req: reqwest::RequestBuilder,
        api: &'static str,
    ) -> Result<Envelope, ContactsError> {
        let transport = |e: reqwest::Error| ContactsError::Transport {
            api,
            source: e.without_url(),
        };
        let resp = req.send().await.map_err(transport)?;
        let status = resp.status();
        if !status.is_success() {
            return Err(ContactsError::Status {
                api,
                status: status.as_u16(),
            });
        }
        let bytes = resp.bytes().await.map_err(transport)?;
        let env: Envelope = serde_json::from_slice(&bytes).map_err(|_| ContactsError::Decode {
            api,
            detail: "not a JSON envelope".into(),
        })?;
        match env.errcode {
            Some(0) => Ok(env),
            Some(errcode) => Err(ContactsError::Api {
                api,
                errcode,
                errmsg: env.errmsg,
            }),
            // The per-IP ban answers with a page that has no errcode (PROTOCOL.md §4.5).
            None => Err(ContactsError::Banned { api }),
        }
    }
}
