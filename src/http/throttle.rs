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
//! The address is the TCP peer (`ConnectInfo`) — unless that peer is one of
//! `DINGWARDEN_TRUSTED_PROXIES`: then it is the last address in
//! `X-Forwarded-For` that is not a trusted proxy (what the outermost
//! trusted proxy saw; addresses a client wrote there itself come before it
//! and are never used).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use std::sync::Arc;

use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap};
use ipnet::IpNet;

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
    /// The key of an address (IPv6 cut to its /64).
    fn ip(ip: IpAddr) -> Self {
        ClientKey::Ip(match ip.to_canonical() {
            IpAddr::V6(v6) => {
                let s = v6.segments();
                IpAddr::V6([s[0], s[1], s[2], s[3], 0, 0, 0, 0].into())
            }
            v4 => v4,
        })
    }

    /// The key of a request: its peer address, or behind `trusted`
    /// proxies the client address they forwarded.
    pub fn of(extensions: &Extensions, headers: &HeaderMap, trusted: &[IpNet]) -> Self {
        let Some(ConnectInfo(peer)) = extensions.get::<ConnectInfo<SocketAddr>>() else {
            return ClientKey::Unknown;
        };
        let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(&ip.to_canonical()));
        if !is_trusted(&peer.ip()) {
            return Self::ip(peer.ip());
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map_while(|a| a.trim().parse().ok())
            .collect();
        let client = forwarded.iter().rev().find(|ip| !is_trusted(ip));
        Self::ip(client.or(forwarded.first()).copied().unwrap_or(peer.ip()))
    }
}

/// The client key of a request, as an extractor (never fails).
pub struct Client(pub ClientKey);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let key = match parts.extensions.get::<Arc<Throttle>>() {
            Some(t) => t.key(parts),
            None => ClientKey::of(&parts.extensions, &parts.headers, &[]),
        };
        Ok(Client(key))
    }
}

/// The failure counts of every address.
#[derive(Default)]
pub struct Throttle {
    /// Per address: the instant its tries are all back (GCRA's TAT).
    tat: Mutex<HashMap<ClientKey, i64>>,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    trusted: Vec<IpNet>,
}

impl Throttle {
    /// A throttle that believes `X-Forwarded-For` from `trusted` proxies.
    pub fn new(trusted: Vec<IpNet>) -> Self {
        Self {
            tat: Mutex::default(),
            trusted,
        }
    }

    /// Who a request counts against.
    pub fn key(&self, parts: &Parts) -> ClientKey {
        ClientKey::of(&parts.extensions, &parts.headers, &self.trusted)
    }

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

    fn from(peer: &str) -> Extensions {
        let mut ext = Extensions::new();
        ext.insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        ext
    }

    #[test]
    fn ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() {
        let none = HeaderMap::new();
        let ext = from("[2001:db8:1:2:aaaa::1]:5000");
        assert_eq!(ClientKey::of(&ext, &none, &[]), ip("2001:db8:1:2::"));
        let ext = from("[::ffff:192.0.2.1]:5000");
        assert_eq!(ClientKey::of(&ext, &none, &[]), ip("192.0.2.1"));
        assert_eq!(
            ClientKey::of(&Extensions::new(), &none, &[]),
            ClientKey::Unknown
        );
    }

    #[test]
    fn forwarded_addresses_count_only_behind_trusted_proxies() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            "6.6.6.6, 203.0.113.9, 10.0.0.2".parse().unwrap(),
        );
        let trusted: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let via_proxy = from("10.0.0.1:4000");
        // The client's own "6.6.6.6" is not believed; the last untrusted hop is.
        assert_eq!(ClientKey::of(&via_proxy, &h, &trusted), ip("203.0.113.9"));
        // From an untrusted peer the header is ignored.
        let direct = from("198.51.100.3:4000");
        assert_eq!(ClientKey::of(&direct, &h, &trusted), ip("198.51.100.3"));
        assert_eq!(ClientKey::of(&via_proxy, &h, &[]), ip("10.0.0.1"));
        // A trusted peer without the header, or with junk, counts as itself.
        assert_eq!(
            ClientKey::of(&via_proxy, &HeaderMap::new(), &trusted),
            ip("10.0.0.1")
        );
        let mut junk = HeaderMap::new();
        junk.insert("x-forwarded-for", "not-an-ip".parse().unwrap());
        assert_eq!(ClientKey::of(&via_proxy, &junk, &trusted), ip("10.0.0.1"));
    }
}
