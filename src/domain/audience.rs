//! Who a notice, campaign or forced password change goes to, as a person
//! names it.

/// Who a notice, campaign or forced password change goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    All,
    /// A department by name or path (sub-departments included).
    Dept(String),
    /// Several departments (the API and the console choose from the tree);
    /// everyone in any of them, once.
    Depts(Vec<String>),
    Users(Vec<String>),
    /// The group conversation the command was sent in.
    Group,
}

impl Audience {
    /// The audience as audit entries record it: `all`, `dept:NAME`,
    /// `depts:A|B`, `users:a,b`, `group`.
    pub fn label(&self) -> String {
        match self {
            Audience::All => "all".to_owned(),
            Audience::Dept(d) => format!("dept:{d}"),
            Audience::Depts(ds) => format!("depts:{}", ds.join("|")),
            Audience::Users(ids) => format!("users:{}", ids.join(",")),
            Audience::Group => "group".to_owned(),
        }
    }
}
