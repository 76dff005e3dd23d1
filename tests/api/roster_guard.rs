//! Roster runs that cannot surprise (issue 18.4): `--dry-run` says what
//! would change and writes nothing; a run that would mark too many people
//! as left is refused with that summary unless `--allow-leavers N`; the same
//! guard for `roster sync`; unknown managers are warnings; a row with several
//! problems lists them all; the password reminders a run brings are counted.

use dingwarden::actions::roster::{self, RosterRun};
use dingwarden::actions::{ActionError, Actor, Ctx, Refusal};
use dingwarden::cli::roster::{RunFlags, read_csv, sync};
use dingwarden::domain::roster::RosterEntry;
use dingwarden::store::roster::RosterSource;

use crate::dual_backend;
use crate::helpers::TestApp;
use crate::roster::import_with;
use crate::sync::{Fake, client};

/// A roster of `n` people (`u01`…), the first three with a password
/// changed long ago, `u02` managed by someone nobody knows.
fn people(n: usize) -> String {
    let mut csv = String::from("staff_id,name,department,manager_staff_id,password_changed_at\n");
    for i in 1..=n {
        let date = if i <= 3 { "2025-01-01" } else { "" };
        let manager = if i == 2 { "ghost" } else { "" };
        csv.push_str(&format!("u{i:02},员工{i},总部/研发部,{manager},{date}\n"));
    }
    csv
}

async fn audit_count(app: &TestApp) -> i64 {
    app.count("audit_log").await
}

async fn dry_runs_write_nothing_and_the_guard_holds_leavers(app: TestApp) {
    let first = import_with(&app, &people(25), &[]).await;
    assert!(first.ok, "{first:?}");
    let out = first.stdout;
    assert!(
        out.contains("imported") && out.contains("25 added"),
        "{out}"
    );
    assert!(
        out.contains("warning: line 3: manager_staff_id 'ghost' of u02"),
        "{out}"
    );
    assert!(
        out.contains("password reminders within the next day: 3 people"),
        "{out}"
    );
    // HR exports one department: two people.
    let partial = people(2);
    let (users, audits) = (app.count("users").await, audit_count(&app).await);
    let dry = import_with(&app, &partial, &["--dry-run"]).await;
    assert!(dry.ok, "{dry:?}");
    let out = &dry.stdout;
    assert!(out.contains("nothing was changed"), "{out}");
    assert!(
        out.contains("would change: 0 new, 0 changed, 23 leaving, 0 rejoining"),
        "{out}"
    );
    assert!(
        out.contains("leaving (23): u03 员工3, u04 员工4") && out.contains("and 13 more"),
        "{out}"
    );
    assert!(
        out.contains("password reminders within the next day: 2 people"),
        "{out}"
    );
    assert_eq!(
        (app.count("users").await, audit_count(&app).await),
        (users, audits)
    );
    // The real run is refused with the summary; nothing changes.
    for allow in [&[][..], &["--allow-leavers", "22"][..]] {
        let run = import_with(&app, &partial, allow).await;
        assert!(!run.ok, "{run:?}");
        assert!(
            run.stderr
                .contains("would mark 23 of 25 active users as left")
                && run.stderr.contains("--allow-leavers 23")
                && run.stderr.contains("leaving (23):"),
            "{}",
            run.stderr
        );
    }
    let active: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE active = 1")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(active, 25);
    let run = import_with(&app, &partial, &["--allow-leavers", "23"]).await;
    assert!(
        run.ok && run.stdout.contains("23 marked as left"),
        "{run:?}"
    );
    assert_eq!(
        app.audit_details("roster.import").await[1]["allow_leavers"],
        23
    );
}

