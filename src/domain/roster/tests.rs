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

#[test]
fn a_row_with_several_problems_lists_all_of_them() {
    let header = ["staff_id", "role", "password_changed_at", "active"];
    let err = check(
        &header,
        &[
            &["u1", "boss", "2026-13-45", "maybe"],
            &["u1", "hr", "", ""],
        ],
    )
    .unwrap_err();
    let got: Vec<(u64, &str)> = err.iter().map(|e| (e.line, e.reason.as_str())).collect();
    assert_eq!(got.len(), 4, "{got:?}");
    assert!(got[..3].iter().all(|(l, _)| *l == 2), "{got:?}");
    assert!(got[0].1.contains("role must be"), "{got:?}");
    assert!(got[1].1.contains("not a valid date"), "{got:?}");
    assert!(got[2].1.contains("active must be"), "{got:?}");
    assert_eq!(got[3].0, 3);
    assert!(got[3].1.contains("first on line 2"), "{got:?}");
}

mod plans {
    use super::super::plan::*;
    use super::super::*;
    use crate::domain::Role;

    const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

    fn known(id: &str, active: bool, from_import: bool) -> Known {
        Known {
            staff_id: id.into(),
            name: id.to_uppercase(),
            department: Some("总部".into()),
            active,
            from_import,
            ..Known::default()
        }
    }

    fn entry(id: &str) -> RosterEntry {
        RosterEntry {
            staff_id: id.into(),
            active: true,
            ..RosterEntry::default()
        }
    }

    fn run(source: RosterSource, entries: &[RosterEntry], known: &[Known]) -> RosterPlan {
        let lines: Vec<u64> = (2..).take(entries.len()).collect();
        plan(&PlanInput {
            source,
            entries,
            lines: &lines,
            known,
            org_admins_are_admins: false,
            timezone: TZ,
        })
    }

    fn ids(people: &[Person]) -> Vec<&str> {
        people.iter().map(|p| p.staff_id.as_str()).collect()
    }

    #[test]
    fn new_changed_leaving_rejoining_and_roles_are_told_apart() {
        let mut admin = known("a", true, true);
        admin.roles = vec![(Role::Admin, RoleSource::Import)];
        let stored = [
            admin,
            known("b", true, true),
            known("c", true, true),     // not in the file: leaves
            known("d", false, true),    // back
            known("chat", true, false), // came by chat: an import leaves them be
        ];
        let mut b = entry("b");
        b.departments = Some(vec!["总部/研发部".into()]);
        b.manager = Some(Some("a".into()));
        let mut a = entry("a");
        a.role = Some(None); // the file takes the admin role back
        let mut n = entry("n");
        n.role = Some(Some(Role::Hr));
        n.manager = Some(Some("ghost".into()));
        let p = run(RosterSource::Import, &[a, b, entry("d"), n], &stored);
        assert_eq!(ids(&p.new), vec!["n"]);
        assert_eq!(p.changed.len(), 1);
        assert_eq!(p.changed[0].fields, vec![Field::Department, Field::Manager]);
        assert_eq!(ids(&p.leaving), vec!["c"]);
        assert_eq!(ids(&p.rejoining), vec!["d"]);
        assert_eq!(p.unchanged, 1);
        assert_eq!(p.active_before, 4);
        let roles: Vec<(&str, Role, bool)> = p
            .roles
            .iter()
            .map(|r| (r.person.staff_id.as_str(), r.role, r.grant))
            .collect();
        assert_eq!(
            roles,
            vec![("a", Role::Admin, false), ("n", Role::Hr, true)]
        );
        assert_eq!(
            p.warnings,
            vec![Warning::UnknownManager {
                line: Some(5),
                staff_id: "n".into(),
                manager: "ghost".into()
            }]
        );
        // A sync answers for everyone: the chat user leaves too.
        let p = run(RosterSource::Sync, &[entry("a"), entry("b")], &stored);
        assert_eq!(ids(&p.leaving), vec!["c", "chat"]);
    }

    #[test]
    fn managers_who_leave_or_are_listed_later_are_judged_after_the_run() {
        let stored = [known("m", true, true), known("x", true, true)];
        let mut e = entry("e");
        e.manager = Some(Some("m".into()));
        // m is not in the file, so leaves: the manager would be unknown.
        let p = run(RosterSource::Import, &[e.clone(), entry("x")], &stored);
        assert_eq!(p.warnings.len(), 1);
        // Listed further down the file: fine.
        let p = run(RosterSource::Import, &[e, entry("x"), entry("m")], &stored);
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    }

    #[test]
    fn the_leaver_guard_counts_percent_and_people() {
        let plan_with = |leaving: usize, active: usize| RosterPlan {
            leaving: (0..leaving)
                .map(|i| Person {
                    staff_id: format!("u{i}"),
                    name: String::new(),
                })
                .collect(),
            active_before: active,
            ..RosterPlan::default()
        };
        // (leaving, active, max %, --allow-leavers, allowed)
        let table = [
            (0, 0, 10, None, true),
            (1, 10, 10, None, true),
            (2, 10, 10, None, false),
            (2, 10, 10, Some(1), false),
            (2, 10, 10, Some(2), true),
            (10, 100, 10, None, true),
            (11, 100, 10, None, false),
            (20, 1000, 10, None, true),
            (21, 1000, 10, None, false),
            (21, 1000, 10, Some(25), true),
            (3, 5, 100, None, true),
            (1, 1, 0, None, false),
        ];
        for (leaving, active, pct, allow, ok) in table {
            let got = check_leavers(&plan_with(leaving, active), pct, allow);
            assert_eq!(
                got.is_ok(),
                ok,
                "{leaving}/{active} {pct}% {allow:?}: {got:?}"
            );
        }
    }

    #[test]
    fn password_dates_only_count_as_changed_when_they_move_forward() {
        let mut k = known("a", true, true);
        k.password_changed_ms = Some(local_midnight_ms(TZ, super::today()));
        let mut older = entry("a");
        older.password_changed_at = NaiveDate::from_ymd_opt(2026, 1, 1);
        let p = run(RosterSource::Import, &[older], &[k.clone()]);
        assert!(p.changed.is_empty() && p.unchanged == 1, "{p:?}");
        k.password_changed_ms = Some(0);
        let mut newer = entry("a");
        newer.password_changed_at = Some(super::today());
        let p = run(RosterSource::Import, &[newer], &[k]);
        assert_eq!(p.changed[0].fields, vec![Field::PasswordDate]);
    }
}
