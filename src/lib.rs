//! dingwarden: a DingTalk chat bot for an organisation's security operations.
//!
//! Data flows one way: [`http`] (verified callbacks) → [`commands`] (parse,
//! authorise, handle) → [`domain`] + [`store`] → outbox → [`dingtalk`].

pub mod actions;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod delivery;
pub mod devsink;
pub mod dingtalk;
pub mod domain;
pub mod error;
pub mod evidence;
pub mod http;
pub mod i18n;
pub mod ingress;
pub mod jobs;
pub mod keyed;
pub mod manifest;
pub mod metrics;
pub mod reports;
pub mod scheduler;
pub mod startup;
pub mod state;
pub mod store;
pub mod stream;
pub mod supervise;
pub mod telemetry;

pub use config::Config;
pub use state::AppState;
pub use store::Store;
