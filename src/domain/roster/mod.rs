//! Roster rules: validating the rows of a roster CSV (DESIGN.md "Formats")
//! into [`RosterEntry`]s, department paths, and the dates the CSV carries;
//! what applying a roster would change, and whether it may ([`plan`]).
//! Pure: the caller reads the file and the store applies the result.

pub mod plan;
pub mod reminders;
mod sources;

pub use sources::{RoleSource, RosterSource};

use std::collections::HashMap;

use chrono::{NaiveDate, TimeZone as _};
use chrono_tz::Tz;

use super::Role;
use super::printable::one_line;

/// Longest staff id accepted (DingTalk user ids are far shorter).
pub const MAX_STAFF_ID_CHARS: usize = 64;
/// Longest name accepted.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest department name (one path segment) accepted.
pub const MAX_SEGMENT_CHARS: usize = 100;
/// Deepest department path accepted.
pub const MAX_PATH_DEPTH: usize = 20;

/// The columns a roster CSV may have, in any order; only `staff_id` is required.
pub const COLUMNS: &[&str] = &[
    "staff_id",
    "name",
    "department",
    "manager_staff_id",
    "role",
    "password_changed_at",
    "active",
];

/// One user as a roster source describes them. `None` fields are left as
/// they are in the database (the column was absent, or the source does not
/// know them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RosterEntry {
    pub staff_id: String,
    /// `None` or empty: keep the stored name.
    pub name: Option<String>,
    /// Department paths, the primary one first; `Some(vec![])` clears them.
    pub departments: Option<Vec<String>>,
    /// `Some(None)` clears the manager.
    pub manager: Option<Option<String>>,
    /// The role this source grants; `Some(None)` means none (roles this
    /// source granted earlier are taken back), `None` leaves roles alone.
    pub role: Option<Option<Role>>,
    /// Date of the last password change; only ever moves forward.
    pub password_changed_at: Option<NaiveDate>,
    /// `false` marks the user as having left.
    pub active: bool,
    /// DingTalk says the user administers the organisation (sync only).
    pub org_admin: Option<bool>,
}

/// A validated CSV row and the line it started on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterRow {
    pub line: u64,
    pub entry: RosterEntry,
}

/// Why a line of the file was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub reason: String,
}

/// Where each known column sits in a row.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    idx: HashMap<&'static str, usize>,
}

impl Columns {
    /// Reads the header: names are matched case-insensitively; `staff_id`
    /// is required; unknown and repeated columns are refused (a typo would
    /// otherwise silently drop data).
    pub fn from_header(fields: &[&str]) -> Result<Self, String> {
        let mut idx = HashMap::new();
        for (i, raw) in fields.iter().enumerate() {
            let name = raw.trim().to_ascii_lowercase();
            let Some(known) = COLUMNS.iter().find(|c| **c == name) else {
                return Err(format!(
                    "unknown column '{}' (expected: {})",
                    raw.trim(),
                    COLUMNS.join(", ")
                ));
            };
            if idx.insert(*known, i).is_some() {
                return Err(format!("column '{known}' appears twice"));
            }
        }
        if !idx.contains_key("staff_id") {
            return Err("the header has no staff_id column".into());
        }
        Ok(Self { idx })
    }

    pub fn has(&self, column: &str) -> bool {
        self.idx.contains_key(column)
    }

