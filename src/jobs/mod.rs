//! Scheduled jobs, one module per feature, each called from
//! [`crate::scheduler::tick`] with the tick's `now`.

pub mod notices;
