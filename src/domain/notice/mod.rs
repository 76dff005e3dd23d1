//! Notices as rules: reading an author's body (the `deadline:` line and the
//! `- [ ] item` checklist lines), each recipient's acknowledgement state, and
//! reminder rounds. Kinds and statuses are in [`kinds`], round keys in
//! [`round`]; the texts the bot sends live in [`messages`] and
//! [`templates`]; the export formats in [`export`].

pub mod compose;
pub mod export;
pub mod kinds;
pub mod messages;
pub mod round;
pub mod templates;

pub use kinds::{AddedVia, NoticeKind, NoticeStatus};

use chrono::NaiveDate;

use crate::i18n::Lang;
use crate::t;

/// Longest title accepted, in characters.
pub const MAX_TITLE_CHARS: usize = 100;
/// Longest body accepted, in characters (a group post must stay under 15,000 bytes).
pub const MAX_BODY_CHARS: usize = 4000;
/// Most checklist items a notice may carry.
pub const MAX_ITEMS: usize = 20;
/// Longest checklist item, in characters.
pub const MAX_ITEM_CHARS: usize = 200;

/// What the body of a notice says beyond its text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParsedBody {
    pub deadline: Option<NaiveDate>,
    /// Checklist items in order; item N is `items[N - 1]`.
    pub items: Vec<String>,
}

/// Why a body was refused; the author is told and nothing is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyError {
    /// A deadline line whose date is not `YYYY-MM-DD`; carries what was written.
    BadDeadline(String),
    TwoDeadlines,
    TooManyItems,
    /// Item N is empty or longer than [`MAX_ITEM_CHARS`].
    BadItem(usize),
    TooLong,
}

/// Reads the deadline and the checklist out of a notice body.
pub fn parse_body(body: &str) -> Result<ParsedBody, BodyError> {
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(BodyError::TooLong);
    }
    let mut parsed = ParsedBody::default();
    for line in body.lines() {
        if let Some(value) = deadline_value(line) {
            let date = parse_date(value).ok_or_else(|| BodyError::BadDeadline(value.to_owned()))?;
            if parsed.deadline.replace(date).is_some() {
                return Err(BodyError::TwoDeadlines);
            }
        } else if let Some(item) = checklist_item(line) {
            let n = parsed.items.len() + 1;
            if item.is_empty() || item.chars().count() > MAX_ITEM_CHARS {
                return Err(BodyError::BadItem(n));
            }
            if n > MAX_ITEMS {
                return Err(BodyError::TooManyItems);
            }
            parsed.items.push(item.to_owned());
        }
    }
    Ok(parsed)
}

/// `YYYY-MM-DD` (also `YYYY/MM/DD`).
fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d"))
        .ok()
}

/// The value of a `deadline: …` / `截止: …` / `截止日期：…` line (either
/// colon, any case, optionally in bold), or `None` for any other line.
fn deadline_value(line: &str) -> Option<&str> {
    let line = line.trim().trim_matches('*').trim();
    let rest = ["deadline", "截止日期", "截止时间", "截止"]
        .iter()
        .find_map(|kw| strip_prefix_ignore_case(line, kw))?;
    let rest = rest.trim_start();
    let value = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))?;
    Some(value.trim().trim_matches('*').trim())
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// The text of a `- [ ] text` line (also `* [ ]`, `+ [ ]`, `-[ ]`, `- []`).
fn checklist_item(line: &str) -> Option<&str> {
    let rest = line.trim_start().strip_prefix(['-', '*', '+'])?;
    let rest = rest.trim_start().strip_prefix('[')?;
    let rest = rest.strip_prefix([' ', '\u{3000}']).unwrap_or(rest);
    let rest = rest.strip_prefix(']')?;
    Some(rest.trim())
}

/// Whether a body without checklist items has plain list lines (`- item`,
/// `* item`): its author probably meant a checklist, and is told how to
/// write one (`- [ ] item`).
pub fn plain_list_without_checklist(body: &str) -> bool {
    let listed = |line: &str| {
        line.trim_start()
            .strip_prefix(['-', '*', '+'])
            .is_some_and(|rest| rest.starts_with([' ', '\u{3000}']) && !rest.trim().is_empty())
    };
    body.lines().all(|l| checklist_item(l).is_none()) && body.lines().any(listed)
}

/// The body as recipients see it: the deadline line left out (the card
/// shows the deadline itself) and checklist lines numbered as `done` expects.
pub fn display_body(body: &str) -> String {
    let mut n = 0;
    let mut out = Vec::new();
    for line in body.lines() {
        if deadline_value(line).is_some() {
            continue;
        }
        match checklist_item(line) {
            Some(item) => {
                n += 1;
                out.push(format!("{n}. {item}"));
            }
            None => out.push(line.trim_end().to_owned()),
        }
    }
    out.join("\n").trim().to_owned()
}

/// Where a recipient stands with a notice (the export's `status` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AckStatus {
    Acked,
    Pending,
    /// Not acknowledged and the deadline has passed.
    Overdue,
    /// Not acknowledged and no longer in the organisation.
    Left,
}

impl AckStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AckStatus::Acked => "acked",
            AckStatus::Pending => "pending",
            AckStatus::Overdue => "overdue",
            AckStatus::Left => "left",
        }
    }
}

