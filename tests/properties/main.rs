//! Property tests of the parsers that take untrusted input, run by
//! `cargo test`: the same checks as the fuzz targets (`fuzz/src/`, included
//! below), fed by proptest with inputs shaped like the real thing (keyword
//! soup for commands, callback JSON, roster CSV, quiz TOML, DingTalk
//! ciphertexts) and with arbitrary bytes, plus every committed seed and
//! regression input in `fuzz/seeds/`.

#[path = "../../fuzz/src/lib.rs"]
mod checks;
mod inputs;
mod texts;

use proptest::prelude::*;

proptest! {
    #[test]
    fn command_texts(text in texts::command_text()) {
        checks::command::text(&text);
    }

    #[test]
    fn command_bytes(data in texts::bytes()) {
        checks::command::check(&data);
    }

    #[test]
    fn callback_bodies(body in inputs::callback_body()) {
        checks::callback::check(&body);
    }

    #[test]
    fn callback_bytes(data in texts::bytes()) {
        checks::callback::check(&data);
    }

    #[test]
    fn inert_texts(text in texts::hostile_text()) {
        checks::inert::text(&text);
    }

    #[test]
    fn inert_any_text(text in any::<String>()) {
        checks::inert::text(&text);
    }

    #[test]
    fn roster_files(csv in inputs::roster_csv()) {
        checks::roster::check(&csv);
    }

    #[test]
    fn roster_bytes(data in texts::bytes()) {
        checks::roster::check(&data);
    }

    #[test]
    fn quiz_banks(toml in inputs::quiz_toml()) {
        checks::quiz::check(toml.as_bytes());
    }

    #[test]
    fn quiz_bytes(data in texts::bytes()) {
        checks::quiz::check(&data);
    }

    #[test]
    fn event_crypto_round_trips(msg in any::<String>(), random in any::<[u8; 16]>()) {
        checks::crypto::round_trip(&msg, &random);
    }

    #[test]
    fn event_crypto_plaintexts(plain in inputs::event_plaintext()) {
        checks::crypto::plaintext(&plain);
    }

    #[test]
    fn event_crypto_pushes(push in inputs::event_push()) {
        checks::crypto::push(push.as_bytes());
    }
}

/// Every input in `fuzz/seeds/<target>/`: the seed corpus, and the inputs
/// that once found a bug (kept as regressions).
#[test]
fn seed_corpus_passes_every_check() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    for target in checks::TARGETS {
        let dir = root.join(target);
        let mut n = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir:?}: {e}")) {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            println!("{}", path.display());
            assert!(checks::run(target, &data));
            n += 1;
        }
        assert!(n >= 3, "{target}: only {n} seeds");
    }
}
