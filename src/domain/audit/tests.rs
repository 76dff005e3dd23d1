//! The audit chain: hashes, redaction, content checks and breaks.

use super::*;

fn entry<'a>(seq: i64, details: &'a str, prev: &'a str, hash: &'a str) -> ChainEntry<'a> {
    ChainEntry {
        seq,
        at: 2,
        actor: "a",
        action: "b",
        subject: "c",
        details,
        prev_hash: prev,
        hash,
        payload_hash: None,
        payload_salt: None,
    }
}

#[test]
fn legacy_hash_covers_every_field() {
    let base = legacy_entry_hash(1, 2, "a", "b", "c", "{}", GENESIS_HASH);
    assert_eq!(base.len(), 64);
    assert_ne!(
        base,
        legacy_entry_hash(2, 2, "a", "b", "c", "{}", GENESIS_HASH)
    );
    assert_ne!(
        base,
        legacy_entry_hash(1, 3, "a", "b", "c", "{}", GENESIS_HASH)
    );
    assert_ne!(
        base,
        legacy_entry_hash(1, 2, "x", "b", "c", "{}", GENESIS_HASH)
    );
    assert_ne!(
        base,
        legacy_entry_hash(1, 2, "a", "b", "c", "{\"k\":1}", GENESIS_HASH)
    );
    assert_ne!(base, legacy_entry_hash(1, 2, "a", "b", "c", "{}", &base));
    // Field boundaries are part of the encoding: moving a character across them changes the hash.
    assert_ne!(
        legacy_entry_hash(1, 2, "ab", "c", "", "{}", GENESIS_HASH),
        legacy_entry_hash(1, 2, "a", "bc", "", "{}", GENESIS_HASH)
    );
}

#[test]
fn payload_and_chain_hashes_cover_their_fields() {
    let p = payload_hash("s", "a", "c", "{}");
    assert_ne!(p, payload_hash("t", "a", "c", "{}"), "the salt counts");
    assert_ne!(p, payload_hash("s", "ac", "", "{}"));
    assert_ne!(p, payload_hash("s", "a", "c", "{\"k\":1}"));
    let h = chain_hash(1, 2, "b", &p, GENESIS_HASH);
    assert_ne!(h, chain_hash(1, 2, "x", &p, GENESIS_HASH));
    assert_ne!(h, chain_hash(1, 3, "b", &p, GENESIS_HASH));
    assert_ne!(h, chain_hash(2, 2, "b", &p, GENESIS_HASH));
}

#[test]
fn a_legacy_entry_checks_as_before_and_cannot_be_redacted() {
    let hash = legacy_entry_hash(1, 2, "a", "b", "c", "{}", GENESIS_HASH);
    let e = entry(1, "{}", GENESIS_HASH, &hash);
    assert_eq!(content(&e, 5), Content::Intact);
    assert_eq!(check(GENESIS, &e, 5), Ok(false));
    let marker = redaction(9);
    let redacted = entry(1, &marker, GENESIS_HASH, &hash);
    assert_eq!(content(&redacted, 5), Content::Edited);
    // Read as the current form (the recorded seq moved), it fails too.
    assert_eq!(content(&e, 1), Content::Edited);
}

#[test]
fn a_current_entry_may_be_redacted_but_not_edited() {
    let p = payload_hash("salt", "a", "c", "{\"k\":1}");
    let hash = chain_hash(3, 2, "b", &p, "prev");
    let mut e = entry(3, "{\"k\":1}", "prev", &hash);
    e.payload_hash = Some(&p);
    e.payload_salt = Some("salt");
    assert_eq!(content(&e, 1), Content::Intact);
    assert_eq!(content(&e, 4), Content::Edited, "not legacy");
    let marker = redaction(99);
    let mut r = e;
    r.details = &marker;
    r.actor = "pseudonym";
    r.payload_salt = None;
    assert_eq!(content(&r, 1), Content::Redacted);
    assert_eq!(check((2, "prev"), &r, 1), Ok(true));
    let mut edited = e;
    edited.details = "{\"k\":2}";
    assert_eq!(content(&edited, 1), Content::Edited);
    let mut moved = r;
    moved.action = "other";
    assert_eq!(
        content(&moved, 1),
        Content::Edited,
        "action stays in the chain"
    );
    assert!(!is_redaction(
        "{\"redacted\":\"retention\",\"at\":1,\"x\":1}"
    ));
    assert!(!is_redaction("{\"redacted\":\"other\",\"at\":1}"));
    assert!(is_redaction(&redaction(5)));
}

#[test]
fn breaks_are_named() {
    let hash = legacy_entry_hash(2, 2, "a", "b", "c", "{}", "h1");
    let e = entry(2, "{}", "h1", &hash);
    assert_eq!(
        check(GENESIS, &e, 9),
        Err(Ok(Break::Deleted {
            expected: 1,
            before: None,
            next: 2
        }))
    );
    let Err(Err(s)) = check((1, "other"), &e, 9) else {
        panic!("a wrong link is a suspect");
    };
    assert_eq!(s.name(None), Break::Rewritten { seq: 2, prev: 1 });
    assert_eq!(
        s.name(Some(5)),
        Break::Reordered {
            seq: 2,
            written_after: 5
        }
    );
}
