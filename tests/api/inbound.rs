//! Secrets at rest: callback signatures are kept only as hashes of their
//! (timestamp, sign) pair, one row per pair, and rows of earlier versions
//! are converted when the store migrates.

use axum::http::StatusCode;
use chrono::Duration;
use dingwarden::dingtalk::signature::sign;
use dingwarden::store::inbound::{Claim, ClaimRequest};

use crate::dual_backend;
use crate::helpers::{Db, SECRET, TestApp};

/// Everything the database holds, as text: the SQLite files byte for byte
/// (free pages and the WAL included), or every row of every PostgreSQL table.
async fn dump(app: &TestApp) -> String {
    match &app.db {
        Db::Sqlite(dir) => {
            let mut all = Vec::new();
            for entry in std::fs::read_dir(dir.path()).unwrap() {
                all.extend(std::fs::read(entry.unwrap().path()).unwrap_or_default());
            }
            String::from_utf8_lossy(&all).into_owned()
        }
        Db::Postgres(_) => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() ORDER BY 1",
            )
            .fetch_all(app.store.pool())
            .await
            .unwrap();
            let mut out = String::new();
            for t in tables {
                let rows: Option<String> =
                    sqlx::query_scalar(&format!("SELECT string_agg(t::text, ' ') FROM \"{t}\" t"))
                        .fetch_one(app.store.pool())
                        .await
                        .unwrap();
                out.push_str(&rows.unwrap_or_default());
            }
            out
        }
    }
}

async fn no_signature_that_was_sent_is_in_the_database(app: TestApp) {
    let mut signs = Vec::new();
    for i in 0..5 {
        app.advance(Duration::seconds(7));
        let ts = app.now().timestamp_millis().to_string();
        let sig = sign(SECRET, &ts);
        let headers = [("timestamp", ts.clone()), ("sign", sig.clone())];
        let body = app.direct("alice", &format!("lang {}", ["en", "zh"][i % 2]));
        let (status, _) = app.post_raw(&headers, body.to_string().into_bytes()).await;
        assert_eq!(status, StatusCode::OK);
        signs.push(sig);
    }
    app.state.settle().await;
    assert_eq!(app.count("inbound_messages").await, 5);
    assert_eq!(app.count("inbound_pairs").await, 5);
    let dump = dump(&app).await;
    for s in &signs {
        assert!(!dump.contains(s.as_str()), "{s} is in the database");
    }
}

async fn a_flood_on_one_pair_keeps_one_row_for_it(app: TestApp) {
    let now = app.now().timestamp_millis();
    let claim = |id: String, now_ms: i64| ClaimRequest {
        msg_id: id,
        sign_timestamp: now,
        sign: "captured".into(),
        now_ms,
        inbox: None,
    };
    for i in 0..200 {
        let v = app.state.deduper.claim(claim(format!("f{i}"), now)).await;
        assert_eq!(v.unwrap(), Claim::New);
    }
    assert_eq!(app.count("inbound_pairs").await, 1);
    let later = now + 61_000;
    let v = app.state.deduper.claim(claim("late".into(), later)).await;
    assert_eq!(v.unwrap(), Claim::Replay);
    let v = app.state.deduper.claim(claim("f7".into(), later)).await;
    assert_eq!(v.unwrap(), Claim::Duplicate);
    // Pruning forgets pairs with their msgIds.
    assert_eq!(app.store.prune_inbound(now + 1).await.unwrap(), 200);
    assert_eq!(app.count("inbound_pairs").await, 0);
}

/// The inbound table as versions before migration 0009 had it (and so
/// before 0011 added the inbox's columns to it).
const OLD_SCHEMA: &[&str] = &[
    "DROP TRIGGER inbound_first_sighting",
    "DROP TABLE inbound_pairs",
    "DROP TABLE inbound_messages",
    "CREATE TABLE inbound_messages (msg_id TEXT PRIMARY KEY, sign_timestamp BIGINT NOT NULL, \
     sign TEXT NOT NULL, received_at BIGINT NOT NULL)",
    "CREATE INDEX inbound_messages_sign ON inbound_messages(sign_timestamp, sign)",
    "CREATE INDEX inbound_messages_received ON inbound_messages(received_at)",
    "DELETE FROM _sqlx_migrations WHERE version = 9",
    "DELETE FROM _sqlx_migrations WHERE version = 11",
];

async fn an_upgrade_hashes_the_signatures_it_finds(app: TestApp) {
    let pool = app.store.pool();
    let postgres = matches!(app.db, Db::Postgres(_));
    for stmt in OLD_SCHEMA {
        let stmt = match (*stmt, postgres) {
            ("DROP TRIGGER inbound_first_sighting", true) => {
                "DROP FUNCTION inbound_first_sighting() CASCADE"
            }
            (s, _) => s,
        };
        sqlx::query(stmt).execute(pool).await.unwrap();
    }
    // A callback two minutes ago, stored the old way.
    let then = app.now() - Duration::minutes(2);
    let ts = then.timestamp_millis().to_string();
    let old_sign = sign(SECRET, &ts);
    sqlx::query("INSERT INTO inbound_messages VALUES ('old1', $1, $2, $3)")
        .bind(then.timestamp_millis())
        .bind(&old_sign)
        .bind(then.timestamp_millis())
        .execute(pool)
        .await
        .unwrap();
    app.store.migrate().await.expect("migrate");
    app.store
        .ready(std::time::Duration::from_secs(5))
        .await
        .expect("all migrations applied");
    assert!(!dump(&app).await.contains(old_sign.as_str()));
    assert_eq!(app.count("inbound_pairs").await, 1);
    // The converted pair still counts: a new msgId on it is a replay.
    let headers = [("timestamp", ts.clone()), ("sign", old_sign.clone())];
    let body = app.direct("alice", "help").to_string().into_bytes();
    let (status, json) = app.post_raw(&headers, body).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("replay"))
    );
    // Migrating again finds nothing left to convert.
    app.store.migrate().await.expect("migrate again");
}

dual_backend!(
    no_signature_that_was_sent_is_in_the_database,
    a_flood_on_one_pair_keeps_one_row_for_it,
    an_upgrade_hashes_the_signatures_it_finds,
);
