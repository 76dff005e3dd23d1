//! Supervision of a task that must keep running (the dedupe writer): it is
//! started again whenever it fails (panics or is aborted), after a backoff
//! that grows while it keeps failing, and its state is visible as a gauge
//! (1 running, 0 being restarted) and a counter of restarts. A task that
//! returns has finished its work and is not restarted.

use std::future::Future;
use std::time::Duration;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use tokio::time::Instant;

/// First wait before a restart; doubles per failure in a row.
const BACKOFF_FIRST: Duration = Duration::from_millis(50);
/// Longest wait before a restart.
const BACKOFF_MAX: Duration = Duration::from_secs(5);
/// A task that ran this long before failing starts the backoff over.
const HEALTHY_AFTER: Duration = Duration::from_secs(30);

/// What a supervisor reports on.
#[derive(Clone)]
pub struct Watch {
    /// For log lines.
    pub name: &'static str,
    /// 1 while the task runs, 0 between a failure and its restart.
    pub up: Gauge,
    /// Restarts after a failure.
    pub restarts: Counter,
}

/// Spawns `make()` on the current runtime and restarts it (a fresh
/// `make()`) whenever it fails, until a run returns.
pub fn spawn<F, Fut>(watch: Watch, make: F) -> tokio::task::JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    // Up from the start: a caller asking at once must not see it down.
    watch.up.set(1);
    tokio::spawn(async move {
        let mut failures = 0u32;
        loop {
            let started = Instant::now();
            let result = tokio::spawn(make()).await;
            watch.up.set(0);
            let Err(e) = result else {
                return;
            };
            if started.elapsed() >= HEALTHY_AFTER {
                failures = 0;
            }
            let delay = backoff(failures);
            failures = failures.saturating_add(1);
            watch.restarts.inc();
            tracing::error!(
                task = watch.name,
                error = %e,
                restart_in_ms = delay.as_millis() as u64,
                "task failed; restarting it"
            );
            tokio::time::sleep(delay).await;
            watch.up.set(1);
        }
    })
}

/// The wait before the restart that follows `failures` failures in a row.
fn backoff(failures: u32) -> Duration {
    BACKOFF_FIRST
        .saturating_mul(2u32.saturating_pow(failures.min(16)))
        .min(BACKOFF_MAX)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[test]
    fn the_backoff_doubles_up_to_its_ceiling() {
        assert_eq!(backoff(0), BACKOFF_FIRST);
        assert_eq!(backoff(1), BACKOFF_FIRST * 2);
        assert_eq!(backoff(3), BACKOFF_FIRST * 8);
        assert_eq!(backoff(20), BACKOFF_MAX);
        assert_eq!(backoff(u32::MAX), BACKOFF_MAX);
    }

    #[tokio::test]
    async fn a_failing_task_is_restarted_until_it_returns() {
        let watch = Watch {
            name: "test",
            up: Gauge::default(),
            restarts: Counter::default(),
        };
        let runs = Arc::new(AtomicU32::new(0));
        let counted = runs.clone();
        let handle = spawn(watch.clone(), move || {
            let run = counted.fetch_add(1, Ordering::SeqCst);
            async move {
                assert!(run >= 2, "run {run} fails");
            }
        });
        handle.await.unwrap();
        assert_eq!(runs.load(Ordering::SeqCst), 3);
        assert_eq!(watch.restarts.get(), 2);
        assert_eq!(watch.up.get(), 0);
    }
}
