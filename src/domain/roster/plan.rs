//! What applying a roster would change, worked out before anything is
//! written (issue 18.4): who is new, who changed and how, who leaves, who
//! comes back, which roles are granted or taken back, and warnings (a
//! manager nobody knows). The same plan is printed by a dry run and checked
//! by the leaver guard before a real run. Pure: the caller loads the stored
//! roster ([`Known`]) and applies the entries.

use std::collections::{HashMap, HashSet};

use chrono_tz::Tz;

use super::{RoleSource, RosterEntry, RosterSource, local_midnight_ms};
use crate::domain::Role;

/// More leavers than this always need `--allow-leavers`.
pub const MAX_LEAVERS: usize = 20;
/// Names listed per group in a summary.
pub const NAMES_SHOWN: usize = 10;

/// A user as the database has them now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Known {
    pub staff_id: String,
    pub name: String,
    /// Primary department path.
    pub department: Option<String>,
    pub manager: Option<String>,
    pub active: bool,
    /// Brought in by a roster import (`users.source = 'import'`).
    pub from_import: bool,
    pub password_changed_ms: Option<i64>,
    /// Roles held, with where each came from.
    pub roles: Vec<(Role, RoleSource)>,
}

/// Someone a plan names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub staff_id: String,
    pub name: String,
}

/// A roster field that changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Name,
    Department,
    Manager,
    PasswordDate,
}

impl Field {
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Department => "department",
            Field::Manager => "manager",
            Field::PasswordDate => "password_changed_at",
        }
    }
}

/// A known user whose fields change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Changed {
    pub person: Person,
    pub fields: Vec<Field>,
}

/// A role granted (`grant`) or taken back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleChange {
    pub person: Person,
    pub role: Role,
    pub grant: bool,
    pub source: RoleSource,
}

/// Something worth a look that does not stop the run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// A manager id that is neither in the roster being applied nor an
    /// active user who stays (`line`: the file's line, for an import).
    UnknownManager {
        line: Option<u64>,
        staff_id: String,
        manager: String,
    },
}

/// What applying a roster would do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RosterPlan {
    pub new: Vec<Person>,
    pub changed: Vec<Changed>,
    pub unchanged: usize,
    pub leaving: Vec<Person>,
    pub rejoining: Vec<Person>,
    pub roles: Vec<RoleChange>,
    pub warnings: Vec<Warning>,
    /// Active users before the run (what the leaver percentage is of).
    pub active_before: usize,
}

/// The roster to plan.
#[derive(Clone, Copy, Debug)]
pub struct PlanInput<'a> {
    pub source: RosterSource,
    pub entries: &'a [RosterEntry],
    /// The line of each entry (an import), or empty (a sync).
    pub lines: &'a [u64],
    /// Every stored user, active or not.
    pub known: &'a [Known],
    /// `DINGWARDEN_DINGTALK_ADMINS_ARE_ADMINS`.
    pub org_admins_are_admins: bool,
    pub timezone: Tz,
}

/// Works out what applying `input.entries` would change.
pub fn plan(input: &PlanInput<'_>) -> RosterPlan {
    let known: HashMap<&str, &Known> = input
        .known
        .iter()
        .map(|k| (k.staff_id.as_str(), k))
        .collect();
    let listed: HashSet<&str> = input.entries.iter().map(|e| e.staff_id.as_str()).collect();
    let mut out = RosterPlan {
        active_before: input.known.iter().filter(|k| k.active).count(),
        ..RosterPlan::default()
    };
    for e in input.entries {
        let old = known.get(e.staff_id.as_str()).copied();
        let person = Person {
            staff_id: e.staff_id.clone(),
            name: e
                .name
                .clone()
                .or_else(|| old.map(|o| o.name.clone()))
                .unwrap_or_default(),
        };
        match old {
            None => out.new.push(person.clone()),
            Some(o) => {
                let fields = changed_fields(o, e, input.timezone);
                match (o.active, e.active) {
                    (true, false) => out.leaving.push(person.clone()),
                    (false, true) => out.rejoining.push(person.clone()),
                    _ => {}
                }
                if !fields.is_empty() {
                    out.changed.push(Changed {
                        person: person.clone(),
                        fields,
                    });
                } else if o.active == e.active {
                    out.unchanged += 1;
                }
            }
        }
        out.roles
            .extend(role_changes(old, e, &person, input.org_admins_are_admins));
    }
    for k in input.known {
        let in_scope = input.source == RosterSource::Sync || k.from_import;
        if k.active && in_scope && !listed.contains(k.staff_id.as_str()) {
            out.leaving.push(Person {
                staff_id: k.staff_id.clone(),
                name: k.name.clone(),
            });
        }
    }
    out.warnings = manager_warnings(input, &known, &out.leaving);
    out
}

