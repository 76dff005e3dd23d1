//! Stream mode (issue 14, PROTOCOL.md §6): instead of listening for
//! DingTalk's HTTP callbacks, dial out to its Stream gateway over a
//! WebSocket and receive robot messages and organisation events there.
//! This module owns the client: one connection per replica, kept open with
//! pings, reopened with a fresh ticket and backoff whenever it ends, closed
//! gracefully on shutdown. What a frame means is decided by `dispatch`
//! through the same admission as HTTP callbacks.

pub mod backoff;
pub mod check;
pub mod dispatch;
pub mod frame;
pub mod gateway;
pub mod liveness;
pub mod session;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::config::StreamSettings;
use crate::state::AppState;
use backoff::Backoff;
use gateway::{OpenError, Socket};
use session::Ended;

/// Frames handled at once per replica (as the official SDKs bound them);
/// beyond that a frame is left unacked for DingTalk to redeliver.
const MAX_FRAMES_IN_FLIGHT: usize = 100;

/// What a connection needs: the service state and the Stream settings.
#[derive(Clone)]
pub struct Client {
    pub state: AppState,
    pub settings: StreamSettings,
    slots: Arc<Semaphore>,
}

impl Client {
    pub fn new(state: AppState) -> Self {
        Self {
            settings: state.config.stream.clone(),
            state,
            slots: Arc::new(Semaphore::new(MAX_FRAMES_IN_FLIGHT)),
        }
    }
}

/// Keeps one Stream connection open until `shutdown`: connect, run the
/// connection, and after it ends (or after a failed open) wait the backoff
/// and connect again with a new ticket.
pub async fn run(state: AppState, shutdown: CancellationToken) {
    let client = Client::new(state);
    let metrics = &client.state.metrics.stream;
    let mut backoff = Backoff::new(&client.settings);
    let mut first = true;
    loop {
        if !std::mem::take(&mut first) {
            metrics.reconnects.inc();
        }
        let opened = tokio::select! {
            () = shutdown.cancelled() => return,
            opened = connect(&client.state) => opened,
        };
        let delay = match opened {
            Ok((socket, host)) => {
                let up = Instant::now();
                metrics.connected.set(1);
                tracing::info!(%host, "Stream: connected");
                let ended = session::run(&client, socket, &shutdown).await;
                metrics.connected.set(0);
                backoff.connection_ended(up.elapsed());
                if ended == Ended::Shutdown {
                    tracing::info!("Stream: connection closed for shutdown");
                    return;
                }
                let delay = backoff.next_delay(rand::random());
                log_ended(&ended, delay);
                delay
            }
            Err(e) => {
                metrics.open_failed(e.reason());
                let delay = backoff.next_delay(rand::random());
                log_open_failure(&e, delay);
                delay
            }
        };
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(delay) => {}
        }
    }
}

/// Opens a connection with a new ticket; returns it with the endpoint's host.
pub async fn connect(state: &AppState) -> Result<(Socket, String), OpenError> {
    let ticket = gateway::open(&state.http, &state.config).await?;
    let host = url::Url::parse(&ticket.endpoint)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    let socket = gateway::connect(&ticket).await?;
    Ok((socket, host))
}

fn log_ended(ended: &Ended, delay: Duration) {
    let retry = format!("{:.1}", delay.as_secs_f64());
    match ended {
        Ended::Disconnect => {
            tracing::info!(reconnect_in_secs = %retry, "Stream: reconnecting as the gateway asked");
        }
        Ended::Dead => tracing::warn!(
            reconnect_in_secs = %retry,
            "Stream: nothing heard for two keepalive intervals; connection dropped"
        ),
        Ended::Closed(reason) => tracing::warn!(
            %reason,
            reconnect_in_secs = %retry,
            "Stream: connection lost"
        ),
        Ended::Shutdown => {}
    }
}

/// One line per failed attempt, saying what to check.
fn log_open_failure(e: &OpenError, delay: Duration) {
    let retry = format!("{:.1}", delay.as_secs_f64());
    match e {
        OpenError::Refused { .. } => tracing::error!(
            reconnect_in_secs = %retry,
            "Stream: {e}; check DINGTALK_APP_KEY and DINGTALK_APP_SECRET, and that the app's robot uses Stream mode"
        ),
        _ => tracing::warn!(reconnect_in_secs = %retry, "Stream: {e}"),
    }
}
