//! A notice written in fields (the API and the console: a body, a deadline,
//! checklist items one by one) as the body text chat authors type, so that
//! every entry point stores, parses and renders it the same way.

use chrono::NaiveDate;

use super::{BodyError, MAX_ITEM_CHARS, MAX_ITEMS};

/// The body with a `deadline: YYYY-MM-DD` line and one `- [ ] item` line
/// per checklist item appended. Items are trimmed; an empty one, one over
/// [`MAX_ITEM_CHARS`] or one spanning lines is refused with its number, as
/// are more than [`MAX_ITEMS`]. The result still goes through
/// [`super::parse_body`] (which refuses a second deadline line, or too many
/// items counting those already in the body).
pub fn compose_body(
    body: &str,
    deadline: Option<NaiveDate>,
    items: &[String],
) -> Result<String, BodyError> {
    if items.len() > MAX_ITEMS {
        return Err(BodyError::TooManyItems);
    }
    let mut out = body.trim_end().to_owned();
    if !items.is_empty() {
        out.push('\n');
    }
    for (i, item) in items.iter().enumerate() {
        let item = item.trim();
        let one_line = !item.contains(['\n', '\r', '\u{2028}', '\u{2029}']);
        if item.is_empty() || item.chars().count() > MAX_ITEM_CHARS || !one_line {
            return Err(BodyError::BadItem(i + 1));
        }
        out.push_str(&format!("\n- [ ] {item}"));
    }
    if let Some(d) = deadline {
        out.push_str(&format!("\n\ndeadline: {d}"));
    }
    Ok(out.trim_start_matches('\n').to_owned())
}

/// [`compose_body`] with the deadline as typed in a form or JSON field.
pub fn compose_fields(body: &str, deadline: &str, items: &[String]) -> Result<String, BodyError> {
    compose_body(body, parse_deadline(deadline)?, items)
}

/// A deadline as written in a form or JSON: `YYYY-MM-DD`; empty means none.
pub fn parse_deadline(s: &str) -> Result<Option<NaiveDate>, BodyError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| BodyError::BadDeadline(s.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::notice::{display_body, parse_body};

    #[test]
    fn fields_become_the_body_chat_would_have() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 10);
        let items = vec!["备份文件".to_owned(), " 导出通讯录 ".to_owned()];
        let body = compose_body("请迁移。\n", d, &items).unwrap();
        let parsed = parse_body(&body).unwrap();
        assert_eq!(parsed.deadline, d);
        assert_eq!(parsed.items, vec!["备份文件", "导出通讯录"]);
        assert_eq!(
            display_body(&body),
            "请迁移。\n\n1. 备份文件\n2. 导出通讯录"
        );
        assert_eq!(compose_body("Hi", None, &[]).unwrap(), "Hi");
        assert_eq!(
            compose_body("", None, &["a".to_owned()]).unwrap(),
            "- [ ] a"
        );
    }

    #[test]
    fn bad_items_are_refused_by_number() {
        for (items, n) in [
            (vec!["a", "  "], 2),
            (vec!["a\n- [ ] b"], 1),
            (vec!["ok", "ok", "line\u{2028}sep"], 3),
        ] {
            let items: Vec<String> = items.into_iter().map(str::to_owned).collect();
            assert_eq!(compose_body("", None, &items), Err(BodyError::BadItem(n)));
        }
        let long = vec!["x".repeat(MAX_ITEM_CHARS + 1)];
        assert_eq!(compose_body("", None, &long), Err(BodyError::BadItem(1)));
        let many = vec!["x".to_owned(); MAX_ITEMS + 1];
        assert_eq!(compose_body("", None, &many), Err(BodyError::TooManyItems));
    }

    #[test]
    fn deadlines_are_iso_dates_or_nothing() {
        assert_eq!(parse_deadline(" "), Ok(None));
        assert_eq!(
            parse_deadline("2026-12-10"),
            Ok(NaiveDate::from_ymd_opt(2026, 12, 10))
        );
        assert_eq!(
            parse_deadline("next week"),
            Err(BodyError::BadDeadline("next week".into()))
        );
    }
}
