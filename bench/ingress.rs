//! Ingress benchmark: signed `help` callbacks at `/dingtalk/robot` (msgId
//! dedupe on SQLite with `synchronous=FULL`, replies POSTed to a loopback
//! sink) against a bare axum route that only verifies and parses, in the
//! same run, alternating rounds. Prints requests/s, p50/p99 and the ratio.
//! A third target sends every callback of a round with one shared
//! (timestamp, sign) pair, as a replayed capture would within the grace:
//! its rate must stay that of fresh pairs (the replay check is one lookup).
//! Each claim also stores the command in the inbox, and each `help` marks
//! its row handled; at the end no row may still hold a command.
//!
//! Run: `cargo bench --bench ingress` (env: BENCH_SECS per round, default 4;
//! BENCH_CONCURRENCY, default 32; BENCH_ROUNDS, default 3; BENCH_ONLY=robot
//! or BENCH_ONLY=bare to run one target, e.g. under a profiler;
//! BENCH_ONLY=shared for the shared-pair flood alone).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use dingwarden::clock::SystemClock;
use dingwarden::dingtalk::inbound::RobotCallback;
use dingwarden::dingtalk::signature::{sign, verify};
use dingwarden::{AppState, Config, Store};
use secrecy::SecretString;
use serde_json::{Value, json};

const SECRET: &str = "bench-secret-0123456789abcdefghijklmnopqrstuvwxyz";

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The baseline: verify the signature and parse the body, nothing else.
async fn bare(headers: HeaderMap, body: Bytes) -> Result<Json<Value>, StatusCode> {
    let h = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .ok_or(StatusCode::UNAUTHORIZED)
    };
    let secrets = [SecretString::from(SECRET.to_owned())];
    let now = chrono::Utc::now().timestamp_millis();
    verify(&secrets, h("timestamp")?, h("sign")?, now, 3_600_000)
        .map_err(|_| StatusCode::UNAUTHORIZED)?;
    let cb = RobotCallback::parse(&body).map_err(|_| StatusCode::BAD_REQUEST)?;
    cb.into_chat_message()
        .map_err(|_| StatusCode::BAD_REQUEST)?;
    Ok(Json(json!({"msgtype": "empty"})))
}

async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

struct Round {
    rps: f64,
    p50: Duration,
    p99: Duration,
    errors: u64,
}

