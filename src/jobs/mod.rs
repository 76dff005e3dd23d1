//! Scheduler jobs: each derives due work from the database and is idempotent.

pub mod quiz;
