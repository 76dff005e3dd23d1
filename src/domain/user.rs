//! People and what they may do.

use std::fmt;
use std::str::FromStr;

use crate::domain::inert::inert;
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

    /// The role's name for people.
    pub fn label(self, lang: Lang) -> String {
        match self {
            Role::Admin => crate::t!(lang, "domain-user-administrator"),
            Role::Hr => crate::t!(lang, "domain-user-hr"),
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
    /// The user as lists and messages name them.
    pub fn person(&self) -> Person<'_> {
        Person {
            staff_id: &self.staff_id,
            name: &self.name,
        }
    }

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

/// Someone as lists and messages name them: a staff id and the roster's
/// name (empty when unknown). Named fields, so the two ids cannot trade
/// places.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Person<'a> {
    pub staff_id: &'a str,
    pub name: &'a str,
}

impl Person<'_> {
    /// `张三（u1）` / `张三 (u1)`, or the staff id alone when the name is
    /// unknown, for chat messages (markdown): both made inert, as they come
    /// from profiles and rosters (see [`crate::domain::inert`]).
    pub fn label(&self, lang: Lang) -> String {
        labelled(&inert(self.staff_id), &inert(self.name), lang)
    }

    /// [`Person::label`] as typed, for HTML pages whose templates escape it
    /// (the dashboard); never for chat messages.
    pub fn label_as_typed(&self, lang: Lang) -> String {
        labelled(self.staff_id, self.name, lang)
    }
}

fn labelled(staff_id: &str, name: &str, lang: Lang) -> String {
    if name.is_empty() {
        staff_id.to_owned()
    } else {
        crate::t!(lang, "domain-user-name-staff-id", name, staff_id)
    }
}

/// Which way a role changed, for the message that tells the person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleChanged {
    Granted,
    Revoked,
}

/// Tells someone, in `lang`, that `by` gave them or took away `role`.
pub fn role_changed_message(
    by: Person<'_>,
    role: Role,
    change: RoleChanged,
    lang: Lang,
) -> crate::domain::Message {
    let (r, by) = (role.label(lang), by.label(lang));
    let text = match change {
        RoleChanged::Granted => crate::t!(lang, "domain-user-gave-you-role-send-help-to", by, r),
        RoleChanged::Revoked => crate::t!(lang, "domain-user-took-away-your-role", by, r),
    };
    crate::domain::Message::text(text)
}

/// An owned [`Person`], for values that outlive the row they came from
/// (a refusal naming someone).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Named {
    pub staff_id: String,
    /// Empty when unknown.
    pub name: String,
}

impl Named {
    pub fn person(&self) -> Person<'_> {
        Person {
            staff_id: &self.staff_id,
            name: &self.name,
        }
    }
}

impl From<Person<'_>> for Named {
    fn from(p: Person<'_>) -> Self {
        Self {
            staff_id: p.staff_id.to_owned(),
            name: p.name.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_reads_name_then_id_or_the_id_alone() {
        let p = Person {
            staff_id: "u1",
            name: "张三",
        };
        assert_eq!(p.label(Lang::Zh), "张三（u1）");
        assert_eq!(p.label(Lang::En), "张三 (u1)");
        let nameless = Person {
            staff_id: "u1",
            name: "",
        };
        assert_eq!(nameless.label(Lang::En), "u1");
        let hostile = Person {
            staff_id: "u1",
            name: "[张三](dtmd://x)",
        };
        assert_eq!(hostile.label(Lang::Zh), "［张三］（dtmd[:]//x）（u1）");
        assert_eq!(hostile.label_as_typed(Lang::En), "[张三](dtmd://x) (u1)");
    }

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
