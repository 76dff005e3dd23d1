//! Background workers, started by `serve` and stopped by its shutdown token.

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::app::AppState;

/// Spawns every worker; the returned tracker finishes when they have all stopped.
pub fn spawn(state: &AppState, shutdown: CancellationToken) -> TaskTracker {
    let tracker = TaskTracker::new();
    tracker.spawn(crate::scheduler::run(state.clone(), shutdown.clone()));
    if state.config.stream.ingress.stream() {
        tracker.spawn(crate::stream::run(state.clone(), shutdown.clone()));
    }
    tracker.spawn(crate::delivery::run(state.clone(), shutdown));
    tracker.close();
    tracker
}
