//! DingTalk at the edges: callback signatures and bodies in, message JSON and
//! HTTP calls out. Nothing here knows about commands or storage.

pub mod api_error;
pub mod contacts;
pub mod crypto;
pub mod events;
pub mod inbound;
pub mod message;
pub mod oauth;
pub mod openapi;
pub mod signature;
pub mod webhook;
