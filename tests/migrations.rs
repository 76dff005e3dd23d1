//! The two migration folders stay in lockstep: same files, same order.

use std::collections::BTreeSet;
use std::path::Path;

fn names(dir: &str) -> BTreeSet<String> {
    std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn sqlite_and_postgres_migrations_match_one_to_one() {
    let sqlite = names("migrations/sqlite");
    let postgres = names("migrations/postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
    for name in &sqlite {
        let (version, rest) = name.split_once('_').expect("<version>_<name>.sql");
        assert!(
            version.len() == 4 && version.bytes().all(|b| b.is_ascii_digit()),
            "{name}"
        );
        assert!(rest.ends_with(".sql"), "{name}");
    }
}

#[test]
fn both_dialects_create_the_same_tables() {
    let tables = |dir: &str| -> BTreeSet<String> {
        names(dir)
            .iter()
            .flat_map(|f| {
                let text = std::fs::read_to_string(
                    Path::new(env!("CARGO_MANIFEST_DIR")).join(dir).join(f),
                )
                .unwrap();
                text.lines()
                    .filter_map(|l| l.trim().strip_prefix("CREATE TABLE "))
                    .map(|l| {
                        l.split_whitespace()
                            .next()
                            .unwrap()
                            .trim_end_matches('(')
                            .to_owned()
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    assert_eq!(tables("migrations/sqlite"), tables("migrations/postgres"));
}
