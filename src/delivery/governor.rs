//! The rate governor: how fast each DingTalk send API and each custom robot
//! may be called, per replica. Time is the `now` given to `drain_once`, so
//! tests move it instead of sleeping.
//!
//! OpenAPI sends use the `governor` crate's GCRA limiter (a steady rate with
//! a burst of one second's worth: a large broadcast is spread over time, not
//! fired at once), driven by a clock that `now` advances. Custom robots use
//! a sliding one-minute window instead, because DingTalk's rule is "at most
//! 20 in a minute, else blocked for 10 minutes", which a token bucket with a
//! burst of 20 would break (20 at once, then one every 3 s, is 39 in a minute).

use std::collections::{HashMap, VecDeque};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

use crate::clock::from_ms;
use crate::store::outbox::Channel;

/// The window of the custom robot limit.
const ROBOT_WINDOW_MS: i64 = 60_000;

/// What a send is counted against.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Lane {
    /// `oToMessages/batchSend` (direct rows).
    BatchSend,
    /// `groupMessages/send` (group rows).
    GroupSend,
    /// One custom robot, by its configured name.
    Robot(String),
}

impl Lane {
    /// The lane of an outbox row.
    pub fn of(channel: Channel, recipients: &[String]) -> Self {
        match channel {
            Channel::Direct => Lane::BatchSend,
            Channel::Group => Lane::GroupSend,
            Channel::CustomRobot => Lane::Robot(recipients.first().cloned().unwrap_or_default()),
        }
    }
}

/// Lanes at their limit: whole channels (OpenAPI) and custom robots by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Blocked {
    pub channels: Vec<Channel>,
    pub robots: Vec<String>,
}

/// A clock for the GCRA limiters that only moves when a drain says what
/// time it is (never backwards).
#[derive(Clone, Debug, Default)]
struct DrainClock(Arc<AtomicU64>);

impl DrainClock {
    fn advance_to(&self, now: DateTime<Utc>) {
        let nanos = u64::try_from(now.timestamp_millis()).unwrap_or(0) * 1_000_000;
        self.0.fetch_max(nanos, Ordering::Relaxed);
    }
}

impl Clock for DrainClock {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        self.0.load(Ordering::Relaxed).into()
    }
}

type Gcra = RateLimiter<NotKeyed, InMemoryState, DrainClock, NoOpMiddleware<Nanos>>;

/// Per-lane rate limits of one process.
pub struct Governor {
    clock: DrainClock,
    batch: Gcra,
    group: Gcra,
    robot_limit: usize,
    robots: Mutex<HashMap<String, VecDeque<i64>>>,
    /// Until when (ms) each OpenAPI lane is known to be exhausted: the
    /// worker does not claim rows for it before then.
    blocked_until: [AtomicI64; 2],
}

impl Governor {
    /// `qps` calls per second to each OpenAPI send API; `robot_per_minute`
    /// messages to each custom robot.
    pub fn new(qps: u32, robot_per_minute: u32) -> Self {
        let quota = Quota::per_second(NonZeroU32::new(qps).unwrap_or(NonZeroU32::MIN));
        let clock = DrainClock::default();
        Self {
            batch: RateLimiter::direct_with_clock(quota, clock.clone()),
            group: RateLimiter::direct_with_clock(quota, clock.clone()),
            clock,
            robot_limit: robot_per_minute.max(1) as usize,
            robots: Mutex::new(HashMap::new()),
            blocked_until: [AtomicI64::new(0), AtomicI64::new(0)],
        }
    }

