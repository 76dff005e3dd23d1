//! Domain types and rules. Knows nothing of HTTP, SQL or DingTalk JSON.

pub mod audience;
pub mod audit;
pub mod chat;
pub mod confirm;
pub mod console;
pub mod credential;
pub mod directory;
pub mod incident;
pub mod inert;
pub mod message;
pub mod notice;
pub mod org_event;
pub mod password;
pub mod printable;
pub mod quiz;
pub mod retention;
pub mod roster;
pub mod schedule;
pub mod user;

pub use message::{Button, Message, Reply};
pub use user::{Access, Named, Person, Role, User};