async fn every_problem_of_a_row_is_listed(app: TestApp) {
    let csv = "staff_id,role,password_changed_at,active\nu1,boss,2026-13-45,maybe\nu2,,,\n";
    let audits = audit_count(&app).await;
    let run = import_with(&app, csv, &["--dry-run"]).await;
    assert!(!run.ok);
    let line2: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(".csv:2: "))
        .collect();
    assert_eq!(line2.len(), 3, "{}", run.stderr);
    assert!(run.stderr.contains("1 bad row;"), "{}", run.stderr);
    // A dry run audits nothing, not even the rejection; a real run does.
    assert_eq!(audit_count(&app).await, audits);
    let run = import_with(&app, csv, &[]).await;
    assert!(!run.ok && run.stderr.contains("1 bad row;"), "{run:?}");
    assert_eq!(
        app.audit_details("roster.import.rejected").await[0]["bad_rows"],
        1
    );
    assert_eq!(app.count("users").await, 0);
}

fn import_run(entries: &[RosterEntry]) -> RosterRun<'_> {
    RosterRun {
        source: RosterSource::Import,
        entries,
        lines: &[],
        departments: None,
        origin: "console",
        fingerprint: None,
    }
}

/// The action layer that the console calls: typed plan, typed refusal.
async fn the_roster_actions_plan_and_guard(app: TestApp) {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let ctx = Ctx::new(
        &app.store,
        &app.state.config,
        app.now(),
        Actor::System("api"),
    );
    let all = read_csv(people(12).as_bytes(), today).unwrap();
    let two = read_csv(people(2).as_bytes(), today).unwrap();
    let entries = |rows: &[dingwarden::domain::roster::RosterRow]| {
        rows.iter().map(|r| r.entry.clone()).collect::<Vec<_>>()
    };
    let (all, two) = (entries(&all), entries(&two));
    let run = import_run;
    roster::apply(&ctx, run(&all), None).await.unwrap();
    let planned = roster::plan(&ctx, run(&two)).await.unwrap();
    assert_eq!(planned.plan.leaving.len(), 10);
    assert_eq!(planned.plan.active_before, 12);
    assert_eq!(planned.plan.warnings.len(), 1);
    match roster::apply(&ctx, run(&two), Some(9)).await {
        Err(ActionError::Refused(Refusal::TooManyLeavers {
            leaving,
            active,
            names,
            ..
        })) => {
            assert_eq!((leaving, active, names.len()), (10, 12, 10));
            assert_eq!(names[0], "员工3（u03）");
        }
        other => panic!("{other:?}"),
    }
    let done = roster::apply(&ctx, run(&two), Some(10)).await.unwrap();
    assert_eq!(done.summary.left.len(), 10);
}

async fn the_sync_has_the_same_guard(app: TestApp) {
    let fake = Fake::org();
    fake.mount(&app).await;
    let flags = |dry_run, allow_leavers| RunFlags {
        dry_run,
        allow_leavers,
    };
    let config = &app.state.config;
    sync(
        &app.store,
        config,
        &client(&app),
        app.now(),
        flags(false, None),
    )
    .await
    .unwrap();
    // Four of five leave DingTalk's answer (a permission glitch, say).
    fake.with(|m| m.users.truncate(1));
    let dry = sync(
        &app.store,
        config,
        &client(&app),
        app.now(),
        flags(true, None),
    )
    .await
    .unwrap();
    let lines = dry.lines("synced", "the DingTalk sync");
    assert!(lines[1].contains("4 leaving"), "{lines:?}");
    let err = sync(
        &app.store,
        config,
        &client(&app),
        app.now(),
        flags(false, None),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("--allow-leavers 4"), "{err}");
    let out = app.cli(&["roster", "sync"], &[]).await;
    assert!(
        !out.ok && out.stderr.contains("would mark 4 of 5"),
        "{out:?}"
    );
    let out = app
        .cli(&["roster", "sync", "--allow-leavers", "4"], &[])
        .await;
    assert!(out.ok && out.stdout.contains("4 marked as left"), "{out:?}");
}

dual_backend!(
    dry_runs_write_nothing_and_the_guard_holds_leavers,
    every_problem_of_a_row_is_listed,
    the_roster_actions_plan_and_guard,
    the_sync_has_the_same_guard,
);
