//! libFuzzer entry for the `command` check (see `src/command.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dingwarden_fuzz::command::check(data));
