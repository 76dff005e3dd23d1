//! libFuzzer entry for the `inert` check (see `src/inert.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dingwarden_fuzz::inert::check(data));
