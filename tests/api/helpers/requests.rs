//! Talking to the app as DingTalk and a browser would: callback bodies,
//! signed posts to the robot callback, any request through the router,
//! `say`, and what the bot posted back to a conversation's sessionWebhook.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use dingwarden::dingtalk::signature::sign;
use http_body_util::BodyExt as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;

use super::{BOT_ID, SECRET, TestApp, message_text};

/// The code a request's reply asks for: the word after `确认执行 ` or
/// `confirm ` at the start of a line.
pub fn confirmation_code(reply: &str) -> Option<String> {
    reply.lines().find_map(|l| {
        let rest = l
            .strip_prefix("确认执行 ")
            .or_else(|| l.strip_prefix("confirm "))?;
        Some(rest.trim().to_owned())
    })
}

impl TestApp {
    /// A fresh msgId.
    pub fn msg_id(&self) -> String {
        let n = self.seq.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("msg{n}-{}", uuid::Uuid::new_v4().simple())
    }

    /// The sessionWebhook of a conversation on the fake.
    pub fn webhook(&self, conversation: &str) -> String {
        format!(
            "{}/robot/sendBySession?session={conversation}",
            self.fake.uri()
        )
    }

    /// A 1:1 text callback body from `staff_id`.
    pub fn direct(&self, staff_id: &str, text: &str) -> Value {
        json!({
            "msgtype": "text", "text": {"content": text}, "msgId": self.msg_id(),
            "conversationType": "1", "conversationId": format!("cid-{staff_id}"),
            "senderStaffId": staff_id, "senderNick": format!("Nick {staff_id}"),
            "senderId": format!("$:LWCP_v1:${staff_id}"), "chatbotUserId": BOT_ID, "robotCode": "dingtestrobot",
            "sessionWebhook": self.webhook(&format!("cid-{staff_id}")),
            "sessionWebhookExpiredTime": self.now().timestamp_millis() + 90 * 60 * 1000,
            "createAt": self.now().timestamp_millis(), "isAdmin": false,
        })
    }

    /// A group text callback body from `staff_id` in group `group`.
    pub fn group(&self, staff_id: &str, group: &str, text: &str) -> Value {
        let mut v = self.direct(staff_id, text);
        v["conversationType"] = json!("2");
        v["conversationId"] = json!(group);
        v["conversationTitle"] = json!("安全小组");
        v["sessionWebhook"] = json!(self.webhook(group));
        v["isInAtList"] = json!(true);
        v["atUsers"] = json!([{"dingtalkId": BOT_ID}]);
        v
    }

    /// POSTs a body signed now with the test secret; returns status and JSON body.
    pub async fn post(&self, body: &Value) -> (StatusCode, Value) {
        let ts = self.now().timestamp_millis().to_string();
        let headers = [("timestamp", ts.clone()), ("sign", sign(SECRET, &ts))];
        self.post_raw(&headers, body.to_string().into_bytes()).await
    }

    /// POSTs arbitrary headers and bytes to the robot callback.
    pub async fn post_raw(&self, headers: &[(&str, String)], body: Vec<u8>) -> (StatusCode, Value) {
        let mut req = Request::post("/dingtalk/robot").header("content-type", "application/json");
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        self.call(req.body(Body::from(body)).expect("request"))
            .await
    }

    /// Sends any request through the router.
    pub async fn call(&self, req: Request<Body>) -> (StatusCode, Value) {
        let resp = self.router.clone().oneshot(req).await.expect("router");
        let status = resp.status();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        let value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| json!(String::from_utf8_lossy(&bytes)));
        (status, value)
    }

    /// GET a path; the body as text.
    pub async fn get_text(&self, path: &str) -> (StatusCode, String) {
        let resp = self
            .router
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Sends `text` as `staff_id` in 1:1 chat, waits for handling, and
    /// returns what the bot posted to that conversation's webhook.
    pub async fn say(&self, staff_id: &str, text: &str) -> Vec<Value> {
        let before = self.webhook_posts(&format!("cid-{staff_id}")).await.len();
        let (status, body) = self.post(&self.direct(staff_id, text)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body, json!({"msgtype": "empty"}));
        self.state.settle().await;
        self.webhook_posts(&format!("cid-{staff_id}"))
            .await
            .split_off(before)
    }

    /// Like [`say`], joined into one string of all reply texts.
    pub async fn say_text(&self, staff_id: &str, text: &str) -> String {
        self.say(staff_id, text)
            .await
            .iter()
            .map(message_text)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Sends a command that waits for confirmation (`role grant`, `role
    /// revoke`, `offboard`) as `staff_id` in 1:1 chat and confirms it with
    /// the code the reply gave; returns the confirmation's reply, or the
    /// first reply when it gave no code (the request was refused).
    pub async fn say_confirmed(&self, staff_id: &str, text: &str) -> String {
        let asked = self.say_text(staff_id, text).await;
        match confirmation_code(&asked) {
            Some(code) => self.say_text(staff_id, &format!("confirm {code}")).await,
            None => asked,
        }
    }

    /// Every body POSTed to a conversation's sessionWebhook, in order.
    pub async fn webhook_posts(&self, conversation: &str) -> Vec<Value> {
        let session = format!("session={conversation}");
        self.fake
            .received_requests()
            .await
            .unwrap_or_default()
            .iter()
            .filter(|r| {
                r.url.path() == "/robot/sendBySession" && r.url.query() == Some(session.as_str())
            })
            .map(|r| serde_json::from_slice(&r.body).expect("webhook body is JSON"))
            .collect()
    }

    /// GET with request headers; the status, response headers and raw body.
    pub async fn get_raw(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let mut req = Request::get(path);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = self
            .router
            .clone()
            .oneshot(req.body(Body::empty()).expect("request"))
            .await
            .expect("router");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        (status, headers, bytes.to_vec())
    }
}
