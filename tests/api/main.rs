//! End-to-end tests: the real router and store against a fake DingTalk on
//! loopback, on SQLite and (when configured) PostgreSQL. One binary, so the
//! harness is compiled and linked once.

mod helpers;

mod callback;
mod chat;
mod notices;
mod ops;
mod store;
