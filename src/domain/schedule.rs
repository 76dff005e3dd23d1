//! Time rules shared by every reminder: quiet hours, local dates in the
//! configured time zone, and dates as people type them.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone as _, Utc};
use chrono_tz::Tz;

/// Local-time window in which no reminders are sent (may wrap midnight).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl QuietHours {
    /// Whether `t` (local time) falls inside the window.
    pub fn contains(&self, t: NaiveTime) -> bool {
        if self.start <= self.end {
            t >= self.start && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }

    /// `HH:MM-HH:MM`, or `off` for none.
    pub fn parse(s: &str) -> Result<Option<Self>, String> {
        if s.eq_ignore_ascii_case("off") {
            return Ok(None);
        }
        let (a, b) = s.split_once('-').ok_or("expected HH:MM-HH:MM or off")?;
        let t = |x: &str| {
            NaiveTime::parse_from_str(x.trim(), "%H:%M").map_err(|_| format!("invalid time '{x}'"))
        };
        Ok(Some(Self {
            start: t(a)?,
            end: t(b)?,
        }))
    }
}

/// A date as typed or stored: `YYYY-MM-DD` (also `YYYY/MM/DD`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y/%m/%d"))
        .ok()
}

/// Whether `now` falls in the quiet hours (local time in `tz`).
pub fn is_quiet(quiet: Option<QuietHours>, tz: Tz, now: DateTime<Utc>) -> bool {
    quiet.is_some_and(|q| q.contains(now.with_timezone(&tz).time()))
}

/// The first instant at or after `now` outside the quiet hours.
pub fn quiet_end(quiet: Option<QuietHours>, tz: Tz, now: DateTime<Utc>) -> DateTime<Utc> {
    let Some(q) = quiet else { return now };
    if !q.contains(now.with_timezone(&tz).time()) {
        return now;
    }
    let local = now.with_timezone(&tz);
    let today_end = local.date_naive().and_time(q.end);
    let end = if today_end > local.naive_local() {
        today_end
    } else {
        today_end + Duration::days(1)
    };
    // DST gaps do not exist in Asia/Shanghai; elsewhere take the earliest valid instant.
    tz.from_local_datetime(&end)
        .earliest()
        .map_or(now, |t| t.with_timezone(&Utc))
}

/// The local calendar date of `now` in `tz`.
pub fn local_date(tz: Tz, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// The instant a local date ends (the next local midnight), e.g. for
/// deadlines given as dates: "by 2026-12-31" means until that day is over.
pub fn end_of_local_day(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    let next = date
        .succ_opt()
        .unwrap_or(date)
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists");
    tz.from_local_datetime(&next)
        .earliest()
        .map_or_else(|| next.and_utc(), |t| t.with_timezone(&Utc))
}

/// A local timestamp for people: `2026-11-30 10:00`.
pub fn format_local(tz: Tz, t: DateTime<Utc>) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q() -> Option<QuietHours> {
        Some(QuietHours {
            start: NaiveTime::from_hms_opt(21, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
        })
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn quiet_hours_are_local() {
        let tz = chrono_tz::Asia::Shanghai;
        // 14:00 UTC = 22:00 in Shanghai.
        assert!(is_quiet(q(), tz, utc("2026-11-30T14:00:00Z")));
        assert!(!is_quiet(q(), tz, utc("2026-11-30T02:00:00Z")));
        assert!(!is_quiet(None, tz, utc("2026-11-30T14:00:00Z")));
    }

    #[test]
    fn quiet_end_is_the_next_local_morning() {
        let tz = chrono_tz::Asia::Shanghai;
        assert_eq!(
            quiet_end(q(), tz, utc("2026-11-30T14:00:00Z")),
            utc("2026-12-01T00:00:00Z")
        );
        // 05:00 local, already past midnight.
        assert_eq!(
            quiet_end(q(), tz, utc("2026-11-30T21:00:00Z")),
            utc("2026-12-01T00:00:00Z")
        );
        let noon = utc("2026-11-30T04:00:00Z");
        assert_eq!(quiet_end(q(), tz, noon), noon);
    }

    #[test]
    fn dates_parse_with_dashes_or_slashes() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 31);
        assert_eq!(parse_date("2026-12-31"), d);
        assert_eq!(parse_date("2026/12/31"), d);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("tomorrow"), None);
    }

    #[test]
    fn dates_end_at_local_midnight() {
        let tz = chrono_tz::Asia::Shanghai;
        let d = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        assert_eq!(end_of_local_day(tz, d), utc("2026-12-31T16:00:00Z"));
        assert_eq!(
            local_date(tz, utc("2026-12-31T16:30:00Z")),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
    }
}
