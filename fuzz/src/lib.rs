//! The checks behind dingwarden's fuzz targets and property tests: one
//! function per untrusted-input parser that feeds it arbitrary bytes and
//! asserts what must hold for every input (no panic, and each parser's own
//! invariants). `fuzz_targets/` runs them under libFuzzer; the main crate's
//! `tests/properties` includes this file and runs them on generated inputs
//! and on the seed corpus in `fuzz/seeds/`, so both exercise the same code.

pub mod callback;
pub mod command;
pub mod crypto;
pub mod inert;
pub mod quiz;
pub mod roster;

/// The names of the targets, as `fuzz_targets/` and `seeds/` spell them.
pub const TARGETS: &[&str] = &["callback", "command", "crypto", "inert", "quiz", "roster"];

/// Runs the named target's check on one input; `false` for an unknown name.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "callback" => callback::check(data),
        "command" => command::check(data),
        "crypto" => crypto::check(data),
        "inert" => inert::check(data),
        "quiz" => quiz::check(data),
        "roster" => roster::check(data),
        _ => return false,
    }
    true
}

/// Whether `s` could be shown as the reason of one `file:line: reason` line:
/// not empty, and no line breaks or other control characters (which would
/// split the line or drive the operator's terminal).
pub fn one_line(s: &str) -> bool {
    !s.trim().is_empty() && !s.chars().any(char::is_control)
}
