//! Evidence for auditors (issue 17): the bundle's format — a ZIP whose files
//! are hashed in a manifest that a configured Ed25519 key signs — and the
//! offline check of such a bundle. No database here: the export that reads
//! one is the action [`crate::actions::evidence`].

pub mod bundle;
pub mod chain;
pub mod key;
pub mod manifest;
pub mod readme;
pub mod sections;
pub mod verify;
