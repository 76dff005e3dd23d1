//! Who `all | dept NAME | users IDS` means right now, for the actions that
//! address people (sending a notice, assigning a quiz, forcing a password
//! change), and how many people that is before anything is sent
//! ([`preview`], for the console). `group` is each action's own business.

use sqlx::AnyConnection;

use super::{ActionResult, Ctx, Refusal};
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
        Audience::Depts(names) => Targets {
            staff_ids: departments(conn, names).await?,
            unknown: vec![],
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

/// Everyone in any of the departments `names`, once, sorted; the first name
/// that matches no department is refused.
async fn departments(conn: &mut AnyConnection, names: &[String]) -> ActionResult<Vec<String>> {
    let mut all = std::collections::BTreeSet::new();
    for name in names {
        match audience::department_members(conn, name).await? {
            Some(ids) => all.extend(ids),
            None => return Err(Refusal::NoSuchDepartment { name: name.clone() }.into()),
        }
    }
    Ok(all.into_iter().collect())
}

/// Who `to` names right now, without changing anything: what the console
/// shows before a notice is sent or a quiz assigned.
pub async fn preview(ctx: &Ctx<'_>, to: &Audience, purpose: Purpose) -> ActionResult<Targets> {
    let mut conn = ctx.read().await?;
    resolve(&mut conn, to, purpose).await
}
