//! The composition root: `serve` opens the store, builds the state, binds
//! the listener, starts the workers and stops everything gracefully. Only
//! `main`/`cli` import it; nothing below it knows it exists.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::state::AppState;
use crate::store::Store;

/// How long in-flight work may take to finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Runs `serve`: migrate, bootstrap roles, listen, run workers, and stop
/// gracefully on SIGTERM or Ctrl-C.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    // Before anything touches the database: a second `serve` on one SQLite
    // file stops here, and the first keeps working.
    let _sole = crate::store::file_lock::lock_database(&config.database_url.0)?;
    let store = Store::open(&config.database_url.0).await?;
    let now = SystemClock.now();
    store
        .bootstrap_roles(&config.admins, &config.hr, now.timestamp_millis())
        .await?;
    crate::actions::quiz::ensure_builtin(&store, now.timestamp_millis()).await?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .with_context(|| format!("bind {}", config.listen))?;
    let addr = listener.local_addr()?;
    if config.dev {
        announce_dev(&config, addr)?;
    }
    warn_about_access(&config);
    let state = AppState::new(config, store.clone(), Arc::new(SystemClock))?;
    let shutdown = CancellationToken::new();
    let workers = spawn_workers(&state, shutdown.clone());
    tracing::info!(%addr, backend = ?store.backend(), "dingwarden listening");
    let token = shutdown.clone();
    let router = crate::http::router(state.clone());
    let header_read = state.config.timeouts.header_read;
    crate::http::server::serve(listener, router, header_read, async move {
        shutdown_signal().await;
        token.cancel();
    })
    .await;
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

/// Spawns every background worker; the returned tracker finishes when they
/// have all stopped.
pub fn spawn_workers(state: &AppState, shutdown: CancellationToken) -> TaskTracker {
    let tracker = TaskTracker::new();
    tracker.spawn(crate::scheduler::run(state.clone(), shutdown.clone()));
    tracker.spawn(crate::ingress::sweep::run(state.clone(), shutdown.clone()));
    if state.config.stream.ingress.stream() {
        tracker.spawn(crate::stream::run(state.clone(), shutdown.clone()));
    }
    tracker.spawn(crate::delivery::run(state.delivery.clone(), shutdown));
    tracker.close();
    tracker
}

/// Start-up warnings about who can reach the console and the API.
fn warn_about_access(config: &Config) {
    if config.admin_token.is_some() {
        tracing::warn!(
            "DINGWARDEN_ADMIN_TOKEN is set: it is one shared admin-scope API token (audited as `api`, \
             not as a person). Make personal tokens in the console (/admin/tokens) and unset it."
        );
    }
    if config.public_url.is_none() && !config.dev {
        tracing::info!("the console is off: set DINGWARDEN_PUBLIC_URL to sign in with DingTalk");
    }
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
    if !config.dev_ignored.is_empty() {
        println!(
            "  ignored:    {} (--dev never uses real DingTalk credentials; it made its own secret)",
            config.dev_ignored.join(", ")
        );
    }
    println!("  console:    {url}/admin/ (sign in as any admin or HR person)");
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
