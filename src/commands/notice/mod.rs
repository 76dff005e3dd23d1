//! Notice commands: authoring (`notice new`, `notice template exit`,
//! `notice close`), sending (`notice send`, `notice remind`), reports
//! (`notices`, `notice status`), acknowledging (`ack`, `done`, the `me`
//! section), offboarding (`offboard`) and where to export (`export`). Each parses what was meant, calls
//! the notice actions ([`crate::actions::notices`]) or reports, and puts
//! the outcome into words.

mod ack;
mod author;
mod export;
mod offboard;
mod send;
mod status;

pub use ack::{ack, done, me_section};
pub use author::{close, new, template_exit};
pub use export::export;
pub use offboard::{offboard, started_text};
pub use send::{remind, send};
pub use status::{list, status};

use super::Ctx;
use crate::clock::from_ms;
use crate::domain::schedule::format_local;

/// A stored instant as local time for people.
fn local(ctx: &Ctx<'_>, ms: i64) -> String {
    format_local(ctx.state.config.timezone, from_ms(ms))
}

#[cfg(test)]
mod tests;
