//! Console sessions (issue 16.1–16.2): signing in (admins and HR only,
//! every outcome audited under the person's staff id), finding the session
//! a cookie names (8 h idle, 24 h absolute, the person's role read afresh
//! each time), signing out, and ending a person's sessions when they lose a
//! role or leave. The cookie value is 256 random bits; only its SHA-256 is
//! stored, and the form token (CSRF) is derived from it, so neither can be
//! read back out of the database.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use serde_json::json;
use sha2::{Digest as _, Sha256};

use super::{ActionResult, Actor, Ctx, Refusal, Tx};
use crate::domain::console::{ABSOLUTE_MS, IDLE_MS, console_role, session_alive, touch_due};
use crate::domain::{Role, User};
use crate::i18n::Lang;
use crate::store::console as sessions;

/// How someone signed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// DingTalk's OAuth sign-in.
    DingTalk,
    /// `serve --dev`'s "sign in as".
    Dev,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::DingTalk => "dingtalk",
            Via::Dev => "dev",
        }
    }
}

/// A new session: the cookie value (shown to the browser once, never stored).
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub secret: String,
    pub user: User,
    pub role: Role,
}

/// The person a live session belongs to, with their role now and the
/// session's form token.
#[derive(Clone, Debug)]
pub struct Live {
    pub user: User,
    pub role: Role,
    pub csrf: String,
}

/// 256 random bits, base64url.
pub(super) fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a secret: base64url SHA-256.
pub(super) fn digest(secret: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(secret.as_bytes()))
}

/// The form token of the session whose cookie value is `secret`.
pub fn csrf_token(secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"dingwarden console csrf v1\0");
    h.update(secret.as_bytes());
    URL_SAFE_NO_PAD.encode(h.finalize())
}

/// Why a sign-in was refused, for the audit log.
fn refusal_reason(user: Option<&User>) -> &'static str {
    match user {
        None => "unknown",
        Some(u) if !u.active => "left",
        Some(_) => "no_role",
    }
}

/// Signs `staff_id` in (`ctx.actor` is the service doing it: `dingtalk`,
/// `dev`). Active admins and HR get a session; anyone else is refused.
/// Both are audited with the person as actor.
#[tracing::instrument(skip_all, fields(via = via.as_str()))]
pub async fn sign_in(ctx: &Ctx<'_>, staff_id: &str, via: Via) -> ActionResult<SignedIn> {
    let found = {
        let mut conn = ctx.read().await?;
        sessions::console_user(&mut conn, staff_id).await?
    };
    let person = found.clone().unwrap_or_else(|| User {
        staff_id: staff_id.to_owned(),
        name: String::new(),
        lang: Lang::Zh,
        roles: vec![],
        active: false,
    });
    let as_person = Ctx {
        actor: Actor::Person(&person),
        ..*ctx
    };
    let mut tx = as_person.begin().await?;
    let Some(role) = found.as_ref().and_then(console_role) else {
        let details = json!({"via": via.as_str(), "reason": refusal_reason(found.as_ref())});
        tx.audit("console.sign_in.refused", staff_id, details)
            .await?;
        tx.commit().await?;
        return Err(Refusal::ConsoleNotAllowed {
            staff_id: staff_id.to_owned(),
        }
        .into());
    };
    let now = ctx.now_ms();
    sessions::delete_expired_sessions(tx.conn(), now - IDLE_MS, now - ABSOLUTE_MS).await?;
    let secret = random_secret();
    sessions::insert_session(tx.conn(), &digest(&secret), staff_id, via.as_str(), now).await?;
    let details = json!({"via": via.as_str(), "role": role.as_str()});
    tx.audit("console.sign_in", staff_id, details).await?;
    tx.commit().await?;
    Ok(SignedIn {
        secret,
        user: person,
        role,
    })
}

/// The live session whose cookie value is `secret`, if any: it has not
/// been idle 8 hours, is less than a day old, and its person is an active
/// admin or HR now. A session past any of that is deleted.
pub async fn find_live(ctx: &Ctx<'_>, secret: &str) -> ActionResult<Option<Live>> {
    let hash = digest(secret);
    let now = ctx.now_ms();
    let (row, user) = {
        let mut conn = ctx.read().await?;
        let Some(row) = sessions::find_session(&mut conn, &hash).await? else {
            return Ok(None);
        };
        let user = sessions::console_user(&mut conn, &row.staff_id).await?;
        (row, user)
    };
    let role = user.as_ref().and_then(console_role);
    let alive = session_alive(row.created_at, row.last_seen_at, now);
    match (user, role) {
        (Some(user), Some(role)) if alive => {
            if touch_due(Some(row.last_seen_at), now) {
                let mut tx = ctx.begin().await?;
                sessions::touch_session(tx.conn(), &hash, now).await?;
                tx.commit().await?;
            }
            Ok(Some(Live {
                user,
                role,
                csrf: csrf_token(secret),
            }))
        }
        _ => {
            let mut tx = ctx.begin().await?;
            sessions::delete_session(tx.conn(), &hash).await?;
            tx.commit().await?;
            Ok(None)
        }
    }
}

/// Signs the session whose cookie value is `secret` out (deletes it);
/// audited with the acting person. Whether there was such a session.
pub async fn sign_out(ctx: &Ctx<'_>, secret: &str) -> ActionResult<bool> {
    let mut tx = ctx.begin().await?;
    let Some(staff_id) = sessions::delete_session(tx.conn(), &digest(secret)).await? else {
        return Ok(false);
    };
    tx.audit("console.sign_out", &staff_id, json!({})).await?;
    tx.commit().await?;
    Ok(true)
}

/// Everyone `serve --dev` offers to sign in as: active admins and HR
/// (staff id, name).
pub async fn dev_people(ctx: &Ctx<'_>) -> ActionResult<Vec<(String, String)>> {
    let mut conn = ctx.read().await?;
    Ok(sessions::console_people(&mut conn).await?)
}

/// Ends every console session of `staff_id` in the caller's transaction
/// (a role revoked, a person leaving): audited when there were any.
pub(super) async fn end_sessions_of(tx: &mut Tx, staff_id: &str, why: &str) -> anyhow::Result<u64> {
    let n = sessions::delete_sessions_of(tx.conn(), staff_id).await?;
    if n > 0 {
        let details = json!({"sessions": n, "reason": why});
        tx.audit("console.sessions.end", staff_id, details).await?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_stored_only_as_digests() {
        let (a, b) = (random_secret(), random_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "256 bits in base64url");
        assert_ne!(digest(&a), a);
        assert_eq!(digest(&a), digest(&a));
        assert_ne!(
            csrf_token(&a),
            digest(&a),
            "the form token is not the stored digest"
        );
        assert_ne!(csrf_token(&a), csrf_token(&b));
    }
}
