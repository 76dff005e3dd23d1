//! The roster CSV importer (`cli::roster::read_csv` over
//! `domain::roster::validate`): any file either imports — rows with unique,
//! well-formed staff ids, names and department paths — or yields errors
//! that each name a line of the file and a one-line reason.

use std::collections::HashSet;

use chrono::NaiveDate;
use dingwarden::cli::roster::read_csv;
use dingwarden::domain::roster::{
    MAX_NAME_CHARS, MAX_PATH_DEPTH, MAX_STAFF_ID_CHARS, RosterEntry, normalise_path,
};

/// The day the importer is run on.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).expect("a date")
}

/// Checks one file's bytes.
pub fn check(data: &[u8]) {
    // `\r\n`, `\n` and a lone `\r` each end a line, for the reader and for people.
    let breaks = data
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' || (b == b'\n' && (i == 0 || data[i - 1] != b'\r')))
        .count();
    let lines = breaks as u64 + 1;
    match read_csv(data, today()) {
        Ok(rows) => {
            assert!(!rows.is_empty(), "an import with no users");
            let mut ids = HashSet::new();
            let mut last = 1;
            for row in &rows {
                assert!(
                    row.line > last && row.line <= lines,
                    "row on line {}",
                    row.line
                );
                last = row.line;
                entry(&row.entry);
                assert!(
                    ids.insert(&row.entry.staff_id),
                    "{} twice",
                    row.entry.staff_id
                );
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "refused without a reason");
            for e in &errors {
                assert!((1..=lines).contains(&e.line), "line {} of {lines}", e.line);
                assert!(super::one_line(&e.reason), "reason {:?}", e.reason);
            }
        }
    }
}

fn staff_id(id: &str) {
    assert!(
        !id.is_empty() && id.chars().count() <= MAX_STAFF_ID_CHARS,
        "{id:?}"
    );
    assert!(
        !id.chars().any(|c| c.is_whitespace() || c.is_control()),
        "{id:?}"
    );
}

fn entry(e: &RosterEntry) {
    staff_id(&e.staff_id);
    if let Some(name) = &e.name {
        assert!(!name.is_empty() && name.chars().count() <= MAX_NAME_CHARS);
        assert!(!name.chars().any(char::is_control), "{name:?}");
        assert_eq!(name.trim(), name);
    }
    for path in e.departments.iter().flatten() {
        assert!(path.split('/').count() <= MAX_PATH_DEPTH, "{path:?}");
        assert!(
            path.split('/').all(|s| !s.is_empty() && s.trim() == s),
            "{path:?}"
        );
        assert_eq!(
            normalise_path(path).as_deref(),
            Ok(path.as_str()),
            "not normal"
        );
    }
    if let Some(Some(manager)) = &e.manager {
        staff_id(manager);
        assert_ne!(manager, &e.staff_id);
    }
    if let Some(date) = e.password_changed_at {
        assert!(date <= today());
    }
    assert_eq!(e.org_admin, None);
}
