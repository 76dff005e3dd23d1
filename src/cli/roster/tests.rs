//! Unit tests of reading roster CSV files.

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
}

#[test]
fn bom_and_quoted_commas_are_read() {
    let csv = "\u{feff}staff_id,name,department\nu1,\"Zhang, San\",总部/研发部\nu3,王五,\"总部/销售部\"\n";
    let rows = read_csv(csv.as_bytes(), today()).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].entry.staff_id, "u1");
    assert_eq!(rows[0].entry.name.as_deref(), Some("Zhang, San"));
    assert_eq!(rows[1].line, 3);
}

#[test]
fn lines_count_inside_quoted_newlines() {
    let csv = "staff_id,name\nu1,\"Li\nSi\"\nu2,\n u3 x,\n";
    let err = read_csv(csv.as_bytes(), today()).unwrap_err();
    let lines: Vec<u64> = err.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 5], "{err:?}");
}

#[test]
fn lines_count_crlf_and_lone_carriage_returns() {
    // Windows and Excel end lines with CRLF.
    let csv = "staff_id,name\r\nu 1,A\r\nu2,B\r\n\"u\r\n3\",C\r\nu 4,D\r\n";
    let err = read_csv(csv.as_bytes(), today()).unwrap_err();
    let lines: Vec<u64> = err.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 4, 6], "{err:?}");
    // Excel's "CSV (Macintosh)" ends lines with a lone CR.
    let csv = "staff_id,name\ru1,A\ru 2,B\r\nu3,C\nu 4,D\r";
    let err = read_csv(csv.as_bytes(), today()).unwrap_err();
    let lines: Vec<u64> = err.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 5], "{err:?}");
}

#[test]
fn reasons_keep_to_one_line() {
    let err = read_csv(b"staff_id,\"na\nme\x1b[2J\"\nu1,x\n", today()).unwrap_err();
    assert_eq!(err[0].line, 1);
    assert!(err[0].reason.contains("'na\\nme\\u{1b}[2J'"), "{err:?}");
    let err = read_csv(b"staff_id\n\"u\n1\"\n", today()).unwrap_err();
    assert_eq!(err[0].line, 2);
    assert!(!err[0].reason.chars().any(char::is_control), "{err:?}");
}

#[test]
fn invalid_utf8_and_empty_files_are_refused() {
    let err = read_csv(b"staff_id,name\nu1,\xC0\xAF\n", today()).unwrap_err();
    assert_eq!(err[0].line, 2);
    assert!(err[0].reason.contains("UTF-8"));
    let err = read_csv(b"", today()).unwrap_err();
    assert!(err[0].reason.contains("header"));
    let err = read_csv("\u{feff}".as_bytes(), today()).unwrap_err();
    assert!(err[0].reason.contains("header"));
}