    /// Takes one send from `lane` at `now`, or says when to ask again.
    pub fn try_acquire(&self, lane: &Lane, now: DateTime<Utc>) -> Result<(), DateTime<Utc>> {
        let now_ms = now.timestamp_millis();
        let (limiter, slot) = match lane {
            Lane::BatchSend => (&self.batch, 0),
            Lane::GroupSend => (&self.group, 1),
            Lane::Robot(name) => return self.robot_acquire(name, now_ms).map_err(from_ms),
        };
        self.clock.advance_to(now);
        match limiter.check() {
            Ok(()) => Ok(()),
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.clock.now());
                let wait_ms = i64::try_from(wait.as_millis())
                    .unwrap_or(i64::MAX / 4)
                    .max(1);
                let at = now_ms + wait_ms;
                self.blocked_until[slot].fetch_max(at, Ordering::Relaxed);
                Err(from_ms(at))
            }
        }
    }

    fn robot_acquire(&self, name: &str, now_ms: i64) -> Result<(), i64> {
        let mut robots = self.robots.lock().expect("robot limiter lock");
        let sent = robots.entry(name.to_owned()).or_default();
        while sent.front().is_some_and(|&t| t + ROBOT_WINDOW_MS <= now_ms) {
            sent.pop_front();
        }
        if sent.len() < self.robot_limit {
            sent.push_back(now_ms);
            Ok(())
        } else {
            Err(sent.front().map_or(now_ms, |&t| t + ROBOT_WINDOW_MS))
        }
    }

    /// What is exhausted at `now` (not worth claiming rows for).
    pub fn blocked(&self, now: DateTime<Utc>) -> Blocked {
        let now_ms = now.timestamp_millis();
        let channels = [Channel::Direct, Channel::Group]
            .into_iter()
            .zip(&self.blocked_until)
            .filter(|(_, until)| until.load(Ordering::Relaxed) > now_ms)
            .map(|(c, _)| c)
            .collect();
        let robots = self
            .robot_free_at(now_ms)
            .into_iter()
            .filter(|(_, at)| *at > now_ms)
            .map(|(name, _)| name)
            .collect();
        Blocked { channels, robots }
    }

    /// When each robot with a full window gets a free slot.
    fn robot_free_at(&self, now_ms: i64) -> Vec<(String, i64)> {
        let robots = self.robots.lock().expect("robot limiter lock");
        robots
            .iter()
            .filter(|(_, sent)| sent.len() >= self.robot_limit)
            .filter_map(|(name, sent)| Some((name.clone(), sent.front()? + ROBOT_WINDOW_MS)))
            .filter(|(_, at)| *at > now_ms)
            .collect()
    }

    /// The earliest instant after `now` at which a blocked lane frees up.
    pub fn next_unblock(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let now_ms = now.timestamp_millis();
        self.blocked_until
            .iter()
            .map(|u| u.load(Ordering::Relaxed))
            .chain(self.robot_free_at(now_ms).into_iter().map(|(_, at)| at))
            .filter(|&u| u > now_ms)
            .min()
            .map(from_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn t(ms: i64) -> DateTime<Utc> {
        from_ms(1_790_000_000_000 + ms)
    }

    fn count(g: &Governor, lane: &Lane, at: DateTime<Utc>, tries: usize) -> usize {
        (0..tries)
            .filter(|_| g.try_acquire(lane, at).is_ok())
            .count()
    }

    #[test]
    fn robots_get_twenty_a_minute_in_any_window() {
        let g = Governor::new(10, 20);
        let ops = Lane::Robot("ops".into());
        assert_eq!(count(&g, &ops, t(0), 25), 20);
        assert_eq!(g.try_acquire(&ops, t(30_000)), Err(t(60_000)));
        assert_eq!(g.blocked(t(30_000)).robots, vec!["ops"]);
        assert_eq!(g.next_unblock(t(30_000)), Some(t(60_000)));
        assert_eq!(count(&g, &ops, t(59_999), 5), 0);
        assert_eq!(count(&g, &ops, t(60_000), 25), 20);
        // Each robot has its own window.
        assert_eq!(count(&g, &Lane::Robot("other".into()), t(60_000), 3), 3);
    }

    #[test]
    fn openapi_lanes_are_spread_at_their_rate() {
        let g = Governor::new(10, 20);
        assert_eq!(count(&g, &Lane::BatchSend, t(0), 50), 10);
        let retry = g.try_acquire(&Lane::BatchSend, t(0)).unwrap_err();
        assert!(retry > t(0) && retry <= t(100), "{retry}");
        assert_eq!(g.blocked(t(0)).channels, vec![Channel::Direct]);
        assert_eq!(g.next_unblock(t(0)), Some(retry));
        // Group sends have their own budget.
        assert_eq!(count(&g, &Lane::GroupSend, t(0), 3), 3);
        // 0.5 s later five more; a second later a full burst again.
        assert_eq!(count(&g, &Lane::BatchSend, t(500), 50), 5);
        assert_eq!(count(&g, &Lane::BatchSend, t(1500), 50), 10);
        assert_eq!(
            g.blocked(t(1500) + Duration::seconds(5)),
            Blocked::default()
        );
    }

    #[test]
    fn time_never_runs_backwards() {
        let g = Governor::new(2, 20);
        assert_eq!(count(&g, &Lane::BatchSend, t(10_000), 5), 2);
        assert_eq!(count(&g, &Lane::BatchSend, t(0), 5), 0);
    }
}