/// The fields of `o` that `e` changes (absent fields change nothing;
/// password dates only move forward).
fn changed_fields(o: &Known, e: &RosterEntry, tz: Tz) -> Vec<Field> {
    let mut fields = Vec::new();
    if e.name.as_ref().is_some_and(|n| *n != o.name) {
        fields.push(Field::Name);
    }
    if let Some(paths) = &e.departments {
        if paths.first() != o.department.as_ref() {
            fields.push(Field::Department);
        }
    }
    if let Some(m) = &e.manager {
        if *m != o.manager {
            fields.push(Field::Manager);
        }
    }
    let date = e.password_changed_at.map(|d| local_midnight_ms(tz, d));
    if date.is_some() && date > o.password_changed_ms {
        fields.push(Field::PasswordDate);
    }
    fields
}

/// The roles `e` grants or takes back (only roles its source granted are
/// taken back; someone who leaves gets none).
fn role_changes(
    old: Option<&Known>,
    e: &RosterEntry,
    person: &Person,
    org_admins_are_admins: bool,
) -> Vec<RoleChange> {
    if !e.active {
        return Vec::new();
    }
    let mut wanted: Vec<(Role, bool, RoleSource)> = Vec::new();
    if let Some(role) = e.role {
        for r in [Role::Admin, Role::Hr] {
            wanted.push((r, role == Some(r), RoleSource::Import));
        }
    }
    if let Some(flag) = e.org_admin {
        wanted.push((
            Role::Admin,
            flag && org_admins_are_admins,
            RoleSource::DingTalk,
        ));
    }
    let held = |role: Role| {
        old.and_then(|o| o.roles.iter().find(|(r, _)| *r == role))
            .map(|(_, s)| *s)
    };
    wanted
        .into_iter()
        .filter_map(|(role, want, source)| {
            let grant = match (want, held(role)) {
                (true, None) => true,
                (false, Some(s)) if s == source => false,
                _ => return None,
            };
            Some(RoleChange {
                person: person.clone(),
                role,
                grant,
                source,
            })
        })
        .collect()
}

/// A warning for every entry whose manager is neither listed nor an active
/// user who stays.
fn manager_warnings(
    input: &PlanInput<'_>,
    known: &HashMap<&str, &Known>,
    leaving: &[Person],
) -> Vec<Warning> {
    let listed: HashSet<&str> = input.entries.iter().map(|e| e.staff_id.as_str()).collect();
    let gone: HashSet<&str> = leaving.iter().map(|p| p.staff_id.as_str()).collect();
    let stays = |m: &str| {
        listed.contains(m) || (known.get(m).is_some_and(|k| k.active) && !gone.contains(m))
    };
    input
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let manager = e.manager.as_ref()?.as_deref()?;
            (!stays(manager)).then(|| Warning::UnknownManager {
                line: input.lines.get(i).copied(),
                staff_id: e.staff_id.clone(),
                manager: manager.to_owned(),
            })
        })
        .collect()
}

/// Why a run is held back: it would mark `leaving` of `active` users as
/// left, more than `max_percent` percent or more than [`MAX_LEAVERS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooManyLeavers {
    pub leaving: usize,
    pub active: usize,
    pub max_percent: u32,
}

/// The leaver guard: `Err` when `plan` marks more than `max_percent` of the
/// active users, or more than [`MAX_LEAVERS`] people, as left and `allowed`
/// (`--allow-leavers N`) does not name at least that many.
pub fn check_leavers(
    plan: &RosterPlan,
    max_percent: u32,
    allowed: Option<usize>,
) -> Result<(), TooManyLeavers> {
    let leaving = plan.leaving.len();
    let active = plan.active_before;
    let over_percent = (leaving as u128) * 100 > u128::from(max_percent) * (active as u128);
    let too_many = leaving > MAX_LEAVERS || (leaving > 0 && over_percent);
    if !too_many || allowed.is_some_and(|n| n >= leaving) {
        return Ok(());
    }
    Err(TooManyLeavers {
        leaving,
        active,
        max_percent,
    })
}
