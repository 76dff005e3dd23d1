//! The delivery engine: claims due outbox rows under a lease, asks the rate
//! governor, sends them (DingTalk or the dev sink), and records each outcome
//! with the features' delivery hooks as soon as its send returns. A crash
//! repeats at most the sends in flight: their rows are claimed again once the
//! lease ends.
//! [`drain_once`] is one round; [`worker::run`] loops it in `serve`.

pub mod governor;
pub mod outcome;
pub mod transport;
pub mod worker;

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use rand::Rng as _;
use tokio::sync::{Notify, Semaphore};
use tokio::task::JoinSet;

use crate::clock::Clock;
use crate::config::Config;
use crate::devsink::DevSink;
use crate::dingtalk::api_error::ApiError;
use crate::dingtalk::openapi::OpenApi;
use crate::metrics::{ApiLabels, Metrics};
use crate::store::Store;
use crate::store::delivery::{self as sql, ClaimedRow};
use governor::{Governor, Lane};
use outcome::{Decision, Status};
use transport::{Sent, Transport};

pub use worker::{refresh_gauges, run};

/// Rows claimed per round, per unit of send concurrency.
const CLAIM_PER_SLOT: usize = 4;

/// The engine and everything it needs: one per process. It never sees the
/// application state that holds it.
pub struct Delivery {
    config: Arc<Config>,
    store: Store,
    clock: Arc<dyn Clock>,
    metrics: Arc<Metrics>,
    transport: Transport,
    governor: Governor,
    wake: Notify,
}

impl Delivery {
    /// DingTalk's OpenAPI, or the dev sink when one is given (`--dev`).
    pub fn new(
        config: Arc<Config>,
        store: Store,
        clock: Arc<dyn Clock>,
        http: reqwest::Client,
        dev_sink: Option<Arc<DevSink>>,
        metrics: Arc<Metrics>,
    ) -> Self {
        let transport = match dev_sink {
            Some(sink) => Transport::DevSink(sink),
            None => Transport::DingTalk(Box::new(OpenApi::new(
                http,
                &config,
                metrics.delivery.token_refreshes.clone(),
            ))),
        };
        let governor = Governor::new(
            config.delivery.openapi_qps,
            config.delivery.robot_per_minute,
        );
        Self {
            config,
            store,
            clock,
            metrics,
            transport,
            governor,
            wake: Notify::new(),
        }
    }

    /// Tells an idle worker that something was enqueued.
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

/// What one round did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DrainReport {
    pub claimed: usize,
    /// Rows finished as sent.
    pub sent: usize,
    /// Rows rescheduled (failure or flow-controlled recipients).
    pub retried: usize,
    /// Rows dead-lettered.
    pub dead: usize,
    /// Rows given back because their API or robot is at its rate limit.
    pub deferred: usize,
    /// When a rate-limited lane frees up, if one is blocked.
    pub next_wake: Option<DateTime<Utc>>,
}

impl DrainReport {
    /// Whether any row changed state.
    pub fn progressed(&self) -> bool {
        self.sent + self.retried + self.dead > 0
    }

    fn wake_at(&mut self, at: DateTime<Utc>) {
        self.next_wake = Some(self.next_wake.map_or(at, |w| w.min(at)));
    }
}

/// One round at `now`: claim a batch of due rows, send what the rate
/// governor allows (replies first), and record each outcome as soon as its
/// send returns, so a crash repeats only the sends still in flight.
pub async fn drain_once(state: &Arc<Delivery>, now: DateTime<Utc>) -> anyhow::Result<DrainReport> {
    let token = uuid::Uuid::new_v4().simple().to_string();
    let rows = claim_batch(state, &token, now).await?;
    let mut report = DrainReport {
        claimed: rows.len(),
        ..DrainReport::default()
    };
    let (admitted, mut deferred, done) = admit(state, rows, now, &mut report);
    let now_ms = now.timestamp_millis();
    for (row, api, d) in &done {
        if record(state, &token, row, api, d, now_ms).await {
            count(state, row.id, api, d, &mut report);
        }
    }
    deferred.extend(send_all(state, &token, admitted, now, &mut report).await);
    report.deferred = deferred.len();
    release(state, &token, &deferred).await;
    if let Some(at) = state.governor.next_unblock(now) {
        report.wake_at(at);
    }
    Ok(report)
}

