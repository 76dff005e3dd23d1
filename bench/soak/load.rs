//! The soak's load: signed robot callbacks from the simulated people, each
//! going through a fixed mix of commands in order (help, me, a quiz and its
//! answers, an acknowledgement, a report), either as fast as they are
//! answered (to measure the maximum) or paced at a fixed rate, open loop (a
//! request is sent on time whether or not earlier ones were answered, so a
//! slow server shows as latency, not as a lower rate).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use dingwarden::dingtalk::signature::sign;
use serde_json::json;
use tokio::sync::Mutex;

use crate::server::{SECRET, user};

/// What each person sends, in this order, round after round.
pub const MIX: &[&str] = &[
    "help",
    "me",
    "quiz",
    "A",
    "B",
    "A",
    "ack 1",
    "report 收到一封冒充IT部门索要密码的邮件",
    "B",
];

/// Sends signed callbacks to one server.
pub struct Client {
    http: reqwest::Client,
    url: String,
    fake: String,
    users: usize,
    seq: AtomicU64,
    /// Callbacks answered 200 (accepted into the server's inbox).
    accepted: AtomicU64,
}

impl Client {
    pub fn new(url: &str, fake: &str, users: usize) -> Self {
        Self {
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(256)
                .build()
                .unwrap(),
            url: format!("{url}/dingtalk/robot"),
            fake: fake.to_owned(),
            users,
            seq: AtomicU64::new(0),
            accepted: AtomicU64::new(0),
        }
    }

    /// Callbacks answered 200 and not yet among the server's `finished`
    /// commands. The server may count a command finished before this client
    /// has read its 200, so the difference stops at zero.
    pub fn unfinished(&self, finished: u64) -> u64 {
        self.accepted
            .load(Ordering::Relaxed)
            .saturating_sub(finished)
    }

    /// Sends the next command of the mix (person `n % users`, command by
    /// round); `Ok(latency)` when answered 200.
    pub async fn next(&self) -> Result<Duration, ()> {
        let n = self.seq.fetch_add(1, Ordering::Relaxed) as usize;
        let staff = user(n % self.users);
        let text = MIX[(n / self.users) % MIX.len()];
        self.send(&staff, text, n).await
    }

    /// Sends `text` as `staff`.
    pub async fn send(&self, staff: &str, text: &str, n: usize) -> Result<Duration, ()> {
        let now = chrono::Utc::now().timestamp_millis();
        let body = json!({
            "msgtype": "text", "text": {"content": text}, "msgId": format!("soak-{n}-{now}"),
            "conversationType": "1", "conversationId": format!("cid-{staff}"),
            "senderStaffId": staff, "senderNick": staff, "chatbotUserId": "soakbot",
            "robotCode": "soakappkey", "isAdmin": false, "createAt": now,
            "sessionWebhook": format!("{}/robot/sendBySession?session=cid-{staff}", self.fake),
            "sessionWebhookExpiredTime": now + 5_400_000,
        });
        let ts = now.to_string();
        let start = Instant::now();
        let resp = self
            .http
            .post(&self.url)
            .header("timestamp", &ts)
            .header("sign", sign(SECRET, &ts))
            .json(&body)
            .send()
            .await;
        match resp {
            Ok(r) if r.status().is_success() => {
                let _ = r.bytes().await;
                self.accepted.fetch_add(1, Ordering::Relaxed);
                Ok(start.elapsed())
            }
            _ => Err(()),
        }
    }
}

/// Latencies (µs) and errors of a stretch of load.
#[derive(Default)]
pub struct Tally {
    pub micros: Vec<u32>,
    pub errors: u64,
}

impl Tally {
    fn record(&mut self, result: Result<Duration, ()>) {
        match result {
            Ok(d) => self
                .micros
                .push(u32::try_from(d.as_micros()).unwrap_or(u32::MAX)),
            Err(()) => self.errors += 1,
        }
    }

    /// The `p` quantile (0–1), milliseconds.
    pub fn ms(&mut self, p: f64) -> f64 {
        if self.micros.is_empty() {
            return 0.0;
        }
        self.micros.sort_unstable();
        let i = ((self.micros.len() as f64 * p) as usize).min(self.micros.len() - 1);
        f64::from(self.micros[i]) / 1000.0
    }

    pub fn absorb(&mut self, other: Tally) {
        self.micros.extend(other.micros);
        self.errors += other.errors;
    }
}

/// Closed loop: `clients` senders, each sending as soon as its last was
/// answered and fewer than `window` accepted commands are unfinished
/// (`finished` is kept current by the caller), for `time`; the rate
/// answered and the tally.
pub async fn flat_out(
    client: &Arc<Client>,
    clients: usize,
    time: Duration,
    window: u64,
    finished: &Arc<AtomicU64>,
) -> (f64, Tally) {
    let deadline = Instant::now() + time;
    let start = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (client, finished) = (client.clone(), finished.clone());
            tokio::spawn(async move {
                let mut tally = Tally::default();
                while Instant::now() < deadline {
                    if client.unfinished(finished.load(Ordering::Relaxed)) >= window {
                        tokio::time::sleep(Duration::from_millis(2)).await;
                        continue;
                    }
                    tally.record(client.next().await);
                }
                tally
            })
        })
        .collect();
    let mut all = Tally::default();
    for t in tasks {
        all.absorb(t.await.unwrap());
    }
    let rate = all.micros.len() as f64 / start.elapsed().as_secs_f64();
    (rate, all)
}

/// Open loop: `rate` callbacks a second until `until`, each in its own
/// task, recorded into `tally` (the caller takes windows out of it).
pub async fn paced(client: Arc<Client>, rate: f64, until: Instant, tally: Arc<Mutex<Tally>>) {
    const TICK: Duration = Duration::from_millis(10);
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let start = Instant::now();
    let mut sent = 0u64;
    let mut inflight = tokio::task::JoinSet::new();
    while Instant::now() < until {
        ticker.tick().await;
        let due = (start.elapsed().as_secs_f64() * rate) as u64;
        for _ in sent..due {
            let (client, tally) = (client.clone(), tally.clone());
            inflight.spawn(async move {
                let result = client.next().await;
                tally.lock().await.record(result);
            });
        }
        sent = sent.max(due);
        while inflight.try_join_next().is_some() {}
    }
    while inflight.join_next().await.is_some() {}
}
