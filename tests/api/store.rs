//! Store building blocks shared by every feature, on both backends.

use dingwarden::domain::Message;
use dingwarden::store::audience;
use dingwarden::store::audit::{self, AuditEntry, GENESIS_HASH};
use dingwarden::store::outbox::{self, Outbound, Priority};
use serde_json::json;

use crate::dual_backend;
use crate::helpers::TestApp;

async fn audiences_resolve_departments_with_their_subtrees(app: TestApp) {
    app.seed_user("a", "A", Some("总部/研发部"), None).await;
    app.seed_user("b", "B", Some("总部/研发部/平台组"), None)
        .await;
    app.seed_user("c", "C", Some("总部/销售部"), None).await;
    app.seed_user("d", "D", Some("总部/研发部_x"), None).await;
    sqlx::query("UPDATE users SET active = 0 WHERE staff_id = 'c'")
        .execute(app.store.pool())
        .await
        .unwrap();
    let mut conn = app.store.pool().acquire().await.unwrap();
    assert_eq!(
        audience::all_active(&mut conn).await.unwrap(),
        vec!["a", "b", "d"]
    );
    let rd = audience::department_members(&mut conn, "总部/研发部")
        .await
        .unwrap();
    assert_eq!(rd, Some(vec!["a".to_owned(), "b".to_owned()]));
    assert_eq!(
        audience::department_members(&mut conn, "研发部")
            .await
            .unwrap(),
        rd
    );
    assert_eq!(
        audience::department_members(&mut conn, "市场部")
            .await
            .unwrap(),
        None
    );
    // A secondary membership counts too.
    let sales: i64 = sqlx::query_scalar("SELECT id FROM departments WHERE path = '总部/销售部'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    sqlx::query("INSERT INTO user_departments (staff_id, department_id) VALUES ('a', $1)")
        .bind(sales)
        .execute(app.store.pool())
        .await
        .unwrap();
    assert_eq!(
        audience::department_members(&mut conn, "销售部")
            .await
            .unwrap(),
        Some(vec!["a".to_owned()])
    );
    let named = audience::named_users(
        &mut conn,
        &["b".into(), "c".into(), "zz".into(), "a".into()],
    )
    .await
    .unwrap();
    assert_eq!(named.staff_ids, vec!["a", "b"]);
    assert_eq!(named.unknown, vec!["c", "zz"]);
}

async fn audit_entries_chain_their_hashes(app: TestApp) {
    // Start-up already audited the configured roles (admin1, hr1).
    let base = app.count("audit_log").await;
    assert_eq!(base, 2);
    let mut tx = app.store.begin_write().await.unwrap();
    for i in 0..3 {
        let entry = AuditEntry {
            actor: "admin1",
            action: "test.action",
            subject: "s",
            details: json!({"i": i}),
        };
        assert_eq!(
            audit::append(tx.conn(), &entry, 1000 + i).await.unwrap(),
            base + i + 1
        );
    }
    tx.commit().await.unwrap();
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    assert_eq!(rows[0].1, GENESIS_HASH);
    for pair in rows.windows(2) {
        assert_eq!(pair[1].1, pair[0].2);
    }
}

async fn outbox_enqueue_batches_direct_messages_and_dedupes(app: TestApp) {
    let users: Vec<String> = (0..45).map(|i| format!("u{i:02}")).collect();
    let msg = Message::text("hello");
    let mut tx = app.store.begin_write().await.unwrap();
    let out = Outbound::direct(&users, &msg)
        .priority(Priority::Bulk)
        .dedupe_key("k1")
        .reference(dingwarden::store::outbox::Reference::Notice(7));
    let ids = outbox::enqueue(tx.conn(), &out, 1).await.unwrap();
    assert_eq!(ids.len(), 3);
    assert!(
        outbox::enqueue(tx.conn(), &out, 2)
            .await
            .unwrap()
            .is_empty(),
        "same key twice writes nothing"
    );
    tx.commit().await.unwrap();
    let rows = app.outbox().await;
    assert_eq!(
        rows.iter().map(|r| r.recipients.len()).collect::<Vec<_>>(),
        vec![20, 20, 5]
    );
    assert_eq!(rows[2].dedupe_key.as_deref(), Some("k1#2"));
    assert_eq!(rows[0].message, json!({"type": "text", "content": "hello"}));
    assert_eq!(rows[0].text(), "hello");
    assert!(
        rows.iter()
            .all(|r| r.channel == "direct" && r.status == "pending")
    );
    assert!(rows[0].id < rows[1].id);
}

dual_backend!(
    audiences_resolve_departments_with_their_subtrees,
    audit_entries_chain_their_hashes,
    outbox_enqueue_batches_direct_messages_and_dedupes,
);

async fn a_burst_of_claims_is_decided_once_per_msg_id(app: TestApp) {
    use dingwarden::store::inbound::{Claim, ClaimRequest};
    let now = app.now().timestamp_millis();
    let claim = |id: String, ts: i64, now_ms: i64| {
        let deduper = app.state.deduper.clone();
        let req = ClaimRequest {
            msg_id: id,
            sign_timestamp: ts,
            sign: format!("sig{ts}"),
            now_ms,
            inbox: None,
        };
        tokio::spawn(async move { deduper.claim(req).await.unwrap() })
    };
    // 40 messages, each delivered twice at once (DingTalk redelivering).
    let tasks: Vec<_> = (0..80)
        .map(|i| claim(format!("m{}", i % 40), now - (i % 40), now))
        .collect();
    let mut verdicts = Vec::new();
    for t in tasks {
        verdicts.push(t.await.unwrap());
    }
    assert_eq!(verdicts.iter().filter(|v| **v == Claim::New).count(), 40);
    assert_eq!(
        verdicts.iter().filter(|v| **v == Claim::Duplicate).count(),
        40
    );
    assert_eq!(app.count("inbound_messages").await, 40);
    // A minute later, a new msgId on an old signature pair is a replay and is not written.
    let later = now + 61_000;
    assert_eq!(
        claim("fresh".into(), now - 3, later).await.unwrap(),
        Claim::Replay
    );
    assert_eq!(
        claim("m3".into(), now - 3, later).await.unwrap(),
        Claim::Duplicate
    );
    assert_eq!(
        claim("other".into(), now + 5, later).await.unwrap(),
        Claim::New
    );
    assert_eq!(app.count("inbound_messages").await, 41);
}

dual_backend!(a_burst_of_claims_is_decided_once_per_msg_id);

async fn a_failed_claim_is_an_error_and_the_next_claim_works(app: TestApp) {
    use dingwarden::store::inbound::{Claim, ClaimRequest};
    let now = app.now().timestamp_millis();
    let claim = |id: &str| ClaimRequest {
        msg_id: id.into(),
        sign_timestamp: now,
        sign: format!("sig-{id}"),
        now_ms: now,
        inbox: None,
    };
    let rename = |from: &str, to: &str| format!("ALTER TABLE {from} RENAME TO {to}");
    let deduper = app.state.deduper.clone();
    assert_eq!(deduper.claim(claim("before")).await.unwrap(), Claim::New);
    // The table is gone for a moment: the claim fails (the callback would get
    // 503 and DingTalk retries), and the writer goes on once it is back.
    let pool = app.store.pool();
    sqlx::query(&rename("inbound_messages", "inbound_away"))
        .execute(pool)
        .await
        .unwrap();
    assert!(deduper.claim(claim("during")).await.is_err());
    sqlx::query(&rename("inbound_away", "inbound_messages"))
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(deduper.claim(claim("during")).await.unwrap(), Claim::New);
    assert_eq!(
        deduper.claim(claim("before")).await.unwrap(),
        Claim::Duplicate
    );
    // A closed store takes no more claims, although the writer keeps its own
    // connection.
    app.store.close().await;
    assert!(deduper.claim(claim("after")).await.is_err());
}

dual_backend!(a_failed_claim_is_an_error_and_the_next_claim_works);
