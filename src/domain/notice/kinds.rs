//! What a notice is about, where it stands and how a recipient came to be
//! addressed, as types: [`NoticeKind`], [`NoticeStatus`], [`AddedVia`].
//! The database keeps them as text; they are read and written as these
//! enums at the store's edge.

/// A stored text that names no known value (a kind, a status).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}")]
pub struct Unknown {
    pub what: &'static str,
    pub value: String,
}

/// What a notice is about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum NoticeKind {
    #[default]
    General,
    /// Leaving or migrating off a platform.
    Exit,
    /// The checklists of a colleague's offboarding (`offboard`).
    Offboarding,
    Policy,
    Security,
}

impl NoticeKind {
    /// The stored (and API) name.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::General => "general",
            NoticeKind::Exit => "exit",
            NoticeKind::Offboarding => "offboarding",
            NoticeKind::Policy => "policy",
            NoticeKind::Security => "security",
        }
    }

    /// The kind with this stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "general" => Some(NoticeKind::General),
            "exit" => Some(NoticeKind::Exit),
            "offboarding" => Some(NoticeKind::Offboarding),
            "policy" => Some(NoticeKind::Policy),
            "security" => Some(NoticeKind::Security),
            _ => None,
        }
    }
}

impl TryFrom<String> for NoticeKind {
    type Error = Unknown;

    fn try_from(s: String) -> Result<Self, Unknown> {
        Self::parse(&s).ok_or(Unknown {
            what: "notice kind",
            value: s,
        })
    }
}

/// Where a notice stands: written, sent (reminded, acknowledged) or closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeStatus {
    /// Created, not sent to anyone yet.
    Draft,
    /// Sent to people or a group; reminders and acknowledgements run.
    Sent,
    /// No more sending, reminders or acknowledgements.
    Closed,
}

impl NoticeStatus {
    /// The stored (and API) name.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeStatus::Draft => "draft",
            NoticeStatus::Sent => "sent",
            NoticeStatus::Closed => "closed",
        }
    }

    /// The status with this stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(NoticeStatus::Draft),
            "sent" => Some(NoticeStatus::Sent),
            "closed" => Some(NoticeStatus::Closed),
            _ => None,
        }
    }
}

impl TryFrom<String> for NoticeStatus {
    type Error = Unknown;

    fn try_from(s: String) -> Result<Self, Unknown> {
        Self::parse(&s).ok_or(Unknown {
            what: "notice status",
            value: s,
        })
    }
}

/// How someone became a recipient of a notice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddedVia {
    /// Sent the notice by name, department or `all`.
    Direct,
    /// Acknowledged a notice posted to a group chat.
    Group,
}

impl AddedVia {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AddedVia::Direct => "direct",
            AddedVia::Group => "group",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_read_back_what_they_write() {
        for k in [
            NoticeKind::General,
            NoticeKind::Exit,
            NoticeKind::Offboarding,
            NoticeKind::Policy,
            NoticeKind::Security,
        ] {
            assert_eq!(NoticeKind::try_from(k.as_str().to_owned()), Ok(k));
        }
        for s in [
            NoticeStatus::Draft,
            NoticeStatus::Sent,
            NoticeStatus::Closed,
        ] {
            assert_eq!(NoticeStatus::try_from(s.as_str().to_owned()), Ok(s));
        }
        assert!(NoticeStatus::try_from("open".to_owned()).is_err());
        assert_eq!(NoticeKind::parse("Exit"), None);
    }
}
