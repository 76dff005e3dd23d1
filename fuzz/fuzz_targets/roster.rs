//! libFuzzer entry for the `roster` check (see `src/roster.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dingwarden_fuzz::roster::check(data));
