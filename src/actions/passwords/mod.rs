//! Password use cases: the policy ([`set_policy`]), a person's confirmation
//! that they changed it ([`confirm`]), forced changes ([`require_reset`]),
//! the scheduler's reminders and escalations ([`Snapshot`], [`send_due`]),
//! and the audit of a message withheld because it carried a credential
//! ([`withheld`]). Each write is one transaction with its audit entry and
//! outbox rows. The bot never asks for a password.

mod policy;
mod reminders;
mod reset;

pub use policy::{
    Confirmed, PersonStanding, PolicyChange, confirm, policy, set_policy, standing_of, withheld,
};
pub use reminders::{Snapshot, send_due};
pub use reset::{RequireReset, ResetRequired, require_reset};