/// Claims the most urgent due rows, skipping APIs known to be at their limit.
async fn claim_batch(
    state: &Delivery,
    token: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<ClaimedRow>> {
    let settings = &state.config.delivery;
    let now_ms = now.timestamp_millis();
    let lease_ms = i64::try_from(settings.lease.as_millis()).unwrap_or(i64::MAX / 4);
    let limit = i64::try_from(settings.concurrency * CLAIM_PER_SLOT).unwrap_or(32);
    let blocked = state.governor.blocked(now);
    let skip = sql::Skip {
        channels: &blocked.channels,
        robots: &blocked.robots,
    };
    let mut tx = state.store.begin_write().await?;
    let backend = state.store.backend();
    let rows = sql::claim(
        tx.conn(),
        backend,
        now_ms,
        now_ms + lease_ms,
        token,
        limit,
        skip,
    )
    .await?;
    tx.commit().await?;
    Ok(rows)
}

type Done = (ClaimedRow, &'static str, Decision);

/// Splits claimed rows (in priority order) into those the governor lets
/// through now, those to give back (their ids), and unreadable ones, which
/// are decided at once.
fn admit(
    state: &Delivery,
    rows: Vec<ClaimedRow>,
    now: DateTime<Utc>,
    report: &mut DrainReport,
) -> (Vec<ClaimedRow>, Vec<i64>, Vec<Done>) {
    let (mut admitted, mut deferred, mut done) = (Vec::new(), Vec::new(), Vec::new());
    for row in rows {
        let lane = match &row.content {
            Ok(c) => Lane::of(c.channel, &c.recipients),
            Err(reason) => {
                let e = ApiError::Invalid(reason.clone());
                let decision = decide(state, &row, &[], Err(e), now.timestamp_millis());
                done.push((row, "none", decision));
                continue;
            }
        };
        match state.governor.try_acquire(&lane, now) {
            Ok(()) => admitted.push(row),
            Err(at) => {
                report.wake_at(at);
                deferred.push(row.id);
            }
        }
    }
    (admitted, deferred, done)
}

fn decide(
    state: &Delivery,
    row: &ClaimedRow,
    recipients: &[String],
    result: Result<Sent, ApiError>,
    now_ms: i64,
) -> Decision {
    let jitter: f64 = rand::thread_rng().r#gen();
    outcome::decide(
        &state.config.delivery,
        row.attempts,
        row.had_delivery,
        recipients,
        result,
        now_ms,
        jitter,
    )
}

/// Sends the admitted rows, at most `concurrency` at a time, each task
/// recording its own outcome the moment DingTalk has answered; returns the
/// ids of rows given back.
/// Rows whose turn comes after half the lease has gone (DingTalk being
/// slow) are not started but given back, so no row is still being sent
/// when its lease ends and another worker may take it.
async fn send_all(
    state: &Arc<Delivery>,
    token: &str,
    rows: Vec<ClaimedRow>,
    now: DateTime<Utc>,
    report: &mut DrainReport,
) -> Vec<i64> {
    let cutoff = Instant::now() + state.config.delivery.lease / 2;
    let permits = Arc::new(Semaphore::new(state.config.delivery.concurrency));
    let mut tasks = JoinSet::new();
    let mut late = Vec::new();
    for row in rows {
        let Ok(permit) = permits.clone().acquire_owned().await else {
            break;
        };
        if Instant::now() > cutoff {
            late.push(row.id);
            continue;
        }
        let task_state = state.clone();
        let token = token.to_owned();
        tasks.spawn(async move {
            let _permit = permit;
            let (api, result) = send_row(&task_state, &row, now).await;
            let recipients = row.content.as_ref().map(|c| c.recipients.clone());
            let now_ms = now.timestamp_millis();
            let d = decide(
                &task_state,
                &row,
                &recipients.unwrap_or_default(),
                result,
                now_ms,
            );
            let recorded = record(&task_state, &token, &row, api, &d, now_ms).await;
            (row.id, api, d, recorded)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((id, api, d, true)) => count(state, id, api, &d, report),
            Ok(_) => {}
            // The row stays claimed and is retried after its lease.
            Err(e) => tracing::error!(error = %e, "delivery task failed"),
        }
    }
    if !late.is_empty() {
        tracing::warn!(
            rows = late.len(),
            "sends too slow; rows given back before their lease ends"
        );
    }
    late
}

async fn send_row(
    state: &Delivery,
    row: &ClaimedRow,
    now: DateTime<Utc>,
) -> (&'static str, Result<Sent, ApiError>) {
    let Ok(content) = row.content.as_ref() else {
        return ("none", Err(ApiError::Invalid("unreadable row".into())));
    };
    let d = state;
    let api = d.transport.api(content.channel);
    let started = Instant::now();
    let result = d
        .transport
        .send(&state.config.delivery.custom_robots, row.id, content, now)
        .await;
    state
        .metrics
        .delivery
        .send_seconds
        .get_or_create(&ApiLabels { api })
        .observe(started.elapsed().as_secs_f64());
    if let Err(e) = &result {
        tracing::warn!(outbox_id = row.id, channel = content.channel.as_str(), reason = e.kind(),
            error = %e, "delivery attempt failed");
    }
    (api, result)
}

/// Gives deferred rows back; if that fails they are claimed again once
/// the lease ends.
async fn release(state: &Delivery, token: &str, deferred: &[i64]) {
    if deferred.is_empty() {
        return;
    }
    let released = async {
        let mut tx = state.store.begin_write().await?;
        for id in deferred {
            sql::release(tx.conn(), *id, token).await?;
        }
        tx.commit().await
    };
    if let Err(e) = released.await {
        tracing::warn!(error = ?e, "deferred rows not released");
    }
}

/// Records one row's outcome in its own transaction; whether it was recorded.
async fn record(
    state: &Delivery,
    token: &str,
    row: &ClaimedRow,
    api: &str,
    d: &Decision,
    now_ms: i64,
) -> bool {
    let one = async {
        let mut tx = state.store.begin_write().await?;
        let ok = apply(tx.conn(), token, row, api, d, now_ms).await?;
        tx.commit().await?;
        anyhow::Ok(ok)
    };
    one.await.unwrap_or_else(|e| {
        tracing::error!(outbox_id = row.id, error = ?e, "recording a delivery failed");
        false
    })
}

/// Finishes one row (if the claim still holds) and tells the feature that
/// caused it who was reached.
async fn apply(
    conn: &mut sqlx::AnyConnection,
    token: &str,
    row: &ClaimedRow,
    api: &str,
    d: &Decision,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let accepted = d.accepted.as_ref();
    let finish = sql::Finish {
        status: d.status.as_str(),
        attempts: d.attempts,
        next_attempt_at: d.next_attempt_at,
        last_error: d.error.as_deref(),
        remaining: d.remaining.as_deref(),
        process_query_key: accepted.and_then(|a| a.process_query_key.as_deref()),
        sent_at: (d.status == Status::Sent).then_some(now_ms),
    };
    if !sql::finish(conn, row.id, token, &finish).await? {
        tracing::warn!(
            outbox_id = row.id,
            "lease lost before the outcome was recorded"
        );
        return Ok(false);
    }
    let Some(a) = accepted else { return Ok(true) };
    sql::record_delivery(
        conn,
        &sql::DeliveryRecord {
            outbox_id: row.id,
            api,
            process_query_key: a.process_query_key.as_deref(),
            delivered: &a.delivered,
            undeliverable: &a.undeliverable,
            flow_controlled: &a.flow_controlled,
            at_ms: now_ms,
        },
    )
    .await?;
    if let Some((kind, id)) = &row.reference {
        if !a.delivered.is_empty() {
            crate::store::delivered::on_delivered(conn, kind, *id, &a.delivered, now_ms).await?;
        }
        if !a.undeliverable.is_empty() {
            crate::store::delivered::on_undeliverable(conn, kind, *id, &a.undeliverable, now_ms)
                .await?;
        }
    }
    Ok(true)
}

fn count(state: &Delivery, id: i64, api: &'static str, d: &Decision, report: &mut DrainReport) {
    let m = &state.metrics.delivery;
    m.send(api, d.result);
    match d.status {
        Status::Sent => report.sent += 1,
        Status::Pending => {
            m.retries.inc();
            report.retried += 1;
        }
        Status::Dead => {
            m.dead_letters.inc();
            report.dead += 1;
            let error = d.error.as_deref().unwrap_or("");
            tracing::warn!(outbox_id = id, error, "outbox row dead-lettered");
        }
    }
}
