//! DingTalk at the edges: callback signatures and bodies in, message JSON and
//! HTTP calls out. Nothing here knows about commands or storage.

pub mod contacts;
pub mod crypto;
pub mod inbound;
pub mod message;
pub mod signature;
pub mod webhook;
