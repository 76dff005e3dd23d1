//! What happens in the background and what reached the fake DingTalk: a
//! scheduler tick, draining the outbox, the 1:1 and group messages the fake
//! accepted, and the requests it received.

use serde_json::{Value, json};

use super::TestApp;

impl TestApp {
    /// Runs one scheduler tick at the app's current time.
    pub async fn tick(&self) {
        dingwarden::scheduler::tick(&self.state, self.now())
            .await
            .expect("scheduler tick");
    }

    /// Runs the delivery worker at the test clock's now until a round
    /// changes nothing (rows not yet due, or held back by a rate limit,
    /// stay queued). Returns the summed report.
    pub async fn drain(&self) -> dingwarden::delivery::DrainReport {
        self.state.settle().await;
        let now = self.now();
        let mut total = dingwarden::delivery::DrainReport::default();
        for _ in 0..10_000 {
            let r = dingwarden::delivery::drain_once(&self.state.delivery, now)
                .await
                .expect("drain the outbox");
            total.claimed += r.claimed;
            total.sent += r.sent;
            total.retried += r.retried;
            total.dead += r.dead;
            total.deferred += r.deferred;
            total.next_wake = r.next_wake;
            if !r.progressed() {
                break;
            }
        }
        total
    }

    /// The OpenAPI 1:1 messages the fake accepted for `staff_id`, in order,
    /// as `{"msgKey": …, "param": {…msgParam decoded…}}`.
    pub fn dms(&self, staff_id: &str) -> Vec<Value> {
        self.dingtalk
            .accepted()
            .into_iter()
            .filter(|a| a.api == "batch_send" && a.to.iter().any(|u| u == staff_id))
            .map(|a| json!({"msgKey": a.msg_key, "param": a.param}))
            .collect()
    }

    /// The visible texts of [`dms`](Self::dms) (button titles as `[title]` lines).
    pub fn dm_texts(&self, staff_id: &str) -> Vec<String> {
        self.dms(staff_id)
            .iter()
            .map(|m| crate::fake_dingtalk::param_text(&m["param"]))
            .collect()
    }

    /// The visible texts the fake accepted for a group (by open conversation id).
    pub fn group_texts(&self, conversation: &str) -> Vec<String> {
        self.dingtalk
            .accepted()
            .into_iter()
            .filter(|a| a.api == "group_send" && a.to == [conversation])
            .map(|a| crate::fake_dingtalk::param_text(&a.param))
            .collect()
    }

    /// Requests the fake received at `path`, in order.
    pub async fn requests_to(&self, path: &str) -> Vec<wiremock::Request> {
        self.fake
            .received_requests()
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.url.path() == path)
            .collect()
    }
}
