//! Soak (issue 13): the real `dingwarden serve` process (this build, a
//! fresh SQLite file, a roster imported with the CLI, one notice sent to
//! everyone) takes signed callbacks from a few hundred simulated people,
//! each going through help, me, a quiz and its answers, an
//! acknowledgement and a report. First the maximum is measured (32
//! clients, closed loop with at most 256 commands unfinished, 60 s: the rate
//! of commands finished, read from the server's `/metrics`, not the rate of
//! callbacks answered), then the load
//! runs open loop at half of it. Every 10 s the server's resident set size is
//! read from /proc and a line printed (RSS, rate, p50/p99 of that window,
//! errors, commands finished and still queued); at the end the overall
//! p50/p99, the RSS curve and the goals: RSS flat after warm-up (≤ 10 %
//! growth), no errors (nor a command accepted and never finished), RSS
//! ≤ 64 MiB.
//!
//! Run: `cargo bench --bench soak -- --minutes 10` (the default; also
//! `--seconds N`, `--users N` (200), `--rate R` to skip measuring).

mod load;
mod server;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use load::{Client, Tally, flat_out, paced};
use server::{Received, Serve};

const MIB: f64 = 1024.0 * 1024.0;
const SAMPLE_EVERY: Duration = Duration::from_secs(10);

struct Args {
    run: Duration,
    users: usize,
    rate: Option<f64>,
}

fn args() -> Args {
    let mut a = Args {
        run: Duration::from_secs(600),
        users: 200,
        rate: None,
    };
    let argv: Vec<String> = std::env::args().collect();
    for pair in argv.windows(2) {
        let value = || pair[1].parse::<f64>().expect("a number after the option");
        match pair[0].as_str() {
            "--minutes" => a.run = Duration::from_secs_f64(value() * 60.0),
            "--seconds" => a.run = Duration::from_secs_f64(value()),
            "--users" => a.users = value() as usize,
            "--rate" => a.rate = Some(value()),
            _ => {}
        }
    }
    a
}

/// One RSS sample and the load of the window before it.
struct Sample {
    at: Duration,
    rss: u64,
    rate: f64,
    p50: f64,
    p99: f64,
    errors: u64,
}

fn main() {
    let args = args();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(run(args));
}

async fn run(args: Args) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("soak.db");
    let received = Arc::new(Received::default());
    let fake = server::fake_dingtalk(received.clone()).await;
    server::import_roster(dir.path(), &db, &fake, args.users);
    let log = dir.path().join("serve.log");
    let serve = Serve::start(&db, &fake, &log).await;
    let client = Arc::new(Client::new(&serve.url, &fake, args.users));
    send_notice(&client, &received, args.users).await;
    let rate = match args.rate {
        Some(r) => r,
        None => measure_max(&client, &serve).await / 2.0,
    };
    println!(
        "soak: {rate:.0} callbacks/s for {:.0} s, {} people, RSS every {} s",
        args.run.as_secs_f64(),
        args.users,
        SAMPLE_EVERY.as_secs()
    );
    let (samples, mut total) = soak(&client, &serve, rate, args.run).await;
    let left = drain(&client, &serve).await;
    drop(serve);
    report(&samples, &mut total, &received, &log, left);
}

/// How long the maximum is measured, the start of it left out of the
/// finished rate (a database still small, the queue filling up), and how
/// many accepted commands may wait unfinished meanwhile. A minute of full
/// load grows the tables first: a maximum read on a fresh database was up
/// to 60 % above what the grown one sustained.
const MAX_FOR: Duration = Duration::from_secs(60);
const MAX_SETTLE: Duration = Duration::from_secs(30);
const MAX_WINDOW: u64 = 256;

