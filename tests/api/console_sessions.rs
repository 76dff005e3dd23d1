//! Console sessions (issue 16.2): kept server-side under a digest of the
//! cookie, ended by logging out (form token and same origin required; the
//! old cookie is useless afterwards), after 8 idle hours or 24 hours in
//! all, and at once when the person loses their role or leaves.

use axum::http::StatusCode;
use chrono::Duration;

use crate::dual_backend;
use crate::helpers::TestApp;
use crate::helpers::console::PUBLIC_URL;

async fn signed_out(app: &TestApp, cookie: &str) -> bool {
    let r = app.console_get("/admin/", cookie).await;
    r.status == StatusCode::SEE_OTHER && r.location() == "/admin/login"
}

async fn logout_needs_the_form_token_and_ends_the_session(app: TestApp) {
    let app = app.with_console().await;
    let cookie = app.console_cookie("admin1").await;
    let secret = cookie.trim_start_matches("dw_session=");
    let stored: String = sqlx::query_scalar("SELECT id_hash FROM console_sessions")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_ne!(stored, secret, "only a digest is stored");
    let csrf = TestApp::console_csrf(&cookie);
    let page = app.console_get("/admin/", &cookie).await;
    assert!(
        page.body
            .contains(&format!("name=\"csrf\" value=\"{csrf}\"")),
        "{}",
        page.body
    );

    for form in [
        String::new(),
        "csrf=wrong".to_owned(),
        format!("csrf={csrf}x"),
    ] {
        let r = app.console_post("/admin/logout", &cookie, &form).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{form}");
        assert!(r.body.contains("表单已失效"), "{}", r.body);
    }
    let evil = [
        ("cookie", cookie.as_str()),
        ("host", "ops.example.com"),
        ("origin", "https://evil.example"),
    ];
    let r = app
        .request(
            "POST",
            "/admin/logout",
            &evil,
            &format!("csrf={csrf}"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        !signed_out(&app, &cookie).await,
        "refused logouts end nothing"
    );

    let r = app
        .console_post("/admin/logout?lang=en", &cookie, &format!("csrf={csrf}"))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/admin/login?lang=en");
    assert!(
        r.set_cookies()[0].starts_with("dw_session=; Max-Age=0"),
        "{:?}",
        r.set_cookies()
    );
    assert_eq!(app.count("console_sessions").await, 0);
    // The kept cookie no longer works, for pages or another logout.
    assert!(signed_out(&app, &cookie).await);
    let again = app
        .console_post("/admin/logout", &cookie, &format!("csrf={csrf}"))
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location(), "/admin/login");
    let e = (
        "admin1".to_owned(),
        "console.sign_out".to_owned(),
        "admin1".to_owned(),
    );
    assert!(app.audit_entries().await.contains(&e));
    // Made-up cookies go to the sign-in page and are cleared.
    let r = app.console_get("/admin/", "dw_session=made-up").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.set_cookies()[0].contains("Max-Age=0"));
    assert_eq!(PUBLIC_URL, "https://ops.example.com");
}

async fn sessions_end_when_idle_8_hours_or_after_24(app: TestApp) {
    let app = app.with_console().await;
    let idle = app.console_cookie("admin1").await;
    let busy = app.console_cookie("hr1").await;
    app.advance(Duration::hours(7));
    assert!(!signed_out(&app, &busy).await);
    app.advance(Duration::hours(1));
    assert!(signed_out(&app, &idle).await, "8 idle hours");
    assert!(!signed_out(&app, &busy).await);
    for _ in 0..2 {
        app.advance(Duration::hours(7));
        assert!(!signed_out(&app, &busy).await);
    }
    // 22 hours in, used every 7 or less: still on; at 24 hours it ends.
    app.advance(Duration::hours(2));
    assert!(signed_out(&app, &busy).await, "24 hours in all");
    assert_eq!(
        app.count("console_sessions").await,
        0,
        "ended sessions are deleted"
    );
}

/// What `user_leave_org` applies (the action the event endpoint calls).
pub(crate) async fn leaves(app: &TestApp, staff_id: &str) {
    use dingwarden::domain::org_event::{OrgChange, OrgEvent};
    let event = OrgEvent {
        key: format!("event:leave-{staff_id}"),
        event_type: "user_leave_org".to_owned(),
        change: OrgChange::Left,
        user_ids: vec![staff_id.to_owned()],
    };
    let ctx = dingwarden::actions::Ctx::new(
        &app.store,
        &app.state.config,
        app.now(),
        dingwarden::actions::Actor::System("dingtalk"),
    );
    dingwarden::actions::roster::apply_org_event(&ctx, &event)
        .await
        .unwrap();
}

async fn a_revoked_role_or_leaving_ends_sessions_at_once(app: TestApp) {
    let app = app.with_console().await;
    app.seed_user("alice", "爱丽丝", None, None).await;
    app.seed_user("bob", "鲍勃", None, None).await;
    app.say_confirmed("admin1", "role grant alice hr").await;
    app.say_confirmed("admin1", "role grant bob admin").await;
    let alice = app.console_cookie("alice").await;
    let alice_too = app.console_cookie("alice").await;
    let bob = app.console_cookie("bob").await;
    let admin = app.console_cookie("admin1").await;
    assert!(!signed_out(&app, &alice).await && !signed_out(&app, &bob).await);

    app.say_confirmed("admin1", "role revoke alice hr").await;
    assert!(signed_out(&app, &alice).await && signed_out(&app, &alice_too).await);
    let ended = app.audit_details("console.sessions.end").await;
    assert_eq!(
        ended,
        vec![serde_json::json!({"sessions": 2, "reason": "role.revoke"})]
    );

    leaves(&app, "bob").await;
    assert!(signed_out(&app, &bob).await);
    assert!(!signed_out(&app, &admin).await, "others keep theirs");
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM console_sessions WHERE staff_id <> 'admin1'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(count, 0);
    // Signing in again is refused now.
    let ctx = dingwarden::actions::Ctx::new(
        &app.store,
        &app.state.config,
        app.now(),
        dingwarden::actions::Actor::System("test"),
    );
    for who in ["alice", "bob"] {
        let r = dingwarden::actions::console::sign_in(
            &ctx,
            who,
            dingwarden::actions::console::Via::DingTalk,
        )
        .await;
        assert!(r.is_err(), "{who}");
    }
    let reasons = app.audit_details("console.sign_in.refused").await;
    assert_eq!(
        reasons,
        vec![
            serde_json::json!({"via": "dingtalk", "reason": "no_role"}),
            serde_json::json!({"via": "dingtalk", "reason": "left"}),
        ]
    );
}

dual_backend!(
    logout_needs_the_form_token_and_ends_the_session,
    sessions_end_when_idle_8_hours_or_after_24,
    a_revoked_role_or_leaving_ends_sessions_at_once,
);
