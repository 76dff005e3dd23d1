//! Who holds the admin and HR roles, and where each role came from, for
//! `role list` in chat.

use crate::domain::Role;
use crate::store::Store;
use crate::store::roles::{self, RoleSource};

/// One role held by one person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleHolder {
    pub staff_id: String,
    /// Empty when the roster does not know them yet.
    pub name: String,
    pub role: Role,
    pub source: RoleSource,
    /// False when the roster marks them as left.
    pub active: bool,
}

/// Every role held, administrators first, then by staff id.
pub async fn holders(store: &Store) -> anyhow::Result<Vec<RoleHolder>> {
    let rows = roles::holders(&mut *store.read().await?).await?;
    let mut out: Vec<RoleHolder> = rows
        .into_iter()
        .filter_map(|(staff_id, name, role, source, active)| {
            Some(RoleHolder {
                staff_id,
                name,
                role: role.parse().ok()?,
                source: RoleSource::parse(&source)?,
                active: active == 1,
            })
        })
        .collect();
    out.sort_by_key(|h| h.role != Role::Admin);
    Ok(out)
}
