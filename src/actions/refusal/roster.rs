//! The roles and roster refusals in words.

use super::Refusal;
use crate::domain::inert::inert;
use crate::i18n::Lang;
use crate::store::roster::RosterSource;
use crate::t;

/// A roles or roster refusal in `lang` (other refusals are worded in
/// [`super`]).
pub(super) fn message(r: &Refusal, lang: Lang) -> String {
    match r {
        // Staff ids typed by an admin and names from profiles: shown inert
        // (people through `Person::label`).
        Refusal::UnknownStaff { staff_id } => t!(
            lang,
            "actions-refusal-roster-i-don-t-know-staff-id",
            staff_id = inert(staff_id)
        ),
        Refusal::LeftOrganisation { staff_id } => t!(
            lang,
            "actions-refusal-roster-has-left-organisation-roles-cannot-be",
            staff_id = inert(staff_id)
        ),
        Refusal::AlreadyHasRole { who, role } => {
            let (name, r) = (who.person().label(lang), role.label(lang));
            t!(lang, "actions-refusal-roster-already-has-role", name, r)
        }
        Refusal::NoSuchRole { who, role } => {
            let (name, r) = (who.person().label(lang), role.label(lang));
            t!(lang, "actions-refusal-roster-does-not-have-role", name, r)
        }
        Refusal::LastAdmin { who } => {
            let name = who.person().label(lang);
            t!(
                lang,
                "actions-refusal-roster-is-last-administrator-so-role-stays",
                name
            )
        }
        Refusal::RosterLeavesNoAdmin { kind } => {
            let what = match kind {
                RosterSource::Import => t!(lang, "actions-refusal-roster-import"),
                RosterSource::Sync => t!(lang, "actions-refusal-roster-sync"),
            };
            t!(
                lang,
                "actions-refusal-roster-this-would-leave-no-active-administrator",
                what
            )
        }
        Refusal::TooManyLeavers {
            kind,
            leaving,
            active,
            max_percent,
            names,
        } => {
            let what = match kind {
                RosterSource::Import => t!(lang, "actions-refusal-roster-import"),
                RosterSource::Sync => t!(lang, "actions-refusal-roster-sync"),
            };
            let list = names
                .iter()
                .map(|n| inert(n))
                .collect::<Vec<_>>()
                .join(&t!(lang, "list-separator"));
            let more = leaving.saturating_sub(names.len());
            let more = if more > 0 {
                t!(lang, "actions-refusal-roster-and-more", more)
            } else {
                String::new()
            };
            t!(
                lang,
                "actions-refusal-roster-this-would-mark-of-active-users",
                leaving,
                active,
                max_percent,
                list,
                more,
                what
            )
        }
        // `Refusal::message` sends only these refusals here; the unit test
        // checks that every one has words of its own.
        other => other.code().to_owned(),
    }
}