async fn load(url: String, webhook: String, secs: u64, concurrency: u64, shared: bool) -> Round {
    // One pair for the whole round when shared (a new one per round: a pair
    // seen again after the 60 s grace with a new msgId is a replay).
    let pair_ts = chrono::Utc::now().timestamp_millis();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency as usize)
        .build()
        .unwrap();
    let seq = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..concurrency {
        let (client, url, webhook, seq, errors) = (
            client.clone(),
            url.clone(),
            webhook.clone(),
            seq.clone(),
            errors.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while Instant::now() < deadline {
                let n = seq.fetch_add(1, Ordering::Relaxed);
                let now = chrono::Utc::now().timestamp_millis();
                let body = json!({
                    "msgtype": "text", "text": {"content": "help"}, "msgId": format!("bench-{worker}-{n}-{now}"),
                    "conversationType": "1", "conversationId": format!("cid{worker}"),
                    "senderStaffId": format!("user{}", worker % 8), "senderNick": "Bench",
                    "sessionWebhook": format!("{webhook}/robot/sendBySession?session=cid{worker}"),
                    "sessionWebhookExpiredTime": now + 5_400_000, "createAt": now,
                });
                let ts = if shared { pair_ts } else { now }.to_string();
                let t = Instant::now();
                let resp = client.post(&url).header("timestamp", &ts).header("sign", sign(SECRET, &ts)).json(&body).send().await;
                match resp {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        lat.push(t.elapsed());
                    }
                    _ => {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    Round {
        rps: all.len() as f64 / elapsed,
        p50: pct(0.50),
        p99: pct(0.99),
        errors: errors.load(Ordering::Relaxed),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let secs = env_num("BENCH_SECS", 4);
    let concurrency = env_num("BENCH_CONCURRENCY", 32);
    let rounds = env_num("BENCH_ROUNDS", 3);
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("server")
        .enable_all()
        .build()
        .unwrap();
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("loadgen")
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let replies = Arc::new(AtomicU64::new(0));
    // The sink stands in for DingTalk: its own thread, as DingTalk is not
    // part of the server (all threads still share the machine's cores).
    let sink_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("sink")
        .enable_all()
        .build()
        .unwrap();
    let counter = replies.clone();
    let sink_url = sink_rt.block_on(serve(axum::Router::new().route(
        "/robot/sendBySession",
        post(move || {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::Relaxed);
                Json(json!({"errcode": 0, "errmsg": "ok"}))
            }
        }),
    )));
    let (app_url, bare_url, state) = server_rt.block_on(async {
        let store = Store::open(&format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        ))
        .await
        .unwrap();
        let config = Config::for_tests(&sink_url, SECRET);
        let state = AppState::new(config, store, Arc::new(SystemClock)).unwrap();
        let app_url = serve(dingwarden::http::router(state.clone())).await + "/dingtalk/robot";
        let bare_url = serve(axum::Router::new().route("/bare", post(bare))).await + "/bare";
        (app_url, bare_url, state)
    });
    println!(
        "ingress benchmark: {rounds} rounds × {secs}s per target, {concurrency} concurrent clients, 2 server threads"
    );
    let (mut bare_rps, mut app_rps, mut shared_rps) = (Vec::new(), Vec::new(), Vec::new());
    for round in 1..=rounds {
        let only = std::env::var("BENCH_ONLY").unwrap_or_default();
        for (name, url, shared) in [
            ("bare route", &bare_url, false),
            ("/dingtalk/robot", &app_url, false),
            ("robot shared pair", &app_url, true),
        ] {
            if !only.is_empty() && !name.contains(only.as_str()) {
                continue;
            }
            let r = client_rt.block_on(load(
                url.clone(),
                sink_url.clone(),
                secs,
                concurrency,
                shared,
            ));
            println!(
                "  round {round} {name:<16} {:>8.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms   errors {}",
                r.rps,
                r.p50.as_secs_f64() * 1e3,
                r.p99.as_secs_f64() * 1e3,
                r.errors
            );
            match (name, shared) {
                ("bare route", _) => bare_rps.push(r.rps),
                (_, false) => app_rps.push(r.rps),
                (_, true) => shared_rps.push(r.rps),
            }
        }
    }
    server_rt.block_on(state.settle());
    let accepted: u64 = sqlx_count(&server_rt, &state);
    if bare_rps.is_empty() || app_rps.is_empty() {
        return;
    }
    let (b, a) = (median(bare_rps), median(app_rps));
    println!(
        "median: bare {b:.0} req/s, /dingtalk/robot {a:.0} req/s → ratio {:.2}×",
        a / b
    );
    if !shared_rps.is_empty() {
        let s = median(shared_rps);
        println!(
            "median: one shared signature pair {s:.0} req/s → ratio {:.2}× ({:.2}× of fresh pairs)",
            s / b,
            s / a
        );
    }
    println!(
        "durable msgIds {accepted}, replies received by the sink {}, inbox rows still holding a command {}",
        replies.load(Ordering::Relaxed),
        kept_commands(&server_rt, &state)
    );
}

/// Inbox rows not handled, or handled but still holding their text: 0
/// once every answered callback's command has run.
fn kept_commands(rt: &tokio::runtime::Runtime, state: &AppState) -> i64 {
    rt.block_on(async {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM inbound_messages WHERE handled_at IS NULL OR command IS NOT NULL",
        )
        .fetch_one(state.store.pool())
        .await
        .unwrap()
    })
}

fn sqlx_count(rt: &tokio::runtime::Runtime, state: &AppState) -> u64 {
    rt.block_on(async {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inbound_messages")
            .fetch_one(state.store.pool())
            .await
            .unwrap();
        u64::try_from(n).unwrap_or(0)
    })
}
