//! End-to-end tests: the real router and store against a fake DingTalk on
//! loopback, on SQLite and (when configured) PostgreSQL. One binary, so the
//! harness is compiled and linked once.

mod fake_dingtalk;
mod helpers;

mod callback;
mod chat;
mod delivery;
mod ops;
mod reply_fallback;
mod store;
