//! Who `all | dept NAME | users IDS` means for a command right now, with the
//! answer people get when a department does not exist. `group` is each
//! command's own business (a notice can be posted into the group; quiz
//! campaigns and forced password changes go to people only).

use sqlx::AnyConnection;

use super::Audience;
use crate::domain::inert::inert;
use crate::error::HandlerError;
use crate::i18n::Lang;
use crate::store::audience;

/// The people an audience names.
#[derive(Debug, Default)]
pub struct Targets {
    /// Active roster users, sorted.
    pub staff_ids: Vec<String>,
    /// Ids that were asked for but are unknown or have left.
    pub unknown: Vec<String>,
}

/// The line a command's answer ends with when some named ids were not
/// addressed (unknown, or left the organisation); empty when none.
pub fn skipped_line(unknown: &[String], lang: Lang) -> String {
    if unknown.is_empty() {
        return String::new();
    }
    let list: Vec<String> = unknown.iter().map(|id| inert(id)).collect();
    let list = list.join(", ");
    crate::tr!(
        lang,
        "\n以下工号不存在或已离职，已跳过：{list}",
        "\nSkipped (not on the roster, or left): {list}"
    )
}

/// The audience as audit entries record it: `all`, `dept:NAME`, `users:a,b`, `group`.
pub fn label(to: &Audience) -> String {
    match to {
        Audience::All => "all".to_owned(),
        Audience::Dept(d) => format!("dept:{d}"),
        Audience::Users(ids) => format!("users:{}", ids.join(",")),
        Audience::Group => "group".to_owned(),
    }
}

/// Resolves `all`, `dept` and `users`; `group` is refused with `group_refusal`
/// (`(zh, en)`), for commands that only address people.
pub async fn resolve(
    conn: &mut AnyConnection,
    lang: Lang,
    to: &Audience,
    group_refusal: (&str, &str),
) -> Result<Targets, HandlerError> {
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
            None => crate::user_error!(
                lang,
                "找不到部门「{name}」（或名称不唯一，请写完整路径，如 总部/研发部）。",
                "No department \"{name}\" (or the name is ambiguous: give the full path, e.g. 总部/研发部).",
                name = inert(name)
            ),
        },
        Audience::Users(ids) => {
            let r = audience::named_users(conn, ids).await?;
            Targets {
                staff_ids: r.staff_ids,
                unknown: r.unknown,
            }
        }
        Audience::Group => {
            return Err(HandlerError::User(
                lang.pick(group_refusal.0, group_refusal.1).to_owned(),
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_ids_are_named_once_and_nothing_is_said_when_none() {
        assert_eq!(skipped_line(&[], Lang::En), "");
        let ids = ["ghost".to_owned(), "gone".to_owned()];
        assert_eq!(
            skipped_line(&ids, Lang::En),
            "\nSkipped (not on the roster, or left): ghost, gone"
        );
        assert_eq!(
            skipped_line(&ids, Lang::Zh),
            "\n以下工号不存在或已离职，已跳过：ghost, gone"
        );
    }
}
