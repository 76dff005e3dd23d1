//! Domain types and rules. Knows nothing of HTTP, SQL or DingTalk JSON.

pub mod chat;
pub mod message;
pub mod notice;
pub mod schedule;
pub mod user;

pub use message::{Button, Message, Reply};
pub use user::{Access, Role, User};
