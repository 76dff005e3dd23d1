//! Where a roster and a role come from.

/// Which kind of roster is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RosterSource {
    /// `roster import FILE.csv`: marks left only users an earlier import
    /// brought in (a file may not know who reached the bot another way).
    Import,
    /// `roster sync`: DingTalk's directory is the whole organisation, so
    /// every active user it does not list is marked left.
    Sync,
}

impl RosterSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RosterSource::Import => "import",
            RosterSource::Sync => "sync",
        }
    }
}

/// Where a role came from (`user_roles.source`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleSource {
    /// `DINGWARDEN_ADMINS` / `DINGWARDEN_HR`.
    Config,
    /// `role grant` in chat.
    Chat,
    /// The `role` column of a roster import.
    Import,
    /// DingTalk's organisation-admin flag (only when that setting is on).
    DingTalk,
}

impl RoleSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RoleSource::Config => "config",
            RoleSource::Chat => "chat",
            RoleSource::Import => "import",
            RoleSource::DingTalk => "dingtalk",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "config" => Some(RoleSource::Config),
            "chat" => Some(RoleSource::Chat),
            "import" => Some(RoleSource::Import),
            "dingtalk" => Some(RoleSource::DingTalk),
            _ => None,
        }
    }
}
