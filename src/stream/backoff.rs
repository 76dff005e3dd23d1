//! When to dial again: `min(base·2ⁿ, max)` with full jitter (a uniform
//! delay between zero and that bound), n counting the attempts since the
//! last healthy connection; a connection that stayed up for
//! `healthy_after` resets n. Pure: the caller supplies the randomness and
//! how long a connection was up.

use std::time::Duration;

use crate::config::StreamSettings;

/// Reconnect backoff state.
#[derive(Clone, Debug)]
pub struct Backoff {
    base: Duration,
    max: Duration,
    healthy_after: Duration,
    attempts: u32,
}

impl Backoff {
    pub fn new(settings: &StreamSettings) -> Self {
        Self {
            base: settings.backoff_base,
            max: settings.backoff_max,
            healthy_after: settings.healthy_after,
            attempts: 0,
        }
    }

    /// The bound of the next delay: `min(base·2ⁿ, max)`.
    pub fn ceiling(&self) -> Duration {
        let factor = 1u32 << self.attempts.min(20);
        self.base.saturating_mul(factor).min(self.max)
    }

    /// The delay before the next attempt, `unit` being a uniform sample in
    /// `[0, 1)`; counts the attempt.
    pub fn next_delay(&mut self, unit: f64) -> Duration {
        let delay = self.ceiling().mul_f64(unit.clamp(0.0, 1.0));
        self.attempts = self.attempts.saturating_add(1);
        delay
    }

    /// A connection ended after being up for `up_for`: a healthy one resets
    /// the backoff.
    pub fn connection_ended(&mut self, up_for: Duration) {
        if up_for >= self.healthy_after {
            self.attempts = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backoff() -> Backoff {
        Backoff::new(&StreamSettings::default())
    }

    #[test]
    fn the_bound_doubles_from_one_second_up_to_sixty() {
        let mut b = backoff();
        let mut bounds = Vec::new();
        for _ in 0..9 {
            bounds.push(b.ceiling().as_secs());
            b.next_delay(0.5);
        }
        assert_eq!(bounds, vec![1, 2, 4, 8, 16, 32, 60, 60, 60]);
        // Many more failures never overflow.
        for _ in 0..100 {
            b.next_delay(0.99);
        }
        assert_eq!(b.ceiling(), Duration::from_secs(60));
    }

    #[test]
    fn full_jitter_spans_zero_to_the_bound() {
        let mut b = backoff();
        for _ in 0..4 {
            b.next_delay(0.0);
        }
        let at = |unit| b.clone().next_delay(unit);
        assert_eq!(at(0.0), Duration::ZERO);
        assert_eq!(at(0.5), Duration::from_secs(8));
        assert_eq!(at(1.0), Duration::from_secs(16));
    }

    #[test]
    fn a_healthy_minute_resets_and_a_short_connection_does_not() {
        let mut b = backoff();
        for _ in 0..5 {
            b.next_delay(0.5);
        }
        b.connection_ended(Duration::from_secs(59));
        assert_eq!(b.ceiling(), Duration::from_secs(32));
        b.connection_ended(Duration::from_secs(60));
        assert_eq!(b.ceiling(), Duration::from_secs(1));
    }
}
