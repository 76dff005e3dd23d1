//! SQLite's one writer, shared fairly inside this process, with the dedupe
//! writer first. SQLite allows one write transaction at a time; taking this
//! lock before each keeps writers in this process from tripping over each
//! other (a deferred transaction that reads and then writes could otherwise
//! fail with SQLITE_BUSY). Ordinary writers (handlers, the outbox worker,
//! the scheduler) queue behind each other first and only the one at the head
//! of that queue waits for the writer itself, so the dedupe writer — whose
//! claims are callbacks waiting for their 200 — waits for at most one
//! transaction, however many handlers are queued. Without the split a burst
//! of commands left every claim behind every handler's synced commit.

use std::sync::Arc;

use tokio::sync::{Mutex, OwnedMutexGuard};

/// The writer lock; cheap to clone.
#[derive(Clone, Default)]
pub struct WriteLock {
    /// Ordinary writers wait here, one at a time (FIFO).
    queue: Arc<Mutex<()>>,
    /// The writer itself: the head of `queue`, and the dedupe writer.
    writer: Arc<Mutex<()>>,
}

/// Where a writer waits.
#[derive(Clone, Copy, Debug)]
pub enum Turn {
    /// Behind the other ordinary writers: handlers, the outbox worker, the
    /// scheduler.
    Queued,
    /// Straight for the writer: the dedupe writer, whose claims are
    /// callbacks waiting for their 200.
    First,
}

/// Held while a write runs; dropping it lets the next writer in.
pub struct WriteGuard {
    _writer: OwnedMutexGuard<()>,
    _queue: Option<OwnedMutexGuard<()>>,
}

impl WriteLock {
    /// The writer, waiting where `turn` says.
    pub async fn take(&self, turn: Turn) -> WriteGuard {
        match turn {
            Turn::Queued => self.ordinary().await,
            Turn::First => self.first().await,
        }
    }

    /// For an ordinary writer: its turn in the queue, then the writer.
    async fn ordinary(&self) -> WriteGuard {
        let queue = Arc::clone(&self.queue).lock_owned().await;
        WriteGuard {
            _writer: Arc::clone(&self.writer).lock_owned().await,
            _queue: Some(queue),
        }
    }

    /// For the dedupe writer: the writer as soon as the transaction running
    /// (and at most one ordinary writer already waiting) is done.
    async fn first(&self) -> WriteGuard {
        WriteGuard {
            _writer: Arc::clone(&self.writer).lock_owned().await,
            _queue: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::WriteLock;

    #[tokio::test]
    async fn the_first_writer_passes_a_queue_of_ordinary_ones() {
        let lock = WriteLock::default();
        let running = lock.ordinary().await;
        let (tx, mut order) = tokio::sync::mpsc::unbounded_channel();
        for i in 0..5 {
            let (lock, tx) = (lock.clone(), tx.clone());
            tokio::spawn(async move {
                let _g = lock.ordinary().await;
                tx.send(format!("ordinary {i}")).unwrap();
            });
            tokio::task::yield_now().await;
        }
        let first = tokio::spawn({
            let (lock, tx) = (lock.clone(), tx.clone());
            async move {
                let _g = lock.first().await;
                tx.send("first".to_owned()).unwrap();
            }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        drop(running);
        first.await.unwrap();
        drop(tx);
        let mut seen = Vec::new();
        while let Some(who) = order.recv().await {
            seen.push(who);
        }
        // The running writer still held its place in the queue, so none of
        // the five queued had reached the writer: the first writer goes
        // next, then the ordinary ones in their order.
        let ordinary: Vec<String> = (0..5).map(|i| format!("ordinary {i}")).collect();
        assert_eq!(seen[0], "first");
        assert_eq!(seen[1..], ordinary[..]);
    }
}
