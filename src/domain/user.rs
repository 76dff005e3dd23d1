//! People and what they may do.

use std::fmt;
use std::str::FromStr;

use crate::i18n::Lang;

/// A role that widens what a user may do; everyone is an employee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Admin,
    Hr,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Hr => "hr",
        }
    }
}

impl FromStr for Role {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s.trim().to_lowercase().as_str() {
            "admin" | "管理员" => Ok(Role::Admin),
            "hr" | "人事" => Ok(Role::Hr),
            _ => Err(()),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who may run a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Everyone,
    /// Admins and HR (the read-only reports).
    Staff,
    Admin,
}

impl Access {
    pub fn as_str(self) -> &'static str {
        match self {
            Access::Everyone => "everyone",
            Access::Staff => "hr",
            Access::Admin => "admin",
        }
    }
}

/// A person known to the bot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub staff_id: String,
    pub name: String,
    pub lang: Lang,
    pub roles: Vec<Role>,
    pub active: bool,
}

impl User {
    /// Whether the user holds `role` now: someone who has left holds none,
    /// whatever rows remain.
    pub fn has(&self, role: Role) -> bool {
        self.active && self.roles.contains(&role)
    }

    /// Whether the user may run something needing `access`; someone who
    /// has left is an employee without roles from that moment.
    pub fn may(&self, access: Access) -> bool {
        match access {
            Access::Everyone => true,
            Access::Staff => self.has(Role::Admin) || self.has(Role::Hr),
            Access::Admin => self.has(Role::Admin),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leaver_holds_no_power() {
        let mut u = User {
            staff_id: "u1".into(),
            name: "张三".into(),
            lang: Lang::Zh,
            roles: vec![Role::Admin, Role::Hr],
            active: true,
        };
        assert!(u.may(Access::Admin) && u.may(Access::Staff) && u.has(Role::Hr));
        u.active = false;
        assert!(!u.may(Access::Admin) && !u.may(Access::Staff));
        assert!(!u.has(Role::Admin) && !u.has(Role::Hr));
        assert!(u.may(Access::Everyone));
    }
}
