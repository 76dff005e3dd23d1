//! DingTalk's sign-in (OAuth 2) on the fake, for the console: the sign-in
//! page (`GET /oauth2/auth`, which "consents" at once as whoever the test
//! chose and sends the browser back with `authCode` and `state`), the code
//! exchange (`POST /v1.0/oauth2/userAccessToken`, checking the app's client
//! id and secret and `grantType`), the person behind a user token (`GET
//! /v1.0/contact/users/me` → `unionId`) and the staff id behind a unionId
//! (`POST /topapi/user/getbyunionid`, with a valid app token). Codes work
//! once, as DingTalk's do.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::fake_dingtalk::{APP_KEY, FakeDingTalk};
use crate::helpers::SECRET;

#[derive(Default)]
struct State {
    /// Code → unionId (removed when used).
    codes: HashMap<String, String>,
    /// User access token → unionId.
    user_tokens: HashMap<String, String>,
    /// unionId → staff id (people in the organisation).
    people: HashMap<String, String>,
    /// Whom the sign-in page signs in as.
    signing_in: Option<String>,
    issued: u64,
}

/// Handle on the fake sign-in's state; cheap to clone.
#[derive(Clone)]
pub struct FakeOAuth {
    state: Arc<Mutex<State>>,
    dingtalk: FakeDingTalk,
}

/// The unionId the fake gives `staff_id`.
pub fn union_id(staff_id: &str) -> String {
    format!("union-{staff_id}")
}

impl FakeOAuth {
    /// Mounts the sign-in endpoints on `server` (next to `dingtalk`'s).
    pub async fn mount(server: &MockServer, dingtalk: &FakeDingTalk) -> Self {
        let fake = Self {
            state: Arc::default(),
            dingtalk: dingtalk.clone(),
        };
        type Handler = fn(&FakeOAuth, &Request) -> ResponseTemplate;
        let routes: [(&str, &str, Handler); 4] = [
            ("GET", "/oauth2/auth", FakeOAuth::authorize),
            (
                "POST",
                "/v1.0/oauth2/userAccessToken",
                FakeOAuth::user_token,
            ),
            ("GET", "/v1.0/contact/users/me", FakeOAuth::me),
            ("POST", "/topapi/user/getbyunionid", FakeOAuth::by_union_id),
        ];
        for (verb, route, handler) in routes {
            let f = fake.clone();
            Mock::given(method(verb))
                .and(path(route))
                .respond_with(move |req: &Request| handler(&f, req))
                .mount(server)
                .await;
        }
        fake
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    /// `staff_id` is in the organisation (DingTalk knows their unionId).
    pub fn person(&self, staff_id: &str) {
        self.lock()
            .people
            .insert(union_id(staff_id), staff_id.to_owned());
    }

    /// A one-time code DingTalk would hand back after `staff_id` signs in.
    pub fn code_for(&self, staff_id: &str) -> String {
        self.person(staff_id);
        let mut s = self.lock();
        s.issued += 1;
        let code = format!("code-{}-{staff_id}", s.issued);
        s.codes.insert(code.clone(), union_id(staff_id));
        code
    }

    /// The sign-in page signs in as `staff_id` from now on.
    pub fn sign_in_as(&self, staff_id: &str) {
        self.person(staff_id);
        self.lock().signing_in = Some(staff_id.to_owned());
    }

    /// The sign-in page: checks the parameters DingTalk needs, then sends
    /// the browser back as the chosen person.
    fn authorize(&self, req: &Request) -> ResponseTemplate {
        let q: HashMap<String, String> = req.url.query_pairs().into_owned().collect();
        let fixed = [
            ("response_type", "code"),
            ("client_id", APP_KEY),
            ("scope", "openid"),
            ("prompt", "consent"),
        ];
        if fixed
            .iter()
            .any(|(k, v)| q.get(*k).map(String::as_str) != Some(*v))
        {
            return ResponseTemplate::new(400).set_body_string("bad sign-in parameters");
        }
        let (Some(back), Some(state)) = (q.get("redirect_uri"), q.get("state")) else {
            return ResponseTemplate::new(400).set_body_string("no redirect_uri or state");
        };
        let Some(who) = self.lock().signing_in.clone() else {
            return ResponseTemplate::new(200).set_body_string("nobody signs in");
        };
        let code = self.code_for(&who);
        let mut to = url::Url::parse(back).expect("redirect_uri is a URL");
        to.query_pairs_mut()
            .append_pair("authCode", &code)
            .append_pair("state", state);
        ResponseTemplate::new(302).insert_header("location", to.as_str())
    }

    fn user_token(&self, req: &Request) -> ResponseTemplate {
        let body: Value = req.body_json().unwrap_or_default();
        if body["clientId"] != APP_KEY || body["clientSecret"] != SECRET {
            return api_error(
                400,
                "invalidClientIdOrSecret",
                "无效的clientId或者clientSecret",
            );
        }
        if body["grantType"] != "authorization_code" {
            return api_error(400, "invalidParameter.grantType", "grantType");
        }
        let mut s = self.lock();
        let Some(union) = body["code"].as_str().and_then(|c| s.codes.remove(c)) else {
            return api_error(400, "invalidAuthCode", "不合法的临时授权码");
        };
        s.issued += 1;
        let token = format!("user-token-{}", s.issued);
        s.user_tokens.insert(token.clone(), union);
        ResponseTemplate::new(200).set_body_json(json!({
            "accessToken": token, "refreshToken": "r", "expireIn": 7200, "corpId": "dingcorp"}))
    }

    fn me(&self, req: &Request) -> ResponseTemplate {
        let token = req
            .headers
            .get("x-acs-dingtalk-access-token")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        match self.lock().user_tokens.get(token) {
            Some(union) => ResponseTemplate::new(200).set_body_json(json!({
                "nick": "someone", "unionId": union, "openId": "open", "stateCode": "86"})),
            None => api_error(401, "InvalidAuthentication", "不合法的access_token"),
        }
    }

    fn by_union_id(&self, req: &Request) -> ResponseTemplate {
        let token = req
            .url
            .query_pairs()
            .find(|(k, _)| k == "access_token")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default();
        if !self.dingtalk.token_is_valid(&token) {
            return legacy(json!({"errcode": 40014, "errmsg": "不合法的access_token"}));
        }
        let body: Value = req.body_json().unwrap_or_default();
        let union = body["unionid"].as_str().unwrap_or_default();
        match self.lock().people.get(union) {
            Some(staff) => legacy(json!({"errcode": 0, "errmsg": "ok",
                "result": {"contact_type": 0, "userid": staff}})),
            None => legacy(json!({"errcode": 60121, "errmsg": "找不到该用户"})),
        }
    }
}

fn api_error(status: u16, code: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_json(json!({"code": code, "message": message, "requestid": "fake"}))
}

fn legacy(body: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}