/// The most the server sustains: 32 clients sending as fast as they are
/// answered, as long as fewer than 256 accepted commands are unfinished, for
/// 60 s; the rate at which commands were *finished* over the last 30 s. A
/// 200 only means the callback is in the inbox: sending as fast as callbacks
/// are answered would measure how fast the inbox fills, not what the server
/// keeps up with, and fill its memory with the backlog.
async fn measure_max(client: &Arc<Client>, serve: &Serve) -> f64 {
    let finished = Arc::new(AtomicU64::new(serve.finished().await));
    let done = AtomicBool::new(false);
    let load = async {
        let result = flat_out(client, 32, MAX_FOR, MAX_WINDOW, &finished).await;
        done.store(true, Ordering::Relaxed);
        result
    };
    let poll = async {
        let (start, mut mark) = (Instant::now(), None);
        while !done.load(Ordering::Relaxed) {
            finished.store(serve.finished().await, Ordering::Relaxed);
            if mark.is_none() && start.elapsed() >= MAX_SETTLE {
                mark = Some((finished.load(Ordering::Relaxed), Instant::now()));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        mark.expect("the maximum is measured for longer than it settles")
    };
    let ((answered, mut t), (from, at)) = tokio::join!(load, poll);
    let rate = (serve.finished().await - from) as f64 / at.elapsed().as_secs_f64();
    println!(
        "maximum: {rate:.0} commands/s finished ({answered:.0} callbacks/s answered 200; \
         32 clients, closed loop, at most {MAX_WINDOW} unfinished, {} s; p50 {:.2} ms, p99 {:.2} ms, errors {})",
        MAX_FOR.as_secs(),
        t.ms(0.5),
        t.ms(0.99),
        t.errors
    );
    let start = Instant::now();
    let left = drain(client, serve).await;
    println!(
        "inbox drained in {:.1} s ({left} left)",
        start.elapsed().as_secs_f64()
    );
    rate
}

/// Waits (up to 5 minutes) until the server has finished every command it
/// accepted; how many it had not finished when the wait ended.
async fn drain(client: &Client, serve: &Serve) -> u64 {
    let start = Instant::now();
    loop {
        let left = client.unfinished(serve.finished().await);
        if left == 0 || start.elapsed() > Duration::from_secs(300) {
            return left;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// admin1 writes a notice and sends it to everyone (so `ack 1` acknowledges
/// it); waits until the fake has delivered it to every person.
async fn send_notice(client: &Client, received: &Received, users: usize) {
    let new = "notice new security 钓鱼演练\n请阅读并回复 ack 1 确认。";
    for (i, text) in [new, "notice send 1 to all"].into_iter().enumerate() {
        client.send("admin1", text, i).await.expect("admin command");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let start = Instant::now();
    while received.sent.load(Ordering::Relaxed) < users as u64 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "notice not delivered"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Runs the paced load for `run`, sampling every 10 s.
async fn soak(
    client: &Arc<Client>,
    serve: &Serve,
    rate: f64,
    run: Duration,
) -> (Vec<Sample>, Tally) {
    let tally = Arc::new(Mutex::new(Tally::default()));
    let start = Instant::now();
    let load = tokio::spawn(paced(client.clone(), rate, start + run, tally.clone()));
    let mut finished = serve.finished().await;
    let mut samples =
        vec![sample(client, serve, start, &mut Tally::default(), &mut finished).await];
    let mut total = Tally::default();
    let first = tokio::time::Instant::from_std(start + SAMPLE_EVERY);
    let mut ticker = tokio::time::interval_at(first, SAMPLE_EVERY);
    while start.elapsed() < run {
        ticker.tick().await;
        let mut window = std::mem::take(&mut *tally.lock().await);
        samples.push(sample(client, serve, start, &mut window, &mut finished).await);
        total.absorb(window);
    }
    load.await.unwrap();
    total.absorb(std::mem::take(&mut *tally.lock().await));
    (samples, total)
}

/// A sample now: the server's RSS, the window's load and how far the
/// handlers are behind (`finished`: the count at the last sample), printed.
async fn sample(
    client: &Client,
    serve: &Serve,
    start: Instant,
    window: &mut Tally,
    finished: &mut u64,
) -> Sample {
    let now_finished = serve.finished().await;
    let done = now_finished.saturating_sub(*finished);
    *finished = now_finished;
    let s = Sample {
        at: start.elapsed(),
        rss: serve.rss(),
        rate: window.micros.len() as f64 / SAMPLE_EVERY.as_secs_f64(),
        p50: window.ms(0.5),
        p99: window.ms(0.99),
        errors: window.errors,
    };
    println!(
        "  {:>5.0} s  RSS {:>6.1} MiB  {:>6.0}/s  p50 {:>6.2} ms  p99 {:>7.2} ms  errors {}  \
         finished {:>4.0}/s  queued {}",
        s.at.as_secs_f64(),
        s.rss as f64 / MIB,
        s.rate,
        s.p50,
        s.p99,
        s.errors,
        done as f64 / SAMPLE_EVERY.as_secs_f64(),
        client.unfinished(now_finished),
    );
    s
}

/// The totals, the RSS curve and the goals.
fn report(samples: &[Sample], total: &mut Tally, received: &Received, log: &Path, left: u64) {
    let logged = std::fs::read_to_string(log).unwrap_or_default();
    let error_lines = logged.lines().filter(|l| l.contains("ERROR")).count();
    let warn_lines = logged.lines().filter(|l| l.contains("WARN")).count();
    // Kept after the run (the database's directory is not): slow scheduler
    // jobs and other warnings, with their times.
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join("soak-serve.log");
    if std::fs::write(&kept, &logged).is_ok() {
        println!("server log: {} ({warn_lines} WARN lines)", kept.display());
    }
    // A command accepted but never finished is an error too.
    let errors = total.errors + left;
    let (p50, p99) = (total.ms(0.5), total.ms(0.99));
    println!(
        "total: {} callbacks answered 200, {} not, p50 {p50:.2} ms, p99 {p99:.2} ms; \
         {} replies and {} OpenAPI messages at the fake; {error_lines} ERROR lines in the server log; \
         {left} accepted but not finished",
        total.micros.len(),
        total.errors,
        received.replies.load(Ordering::Relaxed),
        received.sent.load(Ordering::Relaxed),
    );
    let curve: Vec<String> = samples
        .iter()
        .map(|s| format!("{:.0} s {:.1}", s.at.as_secs_f64(), s.rss as f64 / MIB))
        .collect();
    println!("RSS curve (MiB): {}", curve.join(" · "));
    let end = samples.last().map_or(Duration::ZERO, |s| s.at);
    let warm_up = (end / 3).min(Duration::from_secs(60));
    let Some(warm) = samples.iter().position(|s| s.at >= warm_up) else {
        return;
    };
    let base = samples[warm].rss as f64;
    let after = samples[warm..].iter().map(|s| s.rss).max().unwrap_or(0) as f64;
    let peak = samples.iter().map(|s| s.rss).max().unwrap_or(0) as f64 / MIB;
    let growth = (after - base) / base * 100.0;
    println!(
        "RSS {:.1} MiB after warm-up ({:.0} s), at most {:.1} MiB afterwards: {growth:+.1} %; peak {peak:.1} MiB",
        base / MIB,
        samples[warm].at.as_secs_f64(),
        after / MIB
    );
    let verdict = |ok: bool| if ok { "met" } else { "NOT MET" };
    println!(
        "goals: RSS growth after warm-up <= 10 % {}; no errors {}; RSS <= 64 MiB {}",
        verdict(growth <= 10.0),
        verdict(errors == 0 && error_lines == 0),
        verdict(peak <= 64.0)
    );
}
