//! What the console shows about people: one person's profile and notices,
//! one notice's recipients (filtered on the page by department and
//! status), the department paths an audience is chosen from, and the last
//! seven local days' acknowledgements and finished quizzes.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::domain::notice::export::AckRow;
use crate::domain::roster::local_midnight_ms;
use crate::domain::schedule::local_date;
use crate::store::Store;
use crate::store::notices::stats;
use crate::store::people::{self, Addressed, Profile};

/// Days in the overview's trend.
pub const TREND_DAYS: i64 = 7;

/// One person's page.
#[derive(Clone, Debug)]
pub struct PersonReport {
    pub profile: Profile,
    /// Newest first.
    pub notices: Vec<Addressed>,
}

/// The person `staff_id` with their newest `limit` notices; `None` when unknown.
pub async fn person(
    store: &Store,
    staff_id: &str,
    limit: i64,
) -> anyhow::Result<Option<PersonReport>> {
    let mut conn = store.read().await?;
    let Some(profile) = people::profile(&mut conn, staff_id).await? else {
        return Ok(None);
    };
    let notices = people::notices_for(&mut conn, staff_id, limit).await?;
    Ok(Some(PersonReport { profile, notices }))
}

/// Every recipient of notice `id` with their status at `now_ms`; `None`
/// when there is no such notice.
pub async fn recipients(
    store: &Store,
    id: i64,
    now_ms: i64,
) -> anyhow::Result<Option<Vec<AckRow>>> {
    stats::export(&mut *store.read().await?, id, now_ms).await
}

/// The open departments' paths.
pub async fn departments(store: &Store) -> anyhow::Result<Vec<String>> {
    people::department_paths(&mut *store.read().await?).await
}

/// One local day of the trend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    pub acks: i64,
    pub quizzes: i64,
}

/// The last [`TREND_DAYS`] local days up to today, oldest first.
pub async fn week(store: &Store, tz: Tz, now: DateTime<Utc>) -> anyhow::Result<Vec<Day>> {
    let today = local_date(tz, now);
    let first = today - Duration::days(TREND_DAYS - 1);
    let since = local_midnight_ms(tz, first);
    let (acks, quizzes) = people::activity_since(&mut *store.read().await?, since).await?;
    Ok(bucket(tz, first, &acks, &quizzes))
}

/// Counts per local day from `first` on, [`TREND_DAYS`] days.
fn bucket(tz: Tz, first: NaiveDate, acks: &[i64], quizzes: &[i64]) -> Vec<Day> {
    let day_of = |ms: i64| local_date(tz, crate::clock::from_ms(ms));
    (0..TREND_DAYS)
        .map(|i| {
            let date = first + Duration::days(i);
            let count = |xs: &[i64]| xs.iter().filter(|&&ms| day_of(ms) == date).count() as i64;
            Day {
                date,
                acks: count(acks),
                quizzes: count(quizzes),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_fall_on_their_local_day() {
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        let first = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let at = |d: u32, h: u32| {
            let local = NaiveDate::from_ymd_opt(2026, 11, d)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap();
            local.and_local_timezone(tz).unwrap().timestamp_millis()
        };
        let days = bucket(tz, first, &[at(24, 0), at(24, 23), at(30, 9)], &[at(25, 1)]);
        assert_eq!(days.len(), 7);
        assert_eq!((days[0].acks, days[0].quizzes), (2, 0));
        assert_eq!((days[1].acks, days[1].quizzes), (0, 1));
        assert_eq!(days[6].acks, 1);
        assert_eq!(days[6].date, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    }
}
