//! `dingwarden roster import FILE.csv`, run as the built binary against the
//! test database: CSV edge cases, all-or-nothing, idempotent re-imports,
//! leavers, roles from the file.

use chrono::{TimeZone as _, Utc};
use dingwarden::store::audience;

use crate::dual_backend;
use crate::helpers::TestApp;

/// Writes `text` to a CSV file in a fresh temp dir; keep the dir alive.
fn csv_file(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("roster.csv");
    std::fs::write(&path, text).unwrap();
    (dir, path.display().to_string())
}

async fn import(app: &TestApp, text: &str) -> crate::helpers::CliRun {
    import_with(app, text, &[]).await
}

/// `roster import FILE` with more arguments (`--dry-run`, `--allow-leavers N`).
pub async fn import_with(app: &TestApp, text: &str, args: &[&str]) -> crate::helpers::CliRun {
    let (_dir, path) = csv_file(text);
    let mut all = vec!["roster", "import", path.as_str()];
    all.extend_from_slice(args);
    app.cli(&all, &[]).await
}

#[derive(Debug, PartialEq, sqlx::FromRow)]
struct UserView {
    staff_id: String,
    name: String,
    path: Option<String>,
    manager_staff_id: Option<String>,
    active: i64,
    source: String,
}

async fn users(app: &TestApp) -> Vec<UserView> {
    sqlx::query_as(
        "SELECT u.staff_id, u.name, d.path, u.manager_staff_id, u.active, u.source FROM users u \
         LEFT JOIN departments d ON d.id = u.department_id ORDER BY u.staff_id",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap()
}

async fn scalar_i64(app: &TestApp, sql: &str, staff_id: &str) -> Option<i64> {
    sqlx::query_scalar(sql)
        .bind(staff_id)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

const GOOD: &str = "\u{feff}department,staff_id,name,manager_staff_id,role,password_changed_at,active\n\
总部/研发部,u1,\"Zhang, San\",,admin,2026-01-15,true\n\
总部/研发部/平台组,u2,李四,u1,,2026-01-15,\n\
\"总部/销售部\",u3,王五,u1,hr,,TRUE\n\
总部,u4,\"赵六 \"\"小赵\"\"\",,,,false\n";

async fn import_reads_bom_quotes_and_chinese_paths(app: TestApp) {
    let run = import(&app, GOOD).await;
    assert!(run.ok, "{run:?}");
    assert!(run.stdout.contains("4 users (4 added"), "{}", run.stdout);
    let u = users(&app).await;
    assert_eq!(u[0].name, "Zhang, San");
    assert_eq!(u[0].path.as_deref(), Some("总部/研发部"));
    assert_eq!(u[1].path.as_deref(), Some("总部/研发部/平台组"));
    assert_eq!(u[1].manager_staff_id.as_deref(), Some("u1"));
    assert_eq!(u[2].path.as_deref(), Some("总部/销售部"));
    assert_eq!(u[3].name, "赵六 \"小赵\"");
    assert_eq!(
        u.iter().map(|x| x.active).collect::<Vec<_>>(),
        vec![1, 1, 1, 0]
    );
    assert!(u.iter().all(|x| x.source == "import"));
    // The tree has parents, and audiences resolve it.
    let parent: Option<String> = sqlx::query_scalar(
        "SELECT p.path FROM departments d JOIN departments p ON p.id = d.parent_id WHERE d.path = $1",
    )
    .bind("总部/研发部/平台组")
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(parent.as_deref(), Some("总部/研发部"));
    let mut conn = app.store.pool().acquire().await.unwrap();
    let rd = audience::department_members(&mut conn, "研发部")
        .await
        .unwrap();
    assert_eq!(rd, Some(vec!["u1".to_owned(), "u2".to_owned()]));
    // Password dates are local midnight (Asia/Shanghai) in ms.
    let midnight = Utc.with_ymd_and_hms(2026, 1, 14, 16, 0, 0).unwrap();
    let sql = "SELECT password_changed_at FROM users WHERE staff_id = $1";
    assert_eq!(
        scalar_i64(&app, sql, "u2").await,
        Some(midnight.timestamp_millis())
    );
    assert_eq!(scalar_i64(&app, sql, "u3").await, None);
    // Roles from the file, with their source; all audited.
    let roles: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT staff_id, role, source FROM user_roles WHERE source = 'import' ORDER BY staff_id",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    assert_eq!(
        roles,
        vec![
            ("u1".into(), "admin".into(), "import".into()),
            ("u3".into(), "hr".into(), "import".into())
        ]
    );
    let actions: Vec<String> = app.audit_entries().await.into_iter().map(|e| e.1).collect();
    assert_eq!(actions.iter().filter(|a| *a == "role.grant").count(), 4); // admin1, hr1, u1, u3
    let summary = app.audit_details("roster.import").await;
    assert_eq!(summary[0]["added"], 4);
    assert_eq!(summary[0]["sha256"].as_str().map(str::len), Some(64));
    // The imported admin can act in chat at once.
    assert!(app.say_text("u1", "feedback list").await.contains("反馈"));
}

async fn bad_rows_are_all_reported_and_nothing_is_imported(app: TestApp) {
    let text = "staff_id,name,password_changed_at,role\n\
                u1,甲,2026-01-15,\n\
                u2,乙,2026-02-30,\n\
                u1,丙,,\n\
                u4,丁,2026/01/05,\n\
                u5,\"戊, 己\",,boss\n\
                u6,庚,,\n";
    let (_dir, path) = csv_file(text);
    let run = app.cli(&["roster", "import", &path], &[]).await;
    assert!(!run.ok);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert!(
        lines[0].starts_with(&format!("{path}:3: ")),
        "{}",
        run.stderr
    );
    assert!(lines[0].contains("2026-02-30"), "{}", lines[0]);
    assert!(lines[1].starts_with(&format!(
        "{path}:4: duplicate staff_id 'u1' (first on line 2)"
    )));
    assert!(lines[2].starts_with(&format!("{path}:5: ")) && lines[2].contains("not a valid date"));
    assert!(
        lines[3].starts_with(&format!("{path}:6: role must be")),
        "{}",
        lines[3]
    );
    assert!(
        run.stderr.contains("4 bad rows; nothing was imported"),
        "{}",
        run.stderr
    );
    assert_eq!(app.count("users").await, 0);
    assert_eq!(app.count("departments").await, 0);
    assert_eq!(
        app.audit_details("roster.import.rejected").await[0]["bad_rows"],
        4
    );
    // A missing staff_id column, and a file that is not UTF-8, are refused too.
    let run = import(&app, "name,department\n甲,总部\n").await;
    assert!(
        !run.ok && run.stderr.contains(":1: the header has no staff_id column"),
        "{run:?}"
    );
    let (_dir, path) = csv_file("");
    std::fs::write(&path, b"staff_id,name\nu1,\xD5\xC5\xC8\xFD\n").unwrap();
    let run = app.cli(&["roster", "import", &path], &[]).await;
    assert!(
        !run.ok && run.stderr.contains(":2: is not UTF-8"),
        "{run:?}"
    );
    assert_eq!(app.count("users").await, 0);
}

async fn reimport_is_idempotent_and_marks_missing_users_left(app: TestApp) {
    app.say("carol", "help").await; // first contact in chat
    let three =
        "staff_id,name,department\nu1,甲,总部/研发部\nu2,乙,总部/研发部\nu3,丙,总部/销售部\n";
    assert!(import(&app, three).await.ok);
    let again = import(&app, three).await;
    assert!(
        again
            .stdout
            .contains("3 users (0 added, 0 updated, 3 unchanged), 0 marked as left"),
        "{again:?}"
    );
    let two = "staff_id,name,department\nu1,甲,总部/研发部\nu2,乙,总部/平台部\n";
    // One of four active users is more than 10%: it takes --allow-leavers.
    let run = import(&app, two).await;
    assert!(
        !run.ok && run.stderr.contains("--allow-leavers 1"),
        "{run:?}"
    );
    let run = import_with(&app, two, &["--allow-leavers", "1"]).await;
    assert!(
        run.stdout.contains("1 marked as left") && run.stdout.contains("left: u3"),
        "{run:?}"
    );
    let left_sql = "SELECT left_at FROM users WHERE staff_id = $1";
    let left_at = scalar_i64(&app, left_sql, "u3").await.expect("left_at set");
    let u = users(&app).await;
    let active: Vec<(&str, i64)> = u.iter().map(|x| (x.staff_id.as_str(), x.active)).collect();
    // carol came from chat: an import that does not list her says nothing about her.
    assert_eq!(active, vec![("carol", 1), ("u1", 1), ("u2", 1), ("u3", 0)]);
    assert_eq!(u[2].path.as_deref(), Some("总部/平台部"));
    // Leaving again keeps the first date; history stays.
    assert!(import(&app, two).await.stdout.contains("0 marked as left"));
    assert_eq!(scalar_i64(&app, left_sql, "u3").await, Some(left_at));
    assert_eq!(app.audit_details("roster.left").await.len(), 1);
    // Back in the file: back in the organisation.
    let run = import(&app, three).await;
    assert!(run.stdout.contains("1 back"), "{run:?}");
    assert_eq!(scalar_i64(&app, left_sql, "u3").await, None);
    let subjects: Vec<String> = app
        .audit_entries()
        .await
        .into_iter()
        .filter(|e| e.1 == "roster.rejoined")
        .map(|e| e.2)
        .collect();
    assert_eq!(subjects, vec!["u3"]);
}

async fn import_roles_follow_the_file_but_the_last_admin_stays(app: TestApp) {
    let with_admin = "staff_id,role\nu1,admin\nu2,\n";
    assert!(import(&app, with_admin).await.ok);
    let reply = app.say_confirmed("u1", "role revoke admin1 admin").await;
    assert!(reply.contains("已撤销"), "{reply}");
    // The file would now take away the only admin: refused, nothing changes.
    let run = import(&app, "staff_id,role\nu1,\nu2,hr\n").await;
    assert!(!run.ok);
    assert!(
        run.stderr.contains("would leave no active administrator"),
        "{run:?}"
    );
    let sql = "SELECT COUNT(*) FROM user_roles WHERE staff_id = $1";
    assert_eq!(scalar_i64(&app, sql, "u1").await, Some(1));
    assert_eq!(scalar_i64(&app, sql, "u2").await, Some(0));
    // Marking them as left would do the same.
    let run = import(&app, "staff_id,role,active\nu1,admin,false\n").await;
    assert!(!run.ok, "{run:?}");
    // A role granted in chat is not the file's to take away.
    app.say_confirmed("u1", "role grant u2 hr").await;
    let run = import(&app, "staff_id,role\nu1,admin\nu2,\n").await;
    assert!(run.ok && run.stdout.contains("0 revoked"), "{run:?}");
    assert_eq!(scalar_i64(&app, sql, "u2").await, Some(1));
}

/// A person the bot already knew (from chat or a sync) whom the file lists
/// exactly as stored is unchanged, in the import's count as in the dry run.
async fn a_known_person_listed_as_stored_is_unchanged(app: TestApp) {
    app.seed_user("u1", "甲", Some("总部/研发部"), None).await;
    // As `roster sync` leaves them: its source, the department also listed.
    for sql in [
        "UPDATE users SET source = 'sync' WHERE staff_id = 'u1'",
        "INSERT INTO user_departments (staff_id, department_id) \
         SELECT staff_id, department_id FROM users WHERE staff_id = 'u1'",
    ] {
        sqlx::query(sql).execute(app.store.pool()).await.unwrap();
    }
    let file = "staff_id,name,department\nu1,甲,总部/研发部\n";
    let dry = import_with(&app, file, &["--dry-run"]).await;
    assert!(
        dry.ok
            && dry
                .stdout
                .contains("0 changed, 0 leaving, 0 rejoining, 0 role changes, 1 unchanged"),
        "{dry:?}"
    );
    let run = import(&app, file).await;
    assert!(
        run.ok
            && run
                .stdout
                .contains("1 users (0 added, 0 updated, 1 unchanged)"),
        "{run:?}\n{dry:?}"
    );
}

dual_backend!(
    import_reads_bom_quotes_and_chinese_paths,
    bad_rows_are_all_reported_and_nothing_is_imported,
    reimport_is_idempotent_and_marks_missing_users_left,
    import_roles_follow_the_file_but_the_last_admin_stays,
    a_known_person_listed_as_stored_is_unchanged,
);
