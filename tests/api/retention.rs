//! Retention (issue 17 point 3): with zero days, the leaver's name and
//! staff id are gone from a dump of every table, texts are erased, payloads
//! dropped, and every report total is what it was; the audit chain verifies
//! before and after, with the entries naming the leaver redacted; a dry run
//! changes nothing; the scheduler applies it once a day when it is due.

use chrono::Duration;
use serde_json::Value;

use crate::dashboard::{BEARER, get, with_token};
use crate::dual_backend;
use crate::evidence::{export, history, public_key, scratch, verify};
use crate::helpers::TestApp;

const ZERO_DAYS: &[(&str, &str)] = &[
    ("DINGWARDEN_RETENTION_LEAVER_DAYS", "0"),
    ("DINGWARDEN_RETENTION_TEXT_DAYS", "0"),
    ("DINGWARDEN_RETENTION_OUTBOX_DAYS", "0"),
    ("DINGWARDEN_RETENTION_DEAD_LETTER_DAYS", "0"),
];

/// Every table, every row, every column as text: `table|v1|v2|…` lines.
async fn dump(app: &TestApp) -> String {
    use dingwarden::store::Backend;
    let tables: Vec<String> = match app.store.backend() {
        Backend::Sqlite => sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name <> '_sqlx_migrations' ORDER BY name",
        ),
        Backend::Postgres => sqlx::query_scalar(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations' ORDER BY 1",
        ),
    }
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    assert!(tables.len() > 30, "{tables:?}");
    let mut out = String::new();
    for table in tables {
        let columns: Vec<String> = match app.store.backend() {
            Backend::Sqlite => sqlx::query_scalar("SELECT name FROM pragma_table_info($1)"),
            Backend::Postgres => sqlx::query_scalar(
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name = $1",
            ),
        }
        .bind(&table)
        .fetch_all(app.store.pool())
        .await
        .unwrap();
        let row = columns
            .iter()
            .map(|c| format!("COALESCE(CAST({c} AS TEXT), '')"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let rows: Vec<String> = sqlx::query_scalar(&format!("SELECT {row} FROM {table}"))
            .fetch_all(app.store.pool())
            .await
            .unwrap();
        for r in rows {
            out.push_str(&format!("{table}|{r}\n"));
        }
    }
    out
}

/// Lines of the dump naming `id` as a whole word, or `name` anywhere.
fn naming(dump: &str, id: &str, name: &str) -> Vec<String> {
    let word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@');
    dump.lines()
        .filter(|line| {
            line.contains(name)
                || line.match_indices(id).any(|(at, _)| {
                    let before = line[..at].chars().last();
                    let after = line[at + id.len()..].chars().next();
                    !before.is_some_and(word) && !after.is_some_and(word)
                })
        })
        .map(str::to_owned)
        .collect()
}

async fn api(app: &TestApp, path: &str) -> Value {
    let (_, _, body) = get(app, path, &[BEARER]).await;
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}

/// Every figure the reports show, without the texts that may change.
async fn totals(app: &TestApp) -> Value {
    let notices = api(app, "/api/v1/notices").await["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| serde_json::json!([n["id"], n["recipients"], n["acked"], n["percent"]]))
        .collect::<Vec<_>>();
    let mut per_notice = Vec::new();
    for id in 1..=3 {
        let n = api(app, &format!("/api/v1/notices/{id}")).await;
        per_notice.push(serde_json::json!([
            n["progress"],
            n["departments"],
            n["not_acknowledged"]["count"]
        ]));
    }
    let incidents = api(app, "/api/v1/incidents").await;
    let outbox = api(app, "/api/v1/outbox").await;
    serde_json::json!({
        "notices": notices, "per_notice": per_notice,
        "quiz": api(app, "/api/v1/quiz/stats").await,
        "passwords": api(app, "/api/v1/passwords/status").await,
        "incidents": incidents["incidents"].as_array().map(Vec::len),
        "outbox": [&outbox["pending"], &outbox["failing"], &outbox["dead"]],
    })
}

async fn audit_verify(app: &TestApp) -> String {
    let run = app.cli(&["audit", "verify"], &[]).await;
    assert!(run.ok, "{run:?}");
    run.stdout
}

async fn a_leaver_is_gone_from_every_table_and_totals_hold(app: TestApp) {
    let app = with_token(app).await;
    history(&app).await;
    assert!(
        !naming(&dump(&app).await, "u2", "李四").is_empty(),
        "the history names u2"
    );
    let before = totals(&app).await;
    assert!(audit_verify(&app).await.contains("(0 entries redacted"));
    // A dry run says what would happen and changes nothing.
    let snapshot = dump(&app).await;
    let dry = app.cli(&["retention", "run", "--dry-run"], ZERO_DAYS).await;
    assert!(dry.ok, "{dry:?}");
    assert!(
        dry.stdout.contains("would apply") && dry.stdout.contains("1 leavers"),
        "{dry:?}"
    );
    assert_eq!(dump(&app).await, snapshot, "a dry run changes nothing");
    // The real run, with zero days.
    let run = app.cli(&["retention", "run"], ZERO_DAYS).await;
    assert!(run.ok, "{run:?}");
    assert!(
        run.stdout
            .starts_with("retention applied: 1 leavers pseudonymised"),
        "{run:?}"
    );
    let after = dump(&app).await;
    assert_eq!(naming(&after, "u2", "李四"), Vec::<String>::new());
    assert!(
        after.contains("已离职用户 #"),
        "the name became a pseudonym"
    );
    assert_eq!(totals(&app).await, before, "every report total stays");
    let out = audit_verify(&app).await;
    assert!(!out.contains("(0 entries redacted"), "{out}");
    // The leaver keeps department and dates; texts and payloads are gone.
    let (name, dept, left): (String, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT name, department_id, left_at FROM users WHERE pseudonymised_at IS NOT NULL",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert!(name.starts_with("已离职用户 #") && dept.is_some() && left.is_some());
    let texts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT text, created_at FROM incidents UNION ALL SELECT text, created_at FROM feedback",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    assert!(
        texts.iter().all(|(t, at)| t.is_empty() && *at > 0),
        "{texts:?}"
    );
    let kept: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND payload_dropped_at IS NULL",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(kept, 0);
    // The run is audited with counts, never with what it erased.
    let runs = app.audit_details("retention.run").await;
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0]["counts"]["leavers"], 1);
    // A bundle made now verifies offline, redactions counted.
    let dir = scratch();
    let bundle = export(&app, dir.path(), "after.zip", &[]).await;
    let checked = verify(&bundle, Some(&public_key()));
    assert!(
        checked.ok && !checked.stdout.contains("(0 entries redacted"),
        "{checked:?}"
    );
    // Nothing is due any more.
    let again = app.cli(&["retention", "run"], ZERO_DAYS).await;
    assert!(
        again
            .stdout
            .contains(": 0 leavers pseudonymised (0 rows), 0 incident"),
        "{again:?}"
    );
    audit_verify(&app).await;
}

