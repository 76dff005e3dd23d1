//! The fake DingTalk OpenAPI behind every test: it checks requests the way
//! DingTalk does (app key and secret for tokens, a valid
//! `x-acs-dingtalk-access-token`, `robotCode`, 1–20 `userIds`, `msgParam` a
//! JSON *string* with the keys its `msgKey` needs, custom-robot signatures
//! encoded exactly once and 20 messages a minute) and records what it
//! accepted. Mounted at a low priority, so a test's own mocks (failures,
//! delays) win over it.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use dingwarden::clock::{Clock as _, ManualClock};
use dingwarden::dingtalk::signature::sign;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::helpers::SECRET;

/// App key and robot code of `Config::for_tests`.
pub const APP_KEY: &str = "dingtestappkey";
pub const ROBOT_CODE: &str = "dingtestrobot";

/// Priority of the fake's mocks: tests' own mocks (default 5) come first.
const LOW: u8 = 10;

type Handler = fn(&FakeDingTalk, &Request) -> ResponseTemplate;

/// A refusal, boxed (a `ResponseTemplate` is large).
type Refusal = Box<ResponseTemplate>;

/// One message the fake accepted.
#[derive(Clone, Debug)]
pub struct Accepted {
    /// `batch_send`, `group_send` or `robot_send`.
    pub api: &'static str,
    /// Staff ids, the open conversation id, or the robot's access token.
    pub to: Vec<String>,
    /// `msgKey` (or the webhook `msgtype` for robots).
    pub msg_key: String,
    /// `msgParam` decoded (or the webhook body for robots).
    pub param: Value,
}

#[derive(Default)]
struct State {
    tokens_issued: u64,
    valid_tokens: HashSet<String>,
    unknown_users: HashSet<String>,
    flow_control_once: HashSet<String>,
    /// Robot access token → signing secret, and when it last sent.
    robots: HashMap<String, (Option<String>, VecDeque<i64>)>,
    accepted: Vec<Accepted>,
    queries: u64,
}

/// Handle on the fake's state; cheap to clone.
#[derive(Clone)]
pub struct FakeDingTalk {
    state: Arc<Mutex<State>>,
    clock: Arc<ManualClock>,
}

impl FakeDingTalk {
    /// Mounts the token, 1:1, group and custom-robot endpoints on `server`.
    pub async fn mount(server: &MockServer, clock: Arc<ManualClock>) -> Self {
        let fake = Self {
            state: Arc::default(),
            clock,
        };
        let routes: [(&str, Handler); 4] = [
            ("/v1.0/oauth2/accessToken", FakeDingTalk::token),
            (
                "/v1.0/robot/oToMessages/batchSend",
                FakeDingTalk::batch_send,
            ),
            ("/v1.0/robot/groupMessages/send", FakeDingTalk::group_send),
            ("/robot/send", FakeDingTalk::robot_send),
        ];
        for (route, handler) in routes {
            let f = fake.clone();
            Mock::given(method("POST"))
                .and(path(route))
                .respond_with(move |req: &Request| handler(&f, req))
                .with_priority(LOW)
                .mount(server)
                .await;
        }
        fake
    }

