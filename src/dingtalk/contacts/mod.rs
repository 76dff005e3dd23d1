//! DingTalk's legacy contacts API (oapi, PROTOCOL.md §4.1, §4.2, §4.6),
//! read into a [`Directory`] for `roster sync`: an access token from
//! `gettoken`, the department tree walked breadth-first from the root with
//! `department/listsubid` (names from `department/listsub`, the root's from
//! `department/get`), each department's members from `user/listid`, and each
//! member's details from `v2/user/get`. Calls are paced below DingTalk's
//! 20 QPS per app and API; busy and rate-limit answers are retried with
//! backoff, an expired token is renewed once. The token travels in the
//! query string, so no error here ever carries a URL.

use std::collections::{HashMap, HashSet, VecDeque};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use secrecy::{ExposeSecret as _, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use url::Url;

use crate::domain::directory::{DirDepartment, DirUser, Directory, ROOT_DEPARTMENT};

/// Calls per second; DingTalk allows 20 per app and API (PROTOCOL.md §4.5).
pub const CONTACTS_QPS: u32 = 15;
/// Most departments a walk visits (a guard against a runaway tree).
pub const MAX_DEPARTMENTS: usize = 100_000;
/// Legacy errcodes meaning "busy or over a rate limit, try again later".
const RETRYABLE_ERRCODES: &[i64] = &[-1, 90_002, 90_006, 90_018, 90_019];
/// Legacy errcodes meaning the access token is invalid or expired.
const TOKEN_ERRCODES: &[i64] = &[40_001, 40_014, 42_001, 88];
/// `user/get`: the user no longer exists (left between listing and reading).
const NO_SUCH_USER: i64 = 60_121;
/// `listsubid`/`listid`: the department no longer exists.
const NO_SUCH_DEPARTMENT: i64 = 60_003;

/// How failed calls are retried.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    /// Tries per call, the first included.
    pub attempts: u32,
    /// Wait before the first retry; doubles after each.
    pub backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            attempts: 4,
            backoff: Duration::from_secs(1),
        }
    }
}

