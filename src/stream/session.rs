//! One Stream connection, from open to close: read frames and hand them to
//! [`dispatch`], write their acks as they become ready, ping every
//! keepalive interval and give up on a silent connection. A `disconnect`
//! from the gateway or a shutdown stops reading, lets the frames in flight
//! finish and send their acks (bounded by the drain timeout), then closes.

use std::time::Duration;

use futures_util::{SinkExt as _, StreamExt as _};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::Client;
use super::dispatch::{self, Handled, Outgoing};
use super::gateway::Socket;
use super::liveness::{Liveness, Tick};

/// How long one write may take before the connection counts as broken.
const WRITE_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a connection ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ended {
    /// The service is stopping.
    Shutdown,
    /// The gateway asked for a new connection (SYSTEM `disconnect`).
    Disconnect,
    /// Closed or broken underneath us.
    Closed(String),
    /// Nothing heard for two keepalive intervals.
    Dead,
}

type Sink = futures_util::stream::SplitSink<Socket, Message>;

/// Runs one connection until it ends.
pub async fn run(client: &Client, socket: Socket, shutdown: &CancellationToken) -> Ended {
    let (mut sink, mut source) = socket.split();
    let (acks, mut ready) = mpsc::channel::<Outgoing>(256);
    let inflight = TaskTracker::new();
    let mut live = Liveness::new(client.settings.keepalive, Instant::now());
    let ended = loop {
        tokio::select! {
            biased;
            () = shutdown.cancelled() => break Ended::Shutdown,
            Some(out) = ready.recv() => {
                if let Err(e) = write_ack(client, &mut sink, out).await {
                    break Ended::Closed(e);
                }
            }
            msg = source.next() => {
                live.heard(Instant::now());
                if let Some(ended) = on_message(client, &mut sink, msg, &acks, &inflight).await {
                    break ended;
                }
            }
            () = tokio::time::sleep_until(live.deadline()) => match live.poll(Instant::now()) {
                Tick::Dead => break Ended::Dead,
                Tick::Ping => {
                    if let Err(e) = write(&mut sink, Message::Ping(Vec::new().into())).await {
                        break Ended::Closed(e);
                    }
                }
                Tick::Wait => {}
            },
        }
    };
    drop(acks);
    if matches!(ended, Ended::Shutdown | Ended::Disconnect) {
        drain(client, &mut sink, &mut ready, &inflight).await;
        let _ = write(&mut sink, Message::Close(None)).await;
    }
    let _ = tokio::time::timeout(WRITE_TIMEOUT, sink.close()).await;
    ended
}

/// Handles one thing read from the socket; `Some` when the connection ends.
async fn on_message(
    client: &Client,
    sink: &mut Sink,
    msg: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>,
    acks: &mpsc::Sender<Outgoing>,
    inflight: &TaskTracker,
) -> Option<Ended> {
    match msg {
        Some(Ok(Message::Text(text))) => {
            match dispatch::frame(client, text.as_str(), acks, inflight) {
                Handled::Reply(out) => write_ack(client, sink, out).await.err().map(Ended::Closed),
                Handled::Disconnect(out) => {
                    let _ = write_ack(client, sink, out).await;
                    Some(Ended::Disconnect)
                }
                Handled::Spawned | Handled::Nothing => None,
            }
        }
        Some(Ok(Message::Close(_))) | None => Some(Ended::Closed("closed by the gateway".into())),
        // Pings are answered by tungstenite; pongs and binary frames only count as signs of life.
        Some(Ok(_)) => None,
        Some(Err(e)) => Some(Ended::Closed(e.to_string())),
    }
}

/// Lets the frames in flight finish and writes their acks, for at most the
/// drain timeout. Frames not acked by then are redelivered by DingTalk.
async fn drain(
    client: &Client,
    sink: &mut Sink,
    ready: &mut mpsc::Receiver<Outgoing>,
    inflight: &TaskTracker,
) {
    inflight.close();
    let deadline = Instant::now() + client.settings.drain;
    loop {
        tokio::select! {
            out = ready.recv() => match out {
                Some(out) => {
                    if write_ack(client, sink, out).await.is_err() {
                        return;
                    }
                }
                // Every task has finished and dropped its sender.
                None => return,
            },
            () = tokio::time::sleep_until(deadline) => {
                tracing::warn!(
                    pending = inflight.len(),
                    "Stream: frames still in flight at close; DingTalk will redeliver them"
                );
                return;
            }
        }
    }
}

async fn write_ack(client: &Client, sink: &mut Sink, out: Outgoing) -> Result<(), String> {
    write(sink, Message::text(out.text)).await?;
    let seconds = out.received.elapsed().as_secs_f64();
    client.state.metrics.stream.ack_seconds.observe(seconds);
    Ok(())
}

async fn write(sink: &mut Sink, msg: Message) -> Result<(), String> {
    match tokio::time::timeout(WRITE_TIMEOUT, sink.send(msg)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("write blocked for {} s", WRITE_TIMEOUT.as_secs())),
    }
}