async fn the_scheduler_applies_it_once_a_day_when_due(app: TestApp) {
    history(&app).await;
    let pseudonymised = |app: &TestApp| {
        let pool = app.store.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM users WHERE pseudonymised_at IS NOT NULL",
            )
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    // Defaults: a leaver of today is kept, but nothing else is due either.
    app.tick().await;
    assert_eq!(pseudonymised(&app).await, 0);
    assert!(app.audit_details("retention.run").await.is_empty());
    // 31 days on, the sent payloads are due: one run, by the scheduler.
    app.advance(Duration::days(31));
    app.tick().await;
    app.tick().await;
    let runs = app.audit_details("retention.run").await;
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0]["counts"]["leavers"], 0);
    assert!(runs[0]["counts"]["payloads_dropped"].as_i64().unwrap() > 0);
    assert_eq!(app.audit_entries().await.last().unwrap().0, "scheduler");
    // 181 days after leaving, the leaver is due: pseudonymised the next day.
    app.advance(Duration::days(150));
    app.tick().await;
    assert_eq!(pseudonymised(&app).await, 1);
    assert_eq!(app.audit_details("retention.run").await.len(), 2);
    audit_verify(&app).await;
}

dual_backend!(
    a_leaver_is_gone_from_every_table_and_totals_hold,
    the_scheduler_applies_it_once_a_day_when_due,
);
