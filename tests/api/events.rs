//! `POST /dingtalk/events`: encrypted event subscription, with the
//! known-answer fixtures of PROTOCOL.md §8.3, and the hostile-input rules
//! of issue 12 (size, stale timestamps, claim and apply together, pushes
//! without an eventId).

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

/// The fixtures' instant (their `timestamp` is 1700000000000 and …1234).
const FIXTURE_MS: i64 = 1_700_000_000_500;

/// Event subscription configured, the clock at the fixtures' instant.
async fn configured(app: TestApp) -> TestApp {
    app.clock.set(dingwarden::clock::from_ms(FIXTURE_MS));
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

/// A push of `plain`, encrypted and signed now-ish at `ts`: its query and body.
fn signed(plain: &str, ts: &str) -> (String, String) {
    let c = EventCrypto::new(TOKEN, AES_KEY, OWNER).unwrap();
    let encrypt = c.encrypt_with(plain, b"aaaabbbbccccdddd");
    let sig = c.signature(ts, "nonce42", &encrypt);
    (
        format!("signature={sig}&timestamp={ts}&nonce=nonce42"),
        encrypt,
    )
}

async fn joined_audits(app: &TestApp) -> usize {
    app.audit_entries()
        .await
        .iter()
        .filter(|(_, a, _)| a == "roster.joined")
        .count()
}

async fn oversized_and_stale_pushes_change_nothing(app: TestApp) {
    let app = configured(app).await;
    app.seed_user("manager4220", "经理", None, None).await;
    let huge = "A".repeat(70 * 1024);
    let (status, body) = push(&app, "signature=x&timestamp=1700000000000&nonce=n", &huge).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large"))
    );
    // A correctly signed push replayed two hours later is stale.
    app.advance(chrono::Duration::hours(2));
    let leave =
        "signature=a8104f889313b6883c3d15bdfa6ed815cf3bdb7c&timestamp=1700000001234&nonce=aBcDeF12";
    let (status, body) = push(&app, leave, LEAVE).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("stale_timestamp"))
    );
    // The signature is checked first: a forged stale push is a bad signature.
    let forged =
        "signature=0000000000000000000000000000000000000000&timestamp=1700000001234&nonce=aBcDeF12";
    let (_, body) = push(&app, forged, LEAVE).await;
    assert_eq!(body["error"], "bad_signature");
    let active: i64 = sqlx::query_scalar("SELECT active FROM users")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!((active, app.count("inbound_messages").await), (1, 0));
    // Ten digits are seconds: the same instant, fresh again.
    let now_s = (app.now().timestamp_millis() / 1000).to_string();
    let (query, encrypt) = signed(r#"{"EventType":"check_url"}"#, &now_s);
    let (status, body) = push(&app, &query, &encrypt).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn a_failed_apply_leaves_no_claim_and_the_retry_applies(app: TestApp) {
    let app = configured(app).await;
    app.seed_user("leaver", "走的人", None, None).await;
    let ts = FIXTURE_MS.to_string();
    let plain = r#"{"eventId":"evt-7","EventType":"user_leave_org","UserId":["leaver"],"CorpId":"dingcorp"}"#;
    let (query, encrypt) = signed(plain, &ts);
    app.fail_user_updates(true).await;
    let (status, _) = push(&app, &query, &encrypt).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        app.count("inbound_messages").await,
        0,
        "no claim without the change"
    );
    app.fail_user_updates(false).await;
    let (status, reply) = push(&app, &query, &encrypt).await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_success_reply(&reply);
    let active: i64 = sqlx::query_scalar("SELECT active FROM users WHERE staff_id = 'leaver'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(active, 0);
}

async fn pushes_without_an_event_id_are_deduplicated_by_their_payload(app: TestApp) {
    let app = configured(app).await;
    let ts = FIXTURE_MS.to_string();
    let join = |t: &str| {
        format!(
            r#"{{"EventType":"user_add_org","UserId":["joiner"],"CorpId":"dingcorp","TimeStamp":"{t}"}}"#
        )
    };
    let (query, encrypt) = signed(&join("1700000000001"), &ts);
    for _ in 0..2 {
        let (status, reply) = push(&app, &query, &encrypt).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
    }
    assert_eq!(joined_audits(&app).await, 1);
    // Another push (another instant) is another event.
    let (query, encrypt) = signed(&join("1700000000002"), &ts);
    let (status, _) = push(&app, &query, &encrypt).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(joined_audits(&app).await, 2);
}

dual_backend!(
    oversized_and_stale_pushes_change_nothing,
    a_failed_apply_leaves_no_claim_and_the_retry_applies,
    pushes_without_an_event_id_are_deduplicated_by_their_payload,
    check_url_is_answered_with_encrypted_success,
    users_leaving_the_organisation_are_marked_left,
    bad_or_unconfigured_pushes_change_nothing,
);
