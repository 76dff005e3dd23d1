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
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{Value, json};
use url::Url;

mod transport;

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
}

#[cfg(test)]
mod tests;
