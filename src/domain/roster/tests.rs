//! Unit tests of roster rules.

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

fn check(header: &[&str], rows: &[&[&str]]) -> Result<Vec<RosterRow>, Vec<LineError>> {
    let rows: Vec<(u64, Vec<&str>)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (i as u64 + 2, r.to_vec()))
        .collect();
    validate(1, header, &rows, today())
}

#[test]
fn columns_in_any_order_and_absent_ones_leave_fields_alone() {
    let rows = check(
        &["Name", "staff_id", "department"],
        &[&["张三", "u1", " 总部 / 研发部 "]],
    )
    .unwrap();
    let e = &rows[0].entry;
    assert_eq!(rows[0].line, 2);
    assert_eq!(e.staff_id, "u1");
    assert_eq!(e.name.as_deref(), Some("张三"));
    assert_eq!(e.departments, Some(vec!["总部/研发部".to_owned()]));
    assert_eq!(e.manager, None);
    assert_eq!(e.role, None);
    assert!(e.active);
}

#[test]
fn header_problems_are_line_one() {
    for (header, needle) in [
        (&["name"][..], "no staff_id"),
        (&["staff_id", "nmae"][..], "unknown column 'nmae'"),
        (&["staff_id", "name", "NAME"][..], "twice"),
    ] {
        let err = check(header, &[]).unwrap_err();
        assert_eq!(err[0].line, 1);
        assert!(err[0].reason.contains(needle), "{err:?}");
    }
    let err = check(&["staff_id"], &[]).unwrap_err();
    assert!(err[0].reason.contains("no users"));
}

#[test]
fn every_bad_row_is_reported_with_its_line() {
    let header = [
        "staff_id",
        "manager_staff_id",
        "role",
        "password_changed_at",
        "active",
    ];
    let err = check(
        &header,
        &[
            &["u1", "", "", "2026-02-30", ""],
            &["u2", "", "boss", "", ""],
            &["u3", "u3", "", "", ""],
            &["u1", "", "", "", ""],
            &["u5", "", "", "2026/01/05", ""],
            &["u6", "", "", "2027-01-01", ""],
            &["u7", "", "", "", "maybe"],
            &["", "", "", "", ""],
            &["u9", "", ""],
            &["u 10", "", "", "", ""],
            &["", "u1", "", "", ""],
        ],
    )
    .unwrap_err();
    let lines: Vec<u64> = err.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 8, 10, 11, 12], "{err:?}");
    assert!(err[0].reason.contains("not a valid date"));
    assert!(err[1].reason.contains("role must be"));
    assert!(err[2].reason.contains("own manager"));
    // Line 5 repeats u1 of line 2, which is bad itself: still reported.
    assert!(err[3].reason.contains("first on line 2"));
    assert!(err[4].reason.contains("not a valid date"));
    assert!(err[5].reason.contains("future"));
    assert!(err[6].reason.contains("active must be"));
    assert!(err[7].reason.contains("expected 5 fields"));
    assert!(err[8].reason.contains("spaces"));
    assert!(err[9].reason.contains("staff_id is empty"));
    // The duplicate names the line of the first occurrence.
    let dup = check(&["staff_id"], &[&["a"], &["b"], &["a"]]).unwrap_err();
    assert_eq!(dup[0].line, 4);
    assert!(dup[0].reason.contains("first on line 2"), "{dup:?}");
    // Also when the first occurrence is itself a bad row.
    let dup = check(
        &["staff_id", "role"],
        &[&["a", "superuser"], &["b", ""], &["a", ""]],
    )
    .unwrap_err();
    let lines: Vec<u64> = dup.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 4], "{dup:?}");
    assert!(dup[1].reason.contains("first on line 2"), "{dup:?}");
}

#[test]
fn empty_cells_clear_and_values_parse() {
    let rows = check(
        &[
            "staff_id",
            "department",
            "manager_staff_id",
            "role",
            "password_changed_at",
            "active",
        ],
        &[
            &["a", "", "", "", "", "FALSE"],
            &["b", "/总部/销售部/", "a", "人事", "2026-11-30", "1"],
        ],
    )
    .unwrap();
    let a = &rows[0].entry;
    assert_eq!(a.departments, Some(vec![]));
    assert_eq!(a.manager, Some(None));
    assert_eq!(a.role, Some(None));
    assert!(!a.active);
    let b = &rows[1].entry;
    assert_eq!(b.departments, Some(vec!["总部/销售部".to_owned()]));
    assert_eq!(b.manager, Some(Some("a".to_owned())));
    assert_eq!(b.role, Some(Some(Role::Hr)));
    assert_eq!(b.password_changed_at, Some(today()));
}

#[test]
fn paths_normalise_or_are_refused() {
    assert_eq!(normalise_path("总部／研发部").unwrap(), "总部/研发部");
    assert!(normalise_path("总部//研发部").is_err());
    assert_eq!(path_prefixes("a/b/c"), vec!["a", "a/b", "a/b/c"]);
    assert_eq!(path_prefixes("a"), vec!["a"]);
    assert_eq!(path_name("总部/研发部"), "研发部");
}

#[test]
fn midnight_is_local() {
    let d = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    // 2026-11-01 00:00 in Shanghai is 2026-10-31 16:00 UTC.
    assert_eq!(
        local_midnight_ms(chrono_tz::Asia::Shanghai, d),
        chrono::Utc
            .with_ymd_and_hms(2026, 10, 31, 16, 0, 0)
            .unwrap()
            .timestamp_millis()
    );
}
