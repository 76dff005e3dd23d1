//! `dingwarden stream check`: open one Stream connection with the configured
//! credentials, wait for the first frame (or the timeout), and say in one
//! or two lines what happened. Data frames are not acked, so DingTalk
//! redelivers them to the running service; a ping is answered.

use std::time::Duration;

use anyhow::Context as _;
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

use super::frame::{self, AckCode, Frame, FrameType};
use super::gateway::{self, OpenError};
use crate::config::Config;

/// Runs the check; `Ok` (exit 0) once connected, an error (exit 1) otherwise.
pub async fn run(config: Config, wait: Duration) -> anyhow::Result<()> {
    let http = reqwest::Client::builder()
        .user_agent(concat!("dingwarden/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(15))
        .build()
        .context("build HTTP client")?;
    let ticket = gateway::open(&http, &config)
        .await
        .map_err(|e| explain(&e))?;
    let mut socket = gateway::connect(&ticket).await.map_err(|e| explain(&e))?;
    let host = url::Url::parse(&ticket.endpoint)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    let start = Instant::now();
    let seen = first_frame(&mut socket, start + wait, &host).await?;
    let secs = start.elapsed().as_secs_f64();
    match seen.as_deref().map(Frame::parse) {
        None => println!(
            "connected to {host}; no frame within {} s (normal while nobody writes to the bot)",
            wait.as_secs()
        ),
        Some(Ok(f)) => {
            println!(
                "connected to {host}; first frame after {secs:.1} s: {} {}",
                f.frame_type.label(),
                f.topic()
            );
            if let (FrameType::System, "ping", Some(id)) = (f.frame_type, f.topic(), f.message_id())
            {
                let pong = frame::ack(id, AckCode::Ok, "OK", &f.data);
                let _ = socket.send(Message::text(pong)).await;
            }
        }
        Some(Err(e)) => {
            println!("connected to {host}; first frame after {secs:.1} s was invalid: {e}");
        }
    }
    let _ = tokio::time::timeout(Duration::from_secs(2), socket.close(None)).await;
    Ok(())
}

/// The first text frame before `deadline`, or `None`; an error when the
/// connection ends first.
async fn first_frame(
    socket: &mut gateway::Socket,
    deadline: Instant,
    host: &str,
) -> anyhow::Result<Option<String>> {
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Err(_) => return Ok(None),
            Ok(Some(Ok(Message::Text(text)))) => return Ok(Some(text.as_str().to_owned())),
            Ok(Some(Ok(Message::Close(_))) | None) => {
                anyhow::bail!("connected to {host}, but the gateway closed the connection")
            }
            Ok(Some(Ok(_))) => {}
            Ok(Some(Err(e))) => {
                anyhow::bail!("connected to {host}, then the connection failed: {e}")
            }
        }
    }
}

fn explain(e: &OpenError) -> anyhow::Error {
    match e {
        OpenError::Refused { .. } => anyhow::anyhow!(
            "{e}\ncheck DINGTALK_APP_KEY and DINGTALK_APP_SECRET, and that the app's robot receives messages in Stream mode"
        ),
        _ => anyhow::anyhow!("{e}"),
    }
}
