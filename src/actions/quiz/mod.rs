//! Quiz use cases. Taking a quiz ([`start`], [`answer`], [`quit`]) and what
//! a person's quiz standing is; campaigns ([`assign`], and the scheduler's
//! [`remind`] / [`escalate`] rounds and [`offer_followup`]); banks (the
//! built-in one kept current, command-line imports, the list). Each write is
//! one transaction with its audit entry and outbox rows.

mod answer;
pub mod banks;
mod campaign;
mod followups;
mod rounds;
mod standing;
mod take;

pub use answer::{Answer, Answered, AskedId, Next, answer};
pub use banks::{ensure_builtin, import, list};
pub use campaign::{Assign, Assigned, assign};
pub use followups::{due_followups, offer_followup};
pub use rounds::{DueRound, Escalated, due_rounds, escalate, remind};
pub use standing::{Standing, standing_of};
pub use take::{Quit, Start, Started, quit, start};

/// A campaign as the rounds and `me` see it.
pub use crate::store::quiz::campaigns::Campaign;

use sqlx::AnyConnection;

use super::{ActionResult, Refusal};
use crate::store::quiz::banks::{self as bank_rows, BankVersion};

/// The current version of bank `key`, or [`Refusal::NoSuchBank`].
async fn bank(conn: &mut AnyConnection, key: &str) -> ActionResult<BankVersion> {
    bank_rows::current(conn, key).await?.ok_or_else(|| {
        Refusal::NoSuchBank {
            key: key.to_owned(),
        }
        .into()
    })
}
