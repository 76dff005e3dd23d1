//! The state every caller (HTTP handlers, chat commands, jobs, workers)
//! shares: settings, store, clock, clients and engines. A leaf: it knows the
//! parts it holds, never the callers that use them.

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use secrecy::ExposeSecret;
use tokio_util::task::TaskTracker;

use crate::clock::Clock;
use crate::config::Config;
use crate::delivery::Delivery;
use crate::devsink::DevSink;
use crate::dingtalk::crypto::EventCrypto;
use crate::keyed::{Hold, Holding, Turns};
use crate::metrics::Metrics;
use crate::store::Store;
use crate::store::inbound::Deduper;
use crate::store::inbox::{Held, InboxLease};

/// An inbox row queued in this replica: the row, its hold (its lease is
/// renewed while it lives) and, for a message admitted here (not one the
/// sweep took), its room in `DINGWARDEN_MAX_QUEUED`.
pub type Queued = (Held, Hold, Option<tokio::sync::OwnedSemaphorePermit>);

/// Everything handlers and workers share. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub config: Arc<Config>,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub http: reqwest::Client,
    pub metrics: Arc<Metrics>,
    pub deduper: Deduper,
    /// Message handlers (runners of the inbox's per-sender turns).
    pub tasks: TaskTracker,
    /// Where OpenAPI sends go in `--dev`.
    pub dev_sink: Option<Arc<DevSink>>,
    /// Event-subscription keys, when configured.
    pub event_crypto: Option<crate::dingtalk::crypto::EventCrypto>,
    /// Inbox rows waiting for their sender's turn: one message at a time
    /// per sender, in arrival order.
    pub turns: Turns<Queued>,
    /// Room for messages accepted and not yet finished
    /// (`DINGWARDEN_MAX_QUEUED`): a new message takes a permit before its
    /// claim and gives it back when its run ends.
    pub admission: Arc<tokio::sync::Semaphore>,
    /// Inbox rows this replica holds (queued or running): their leases are
    /// renewed while it lives.
    pub holding: Arc<Holding>,
    /// Handlers running at once (`DINGWARDEN_MAX_HANDLERS`).
    pub handlers: Arc<tokio::sync::Semaphore>,
    /// This replica's name on the inbox rows it runs, and their lease.
    pub inbox_lease: InboxLease,
    /// The outbox delivery engine (OpenAPI client, rate governor).
    pub delivery: Arc<Delivery>,
}

impl Deref for AppState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Builds the state over an open, migrated store. Must run inside a Tokio runtime.
    pub fn new(config: Config, store: Store, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("dingwarden/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            // A redirect is a failed call: never follow one (issue 12).
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .context("build HTTP client")?;
        let dev_sink = config.dev.then(|| Arc::new(DevSink::default()));
        let event_crypto = match (&config.event_token, &config.event_aes_key) {
            (Some(token), Some(key)) => {
                let owner = config
                    .corp_id
                    .clone()
                    .unwrap_or_else(|| config.app_key.clone());
                Some(
                    EventCrypto::new(token.expose_secret(), key.expose_secret(), &owner)
                        .context("DINGTALK_EVENT_AES_KEY")?,
                )
            }
            _ => None,
        };
        let metrics = Arc::new(Metrics::new());
        let config = Arc::new(config);
        let delivery = Arc::new(Delivery::new(
            config.clone(),
            store.clone(),
            clock.clone(),
            http.clone(),
            dev_sink.clone(),
            metrics.clone(),
        ));
        let inbox_lease = InboxLease::new(config.inbox.lease);
        let handlers = Arc::new(tokio::sync::Semaphore::new(config.inbox.max_handlers));
        let admission = Arc::new(tokio::sync::Semaphore::new(config.inbox.max_queued));
        let deduper = Deduper::start(
            store.clone(),
            inbox_lease.clone(),
            config.timeouts.claim,
            metrics.dedupe.clone(),
        );
        Ok(Self(Arc::new(Inner {
            deduper,
            inbox_lease,
            handlers,
            admission,
            turns: Turns::default(),
            holding: Arc::default(),
            config,
            store,
            clock,
            http,
            metrics,
            tasks: TaskTracker::new(),
            dev_sink,
            event_crypto,
            delivery,
        })))
    }

    /// Waits until every spawned message handler has finished (tests, shutdown).
    pub async fn settle(&self) {
        self.tasks.close();
        self.tasks.wait().await;
        self.tasks.reopen();
    }
}
