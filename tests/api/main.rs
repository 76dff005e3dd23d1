//! End-to-end tests: the real router and store against a fake DingTalk on
//! loopback, on SQLite and (when configured) PostgreSQL. One binary, so the
//! harness is compiled and linked once.

mod fake_dingtalk;
mod fake_gateway;
mod helpers;

mod api_write;
mod audit;
mod audit_forms;
mod callback;
mod chat;
mod chat_habits;
mod collation;
mod confirm;
mod dashboard;
mod dashboard_api;
mod dashboard_auth;
mod delivery;
mod delivery_leases;
mod delivery_pacing;
mod events;
mod evidence;
mod first_day;
mod hostile;
mod inbound;
mod inbox;
mod inbox_crash;
mod incidents;
mod leader;
mod leases;
mod leavers;
mod notices;
mod notices_authoring;
mod notices_reminders;
mod ops;
mod outage;
mod outbound_urls;
mod passwords;
mod passwords_chat;
mod quiz;
mod quiz_admin;
mod reply_fallback;
mod retention;
mod roles;
mod roster;
mod roster_guard;
mod single_instance;
mod store;
mod stream;
mod stream_cli;
mod stream_events;
mod supervised;
mod sync;