/// A recipient's state: an acknowledgement stands even after they leave;
/// people who left are not pending; pending turns overdue at the deadline.
pub fn ack_status(acked: bool, left: bool, deadline_at: Option<i64>, now_ms: i64) -> AckStatus {
    if acked {
        AckStatus::Acked
    } else if left {
        AckStatus::Left
    } else if deadline_at.is_some_and(|d| now_ms >= d) {
        AckStatus::Overdue
    } else {
        AckStatus::Pending
    }
}

/// `part` of `total` in whole percent, rounded down (100 only when complete).
pub fn percent(part: i64, total: i64) -> i64 {
    if total <= 0 {
        0
    } else {
        part.clamp(0, total) * 100 / total
    }
}

/// Which reminder round is due `now_ms`: round N starts N cadences after
/// the notice was sent (0 means none is due yet).
pub fn remind_round(sent_at_ms: i64, now_ms: i64, cadence_ms: i64) -> i64 {
    if cadence_ms <= 0 || now_ms < sent_at_ms {
        0
    } else {
        (now_ms - sent_at_ms) / cadence_ms
    }
}

/// How a notice's kind reads in a heading; `None` for a general notice.
pub fn kind_label(kind: NoticeKind, lang: Lang) -> Option<String> {
    match kind {
        NoticeKind::Exit => Some(t!(lang, "domain-notice-exit")),
        NoticeKind::Offboarding => Some(t!(lang, "domain-notice-offboarding")),
        NoticeKind::Policy => Some(t!(lang, "domain-notice-policy")),
        NoticeKind::Security => Some(t!(lang, "domain-notice-security")),
        NoticeKind::General => None,
    }
}

/// The first `max` characters of `s`, with an ellipsis when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn plain_list_lines_without_a_checklist_are_noticed() {
        let meant = [
            "Before Friday:\n- back up mail\n- export contacts",
            "* 备份文件",
            "\u{3000}+ x",
        ];
        for body in meant {
            assert!(plain_list_without_checklist(body), "{body:?}");
        }
        let fine = [
            "- [ ] back up mail\n- note: read the guide",
            "Text only\n---\nmore",
            "-5 degrees",
            "- ",
            "",
        ];
        for body in fine {
            assert!(!plain_list_without_checklist(body), "{body:?}");
        }
    }

    #[test]
    fn deadline_lines_in_both_languages_and_both_colons() {
        for line in [
            "deadline: 2026-12-10",
            "Deadline:2026-12-10",
            "截止: 2026-12-10",
            "截止：2026-12-10",
            "  截止日期： 2026/12/10 ",
            "**截止：2026-12-10**",
        ] {
            let parsed = parse_body(&format!("Hello\n{line}\nBye")).unwrap();
            assert_eq!(parsed.deadline, Some(d("2026-12-10")), "{line}");
        }
        assert_eq!(parse_body("截止日期很重要").unwrap().deadline, None);
        assert_eq!(
            parse_body("deadline: next week"),
            Err(BodyError::BadDeadline("next week".into()))
        );
        assert_eq!(
            parse_body("截止: 2026-12-10\ndeadline: 2026-12-11"),
            Err(BodyError::TwoDeadlines)
        );
    }

    #[test]
    fn checklist_lines_become_numbered_items() {
        let body = "Intro\n- [ ] Back up files\n* [ ]  Export contacts \n-[] Move work\n- plain bullet\n- [x] not an open item";
        let parsed = parse_body(body).unwrap();
        assert_eq!(
            parsed.items,
            vec!["Back up files", "Export contacts", "Move work"]
        );
        assert_eq!(parse_body("- [ ]   "), Err(BodyError::BadItem(1)));
        let many: String = (0..=MAX_ITEMS)
            .map(|i| format!("- [ ] item {i}\n"))
            .collect();
        assert_eq!(parse_body(&many), Err(BodyError::TooManyItems));
        assert_eq!(
            parse_body(&"x".repeat(MAX_BODY_CHARS + 1)),
            Err(BodyError::TooLong)
        );
    }

    #[test]
    fn display_body_numbers_items_and_drops_the_deadline_line() {
        let shown = display_body("Hi\n\n- [ ] A\n- [ ] B\n\n截止：2026-12-10\n");
        assert_eq!(shown, "Hi\n\n1. A\n2. B");
    }

    #[test]
    fn status_rules() {
        assert_eq!(ack_status(true, true, Some(1), 5), AckStatus::Acked);
        assert_eq!(ack_status(false, true, Some(1), 5), AckStatus::Left);
        assert_eq!(ack_status(false, false, Some(5), 5), AckStatus::Overdue);
        assert_eq!(ack_status(false, false, Some(6), 5), AckStatus::Pending);
        assert_eq!(ack_status(false, false, None, 5), AckStatus::Pending);
        assert_eq!(AckStatus::Overdue.as_str(), "overdue");
    }

    #[test]
    fn percent_rounds_down_and_survives_zero() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(999, 1000), 99);
        assert_eq!(percent(5, 5), 100);
        assert_eq!(percent(0, 0), 0);
    }

    #[test]
    fn rounds_start_one_cadence_after_sending() {
        let day = 86_400_000;
        assert_eq!(remind_round(0, day - 1, day), 0);
        assert_eq!(remind_round(0, day, day), 1);
        assert_eq!(remind_round(0, 3 * day + 5, day), 3);
        assert_eq!(remind_round(10, 5, day), 0);
    }

    #[test]
    fn shorten_counts_characters() {
        assert_eq!(shorten("备份文件和聊天记录", 5), "备份文件…");
        assert_eq!(shorten("short", 10), "short");
    }
}
