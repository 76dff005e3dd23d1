//! A change in the organisation that DingTalk tells the bot about (staff
//! leaving or joining), whichever way it arrived: an encrypted HTTP push or
//! a Stream EVENT frame.

/// What an organisation event asks the roster to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrgChange {
    /// `user_leave_org`: these people left.
    Left,
    /// `user_add_org`, `user_active_org`: these people joined (or rejoined).
    Joined,
    /// Any other event type: counted and ignored.
    Ignored,
}

impl OrgChange {
    /// The change an event type asks for.
    pub fn of(event_type: &str) -> Self {
        match event_type {
            "user_leave_org" => Self::Left,
            "user_add_org" | "user_active_org" => Self::Joined,
            _ => Self::Ignored,
        }
    }
}

/// One organisation event, ready to apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgEvent {
    /// Deduplication key: `event:<eventId>`, or `event-sha256:<hex>` of the
    /// decrypted payload when DingTalk sent no eventId.
    pub key: String,
    /// DingTalk's event type name, as sent (for logs and metrics).
    pub event_type: String,
    pub change: OrgChange,
    /// The staff ids concerned.
    pub user_ids: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_map_to_changes() {
        assert_eq!(OrgChange::of("user_leave_org"), OrgChange::Left);
        assert_eq!(OrgChange::of("user_add_org"), OrgChange::Joined);
        assert_eq!(OrgChange::of("user_active_org"), OrgChange::Joined);
        assert_eq!(OrgChange::of("user_modify_org"), OrgChange::Ignored);
        assert_eq!(OrgChange::of("check_url"), OrgChange::Ignored);
    }
}
