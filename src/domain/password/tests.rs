//! Unit tests of the password rotation rules.

use super::*;
use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::i18n::Lang;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Milliseconds of a local Shanghai instant.
fn local_ms(s: &str) -> i64 {
    use chrono::TimeZone as _;
    let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
    chrono_tz::Asia::Shanghai
        .from_local_datetime(&naive)
        .unwrap()
        .timestamp_millis()
}

const TZ: Tz = chrono_tz::Asia::Shanghai;

fn holder(id: &str, changed: &str, manager: Option<&str>) -> Holder {
    Holder {
        staff_id: id.into(),
        name: id.to_uppercase(),
        lang: Lang::Zh,
        department: None,
        manager: manager.map(str::to_owned),
        facts: Facts {
            roster_changed_ms: Some(local_ms(changed)),
            confirmed_ms: None,
            first_seen_ms: 0,
            reminded: Default::default(),
        },
    }
}

#[test]
fn policies_round_trip_and_normalise() {
    for p in [Policy::default(), Policy::Nist, Policy::periodic(30, &[])] {
        assert_eq!(Policy::decode(&p.encode()), Some(p));
    }
    assert_eq!(
        Policy::periodic(5, &[1, 7, 3, 3, 0]),
        Policy::Periodic {
            days: 5,
            remind: vec![3, 1]
        }
    );
    assert_eq!(Policy::decode("nonsense"), None);
    assert!(Policy::default().describe(Lang::Zh).contains("7、3、1"));
    assert!(Policy::Nist.describe(Lang::En).contains("NIST"));
}

#[test]
fn the_cycle_starts_at_the_latest_known_change() {
    let f = |r, c| Facts {
        roster_changed_ms: r,
        confirmed_ms: c,
        first_seen_ms: 5,
        reminded: Default::default(),
    };
    assert_eq!(f(None, None).cycle_start(), (5, CycleStart::FirstContact));
    assert_eq!(f(Some(10), None).cycle_start(), (10, CycleStart::Roster));
    assert_eq!(
        f(Some(10), Some(20)).cycle_start(),
        (20, CycleStart::Confirmed)
    );
    // A re-import with a newer roster date wins over an old confirmation.
    assert_eq!(
        f(Some(30), Some(20)).cycle_start(),
        (30, CycleStart::Roster)
    );
}

#[test]
fn due_dates_are_local_dates() {
    // 2026-09-01 07:30 in Shanghai is still 2026-08-31 in UTC.
    let h = holder("a", "2026-09-01 07:30", None);
    assert_eq!(
        due_date(&Policy::default(), &h.facts, TZ),
        Some(d("2026-11-30"))
    );
    assert_eq!(due_date(&Policy::Nist, &h.facts, TZ), None);
}

#[test]
fn the_latest_passed_threshold_is_due() {
    let r = [7, 3, 1];
    let due = d("2026-12-10");
    let at = |day| reminder_threshold(&r, due, due, d(day));
    assert_eq!(at("2026-12-01"), None); // 9 days left
    assert_eq!(at("2026-12-03"), Some(7));
    assert_eq!(at("2026-12-05"), Some(7)); // missed day: still the 7-day one
    assert_eq!(at("2026-12-07"), Some(3));
    assert_eq!(at("2026-12-08"), Some(3));
    assert_eq!(at("2026-12-09"), Some(1));
    assert_eq!(at("2026-12-10"), Some(0)); // due today
    assert_eq!(at("2026-12-13"), Some(-3)); // three days overdue
    assert_eq!(reminder_threshold(&[], due, due, d("2026-12-09")), None);
    // The overdue clock started later (a first reminder after the due date).
    let since = d("2026-12-12");
    assert_eq!(reminder_threshold(&r, due, since, d("2026-12-12")), Some(0));
    assert_eq!(
        reminder_threshold(&r, due, since, d("2026-12-13")),
        Some(-1)
    );
}

#[test]
fn standing_buckets_are_exclusive() {
    let p = Policy::default();
    let today = d("2026-11-30");
    let mut h = holder("a", "2026-09-03 10:00", None); // due 12-02
    assert_eq!(
        standing(&p, &h.facts, TZ, today),
        Standing::DueSoon {
            due: d("2026-12-02"),
            days_left: 2
        }
    );
    h.facts.roster_changed_ms = Some(local_ms("2026-08-01 10:00"));
    h.facts
        .reminded
        .insert(d("2026-10-30"), local_ms("2026-10-23 10:00"));
    assert!(matches!(
        standing(&p, &h.facts, TZ, today),
        Standing::Overdue { days: 31, .. }
    ));
    h.facts.confirmed_ms = Some(local_ms("2026-11-29 10:00"));
    assert!(matches!(
        standing(&p, &h.facts, TZ, today),
        Standing::Confirmed { .. }
    ));
    assert_eq!(
        standing(&Policy::Nist, &h.facts, TZ, today),
        Standing::Confirmed { due: None }
    );
}