/// Why a contacts call failed.
#[derive(Debug, thiserror::Error)]
pub enum ContactsError {
    #[error("DingTalk {api} answered errcode {errcode}: {errmsg}")]
    Api {
        api: &'static str,
        errcode: i64,
        errmsg: String,
    },
    #[error("DingTalk {api} answered HTTP {status}")]
    Status { api: &'static str, status: u16 },
    #[error("DingTalk {api} refused the call for now (rate-limit ban); try again in a few minutes")]
    Banned { api: &'static str },
    #[error("DingTalk {api} could not be reached: {source}")]
    Transport {
        api: &'static str,
        source: reqwest::Error,
    },
    #[error("DingTalk {api} answered something unexpected: {detail}")]
    Decode { api: &'static str, detail: String },
}

impl ContactsError {
    fn retryable(&self) -> bool {
        match self {
            ContactsError::Api { errcode, .. } => RETRYABLE_ERRCODES.contains(errcode),
            ContactsError::Status { status, .. } => *status == 429 || *status >= 500,
            ContactsError::Transport { .. } => true,
            ContactsError::Banned { .. } | ContactsError::Decode { .. } => false,
        }
    }

    fn errcode(&self) -> Option<i64> {
        match self {
            ContactsError::Api { errcode, .. } => Some(*errcode),
            _ => None,
        }
    }
}

/// A client for the contacts API of one app.
pub struct ContactsClient {
    http: reqwest::Client,
    base: Url,
    app_key: String,
    app_secret: SecretString,
    limiter: DefaultDirectRateLimiter,
    retry: RetryPolicy,
    token: Mutex<Option<String>>,
}

#[derive(Deserialize)]
struct Envelope {
    errcode: Option<i64>,
    #[serde(default)]
    errmsg: String,
    access_token: Option<String>,
    result: Option<Value>,
}

#[derive(Deserialize)]
struct SubIds {
    #[serde(default)]
    dept_id_list: Vec<i64>,
}

#[derive(Deserialize)]
struct SubDept {
    dept_id: i64,
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct UserIds {
    #[serde(default)]
    userid_list: Vec<String>,
}

#[derive(Deserialize)]
struct UserDetail {
    userid: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    manager_userid: Option<String>,
    #[serde(default)]
    dept_id_list: Vec<i64>,
    #[serde(default)]
    admin: bool,
}

impl ContactsClient {
    /// A client against `base` (the legacy oapi host) for one app.
    pub fn new(http: reqwest::Client, base: Url, app_key: &str, app_secret: SecretString) -> Self {
        let qps = NonZeroU32::new(CONTACTS_QPS).expect("non-zero rate");
        Self {
            http,
            base,
            app_key: app_key.to_owned(),
            app_secret,
            limiter: RateLimiter::direct(Quota::per_second(qps)),
            retry: RetryPolicy::default(),
            token: Mutex::new(None),
        }
    }

    /// Retries failed calls by `policy` instead of the default.
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Reads the whole organisation: departments parents first, then every
    /// member of any department once.
    pub async fn fetch_directory(&self) -> Result<Directory, ContactsError> {
        let root: SubDept = self
            .post(
                "department/get",
                "topapi/v2/department/get",
                json!({"dept_id": ROOT_DEPARTMENT}),
            )
            .await?
            .ok_or(ContactsError::Decode {
                api: "department/get",
                detail: "the root department does not exist".into(),
            })?;
        let mut departments = vec![DirDepartment {
            id: ROOT_DEPARTMENT,
            parent_id: None,
            name: root.name,
        }];
        let mut queue = VecDeque::from([ROOT_DEPARTMENT]);
        let mut seen = HashSet::from([ROOT_DEPARTMENT]);
        while let Some(parent) = queue.pop_front() {
            for child in self.children(parent).await? {
                if seen.len() >= MAX_DEPARTMENTS {
                    return Err(ContactsError::Decode {
                        api: "department/listsubid",
                        detail: format!("more than {MAX_DEPARTMENTS} departments"),
                    });
                }
                if seen.insert(child.id) {
                    queue.push_back(child.id);
                    departments.push(child);
                }
            }
        }
        let users = self.members(&departments).await?;
        Ok(Directory { departments, users })
    }

    /// The sub-departments of `parent` (one level), with their names.
    async fn children(&self, parent: i64) -> Result<Vec<DirDepartment>, ContactsError> {
        let body = json!({"dept_id": parent});
        let ids: SubIds = match self
            .post(
                "department/listsubid",
                "topapi/v2/department/listsubid",
                body,
            )
            .await
        {
            Err(e) if e.errcode() == Some(NO_SUCH_DEPARTMENT) => return Ok(vec![]),
            other => other?.unwrap_or(SubIds {
                dept_id_list: vec![],
            }),
        };
        if ids.dept_id_list.is_empty() {
            return Ok(vec![]);
        }
        let body = json!({"dept_id": parent, "language": "zh_CN"});
        let named: Vec<SubDept> = self
            .post("department/listsub", "topapi/v2/department/listsub", body)
            .await?
            .unwrap_or_default();
        let names: HashMap<i64, String> = named.into_iter().map(|d| (d.dept_id, d.name)).collect();
        Ok(ids
            .dept_id_list
            .into_iter()
            .map(|id| DirDepartment {
                id,
                parent_id: Some(parent),
                name: names.get(&id).cloned().unwrap_or_default(),
            })
            .collect())
    }

    /// Every member of the departments, each read once.
    async fn members(&self, departments: &[DirDepartment]) -> Result<Vec<DirUser>, ContactsError> {
        let mut ids: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        for d in departments {
            let body = json!({"dept_id": d.id});
            let listed: UserIds = match self.post("user/listid", "topapi/user/listid", body).await {
                Err(e) if e.errcode() == Some(NO_SUCH_DEPARTMENT) => continue,
                other => other?.unwrap_or(UserIds {
                    userid_list: vec![],
                }),
            };
            for id in listed.userid_list {
                if !id.is_empty() && seen.insert(id.clone()) {
                    ids.push(id);
                }
            }
        }
        let mut users = Vec::with_capacity(ids.len());
        for id in ids {
            let body = json!({"userid": id, "language": "zh_CN"});
            let detail: Option<UserDetail> =
                match self.post("user/get", "topapi/v2/user/get", body).await {
                    Err(e) if e.errcode() == Some(NO_SUCH_USER) => continue,
                    other => other?,
                };
            if let Some(u) = detail {
                users.push(DirUser {
                    staff_id: u.userid,
                    name: u.name,
                    manager: u.manager_userid.filter(|m| !m.is_empty()),
                    dept_ids: u.dept_id_list,
                    org_admin: u.admin,
                });
            }
        }
        Ok(users)
    }

    /// An access token, fetched once and reused until DingTalk rejects it.
    async fn token(&self) -> Result<String, ContactsError> {
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
    async fn post<T: DeserializeOwned>(
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

    fn endpoint(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        let joined = format!("{}/{path}", url.path().trim_end_matches('/'));
        url.set_path(&joined);
        url
    }

    async fn with_retries<F, Fut>(
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
    async fn send(
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

#[cfg(test)]
mod tests;
