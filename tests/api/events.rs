//! `POST /dingtalk/events`: encrypted event subscription, with the
//! known-answer fixtures of PROTOCOL.md §8.3.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use dingwarden::dingtalk::crypto::EventCrypto;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::dual_backend;
use crate::helpers::TestApp;

const TOKEN: &str = "tokenTest123";
const AES_KEY: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
const OWNER: &str = "dingabcdef0123456789";
/// Row B: `{"EventType":"check_url"}`.
const CHECK_URL: &str = "6Wy3FTppMhv6/tbz18f2HpVxuwnfnaRhTlrgcQohax8myS/aN8RSt3MYbaJ4tcCQ4cel3CIWiBmpWre/GxwiJ4dP2b5vNHj+oBXWLh1eL3YrbfCW3HiK02qis+d40v+h";
/// Row C: user_leave_org for manager4220 and 0123456.
const LEAVE: &str = "Bv31lobrgZfnPREjMMXo7JiK3BMyO8dsKNMmVm5fUsXTJjXyubf9iV6fkz2XdiH+s1vkwTT6VgGXqzPYgwITLidouC7+osAGZbfEx5EuMDiV+ggWAn7TGcvmIT4nKnbUJYLCI9gddpI6KrVhiwRInLY18zslnD5w94AxYBFjEE/cG/33xD8lbKqKLQZiT+IrF695Uqp+BMgGtR+bZmSTsltJM9DhKqUlwUx6bzwilysJnl2cdPj19+MmeE0YFKntD2rTr3UMhPRJ/zgv8l7iqKLZgklVkIRot2GZGTFfEDQ=";

async fn configured(app: TestApp) -> TestApp {
    app.reconfigure(|c| {
        c.event_token = Some(SecretString::from(TOKEN.to_owned()));
        c.event_aes_key = Some(SecretString::from(AES_KEY.to_owned()));
        c.corp_id = Some(OWNER.to_owned());
    })
    .await
}

async fn push(app: &TestApp, query: &str, encrypt: &str) -> (StatusCode, Value) {
    let req = Request::post(format!("/dingtalk/events?{query}"))
        .header("content-type", "application/json")
        .body(Body::from(json!({"encrypt": encrypt}).to_string()))
        .unwrap();
    app.call(req).await
}

/// The reply must be signed and decrypt to `success`.
fn assert_success_reply(reply: &Value) {
    let c = EventCrypto::new(TOKEN, AES_KEY, OWNER).unwrap();
    let (ts, nonce, enc) = (
        reply["timeStamp"].as_str().unwrap(),
        reply["nonce"].as_str().unwrap(),
        reply["encrypt"].as_str().unwrap(),
    );
    c.verify(reply["msg_signature"].as_str().unwrap(), ts, nonce, enc)
        .unwrap();
    assert_eq!(c.decrypt(enc).unwrap(), "success");
}

async fn check_url_is_answered_with_encrypted_success(app: TestApp) {
    let app = configured(app).await;
    let (status, reply) = push(
        &app,
        "signature=4f71ed39e48c0f6f0501e251a0d4d2dc701b95ad&timestamp=1700000000000&nonce=nonce123",
        CHECK_URL,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_success_reply(&reply);
    // The older parameter names work too.
    let (status, _) =
        push(&app, "msg_signature=4f71ed39e48c0f6f0501e251a0d4d2dc701b95ad&timeStamp=1700000000000&nonce=nonce123", CHECK_URL).await;
    assert_eq!(status, StatusCode::OK);
}

async fn users_leaving_the_organisation_are_marked_left(app: TestApp) {
    let app = configured(app).await;
    app.seed_user("manager4220", "经理", Some("总部"), None)
        .await;
    app.seed_user("someone", "某人", Some("总部"), None).await;
    let (status, reply) = push(
        &app,
        "signature=a8104f889313b6883c3d15bdfa6ed815cf3bdb7c&timestamp=1700000001234&nonce=aBcDeF12",
        LEAVE,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_success_reply(&reply);
    let active: Vec<(String, i64)> =
        sqlx::query_as("SELECT staff_id, active FROM users ORDER BY staff_id")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    assert_eq!(
        active,
        vec![("manager4220".into(), 0), ("someone".into(), 1)]
    );
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'roster.left'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(audited, 1);
}

async fn bad_or_unconfigured_pushes_change_nothing(app: TestApp) {
    let (status, body) = push(&app, "signature=x&timestamp=1&nonce=n", CHECK_URL).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let app = configured(app).await;
    app.seed_user("manager4220", "经理", None, None).await;
    let (status, body) = push(
        &app,
        "signature=0000000000000000000000000000000000000000&timestamp=1700000001234&nonce=aBcDeF12",
        LEAVE,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("bad_signature"))
    );
    let wrong_owner = app
        .reconfigure(|c| c.corp_id = Some("dingother".into()))
        .await;
    let (status, body) = push(
        &wrong_owner,
        "signature=a8104f889313b6883c3d15bdfa6ed815cf3bdb7c&timestamp=1700000001234&nonce=aBcDeF12",
        LEAVE,
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("wrong_receiver"))
    );
    let active: i64 = sqlx::query_scalar("SELECT active FROM users")
        .fetch_one(wrong_owner.store.pool())
        .await
        .unwrap();
    assert_eq!(active, 1);
}

