//! Where a claimed row goes: DingTalk's OpenAPI (1:1 batch, group, custom
//! robot), or in `serve --dev` the dev sink that `dingwarden chat` shows.
//! Both sit behind the same outbox, retries and rate governor.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::config::CustomRobot;
use crate::devsink::DevSink;
use crate::dingtalk::api_error::ApiError;
use crate::dingtalk::openapi::OpenApi;
use crate::store::delivery::Content;
use crate::store::outbox::Channel;

/// What DingTalk accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sent {
    pub process_query_key: Option<String>,
    /// Recipients DingTalk will not deliver to (unknown or filtered users).
    pub undeliverable: Vec<String>,
    /// Recipients DingTalk throttled this time; to be retried alone.
    pub flow_controlled: Vec<String>,
}

/// The way out.
pub enum Transport {
    DingTalk(Box<OpenApi>),
    DevSink(Arc<DevSink>),
}

impl Transport {
    /// The API a channel's rows use, as recorded and in metrics.
    pub fn api(&self, channel: Channel) -> &'static str {
        match (self, channel) {
            (Transport::DevSink(_), _) => "dev_sink",
            (_, Channel::Direct) => "batch_send",
            (_, Channel::Group) => "group_send",
            (_, Channel::CustomRobot) => "robot_send",
        }
    }

    /// Sends one row's message to the recipients it is still owed to.
    /// `row_id` makes custom-robot repeats idempotent (`msgUuid`).
    pub async fn send(
        &self,
        robots: &[CustomRobot],
        row_id: i64,
        content: &Content,
        now: DateTime<Utc>,
    ) -> Result<Sent, ApiError> {
        if content.recipients.is_empty() {
            return Ok(Sent::default());
        }
        let api = match self {
            Transport::DingTalk(api) => api,
            Transport::DevSink(sink) => {
                sink.push(
                    content.channel.as_str(),
                    content.recipients.clone(),
                    content.message.clone(),
                    now.timestamp_millis(),
                );
                return Ok(Sent::default());
            }
        };
        match content.channel {
            Channel::Direct => {
                let out = api
                    .batch_send(&content.recipients, &content.message, now)
                    .await?;
                let mut undeliverable = out.invalid;
                undeliverable.extend(out.filtered);
                Ok(Sent {
                    process_query_key: out.process_query_key,
                    undeliverable,
                    flow_controlled: out.flow_controlled,
                })
            }
            Channel::Group => {
                let key = api
                    .group_send(&content.recipients[0], &content.message, now)
                    .await?;
                Ok(Sent {
                    process_query_key: key,
                    ..Sent::default()
                })
            }
            Channel::CustomRobot => {
                let name = &content.recipients[0];
                let robot = robots.iter().find(|r| &r.name == name).ok_or_else(|| {
                    ApiError::Invalid(format!("no custom robot named '{name}' is configured"))
                })?;
                let uuid = format!("dingwarden-outbox-{row_id}");
                api.robot_send(robot, &content.message, &uuid, now).await?;
                Ok(Sent::default())
            }
        }
    }
}
