//! How chat answers talk about an audience: the line an answer ends with
//! when some named ids were skipped.

use crate::domain::inert::inert;
use crate::i18n::Lang;

/// The line a command's answer ends with when some named ids were not
/// addressed (unknown, or left the organisation); empty when none.
pub fn skipped_line(unknown: &[String], lang: Lang) -> String {
    if unknown.is_empty() {
        return String::new();
    }
    let list: Vec<String> = unknown.iter().map(|id| inert(id)).collect();
    let list = list.join(", ");
    crate::t!(
        lang,
        "commands-audience-skipped-not-on-roster-or-left",
        list
    )
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
