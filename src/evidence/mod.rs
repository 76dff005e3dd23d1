//! Evidence for auditors (issue 17): one ZIP with everything an auditor
//! needs, each file hashed in a manifest that a configured Ed25519 key
//! signs, and the offline check of such a bundle.

pub mod bundle;
pub mod chain;
pub mod export;
pub mod key;
pub mod manifest;
mod readme;
pub mod sections;
pub mod verify;
