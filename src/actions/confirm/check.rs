//! Whether a request's action would take it now: the same rules the action
//! applies when it runs (it checks again then), so a request that cannot
//! succeed is refused before a code is handed out.

use sqlx::AnyConnection;

use crate::actions::{ActionResult, Refusal};
use crate::domain::confirm::Request;
use crate::domain::{Named, Role};
use crate::store::notices::is_leaving;
use crate::store::roles;
use crate::store::users::load_user;

/// Who the request is about, when its action would take it.
pub(super) async fn would_take(conn: &mut AnyConnection, request: &Request) -> ActionResult<Named> {
    let staff_id = request.staff_id().to_owned();
    let user = load_user(conn, &staff_id).await?;
    let who = user.as_ref().map_or_else(
        || Named {
            staff_id: staff_id.clone(),
            name: String::new(),
        },
        |u| u.person().into(),
    );
    match (request, user) {
        (Request::RoleGrant { .. }, None) => Err(Refusal::UnknownStaff { staff_id }.into()),
        (Request::RoleGrant { .. }, Some(u)) if !u.active => {
            Err(Refusal::LeftOrganisation { staff_id }.into())
        }
        (Request::RoleGrant { role, .. }, Some(u)) if u.roles.contains(role) => {
            Err(Refusal::AlreadyHasRole { who, role: *role }.into())
        }
        (Request::RoleRevoke { role, .. }, user) => {
            if roles::role_source(conn, &staff_id, *role).await?.is_none() {
                return Err(Refusal::NoSuchRole { who, role: *role }.into());
            }
            let counts = user.as_ref().is_none_or(|u| u.active);
            if *role == Role::Admin && counts && roles::count_active_admins(conn).await? <= 1 {
                return Err(Refusal::LastAdmin { who }.into());
            }
            Ok(who)
        }
        (Request::Offboard { .. }, None) => Err(Refusal::LeaverNotOnRoster { staff_id }.into()),
        (Request::Offboard { .. }, Some(u)) if !u.active => {
            Err(Refusal::LeaverAlreadyLeft { staff_id }.into())
        }
        (Request::Offboard { .. }, Some(_)) => {
            if is_leaving(conn, &staff_id).await? {
                return Err(Refusal::OffboardingStarted { staff_id }.into());
            }
            Ok(who)
        }
        (Request::RoleGrant { .. }, Some(_)) => Ok(who),
    }
}
