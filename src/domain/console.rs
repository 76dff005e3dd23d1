//! The console's rules (issue 16): who may sign in, how long a session
//! lives, what an API token's scope allows. Pure: instants are parameters.

use std::fmt;
use std::str::FromStr;

use super::{Access, Role, User};

/// A session ends this long after its last use…
pub const IDLE_MS: i64 = 8 * 60 * 60 * 1000;
/// …and this long after sign-in, whatever happens.
pub const ABSOLUTE_MS: i64 = 24 * 60 * 60 * 1000;
/// A session's or token's last use is written at most this often.
pub const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// Whether a session made at `created_ms` and last used at `last_seen_ms`
/// is still good at `now_ms`.
pub fn session_alive(created_ms: i64, last_seen_ms: i64, now_ms: i64) -> bool {
    now_ms < created_ms.saturating_add(ABSOLUTE_MS)
        && now_ms < last_seen_ms.saturating_add(IDLE_MS)
        && created_ms <= now_ms.saturating_add(TOUCH_EVERY_MS)
}

/// Whether a last use recorded at `last_ms` is old enough to write again.
pub fn touch_due(last_ms: Option<i64>, now_ms: i64) -> bool {
    last_ms.is_none_or(|l| now_ms - l >= TOUCH_EVERY_MS)
}

/// The role a person uses the console with: admin over HR; `None` for
/// anyone else (and for everyone who has left).
pub fn console_role(user: &User) -> Option<Role> {
    if user.has(Role::Admin) {
        Some(Role::Admin)
    } else if user.has(Role::Hr) {
        Some(Role::Hr)
    } else {
        None
    }
}

/// What an API token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every read and export (what HR sees).
    Read,
    /// Reads and writes (what an administrator may do).
    Admin,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Admin => "admin",
        }
    }

    /// What the owner must be allowed for the token to work.
    pub fn needs(self) -> Access {
        match self {
            Scope::Read => Access::Staff,
            Scope::Admin => Access::Admin,
        }
    }

    /// Whether a token of this scope allows what `needed` asks.
    pub fn allows(self, needed: Scope) -> bool {
        self == Scope::Admin || needed == Scope::Read
    }
}

impl FromStr for Scope {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s.trim() {
            "read" => Ok(Scope::Read),
            "admin" => Ok(Scope::Admin),
            _ => Err(()),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether `owner` may hold (and use) a token of `scope` now.
pub fn may_hold(owner: &User, scope: Scope) -> bool {
    owner.may(scope.needs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    const T: i64 = 1_796_004_000_000;

    fn user(roles: &[Role], active: bool) -> User {
        User {
            staff_id: "u".into(),
            name: String::new(),
            lang: Lang::Zh,
            roles: roles.to_vec(),
            active,
        }
    }

    #[test]
    fn sessions_end_after_eight_idle_hours_or_a_day() {
        assert!(session_alive(T, T, T));
        assert!(session_alive(T, T, T + IDLE_MS - 1));
        assert!(!session_alive(T, T, T + IDLE_MS), "idle");
        let late = T + ABSOLUTE_MS - 1000;
        assert!(session_alive(T, late - 1000, late));
        assert!(
            !session_alive(T, T + ABSOLUTE_MS - 1, T + ABSOLUTE_MS),
            "absolute"
        );
        assert!(
            !session_alive(T + 10 * TOUCH_EVERY_MS, T, T),
            "from the future"
        );
    }

    #[test]
    fn last_use_is_written_once_a_minute() {
        assert!(touch_due(None, T));
        assert!(!touch_due(Some(T), T + TOUCH_EVERY_MS - 1));
        assert!(touch_due(Some(T), T + TOUCH_EVERY_MS));
    }

    #[test]
    fn admins_and_hr_use_the_console_and_leavers_do_not() {
        assert_eq!(
            console_role(&user(&[Role::Admin, Role::Hr], true)),
            Some(Role::Admin)
        );
        assert_eq!(console_role(&user(&[Role::Hr], true)), Some(Role::Hr));
        assert_eq!(console_role(&user(&[], true)), None);
        assert_eq!(console_role(&user(&[Role::Admin], false)), None);
    }

    #[test]
    fn scopes_need_their_role() {
        let hr = user(&[Role::Hr], true);
        let admin = user(&[Role::Admin], true);
        assert!(may_hold(&hr, Scope::Read));
        assert!(!may_hold(&hr, Scope::Admin));
        assert!(may_hold(&admin, Scope::Admin));
        assert!(!may_hold(&user(&[Role::Admin], false), Scope::Read));
        assert!(Scope::Admin.allows(Scope::Read));
        assert!(!Scope::Read.allows(Scope::Admin));
        assert_eq!("admin".parse(), Ok(Scope::Admin));
        assert!("root".parse::<Scope>().is_err());
    }
}
