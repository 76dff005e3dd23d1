//! Who `all | dept NAME | users IDS` means right now, for the actions that
//! address people (sending a notice, assigning a quiz, forcing a password
//! change). `group` is each action's own business.

use sqlx::AnyConnection;

use super::{ActionResult, Refusal};
use crate::domain::audience::Audience;
use crate::store::audience;

/// The people an audience names.
#[derive(Debug, Default)]
pub struct Targets {
    /// Active roster users, sorted.
    pub staff_ids: Vec<String>,
    /// Ids that were asked for but are unknown or have left.
    pub unknown: Vec<String>,
}

/// What an audience is for, which decides how `group` is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Notice,
    QuizCampaign,
    PasswordReset,
}

/// Resolves `all`, `dept` and `users`; `group` is refused for `purpose`.
pub async fn resolve(
    conn: &mut AnyConnection,
    to: &Audience,
    purpose: Purpose,
) -> ActionResult<Targets> {
    Ok(match to {
        Audience::All => Targets {
            staff_ids: audience::all_active(conn).await?,
            unknown: vec![],
        },
        Audience::Dept(name) => match audience::department_members(conn, name).await? {
            Some(staff_ids) => Targets {
                staff_ids,
                unknown: vec![],
            },
            None => return Err(Refusal::NoSuchDepartment { name: name.clone() }.into()),
        },
        Audience::Users(ids) => {
            let r = audience::named_users(conn, ids).await?;
            Targets {
                staff_ids: r.staff_ids,
                unknown: r.unknown,
            }
        }
        Audience::Group => return Err(Refusal::GroupAudience { purpose }.into()),
    })
}
