//! Failed sign-ins and bearer tokens, throttled per client address (issue
//! 16.3): each address may fail [`BURST`] times at once, and earns one more
//! try every [`REFILL_MS`]; an address over that gets 429 for every
//! attempt — a right credential too, so guessing on is pointless — while
//! other addresses are not affected. IPv6 addresses count per /64 (one
//! host usually holds the whole block).
//!
//! Hand-written (a GCRA "theoretical arrival time" per address, a dozen
//! lines) rather than governor's keyed limiter: governor has no way to ask
//! "is this address blocked?" without spending a try, and only failures may
//! spend one here.
//!
//! The address is the TCP peer (`ConnectInfo`). Behind a reverse proxy
//! every client shares the proxy's address: see README "Console".

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use axum::extract::ConnectInfo;
use axum::http::Extensions;

/// Failures an address may make back to back.
pub const BURST: i64 = 10;
/// One more failure is allowed after this long (10 a minute).
pub const REFILL_MS: i64 = 6_000;
/// Forget addresses when this many are tracked (the oldest state is stale anyway).
const MAX_TRACKED: usize = 10_000;

/// Who a failure is counted against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientKey {
    Ip(IpAddr),
    /// No peer address known (in-process callers such as tests).
    Unknown,
}

impl ClientKey {
    /// The key of a request: its peer address (IPv6 cut to its /64).
    pub fn of(extensions: &Extensions) -> Self {
        match extensions.get::<ConnectInfo<SocketAddr>>() {
            Some(ConnectInfo(addr)) => ClientKey::Ip(match addr.ip().to_canonical() {
                IpAddr::V6(v6) => {
                    let s = v6.segments();
                    IpAddr::V6([s[0], s[1], s[2], s[3], 0, 0, 0, 0].into())
                }
                v4 => v4,
            }),
            None => ClientKey::Unknown,
        }
    }
}

/// The client key of a request, as an extractor (never fails).
pub struct Client(pub ClientKey);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Client(ClientKey::of(&parts.extensions)))
    }
}

/// The failure counts of every address.
#[derive(Default)]
pub struct Throttle {
    /// Per address: the instant its tries are all back (GCRA's TAT).
    tat: Mutex<HashMap<ClientKey, i64>>,
}

impl Throttle {
    /// `Some(seconds to wait)` when `key` may not try now.
    pub fn blocked(&self, key: ClientKey, now_ms: i64) -> Option<u64> {
        let tat = *self.lock().get(&key)?;
        let over = tat - now_ms - (BURST - 1) * REFILL_MS;
        (over > 0).then(|| u64::try_from((over + 999) / 1000).unwrap_or(1).max(1))
    }

    /// Counts a failure of `key`.
    pub fn failed(&self, key: ClientKey, now_ms: i64) {
        let mut map = self.lock();
        if map.len() >= MAX_TRACKED {
            map.retain(|_, tat| *tat > now_ms);
        }
        let tat = map.entry(key).or_insert(now_ms);
        *tat = (*tat).max(now_ms) + REFILL_MS;
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ClientKey, i64>> {
        self.tat
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: i64 = 1_796_004_000_000;

    fn ip(s: &str) -> ClientKey {
        ClientKey::Ip(s.parse().unwrap())
    }

    #[test]
    fn an_address_is_blocked_after_its_burst_and_others_are_not() {
        let t = Throttle::default();
        let a = ip("203.0.113.5");
        for i in 0..BURST {
            assert_eq!(t.blocked(a, T), None, "try {i}");
            t.failed(a, T);
        }
        assert!(t.blocked(a, T).is_some());
        assert_eq!(t.blocked(ip("203.0.113.6"), T), None);
        assert_eq!(t.blocked(ClientKey::Unknown, T), None);
        // One more try a refill later, then blocked again.
        assert_eq!(t.blocked(a, T + REFILL_MS), None);
        t.failed(a, T + REFILL_MS);
        assert!(t.blocked(a, T + REFILL_MS).is_some());
        assert_eq!(t.blocked(a, T + (BURST + 1) * REFILL_MS), None);
    }

    #[test]
    fn the_wait_is_whole_seconds() {
        let t = Throttle::default();
        let a = ip("198.51.100.1");
        for _ in 0..BURST {
            t.failed(a, T);
        }
        assert_eq!(t.blocked(a, T), Some(6));
        assert_eq!(t.blocked(a, T + 5_500), Some(1));
    }

    #[test]
    fn ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() {
        let mut ext = Extensions::new();
        let peer: SocketAddr = "[2001:db8:1:2:aaaa::1]:5000".parse().unwrap();
        ext.insert(ConnectInfo(peer));
        assert_eq!(ClientKey::of(&ext), ip("2001:db8:1:2::"));
        let mapped: SocketAddr = "[::ffff:192.0.2.1]:5000".parse().unwrap();
        ext.insert(ConnectInfo(mapped));
        assert_eq!(ClientKey::of(&ext), ip("192.0.2.1"));
        assert_eq!(ClientKey::of(&Extensions::new()), ClientKey::Unknown);
    }
}
