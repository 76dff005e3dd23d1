//! libFuzzer entry for the `crypto` check (see `src/crypto.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dingwarden_fuzz::crypto::check(data));
