//! The running service: shared state, the router, background workers and
//! graceful shutdown.

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use secrecy::ExposeSecret;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::delivery::Delivery;
use crate::devsink::DevSink;
use crate::dingtalk::crypto::EventCrypto;
use crate::dingtalk::webhook::WebhookClient;
use crate::metrics::Metrics;
use crate::store::Store;
use crate::store::inbound::Deduper;

/// How long in-flight work may take to finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

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
    pub webhooks: WebhookClient,
    /// Message handling spawned after a callback is answered.
    pub tasks: TaskTracker,
    /// Where OpenAPI sends go in `--dev`.
    pub dev_sink: Option<Arc<DevSink>>,
    /// Event-subscription keys, when configured.
    pub event_crypto: Option<crate::dingtalk::crypto::EventCrypto>,
    /// One message at a time per sender.
    pub sender_locks: crate::keyed::KeyedLocks,
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
            .build()
            .context("build HTTP client")?;
        let webhooks = WebhookClient::new(http.clone(), config.oapi_base.clone(), config.dev);
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
        let delivery = Arc::new(Delivery::new(
            &config,
            http.clone(),
            dev_sink.clone(),
            &metrics,
        ));
        Ok(Self(Arc::new(Inner {
            deduper: Deduper::start(store.clone()),
            config: Arc::new(config),
            store,
            clock,
            http,
            metrics,
            webhooks,
            tasks: TaskTracker::new(),
            dev_sink,
            sender_locks: crate::keyed::KeyedLocks::default(),
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

/// Runs `serve`: migrate, bootstrap roles, listen, run workers, and stop
/// gracefully on SIGTERM or Ctrl-C.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let store = Store::open(&config.database_url.0).await?;
    let now = SystemClock.now();
    store
        .bootstrap_roles(&config.admins, &config.hr, now.timestamp_millis())
        .await?;
    crate::store::quiz::banks::ensure_builtin(&store, now.timestamp_millis()).await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("bind {}", config.listen))?;
    let addr = listener.local_addr()?;
    if config.dev {
        announce_dev(&config, addr)?;
    }
    let state = AppState::new(config, store.clone(), Arc::new(SystemClock))?;
    let shutdown = CancellationToken::new();
    let workers = crate::workers::spawn(&state, shutdown.clone());
    tracing::info!(%addr, backend = ?store.backend(), "dingwarden listening");
    let token = shutdown.clone();
    axum::serve(listener, crate::http::router(state.clone()))
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            token.cancel();
        })
        .await
        .context("HTTP server")?;
    shutdown.cancel();
    state.tasks.close();
    if tokio::time::timeout(SHUTDOWN_GRACE, async {
        state.tasks.wait().await;
        workers.wait().await;
    })
    .await
    .is_err()
    {
        tracing::warn!("shutdown grace period over; stopping with work in flight");
    }
    store.close().await;
    tracing::info!("dingwarden stopped");
    Ok(())
}

/// Name of the file `serve --dev` writes so `dingwarden chat` can sign callbacks.
pub const DEV_FILE: &str = "dingwarden.dev.json";

fn announce_dev(config: &Config, addr: std::net::SocketAddr) -> anyhow::Result<()> {
    let secret = config.primary_secret();
    let url = format!("http://{addr}");
    let info = serde_json::json!({"url": url, "app_secret": secret});
    std::fs::write(DEV_FILE, serde_json::to_vec_pretty(&info)?)
        .with_context(|| format!("write {DEV_FILE}"))?;
    println!("dingwarden --dev: listening on {url}");
    println!("  database:   {:?}", config.database_url);
    println!("  app secret: {secret} (also in ./{DEV_FILE} for `dingwarden chat`)");
    println!("  admins:     {}", config.admins.join(", "));
    println!("  try it:     cargo run --release -- chat --as alice   (or --as admin)");
    println!("              with the binary on PATH: dingwarden chat --as alice");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received");
}
