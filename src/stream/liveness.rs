//! Is the connection alive? A WebSocket ping goes out every keepalive
//! interval; when nothing at all (a frame, a pong, a ping) has come in for
//! two intervals, the connection is dead. Pure: the caller passes `now`.

use std::time::Duration;

use tokio::time::Instant;

/// What the connection should do at a given instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tick {
    /// Nothing due yet.
    Wait,
    /// Send a ping now.
    Ping,
    /// Silent for two intervals: drop the connection.
    Dead,
}

/// Keepalive and dead-connection detection for one connection.
#[derive(Clone, Debug)]
pub struct Liveness {
    interval: Duration,
    last_heard: Instant,
    next_ping: Instant,
}

impl Liveness {
    /// A connection opened at `now`.
    pub fn new(interval: Duration, now: Instant) -> Self {
        Self {
            interval,
            last_heard: now,
            next_ping: now + interval,
        }
    }

    /// Something arrived from the gateway at `now`.
    pub fn heard(&mut self, now: Instant) {
        self.last_heard = self.last_heard.max(now);
    }

    /// When [`Liveness::poll`] next has something to do.
    pub fn deadline(&self) -> Instant {
        self.next_ping.min(self.dead_at())
    }

    fn dead_at(&self) -> Instant {
        self.last_heard + 2 * self.interval
    }

    /// What is due at `now`; a due ping is scheduled again one interval on.
    pub fn poll(&mut self, now: Instant) -> Tick {
        if now >= self.dead_at() {
            Tick::Dead
        } else if now >= self.next_ping {
            self.next_ping = now + self.interval;
            Tick::Ping
        } else {
            Tick::Wait
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn pings_every_interval_while_frames_arrive() {
        let t0 = Instant::now();
        let mut l = Liveness::new(MIN, t0);
        assert_eq!(l.poll(t0 + Duration::from_secs(59)), Tick::Wait);
        assert_eq!(l.deadline(), t0 + MIN);
        assert_eq!(l.poll(t0 + MIN), Tick::Ping);
        assert_eq!(l.poll(t0 + MIN), Tick::Wait);
        l.heard(t0 + Duration::from_secs(100));
        assert_eq!(l.poll(t0 + 2 * MIN), Tick::Ping);
        // Heard at 100 s: dead only from 220 s.
        assert_eq!(l.poll(t0 + Duration::from_secs(219)), Tick::Ping);
        assert_eq!(l.poll(t0 + Duration::from_secs(220)), Tick::Dead);
    }

    #[test]
    fn two_silent_intervals_mean_dead() {
        let t0 = Instant::now();
        let mut l = Liveness::new(MIN, t0);
        assert_eq!(l.poll(t0 + MIN), Tick::Ping);
        assert_eq!(l.deadline(), t0 + 2 * MIN);
        assert_eq!(l.poll(t0 + 2 * MIN - Duration::from_millis(1)), Tick::Wait);
        assert_eq!(l.poll(t0 + 2 * MIN), Tick::Dead);
    }

    #[test]
    fn a_pong_keeps_it_alive() {
        let t0 = Instant::now();
        let mut l = Liveness::new(MIN, t0);
        assert_eq!(l.poll(t0 + MIN), Tick::Ping);
        l.heard(t0 + MIN + Duration::from_millis(30));
        assert_eq!(l.poll(t0 + 2 * MIN), Tick::Ping);
        assert_eq!(l.poll(t0 + 2 * MIN + Duration::from_secs(1)), Tick::Wait);
    }
}
