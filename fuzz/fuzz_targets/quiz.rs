//! libFuzzer entry for the `quiz` check (see `src/quiz.rs`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dingwarden_fuzz::quiz::check(data));