#[test]
fn plans_reminders_escalations_and_forced_changes() {
    let today = d("2026-11-30");
    // Reminded a week before the due date, as the scheduler does.
    let told = |mut h: Holder, due: &str, at: &str| {
        h.facts.reminded.insert(d(due), local_ms(at));
        h
    };
    let holders = vec![
        holder("soon", "2026-09-03 10:00", Some("m")), // due 12-02: threshold 3
        holder("fresh", "2026-11-01 10:00", Some("m")), // nothing
        // due 11-20: 10 days overdue
        told(
            holder("late", "2026-08-22 10:00", Some("m")),
            "2026-11-20",
            "2026-11-13 10:00",
        ),
        // due 11-26: 4 days overdue
        told(
            holder("late2", "2026-08-28 10:00", Some("m")),
            "2026-11-26",
            "2026-11-19 10:00",
        ),
        told(
            holder("nomgr", "2026-08-01 10:00", None),
            "2026-10-30",
            "2026-10-23 10:00",
        ),
        holder("m", "2026-11-29 10:00", Some("gone")), // manager "gone" left
        // Imported today with a date long past: a first reminder, no escalation.
        holder("new", "2026-07-01 10:00", Some("m")),
    ];
    let resets = vec![
        PendingReset {
            reset_id: 1,
            staff_id: "fresh".into(),
            reason: "breach".into(),
            notified_ms: local_ms("2026-11-30 09:00"),
            escalated: false,
        },
        PendingReset {
            reset_id: 2,
            staff_id: "soon".into(),
            reason: "breach".into(),
            notified_ms: local_ms("2026-11-20 09:00"),
            escalated: false,
        },
    ];
    let plan = plan_day(&Policy::default(), &holders, &resets, TZ, today, Some(7));
    let keys: Vec<String> = plan.iter().map(|a| a.key(today)).collect();
    assert_eq!(
        keys,
        vec![
            "pw:soon:2026-12-02:3",
            "pw:late:2026-11-20:-10",
            "pw-esc:late:2026-11-20",
            "pw:late2:2026-11-26:-4",
            "pw:nomgr:2026-10-30:-31",
            "pw:new:2026-09-29:0",
            "pwreset:2:soon:2026-11-30",
            "pwreset-esc:2:soon",
        ]
    );
    assert_eq!(plan[2].recipient(), "m");
    // NIST: only the forced changes; no escalation when switched off.
    let nist = plan_day(&Policy::Nist, &holders, &resets, TZ, today, None);
    assert_eq!(
        nist.iter().map(|a| a.key(today)).collect::<Vec<_>>(),
        vec!["pwreset:2:soon:2026-11-30"]
    );
}

/// Issue 18.5: a password already overdue when the bot first hears of it
/// gets a first reminder, and the escalation clock starts there.
#[test]
fn the_overdue_clock_starts_at_the_first_reminder() {
    // Changed 2026-07-31: due 2026-10-29, 32 days before 2026-11-30.
    let due = d("2026-10-29");
    // (first reminder sent, today, threshold planned, manager told)
    let table: [(Option<&str>, &str, i64, bool); 7] = [
        (None, "2026-11-30", 0, false),
        (Some("2026-11-30 10:00"), "2026-11-30", 0, false),
        (Some("2026-11-30 10:00"), "2026-12-01", -1, false),
        (Some("2026-11-30 10:00"), "2026-12-06", -6, false),
        (Some("2026-11-30 10:00"), "2026-12-07", -7, true),
        // Reminded before the due date: the clock runs from the due date.
        (Some("2026-10-22 09:00"), "2026-11-30", -32, true),
        (Some("2026-10-29 09:00"), "2026-11-04", -6, false),
    ];
    for (first, today, threshold, escalated) in table {
        let mut h = holder("a", "2026-07-31 10:00", Some("m"));
        if let Some(at) = first {
            h.facts.reminded.insert(due, local_ms(at));
        }
        let holders = vec![h, holder("m", "2026-11-29 10:00", None)];
        let plan = plan_day(&Policy::default(), &holders, &[], TZ, d(today), Some(7));
        let keys: Vec<String> = plan.iter().map(|a| a.key(d(today))).collect();
        assert_eq!(
            keys[0],
            format!("pw:a:{due}:{threshold}"),
            "{first:?} {today}"
        );
        let esc = keys.contains(&format!("pw-esc:a:{due}"));
        assert_eq!(esc, escalated, "{first:?} {today}: {keys:?}");
        // `me` counts the same days.
        let st = standing(&Policy::default(), &holders[0].facts, TZ, d(today));
        assert_eq!(
            st,
            Standing::Overdue {
                due,
                days: -threshold
            },
            "{first:?} {today}"
        );
    }
}

trait Body {
    fn body(&self) -> String;
}

impl Body for crate::domain::Message {
    fn body(&self) -> String {
        serde_json::to_string(self).unwrap()
    }
}

#[test]
fn a_late_first_reminder_does_not_count_days_nobody_knew_about() {
    use crate::domain::password::messages::{escalation, reminder};
    let (due, since) = (d("2026-10-29"), d("2026-11-30"));
    for lang in [Lang::Zh, Lang::En] {
        let first = reminder(lang, due, since, since);
        assert!(!first.body().contains("32"), "{lang}: {}", first.body());
        assert!(!first.body().contains("逾期"), "{lang}: {}", first.body());
        let later = reminder(lang, due, since, d("2026-12-03"));
        assert!(later.body().contains("2026-11-30"), "{}", later.body());
        assert!(later.body().contains('3'), "{}", later.body());
        let h = holder("a", "2026-07-31 10:00", None);
        let esc = escalation(lang, &h, due, since, 7);
        assert!(
            esc.body().contains("2026-11-30") && !esc.body().contains("39"),
            "{}",
            esc.body()
        );
    }
    // Reminded on time: the overdue wording as before.
    let late = reminder(Lang::Zh, due, due, d("2026-11-01"));
    assert!(late.body().contains("已逾期 3 天"), "{}", late.body());
}
