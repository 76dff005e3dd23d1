//! Scheduler jobs: each derives its due work from the database at `now`,
//! idempotently, and is called from [`crate::scheduler::tick`].

pub mod notices;
pub mod passwords;
pub mod quiz;
pub mod retention;
