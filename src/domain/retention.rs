//! Retention rules (issue 17 point 3, PIPL Art. 19 and 47): how long each
//! kind of personal data is kept, what a leaver becomes once due (a keyed
//! pseudonym for the staff id, "已离职用户 #XXXX" for the name), and how
//! their id and name are found and replaced in free text and in JSON lists
//! of staff ids. Pure: the key and `now` are given.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac as _};
use serde_json::Value;
use sha2::Sha256;

/// Days each kind of data is kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Periods {
    /// A leaver's personal data, after they left.
    pub leaver_days: u32,
    /// Incident and feedback texts, after they were written.
    pub text_days: u32,
    /// Sent outbox payloads and their delivery logs, after sending.
    pub outbox_days: u32,
    /// Dead letters' payloads, after they were written.
    pub dead_letter_days: u32,
}

/// The instants before which each kind of data is due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cutoffs {
    pub left_before: i64,
    pub text_before: i64,
    pub sent_before: i64,
    pub dead_before: i64,
}

impl Periods {
    /// What is due at `now`: data older than its period (zero days: all of it).
    pub fn cutoffs(&self, now: DateTime<Utc>) -> Cutoffs {
        let before = |days: u32| (now - Duration::days(i64::from(days))).timestamp_millis() + 1;
        Cutoffs {
            left_before: before(self.leaver_days),
            text_before: before(self.text_days),
            sent_before: before(self.outbox_days),
            dead_before: before(self.dead_letter_days),
        }
    }
}

/// What a leaver becomes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pseudonym {
    /// Replaces the staff id everywhere: `left-` and 32 hex digits of
    /// HMAC-SHA256(key, staff id).
    pub staff_id: String,
    /// Replaces the name: `已离职用户 #XXXX`, the first four of those digits.
    pub name: String,
}

