//! libFuzzer entry for the `callback` check (see `src/callback.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dingwarden_fuzz::callback::check(data));
