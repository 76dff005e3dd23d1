//! Per-key turns: messages from one sender are handled one at a time, in
//! the order they were queued, so quick taps cannot race each other. Queuing
//! is synchronous (the order is the order of [`Turns::push`] calls, not of
//! tasks waking up); the first job of an idle key is handed back for the
//! caller to start a runner, which then takes the key's next jobs with
//! [`Turns::next`] until none is left. [`Holding`] is the set of ids this
//! process holds (queued or running), each released when its guard drops.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

/// Queues of jobs by key; a key is present while a runner works on it.
pub struct Turns<T> {
    queues: Mutex<HashMap<String, VecDeque<T>>>,
}

impl<T> Default for Turns<T> {
    fn default() -> Self {
        Self {
            queues: Mutex::new(HashMap::new()),
        }
    }
}

impl<T> Turns<T> {
    /// Queues `job` behind the key's running and queued jobs; returns it
    /// when the key was idle (the caller starts a runner with it).
    pub fn push(&self, key: &str, job: T) -> Option<T> {
        let mut map = self.queues.lock().expect("turns");
        match map.get_mut(key) {
            Some(queue) => {
                queue.push_back(job);
                None
            }
            None => {
                map.insert(key.to_owned(), VecDeque::new());
                Some(job)
            }
        }
    }

    /// The key's next job; `None` (and the key idle again) when none is left.
    pub fn next(&self, key: &str) -> Option<T> {
        let mut map = self.queues.lock().expect("turns");
        let job = map.get_mut(key).and_then(VecDeque::pop_front);
        if job.is_none() {
            map.remove(key);
        }
        job
    }

    /// Jobs queued behind running ones, over all keys.
    pub fn waiting(&self) -> usize {
        let map = self.queues.lock().expect("turns");
        map.values().map(VecDeque::len).sum()
    }
}

/// Ids held by this process; an id is held while its [`Hold`] lives.
#[derive(Default)]
pub struct Holding {
    ids: Mutex<HashSet<String>>,
}

/// Holds one id until dropped (whatever ends the work: done, failed, panicked).
pub struct Hold {
    holding: Arc<Holding>,
    id: String,
}

impl Holding {
    /// Holds `id` until the returned guard drops.
    pub fn hold(self: &Arc<Self>, id: &str) -> Hold {
        self.ids.lock().expect("holding").insert(id.to_owned());
        Hold {
            holding: Arc::clone(self),
            id: id.to_owned(),
        }
    }

    /// The ids held now.
    pub fn ids(&self) -> Vec<String> {
        self.ids.lock().expect("holding").iter().cloned().collect()
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        if let Ok(mut ids) = self.holding.ids.lock() {
            ids.remove(&self.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_runner_per_key_in_queue_order() {
        let turns = Turns::default();
        assert_eq!(turns.push("a", 1), Some(1), "an idle key starts a runner");
        assert_eq!(turns.push("a", 2), None, "a busy key queues");
        assert_eq!(turns.push("b", 10), Some(10), "other keys are independent");
        assert_eq!(turns.push("a", 3), None);
        assert_eq!(turns.waiting(), 2);
        assert_eq!(turns.next("a"), Some(2));
        assert_eq!(turns.next("a"), Some(3));
        assert_eq!(turns.next("a"), None, "drained: the key is idle");
        assert_eq!(turns.push("a", 4), Some(4), "and starts a runner again");
        assert_eq!(turns.next("b"), None);
        assert_eq!(turns.waiting(), 0);
    }

    #[test]
    fn an_id_is_held_while_its_guard_lives() {
        let holding = Arc::new(Holding::default());
        let a = holding.hold("a");
        let b = holding.hold("b");
        let mut ids = holding.ids();
        ids.sort();
        assert_eq!(ids, ["a", "b"]);
        drop(a);
        assert_eq!(holding.ids(), ["b"]);
        drop(b);
        assert!(holding.ids().is_empty());
    }
}