    /// `oToMessages/batchSend` answers only after `delay`; what it accepts
    /// is recorded as the request arrives (DingTalk acts on it whether or
    /// not the caller lives to read the answer).
    pub async fn slow_batch_send(&self, server: &MockServer, delay: std::time::Duration) {
        let f = self.clone();
        Mock::given(method("POST"))
            .and(path("/v1.0/robot/oToMessages/batchSend"))
            .respond_with(move |req: &Request| f.batch_send(req).set_delay(delay))
            .with_priority(LOW - 1)
            .mount(server)
            .await;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// Every token issued so far stops working (as when they expire).
    pub fn revoke_tokens(&self) {
        self.lock().valid_tokens.clear();
    }

    /// Whether `token` is an app access token the fake issued and still honours.
    pub fn token_is_valid(&self, token: &str) -> bool {
        self.lock().valid_tokens.contains(token)
    }

    /// How many access tokens were issued.
    pub fn tokens_issued(&self) -> u64 {
        self.lock().tokens_issued
    }

    /// These staff ids do not exist (`invalidStaffIdList`).
    pub fn unknown_users(&self, users: &[&str]) {
        self.lock()
            .unknown_users
            .extend(users.iter().map(|u| (*u).to_owned()));
    }

    /// The next message to each of these users is flow-controlled.
    pub fn flow_control_once(&self, users: &[&str]) {
        self.lock()
            .flow_control_once
            .extend(users.iter().map(|u| (*u).to_owned()));
    }

    /// A custom robot the fake knows.
    pub fn add_robot(&self, access_token: &str, secret: Option<&str>) {
        self.lock().robots.insert(
            access_token.to_owned(),
            (secret.map(str::to_owned), VecDeque::new()),
        );
    }

    /// Everything accepted, in order.
    pub fn accepted(&self) -> Vec<Accepted> {
        self.lock().accepted.clone()
    }

    fn next_key(&self, prefix: &str) -> String {
        let mut s = self.lock();
        s.queries += 1;
        format!("{prefix}-{}", s.queries)
    }

    fn token(&self, req: &Request) -> ResponseTemplate {
        let body: Value = req.body_json().unwrap_or_default();
        if body["appKey"] != APP_KEY || body["appSecret"] != SECRET {
            return api_error(
                400,
                "invalidClientIdOrSecret",
                "无效的clientId或者clientSecret",
            );
        }
        let mut s = self.lock();
        s.tokens_issued += 1;
        let token = format!("token-{}", s.tokens_issued);
        s.valid_tokens.insert(token.clone());
        ResponseTemplate::new(200).set_body_json(json!({"accessToken": token, "expireIn": 7200}))
    }

    /// Checks the token and the fields every robot send has; the decoded msgParam.
    fn common(&self, req: &Request) -> Result<(Value, Value), Refusal> {
        let token = req
            .headers
            .get("x-acs-dingtalk-access-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !self.lock().valid_tokens.contains(token) {
            return Err(refuse(401, "InvalidAuthentication", "不合法的access_token"));
        }
        let json_type = req
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let body: Value = match req.body_json() {
            Ok(b) if json_type => b,
            _ => {
                return Err(refuse(
                    400,
                    "invalidParameter.param.invalid",
                    "body must be JSON",
                ));
            }
        };
        if body["robotCode"] != ROBOT_CODE {
            return Err(refuse(
                400,
                "invalidParameter.robotCode.auth",
                "robotCode mismatch",
            ));
        }
        let param = msg_param(&body)?;
        Ok((body, param))
    }

    fn batch_send(&self, req: &Request) -> ResponseTemplate {
        let (body, param) = match self.common(req) {
            Ok(x) => x,
            Err(resp) => return *resp,
        };
        let users: Vec<String> = match body["userIds"].as_array() {
            Some(a) if a.iter().all(Value::is_string) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
            _ => return api_error(400, "invalidParameter.userIds.empty", "userIds required"),
        };
        match users.len() {
            0 => return api_error(400, "invalidParameter.userIds.empty", "userIds is empty"),
            n if n > 20 => return api_error(400, "invalidParameter.userIds.overMax", "max 20"),
            _ => {}
        }
        let key = self.next_key("pqk");
        let mut s = self.lock();
        let invalid: Vec<String> = users
            .iter()
            .filter(|u| s.unknown_users.contains(*u))
            .cloned()
            .collect();
        let flow: Vec<String> = users
            .iter()
            .filter(|u| s.flow_control_once.remove(*u))
            .cloned()
            .collect();
        let to: Vec<String> = users
            .iter()
            .filter(|u| !invalid.contains(u) && !flow.contains(u))
            .cloned()
            .collect();
        let msg_key = body["msgKey"].as_str().unwrap_or_default().to_owned();
        if !to.is_empty() {
            s.accepted.push(Accepted {
                api: "batch_send",
                to,
                msg_key,
                param,
            });
        }
        ResponseTemplate::new(200).set_body_json(json!({
            "processQueryKey": key, "invalidStaffIdList": invalid,
            "flowControlledStaffIdList": flow, "filteredStaffIdList": []}))
    }

    fn group_send(&self, req: &Request) -> ResponseTemplate {
        let (body, param) = match self.common(req) {
            Ok(x) => x,
            Err(resp) => return *resp,
        };
        let Some(cid) = body["openConversationId"]
            .as_str()
            .filter(|c| !c.is_empty())
        else {
            return api_error(400, "invalidParameter.openConversationId.empty", "required");
        };
        if body["msgParam"].as_str().map_or(0, str::len) > 15_000 {
            return api_error(400, "invalidParameter.msgParam.invalid", "too long");
        }
        let key = self.next_key("gpqk");
        self.lock().accepted.push(Accepted {
            api: "group_send",
            to: vec![cid.to_owned()],
            msg_key: body["msgKey"].as_str().unwrap_or_default().to_owned(),
            param,
        });
        ResponseTemplate::new(200).set_body_json(json!({"processQueryKey": key}))
    }

    fn robot_send(&self, req: &Request) -> ResponseTemplate {
        let query = req.url.query().unwrap_or_default();
        let pairs: HashMap<String, String> = req.url.query_pairs().into_owned().collect();
        let token = pairs.get("access_token").cloned().unwrap_or_default();
        let now = self.clock.now().timestamp_millis();
        let mut s = self.lock();
        let Some((secret, sent)) = s.robots.get_mut(&token) else {
            return legacy(300_001, "token is not exist");
        };
        if let Some(secret) = secret {
            let ts = pairs.get("timestamp").cloned().unwrap_or_default();
            let fresh = ts
                .parse::<i64>()
                .is_ok_and(|t| (now - t).abs() <= 3_600_000);
            // `query_pairs` decodes once: a double-encoded sign no longer matches.
            let signed = pairs.get("sign") == Some(&sign(secret, &ts)) && !query.contains("%25");
            if !fresh {
                return legacy(310_000, "invalid timestamp");
            }
            if !signed {
                return legacy(310_000, "sign not match");
            }
        }
        while sent.front().is_some_and(|&t| t + 60_000 <= now) {
            sent.pop_front();
        }
        if sent.len() >= 20 {
            return legacy(130_101, "send too fast, exceed 20 times per minute");
        }
        sent.push_back(now);
        let body: Value = req.body_json().unwrap_or_default();
        let msg_key = body["msgtype"].as_str().unwrap_or_default().to_owned();
        if msg_key.is_empty() || body.get(&msg_key).is_none() {
            return legacy(400_105, "不支持的消息类型");
        }
        s.accepted.push(Accepted {
            api: "robot_send",
            to: vec![token],
            msg_key,
            param: body,
        });
        legacy(0, "ok")
    }
}

/// `msgParam` must be a string holding a JSON object with its msgKey's keys.
fn msg_param(body: &Value) -> Result<Value, Refusal> {
    let invalid = || {
        refuse(
            400,
            "invalidParameter.msgParam.invalid",
            "msgParam must be a JSON string",
        )
    };
    let param: Value = body["msgParam"]
        .as_str()
        .and_then(|s| serde_json::from_str(s).ok())
        .filter(Value::is_object)
        .ok_or_else(invalid)?;
    let needs: &[&str] = match body["msgKey"].as_str().unwrap_or_default() {
        "sampleText" => &["content"],
        "sampleMarkdown" => &["title", "text"],
        "sampleActionCard" => &["title", "text", "singleTitle", "singleURL"],
        k if k.starts_with("sampleActionCard") => &["title", "text", "actionTitle1", "actionURL1"],
        _ => {
            return Err(refuse(
                400,
                "invalidParameter.msgKey.invalid",
                "unknown msgKey",
            ));
        }
    };
    if needs.iter().all(|k| param[*k].is_string()) {
        Ok(param)
    } else {
        Err(invalid())
    }
}

fn api_error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"code": code, "message": message, "requestid": "fake"}))
}

fn refuse(status: u16, code: &str, message: &str) -> Refusal {
    Box::new(api_error(status, code, message))
}

fn legacy(errcode: i64, errmsg: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"errcode": errcode, "errmsg": errmsg}))
}

/// The visible text of an accepted OpenAPI message (and its button titles).
pub fn param_text(param: &Value) -> String {
    let mut s = param["content"]
        .as_str()
        .or(param["text"].as_str())
        .unwrap_or_default()
        .to_owned();
    let mut titles: Vec<&str> = param["singleTitle"].as_str().into_iter().collect();
    titles.extend((1..=5).filter_map(|i| param[format!("actionTitle{i}")].as_str()));
    for t in titles {
        s.push_str(&format!("\n[{t}]"));
    }
    s
}