/// Row D: user_add_org for u001.
const JOIN: &str = "/B2kcoVf3SPZihfaBMMq94sRLO4qehhC2wY0R5AdBBHlDSInBVraZeUzsVsbo5bY1PRBnF8ZpR8Mpn3tE+qG/B+AZFevRfZKw+LOe8o7quk4X2MUFRLECrYOfKmQEHGv0iXyE5nJe60WosK0rrCv9pO0PxIwCZ6D0R5Z/FOp071ep+d1DupOORTyoeGR5+x9e6h7m39HmiNCRgbNzqNHiA==";

async fn joiners_are_recorded_and_leavers_come_back(app: TestApp) {
    let app = configured(app).await;
    let query =
        "signature=62bc2284fe6369da366beccf06411a1243651627&timestamp=1700000005678&nonce=zxcvbnm1";
    let (status, reply) = push(&app, query, JOIN).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_success_reply(&reply);
    let state = || async {
        sqlx::query_as::<_, (i64, Option<i64>)>(
            "SELECT active, left_at FROM users WHERE staff_id = 'u001'",
        )
        .fetch_one(app.store.pool())
        .await
        .unwrap()
    };
    assert_eq!(state().await, (1, None));
    // Marked left since, the same push brings them back.
    sqlx::query("UPDATE users SET active = 0, left_at = 1 WHERE staff_id = 'u001'")
        .execute(app.store.pool())
        .await
        .unwrap();
    let (status, _) = push(&app, query, JOIN).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(state().await, (1, None));
    let joined = app.audit_details("roster.joined").await;
    assert_eq!(joined, vec![json!({"via": "event"}); 2]);
    let entries = app.audit_entries().await;
    assert!(entries.contains(&("dingtalk".into(), "roster.joined".into(), "u001".into())));
}

/// The router's one body limit covers this route too: 413 JSON, whether
/// the size is declared or only found while reading, and nothing changes.
async fn oversized_pushes_are_refused_like_every_body(app: TestApp) {
    let app = configured(app).await;
    app.seed_user("manager4220", "经理", None, None).await;
    let big = json!({"encrypt": "A".repeat(70 * 1024)}).to_string();
    let query = "/dingtalk/events?signature=a8104f889313b6883c3d15bdfa6ed815cf3bdb7c\
                 &timestamp=1700000001234&nonce=aBcDeF12";
    for declared in [false, true] {
        let mut req = Request::post(query).header("content-type", "application/json");
        if declared {
            req = req.header("content-length", big.len());
        }
        let (status, body) = app.call(req.body(Body::from(big.clone())).unwrap()).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")),
            "declared: {declared}: {body}"
        );
    }
    let active: i64 = sqlx::query_scalar("SELECT active FROM users")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(active, 1);
}

dual_backend!(
    check_url_is_answered_with_encrypted_success,
    users_leaving_the_organisation_are_marked_left,
    bad_or_unconfigured_pushes_change_nothing,
    joiners_are_recorded_and_leavers_come_back,
    oversized_pushes_are_refused_like_every_body,
);