/// The pseudonym of `staff_id` under `key`.
pub fn pseudonym(key: &[u8], staff_id: &str) -> Pseudonym {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(staff_id.as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    Pseudonym {
        name: format!("已离职用户 #{}", hex[..4].to_uppercase()),
        staff_id: format!("left-{hex}"),
    }
}

/// Whether `staff_id` is already a pseudonym.
pub fn is_pseudonym(staff_id: &str) -> bool {
    staff_id.len() == 37
        && staff_id.starts_with("left-")
        && staff_id[5..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// What to look for in text, and what to put instead.
#[derive(Clone, Debug)]
pub struct Replacement<'a> {
    pub find: &'a str,
    pub with: &'a str,
}

/// A word character: letters and digits of ASCII, and `_`, `-`, `.`, `@`
/// (which staff ids and e-mail-like ids are made of).
fn wordy(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@')
}

/// Replaces every occurrence of `find` in `text` that is not part of a
/// longer ASCII word (so `u1` does not match inside `u10`; Chinese names
/// have no word boundaries and match wherever they occur). `None` when
/// nothing matched.
pub fn replace_in_text(text: &str, r: &Replacement<'_>) -> Option<String> {
    if r.find.is_empty() || !text.contains(r.find) {
        return None;
    }
    let (first, last) = (r.find.chars().next()?, r.find.chars().last()?);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(at) = rest.find(r.find) {
        let before = rest[..at].chars().last().or_else(|| out.chars().last());
        let after = rest[at + r.find.len()..].chars().next();
        let joined = before.is_some_and(|c| wordy(c) && wordy(first))
            || after.is_some_and(|c| wordy(c) && wordy(last));
        out.push_str(&rest[..at]);
        if joined {
            out.push_str(r.find);
        } else {
            out.push_str(r.with);
            changed = true;
        }
        rest = &rest[at + r.find.len()..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Applies every replacement; `None` when none matched.
pub fn scrub(text: &str, replacements: &[Replacement<'_>]) -> Option<String> {
    let mut current: Option<String> = None;
    for r in replacements {
        let base = current.as_deref().unwrap_or(text);
        if let Some(next) = replace_in_text(base, r) {
            current = Some(next);
        }
    }
    current
}

/// Replaces `from` with `to` where it is a whole string of a JSON value (a
/// list of staff ids, or one nested in an object). `None` when absent.
pub fn replace_in_json(json: &str, from: &str, to: &str) -> Option<String> {
    fn walk(v: &mut Value, from: &str, to: &str) -> bool {
        match v {
            Value::String(s) if s == from => {
                *s = to.to_owned();
                true
            }
            Value::Array(items) => items.iter_mut().fold(false, |c, i| walk(i, from, to) | c),
            Value::Object(map) => map.values_mut().fold(false, |c, i| walk(i, from, to) | c),
            _ => false,
        }
    }
    let mut v: Value = serde_json::from_str(json).ok()?;
    walk(&mut v, from, to).then(|| v.to_string())
}

/// What one retention run did (or, dry, would do): counts only.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Leavers pseudonymised.
    pub leavers: i64,
    /// Rows where a leaver's id or name was replaced.
    pub rows_pseudonymised: i64,
    /// Incident and feedback texts erased.
    pub texts_erased: i64,
    /// Sent outbox payloads (and their delivery logs) dropped.
    pub payloads_dropped: i64,
    /// Dead letters' payloads dropped.
    pub dead_letters_dropped: i64,
    /// Audit entries redacted.
    pub audit_redacted: i64,
    /// Audit entries that name a leaver but predate the redactable form.
    pub audit_unredactable: i64,
}

impl Counts {
    /// Whether the run changed (or would change) anything.
    pub fn is_empty(&self) -> bool {
        *self == Counts::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r<'a>(find: &'a str, with: &'a str) -> Replacement<'a> {
        Replacement { find, with }
    }

    #[test]
    fn a_pseudonym_is_keyed_and_stable() {
        let a = pseudonym(b"key", "u2");
        assert_eq!(a, pseudonym(b"key", "u2"));
        assert_ne!(a, pseudonym(b"other", "u2"));
        assert_ne!(a.staff_id, pseudonym(b"key", "u3").staff_id);
        assert!(is_pseudonym(&a.staff_id) && !is_pseudonym("u2"));
        assert!(a.name.starts_with("已离职用户 #") && a.name.chars().count() == 11);
        assert_eq!(
            a.name[a.name.len() - 4..].to_lowercase(),
            a.staff_id[5..9].to_owned()
        );
    }

    #[test]
    fn ids_match_as_words_and_names_anywhere() {
        let id = r("u1", "left-x");
        assert_eq!(replace_in_text("u1 和 u10", &id).unwrap(), "left-x 和 u10");
        assert_eq!(replace_in_text("(u1)", &id).unwrap(), "(left-x)");
        assert_eq!(replace_in_text("au1 u1b", &id), None);
        let name = r("李四", "已离职用户 #AB12");
        assert_eq!(
            replace_in_text("离职交接：李四（u2）", &name).unwrap(),
            "离职交接：已离职用户 #AB12（u2）"
        );
        let both = scrub("李四 u2", &[r("u2", "P"), r("李四", "N")]).unwrap();
        assert_eq!(both, "N P");
        assert_eq!(scrub("nothing here", &[r("u2", "P")]), None);
    }

    #[test]
    fn json_lists_of_ids_are_rewritten_whole() {
        assert_eq!(
            replace_in_json(r#"["u1","u10"]"#, "u1", "P").unwrap(),
            r#"["P","u10"]"#
        );
        assert_eq!(replace_in_json(r#"["u10"]"#, "u1", "P"), None);
        assert_eq!(replace_in_json("not json", "u1", "P"), None);
    }

    #[test]
    fn zero_days_makes_everything_due() {
        let now = DateTime::from_timestamp_millis(1_000_000_000).unwrap();
        let p = Periods {
            leaver_days: 0,
            text_days: 1,
            outbox_days: 0,
            dead_letter_days: 0,
        };
        let c = p.cutoffs(now);
        assert_eq!(c.left_before, 1_000_000_001);
        assert_eq!(c.text_before, 1_000_000_001 - 86_400_000);
    }
}
