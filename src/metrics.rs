//! Prometheus metrics: one registry per process (per app in tests), rendered
//! by `GET /metrics` in the text format.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabels {
    pub reason: &'static str,
}

/// Every metric the service exports.
pub struct Metrics {
    registry: Registry,
    /// Robot callbacks by outcome (accepted, duplicate, replay, bad_signature, …).
    pub callbacks: Family<OutcomeLabels, Counter>,
    /// Callbacks whose msgId had been handled already.
    pub dedupe_hits: Counter,
    /// Seconds from receiving a callback to its reply being posted.
    pub reply_latency: Histogram,
    /// Replies that could not be posted, by reason.
    pub reply_failures: Family<ReasonLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("dingwarden");
        let callbacks = Family::<OutcomeLabels, Counter>::default();
        registry.register("callbacks", "Robot callbacks by outcome", callbacks.clone());
        let dedupe_hits = Counter::default();
        registry.register(
            "dedupe_hits",
            "Callbacks whose msgId was already handled",
            dedupe_hits.clone(),
        );
        let reply_latency =
            Histogram::new([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0]);
        registry.register(
            "reply_latency_seconds",
            "Callback received to reply posted",
            reply_latency.clone(),
        );
        let reply_failures = Family::<ReasonLabels, Counter>::default();
        registry.register(
            "reply_failures",
            "Replies that could not be posted, by reason",
            reply_failures.clone(),
        );
        Self {
            registry,
            callbacks,
            dedupe_hits,
            reply_latency,
            reply_failures,
        }
    }

    pub fn callback(&self, outcome: &'static str) {
        self.callbacks
            .get_or_create(&OutcomeLabels { outcome })
            .inc();
    }

    pub fn reply_failed(&self, reason: &'static str) {
        self.reply_failures
            .get_or_create(&ReasonLabels { reason })
            .inc();
    }

    /// The registry in Prometheus text format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .expect("writing to a String cannot fail");
        out
    }

    /// For subsystems that add their own metrics at start-up.
    pub fn registry_mut(&mut self) -> &mut Registry {
        &mut self.registry
    }
}
