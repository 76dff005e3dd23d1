//! Delivery benchmark (issue 3): the real worker loop drains queued 1:1
//! messages from SQLite into a fake DingTalk on loopback that answers at
//! once. Three runs in one process, so their ratios compare like with like:
//!
//! 1. no limit, the default send concurrency (one batch in flight):
//!    messages/s and the share of wall time spent outside the HTTP call
//!    (claiming, recording, scheduling);
//! 2. no limit, eight sends in flight (`DINGWARDEN_DELIVERY_CONCURRENCY=8`);
//! 3. a configured limit, default concurrency: the achieved rate as a share
//!    of the limit.
//!
//! `cargo bench --bench delivery [-- MESSAGES LIMITED_MESSAGES QPS]`
//! (defaults 10000 10000 500). Figures: bench/README.md.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use axum::Json;
use axum::routing::post;
use dingwarden::clock::SystemClock;
use dingwarden::domain::Message;
use dingwarden::store::outbox::{self, Outbound};
use dingwarden::{AppState, Config, Store};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

/// The fake: a token endpoint and a batchSend that counts messages.
async fn start_fake() -> anyhow::Result<(String, Arc<AtomicU64>)> {
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    let app = axum::Router::new()
        .route(
            "/v1.0/oauth2/accessToken",
            post(|| async { Json(json!({"accessToken": "bench", "expireIn": 7200})) }),
        )
        .route(
            "/v1.0/robot/oToMessages/batchSend",
            post(move |Json(body): Json<Value>| {
                let n = body["userIds"].as_array().map_or(0, Vec::len) as u64;
                counter.fetch_add(n, Ordering::Relaxed);
                async { Json(json!({"processQueryKey": "k", "invalidStaffIdList": []})) }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((url, sent))
}

struct Run {
    messages: u64,
    elapsed: Duration,
    /// Seconds spent inside sends (summed over concurrent sends).
    send_seconds: f64,
}

impl Run {
    fn rate(&self) -> f64 {
        self.messages as f64 / self.elapsed.as_secs_f64()
    }
}

/// Queues `messages` 1:1 rows in a fresh SQLite database and runs the
/// worker until every one is delivered.
async fn run(fake: &str, messages: u64, qps: u32, concurrency: usize) -> anyhow::Result<Run> {
    let dir = tempfile::tempdir()?;
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let store = Store::open(&url).await?;
    let mut config = Config::for_tests(fake, "bench-secret");
    config.delivery.openapi_qps = qps;
    config.delivery.concurrency = concurrency;
    config.delivery.openapi_timeout = Duration::from_secs(10);
    let now_ms = chrono::Utc::now().timestamp_millis();
    let msg = Message::text("基准测试 benchmark");
    let mut tx = store.begin_write().await?;
    for i in 0..messages {
        let to = [format!("user{i}")];
        outbox::enqueue(tx.conn(), &Outbound::direct(&to, &msg), now_ms).await?;
    }
    tx.commit().await?;
    let state = AppState::new(config, store.clone(), Arc::new(SystemClock))?;
    let shutdown = CancellationToken::new();
    let started = Instant::now();
    let worker = tokio::spawn(dingwarden::delivery::run(
        state.delivery.clone(),
        shutdown.clone(),
    ));
    loop {
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")
            .fetch_one(store.pool())
            .await?;
        if left == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let elapsed = started.elapsed();
    shutdown.cancel();
    worker.await?;
    let send_seconds = metric(
        &state.metrics.render(),
        "dingwarden_outbox_send_seconds_sum",
    )
    .context("send duration metric")?;
    store.close().await;
    Ok(Run {
        messages,
        elapsed,
        send_seconds,
    })
}

fn metric(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(name))?
        .rsplit(' ')
        .next()?
        .parse()
        .ok()
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let messages = args.first().copied().unwrap_or(10_000);
    let limited = args.get(1).copied().unwrap_or(10_000);
    let qps = u32::try_from(args.get(2).copied().unwrap_or(500))?;
    let (fake, received) = start_fake().await?;
    // What production runs with, and the opt-in this run compares it to.
    let defaults = dingwarden::config::Sources::from_maps(Default::default(), Default::default());
    let default_concurrency = Config::load(&defaults, true)?.delivery.concurrency;
    let wide = 8;

    let serial = run(&fake, messages, 1_000_000, default_concurrency).await?;
    let wall = serial.elapsed.as_secs_f64();
    let outside = 1.0 - serial.send_seconds / wall;
    println!(
        "unlimited, {default_concurrency} in flight (the default):  {messages} messages in {wall:.2} s = {:.0} msg/s; \
         {:.1} % of the time outside the HTTP call ({:.2} ms per message outside, \
         {:.2} ms inside)",
        serial.rate(),
        outside * 100.0,
        (wall - serial.send_seconds) * 1000.0 / messages as f64,
        serial.send_seconds * 1000.0 / messages as f64,
    );
    let parallel = run(&fake, messages, 1_000_000, wide).await?;
    println!(
        "unlimited, {wide} in flight:  {messages} messages in {:.2} s = {:.0} msg/s \
         ({:.2}× the serial rate)",
        parallel.elapsed.as_secs_f64(),
        parallel.rate(),
        parallel.rate() / serial.rate()
    );
    let capped = run(&fake, limited, qps, default_concurrency).await?;
    // The first second's burst is free; count it as if it had taken its time.
    let steady = (limited.saturating_sub(u64::from(qps))) as f64 / capped.elapsed.as_secs_f64();
    println!(
        "limit {qps}/s:  {limited} messages in {:.2} s = {:.0} msg/s overall; \
         steady rate {:.0} msg/s = {:.1} % of the limit",
        capped.elapsed.as_secs_f64(),
        capped.rate(),
        steady,
        steady / f64::from(qps) * 100.0
    );
    let expected = 2 * messages + limited;
    let got = received.load(Ordering::Relaxed);
    anyhow::ensure!(
        got == expected,
        "the fake received {got} messages, expected {expected}"
    );
    Ok(())
}
