//! The organisation as DingTalk's contacts API describes it (departments by
//! numeric id, users with their department ids), turned into department
//! paths and [`RosterEntry`]s. Pure; `dingtalk::contacts` fills it in.

use std::collections::{BTreeMap, HashSet};

use super::roster::RosterEntry;

/// DingTalk's root department id.
pub const ROOT_DEPARTMENT: i64 = 1;

/// A department: its DingTalk id, parent and own name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirDepartment {
    pub id: i64,
    /// `None` for the root.
    pub parent_id: Option<i64>,
    pub name: String,
}

/// A user of the organisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirUser {
    pub staff_id: String,
    pub name: String,
    pub manager: Option<String>,
    /// Their departments, in DingTalk's order.
    pub dept_ids: Vec<i64>,
    /// DingTalk's `admin` flag: they administer the organisation.
    pub org_admin: bool,
}

/// Everything a sync read, departments parents first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directory {
    pub departments: Vec<DirDepartment>,
    pub users: Vec<DirUser>,
}

impl Directory {
    /// The path of every department (`总部/研发部/平台组`), by DingTalk id.
    /// A `/` inside a name becomes `-` so it cannot split the path; two
    /// siblings with one name get the later one's id appended.
    pub fn department_paths(&self) -> BTreeMap<i64, String> {
        let by_id: BTreeMap<i64, &DirDepartment> =
            self.departments.iter().map(|d| (d.id, d)).collect();
        let mut paths = BTreeMap::new();
        let mut taken = HashSet::new();
        for d in &self.departments {
            let mut chain = vec![d];
            let mut seen = HashSet::from([d.id]);
            while let Some(parent) = chain
                .last()
                .and_then(|c| c.parent_id)
                .filter(|p| !paths.contains_key(p))
                .and_then(|p| by_id.get(&p))
            {
                if !seen.insert(parent.id) {
                    break; // a cycle: DingTalk never returns one, but do not loop
                }
                chain.push(parent);
            }
            for dept in chain.into_iter().rev() {
                if paths.contains_key(&dept.id) {
                    continue;
                }
                let name = dept.name.trim().replace('/', "-");
                let name = if name.is_empty() {
                    dept.id.to_string()
                } else {
                    name
                };
                let mut path = match dept.parent_id.and_then(|p| paths.get(&p)) {
                    Some(parent) => format!("{parent}/{name}"),
                    None => name,
                };
                if !taken.insert(path.clone()) {
                    path = format!("{path} ({})", dept.id);
                    taken.insert(path.clone());
                }
                paths.insert(dept.id, path);
            }
        }
        paths
    }

    /// One roster entry per user: name, departments (paths, primary first),
    /// manager and the organisation-admin flag; always active.
    pub fn entries(&self) -> Vec<RosterEntry> {
        let paths = self.department_paths();
        self.users
            .iter()
            .map(|u| {
                let mut departments: Vec<String> = Vec::new();
                for id in &u.dept_ids {
                    if let Some(p) = paths.get(id) {
                        if !departments.contains(p) {
                            departments.push(p.clone());
                        }
                    }
                }
                RosterEntry {
                    staff_id: u.staff_id.clone(),
                    name: Some(u.name.trim().to_owned()).filter(|n| !n.is_empty()),
                    departments: Some(departments),
                    manager: Some(
                        u.manager
                            .clone()
                            .filter(|m| !m.is_empty() && *m != u.staff_id),
                    ),
                    role: None,
                    password_changed_at: None,
                    active: true,
                    org_admin: Some(u.org_admin),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dept(id: i64, parent: Option<i64>, name: &str) -> DirDepartment {
        DirDepartment {
            id,
            parent_id: parent,
            name: name.into(),
        }
    }

    #[test]
    fn paths_nest_whatever_the_order() {
        let dir = Directory {
            departments: vec![
                dept(30, Some(20), "平台组"),
                dept(1, None, "总部"),
                dept(20, Some(1), "研发部"),
                dept(21, Some(1), "研发部"),
                dept(22, Some(1), "A/B"),
            ],
            users: vec![],
        };
        let p = dir.department_paths();
        assert_eq!(p[&1], "总部");
        assert_eq!(p[&20], "总部/研发部");
        assert_eq!(p[&30], "总部/研发部/平台组");
        assert_eq!(p[&21], "总部/研发部 (21)");
        assert_eq!(p[&22], "总部/A-B");
    }

    #[test]
    fn cycles_do_not_hang() {
        let dir = Directory {
            departments: vec![dept(2, Some(3), "a"), dept(3, Some(2), "b")],
            users: vec![],
        };
        assert_eq!(dir.department_paths().len(), 2);
    }

    #[test]
    fn entries_map_department_ids_to_paths() {
        let dir = Directory {
            departments: vec![dept(1, None, "总部"), dept(20, Some(1), "研发部")],
            users: vec![DirUser {
                staff_id: "u1".into(),
                name: " 张三 ".into(),
                manager: Some("u1".into()),
                dept_ids: vec![20, 99, 1, 20],
                org_admin: true,
            }],
        };
        let e = &dir.entries()[0];
        assert_eq!(e.name.as_deref(), Some("张三"));
        assert_eq!(
            e.departments,
            Some(vec!["总部/研发部".to_owned(), "总部".to_owned()])
        );
        assert_eq!(e.manager, Some(None));
        assert_eq!(e.org_admin, Some(true));
        assert!(e.active);
    }
}
