//! Prometheus metrics: one registry per process (per app in tests), rendered
//! by `GET /metrics` in the text format.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
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

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct SendLabels {
    /// batch_send | group_send | robot_send | dev_sink
    pub api: &'static str,
    /// ok | partial | transient | rate_limited | invalid_token | permanent
    pub result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ApiLabels {
    pub api: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ChannelLabels {
    pub channel: &'static str,
}

/// The delivery engine's metrics (issue 3).
pub struct DeliveryMetrics {
    /// Outbox rows waiting to be sent (due or scheduled).
    pub depth: Gauge,
    /// Dead letters waiting for an admin.
    pub dead: Gauge,
    /// Seconds since the longest-waiting due row became due (0 when none).
    pub oldest_due_age: Gauge<f64, std::sync::atomic::AtomicU64>,
    /// Calls to DingTalk (or the dev sink) by API and result.
    pub sends: Family<SendLabels, Counter>,
    /// Seconds one send took, by API.
    pub send_seconds: Family<ApiLabels, Histogram>,
    /// Rows rescheduled after a failure or a partial (flow-controlled) send.
    pub retries: Counter,
    /// Rows that became dead letters.
    pub dead_letters: Counter,
    /// Access tokens fetched from DingTalk.
    pub token_refreshes: Counter,
    /// Replies that went through the outbox because the sessionWebhook could not be used.
    pub reply_fallbacks: Family<ChannelLabels, Counter>,
    /// Outcomes whose recording failed and was tried again.
    pub record_retries: Counter,
}

impl DeliveryMetrics {
    fn register(registry: &mut Registry) -> Self {
        let m = Self {
            depth: Gauge::default(),
            dead: Gauge::default(),
            oldest_due_age: Gauge::default(),
            sends: Family::default(),
            send_seconds: Family::new_with_constructor(|| {
                Histogram::new([
                    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
                ])
            }),
            retries: Counter::default(),
            dead_letters: Counter::default(),
            token_refreshes: Counter::default(),
            reply_fallbacks: Family::default(),
            record_retries: Counter::default(),
        };
        registry.register(
            "outbox_depth",
            "Outbox rows waiting to be sent",
            m.depth.clone(),
        );
        registry.register("outbox_dead", "Dead letters in the outbox", m.dead.clone());
        registry.register(
            "outbox_oldest_due_age_seconds",
            "Seconds the longest-waiting due outbox row has been due",
            m.oldest_due_age.clone(),
        );
        registry.register("outbox_sends", "Sends by API and result", m.sends.clone());
        registry.register(
            "outbox_send_seconds",
            "Duration of one send, by API",
            m.send_seconds.clone(),
        );
        registry.register(
            "outbox_retries",
            "Rows rescheduled for another attempt",
            m.retries.clone(),
        );
        registry.register(
            "outbox_dead_letters",
            "Rows that became dead letters",
            m.dead_letters.clone(),
        );
        registry.register(
            "dingtalk_token_refreshes",
            "Access tokens fetched from DingTalk",
            m.token_refreshes.clone(),
        );
        registry.register(
            "reply_fallbacks",
            "Replies sent through the outbox instead of the sessionWebhook",
            m.reply_fallbacks.clone(),
        );
        registry.register(
            "outbox_record_retries",
            "Send outcomes whose recording failed and was tried again",
            m.record_retries.clone(),
        );
        m
    }

    pub fn send(&self, api: &'static str, result: &'static str) {
        self.sends.get_or_create(&SendLabels { api, result }).inc();
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct FrameLabels {
    /// SYSTEM | EVENT | CALLBACK | other | invalid
    pub frame_type: &'static str,
    /// A known topic, `other`, or empty for invalid frames.
    pub topic: &'static str,
}

/// The Stream client's metrics (issue 14).
pub struct StreamMetrics {
    /// 1 while a Stream connection is open, else 0.
    pub connected: Gauge,
    /// Connections attempted after the first one (each gets a new ticket).
    pub reconnects: Counter,
    /// `connections/open` calls that failed, by reason (refused, unreachable, …).
    pub open_failures: Family<ReasonLabels, Counter>,
    /// Frames received, by type and topic.
    pub frames: Family<FrameLabels, Counter>,
    /// Seconds from a frame's arrival to its ack being written.
    pub ack_seconds: Histogram,
}

impl StreamMetrics {
    fn register(registry: &mut Registry) -> Self {
        let m = Self {
            connected: Gauge::default(),
            reconnects: Counter::default(),
            open_failures: Family::default(),
            frames: Family::default(),
            ack_seconds: Histogram::new([
                0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
            ]),
        };
        registry.register(
            "stream_connected",
            "Whether a Stream connection is open (1) or not (0)",
            m.connected.clone(),
        );
        registry.register(
            "stream_reconnects",
            "Stream connections attempted after the first",
            m.reconnects.clone(),
        );
        registry.register(
            "stream_open_failures",
            "Failed connections/open calls and WebSocket connects, by reason",
            m.open_failures.clone(),
        );
        registry.register(
            "stream_frames",
            "Stream frames received, by type and topic",
            m.frames.clone(),
        );
        registry.register(
            "stream_ack_seconds",
            "Stream frame received to ack written",
            m.ack_seconds.clone(),
        );
        m
    }

    pub fn frame(&self, frame_type: &'static str, topic: &'static str) {
        self.frames
            .get_or_create(&FrameLabels { frame_type, topic })
            .inc();
    }

    pub fn open_failed(&self, reason: &'static str) {
        self.open_failures
            .get_or_create(&ReasonLabels { reason })
            .inc();
    }

    /// Whether a Stream connection is open right now.
    pub fn is_connected(&self) -> bool {
        self.connected.get() > 0
    }
}

/// The dedupe writer's metrics (issue 13): its supervisor and the claims
/// it could not answer in time. Cheap to clone (the metrics are shared).
#[derive(Clone, Default)]
pub struct DedupeMetrics {
    /// 1 while a writer task runs, 0 between a failure and its restart.
    pub writer_up: Gauge,
    /// Writer tasks restarted after a failure (a panic).
    pub writer_restarts: Counter,
    /// Claims whose caller gave up waiting (answered 503, or left unacked).
    pub claim_timeouts: Counter,
    /// New claims written after their caller had given up.
    pub late_claims: Counter,
}

impl DedupeMetrics {
    fn register(registry: &mut Registry) -> Self {
        let m = Self::default();
        registry.register(
            "dedupe_writer_up",
            "Whether the dedupe writer task runs (1) or is being restarted (0)",
            m.writer_up.clone(),
        );
        registry.register(
            "dedupe_writer_restarts",
            "Dedupe writer tasks restarted after a failure",
            m.writer_restarts.clone(),
        );
        registry.register(
            "claim_timeouts",
            "Claims not made durable within DINGWARDEN_CLAIM_TIMEOUT_MS",
            m.claim_timeouts.clone(),
        );
        registry.register(
            "late_claims",
            "Claims written after their caller had stopped waiting",
            m.late_claims.clone(),
        );
        m
    }
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
    /// Organisation events (HTTP pushes and Stream frames) by outcome
    /// (applied, duplicate, ignored, failed).
    pub events: Family<OutcomeLabels, Counter>,
    pub delivery: DeliveryMetrics,
    pub stream: StreamMetrics,
    pub dedupe: DedupeMetrics,
    /// 1 while this replica runs the scheduler (holds the leader lease).
    pub scheduler_leader: Gauge,
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
        let delivery = DeliveryMetrics::register(&mut registry);
        let stream = StreamMetrics::register(&mut registry);
        let dedupe = DedupeMetrics::register(&mut registry);
        let events = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "org_events",
            "Organisation events by outcome",
            events.clone(),
        );
        let scheduler_leader = Gauge::default();
        registry.register(
            "scheduler_leader",
            "1 while this replica runs the scheduler (holds the leader lease)",
            scheduler_leader.clone(),
        );
        Self {
            scheduler_leader,
            events,
            stream,
            dedupe,
            registry,
            delivery,
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

    pub fn event(&self, outcome: &'static str) {
        self.events.get_or_create(&OutcomeLabels { outcome }).inc();
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
}
