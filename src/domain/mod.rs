//! Domain types and rules. Knows nothing of HTTP, SQL or DingTalk JSON.

pub mod chat;
pub mod credential;
#[cfg(test)]
mod credential_tests;
pub mod message;
pub mod password;
pub mod password_messages;
pub mod schedule;
pub mod user;

pub use message::{Button, Message, Reply};
pub use user::{Access, Role, User};