    fn get<'a>(&self, fields: &'a [&'a str], column: &str) -> Option<&'a str> {
        self.idx
            .get(column)
            .map(|&i| fields.get(i).map_or("", |f| f.trim()))
    }
}

/// Validates every row (line number, fields) under `header` (found on
/// `header_line`): all errors are reported, every problem of a row as its
/// own entry (each reason on one line, values quoted with control
/// characters escaped), and the rows are returned only when there are none.
pub fn validate(
    header_line: u64,
    header: &[&str],
    rows: &[(u64, Vec<&str>)],
    today: NaiveDate,
) -> Result<Vec<RosterRow>, Vec<LineError>> {
    let cols = Columns::from_header(header).map_err(|reason| {
        vec![LineError {
            line: header_line,
            reason: one_line(&reason),
        }]
    })?;
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut first_seen: HashMap<String, u64> = HashMap::new();
    for (line, fields) in rows {
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        // Ids count as seen even on rows with other errors, so a duplicate
        // of a bad row is reported too.
        let first = cols
            .get(fields, "staff_id")
            .filter(|id| !id.is_empty())
            .and_then(|id| match first_seen.get(id) {
                Some(&first) => Some(first),
                None => {
                    first_seen.insert(id.to_owned(), *line);
                    None
                }
            });
        let mut result = validate_row(&cols, header.len(), fields, today);
        if let Some(first) = first {
            let id = cols.get(fields, "staff_id").unwrap_or_default();
            let dup = format!("duplicate staff_id '{id}' (first on line {first})");
            match &mut result {
                Ok(_) => result = Err(vec![dup]),
                Err(reasons) => reasons.push(dup),
            }
        }
        match result {
            Ok(entry) => out.push(RosterRow { line: *line, entry }),
            Err(reasons) => errors.extend(reasons.iter().map(|reason| LineError {
                line: *line,
                reason: one_line(reason),
            })),
        }
    }
    if errors.is_empty() && out.is_empty() {
        errors.push(LineError {
            line: header_line,
            reason: "the file lists no users (an empty roster would mark everyone as left)".into(),
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Validates one row against the header: every problem of the row, each
/// as its own reason (a row with a bad date and a bad role names both).
pub fn validate_row(
    cols: &Columns,
    width: usize,
    fields: &[&str],
    today: NaiveDate,
) -> Result<RosterEntry, Vec<String>> {
    if fields.len() != width {
        return Err(vec![format!(
            "expected {width} fields like the header, found {} (quote values that contain commas)",
            fields.len()
        )]);
    }
    let mut errors = Vec::new();
    let mut check = Problems(&mut errors);
    let staff_id = match cols.get(fields, "staff_id").unwrap_or_default() {
        "" => check.ok(Err("staff_id is empty".into())),
        id => check.ok(check_staff_id(id, "staff_id")),
    };
    let own = staff_id.clone().unwrap_or_default();
    let name = cols.get(fields, "name").map(|n| check.ok(check_name(n)));
    let departments = match cols.get(fields, "department") {
        None => Some(None),
        Some("") => Some(Some(vec![])),
        Some(p) => check.ok(normalise_path(p)).map(|p| Some(vec![p])),
    };
    let manager = cols
        .get(fields, "manager_staff_id")
        .map(|m| check.ok(check_manager(m, &own)));
    let role = cols.get(fields, "role").map(|r| check.ok(parse_role(r)));
    let password_changed_at = match cols.get(fields, "password_changed_at") {
        None | Some("") => Some(None),
        Some(d) => check.ok(parse_past_date(d, today)).map(Some),
    };
    let active = match cols.get(fields, "active") {
        None | Some("") => Some(true),
        Some(a) => check.ok(parse_active(a)),
    };
    match (staff_id, departments, password_changed_at, active) {
        (Some(staff_id), Some(departments), Some(password_changed_at), Some(active))
            if errors.is_empty() =>
        {
            Ok(RosterEntry {
                staff_id,
                name: name.flatten().flatten(),
                departments,
                manager: manager.flatten(),
                role: role.flatten(),
                password_changed_at,
                active,
                org_admin: None,
            })
        }
        _ => Err(errors),
    }
}

/// Collects the problems of one row.
struct Problems<'a>(&'a mut Vec<String>);

impl Problems<'_> {
    /// The value, or `None` with its problem noted.
    fn ok<T>(&mut self, r: Result<T, String>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }
}

/// A name, or `None` when empty (keep the stored one).
fn check_name(n: &str) -> Result<Option<String>, String> {
    if n.chars().count() > MAX_NAME_CHARS {
        return Err(format!("name is longer than {MAX_NAME_CHARS} characters"));
    }
    if n.chars().any(char::is_control) {
        return Err("name contains control characters".into());
    }
    Ok(Some(n.to_owned()).filter(|n| !n.is_empty()))
}

/// A manager's staff id (`None` when empty: no manager), never the user themselves.
fn check_manager(m: &str, staff_id: &str) -> Result<Option<String>, String> {
    if m.is_empty() {
        return Ok(None);
    }
    let m = check_staff_id(m, "manager_staff_id")?;
    if m == staff_id {
        return Err(format!("'{staff_id}' is named as their own manager"));
    }
    Ok(Some(m))
}

/// `admin`, `hr` (or their Chinese names), or empty for none.
fn parse_role(r: &str) -> Result<Option<Role>, String> {
    if r.is_empty() {
        return Ok(None);
    }
    r.parse::<Role>()
        .map(Some)
        .map_err(|()| format!("role must be admin, hr or empty (got '{r}')"))
}

fn check_staff_id(s: &str, column: &str) -> Result<String, String> {
    if s.chars().count() > MAX_STAFF_ID_CHARS {
        return Err(format!(
            "{column} is longer than {MAX_STAFF_ID_CHARS} characters"
        ));
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{column} '{s}' contains spaces"));
    }
    Ok(s.to_owned())
}

/// A department path like `总部/研发部`: segments trimmed, outer slashes and
/// full-width slashes tolerated, empty segments refused.
pub fn normalise_path(raw: &str) -> Result<String, String> {
    let unified = raw.replace('／', "/");
    let trimmed = unified.trim().trim_matches('/');
    let segments: Vec<&str> = trimmed.split('/').map(str::trim).collect();
    if segments.iter().any(|s| s.is_empty()) {
        return Err(format!("department '{raw}' has an empty part"));
    }
    if segments.len() > MAX_PATH_DEPTH {
        return Err(format!(
            "department '{raw}' is nested deeper than {MAX_PATH_DEPTH} levels"
        ));
    }
    if segments
        .iter()
        .any(|s| s.chars().count() > MAX_SEGMENT_CHARS || s.chars().any(char::is_control))
    {
        return Err(format!(
            "department '{raw}' has an overlong or invalid part"
        ));
    }
    Ok(segments.join("/"))
}

/// The paths of every ancestor of `path` and of `path` itself, root first:
/// `a/b/c` → `a`, `a/b`, `a/b/c`.
pub fn path_prefixes(path: &str) -> Vec<&str> {
    let mut out: Vec<&str> = path.match_indices('/').map(|(i, _)| &path[..i]).collect();
    out.push(path);
    out
}

/// The last segment of a path: its department's own name.
pub fn path_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// A strict `YYYY-MM-DD` date that is not after `today`.
pub fn parse_past_date(s: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let well_formed = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    let date = well_formed
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| {
            format!("password_changed_at '{s}' is not a valid date (expected YYYY-MM-DD)")
        })?;
    if date > today {
        return Err(format!("password_changed_at {s} is in the future"));
    }
    Ok(date)
}

fn parse_active(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(format!("active must be true, false or empty (got '{s}')")),
    }
}

/// Milliseconds since the epoch at local midnight starting `date` in `tz`.
pub fn local_midnight_ms(tz: Tz, date: NaiveDate) -> i64 {
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    tz.from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.to_utc())
        .timestamp_millis()
}

#[cfg(test)]
mod tests;
