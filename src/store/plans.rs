//! Lookups whose cost must not grow with the whole history take an index
//! (migration 0015): one person's quiz history by person, not by reading
//! every attempt of the bank or every follow-up; retention's check each tick
//! by date, not by reading every incident and sent message
//! (bench/README.md, soak). SQLite's planner, without `ANALYZE`, picks
//! indexes by rule, so its plans are stable.

use sqlx::Row as _;

use super::Store;
use super::quiz::{attempts, review};
use super::retention::ANYTHING_DUE;

/// SQLite's plan for `sql` (every parameter bound to 1), one step a line.
async fn plan(sql: &str, params: usize) -> String {
    let store = Store::open("sqlite::memory:")
        .await
        .expect("in-memory store");
    let explain = format!("EXPLAIN QUERY PLAN {sql}");
    let mut query = sqlx::query(&explain);
    for _ in 0..params {
        query = query.bind(1_i64);
    }
    let rows = query.fetch_all(store.pool()).await.expect("plan");
    let steps: Vec<String> = rows.iter().map(|r| r.get("detail")).collect();
    steps.join("\n")
}

#[tokio::test]
async fn questions_seen_are_found_by_person() {
    let plan = plan(attempts::SEEN_KEYS, 2).await;
    assert!(plan.contains("quiz_attempts_person"), "{plan}");
    assert!(!plan.contains("quiz_attempts_bank"), "{plan}");
}

#[tokio::test]
async fn latest_results_are_found_by_person() {
    let plan = plan(attempts::RECENT_RESULTS, 2).await;
    assert!(plan.contains("quiz_attempts_person"), "{plan}");
    assert!(!plan.contains("SCAN"), "{plan}");
}

#[tokio::test]
async fn a_pending_follow_up_is_found_by_person() {
    let plan = plan(review::PENDING_FOLLOWUP, 2).await;
    assert!(plan.contains("quiz_followups_person"), "{plan}");
    assert!(!plan.contains("SCAN"), "{plan}");
}

#[tokio::test]
async fn retention_finds_what_is_due_by_date() {
    let plan = plan(ANYTHING_DUE, 4).await;
    assert!(plan.contains("incidents_created"), "{plan}");
    assert!(
        plan.contains("outbox_payloads (status=? AND sent_at<?)"),
        "{plan}"
    );
    assert!(!plan.contains("SCAN incidents"), "{plan}");
}
