//! Choosing and grading: which questions an attempt asks (missed ones come
//! back, unseen ones before seen ones, topics spread out), the shuffled
//! option order, and the score. Randomness is injected so tests can seed it.

use std::collections::HashSet;

use rand::Rng;
use rand::seq::SliceRandom as _;

/// A missed question leaves the review set after this many right answers.
pub const REVIEW_RETIRE_AFTER: i64 = 2;

/// What sampling needs to know about one question of the current version.
#[derive(Clone, Copy, Debug)]
pub struct Candidate<'a> {
    pub key: &'a str,
    pub topic: &'a str,
}

/// How to pick questions for one attempt.
#[derive(Clone, Copy, Debug)]
pub struct Plan<'a> {
    /// Questions to ask.
    pub count: usize,
    /// Keys the user missed before, most urgent first.
    pub review: &'a [String],
    /// At most this many of the asked questions come from `review`.
    pub max_review: usize,
    /// Keys the user has been asked before.
    pub seen: &'a HashSet<String>,
}

/// Picks `plan.count` questions (fewer if the pool is smaller) and returns
/// their indexes into `pool` in the order they will be asked.
pub fn sample<R: Rng + ?Sized>(pool: &[Candidate<'_>], plan: &Plan<'_>, rng: &mut R) -> Vec<usize> {
    let n = plan.count.min(pool.len());
    let mut chosen: Vec<usize> = Vec::with_capacity(n);
    for key in plan.review {
        if chosen.len() >= plan.max_review.min(n) {
            break;
        }
        if let Some(i) = pool.iter().position(|c| c.key == key) {
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
    }
    let mut rest: Vec<usize> = (0..pool.len()).filter(|i| !chosen.contains(i)).collect();
    rest.shuffle(rng);
    // Stable: questions not seen before go first, in random order.
    rest.sort_by_key(|i| plan.seen.contains(pool[*i].key));
    let mut topics: HashSet<&str> = chosen.iter().map(|i| pool[*i].topic).collect();
    // First one question per topic not yet covered, then whatever is left.
    for &i in &rest {
        if chosen.len() >= n {
            break;
        }
        if topics.insert(pool[i].topic) {
            chosen.push(i);
        }
    }
    for &i in &rest {
        if chosen.len() >= n {
            break;
        }
        if !chosen.contains(&i) {
            chosen.push(i);
        }
    }
    chosen.shuffle(rng);
    chosen
}

/// A random order of `n` options: shown letter `k` is option `order[k]`.
pub fn shuffle_options<R: Rng + ?Sized>(n: usize, rng: &mut R) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(rng);
    order
}

/// The option (file order) behind the shown letter index, if there is one.
pub fn option_at(order: &[usize], shown: usize) -> Option<usize> {
    order.get(shown).copied()
}

/// The shown letter index of option `option`.
pub fn shown_index(order: &[usize], option: usize) -> usize {
    order.iter().position(|o| *o == option).unwrap_or(0)
}

/// Whether `score` out of `total` reaches `pass_percent`.
pub fn passed(score: i64, total: i64, pass_percent: i64) -> bool {
    total > 0 && score * 100 >= pass_percent * total
}

/// `score` out of `total` as a whole percentage, rounded down.
pub fn percent(score: i64, total: i64) -> i64 {
    if total > 0 { score * 100 / total } else { 0 }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng as _;
    use rand::rngs::StdRng;

    use super::*;

    fn candidates() -> Vec<Candidate<'static>> {
        const KEYS: [(&str, &str); 8] = [
            ("a1", "a"),
            ("a2", "a"),
            ("a3", "a"),
            ("b1", "b"),
            ("b2", "b"),
            ("c1", "c"),
            ("d1", "d"),
            ("e1", "e"),
        ];
        KEYS.iter()
            .map(|(key, topic)| Candidate { key, topic })
            .collect()
    }

    #[test]
    fn sampling_is_deterministic_per_seed_and_spreads_topics() {
        let seen = HashSet::new();
        let plan = Plan {
            count: 5,
            review: &[],
            max_review: 2,
            seen: &seen,
        };
        let p = candidates();
        let a = sample(&p, &plan, &mut StdRng::seed_from_u64(7));
        let b = sample(&p, &plan, &mut StdRng::seed_from_u64(7));
        assert_eq!(a, b);
        assert_eq!(a.len(), 5);
        let topics: HashSet<&str> = a.iter().map(|i| p[*i].topic).collect();
        assert_eq!(topics.len(), 5, "five topics exist, so five are asked");
        let unique: HashSet<usize> = a.iter().copied().collect();
        assert_eq!(unique.len(), 5);
    }

    #[test]
    fn missed_questions_come_back_up_to_the_limit() {
        let seen = HashSet::new();
        let review = vec![
            "a2".to_owned(),
            "a3".to_owned(),
            "b2".to_owned(),
            "zz".to_owned(),
        ];
        let plan = Plan {
            count: 4,
            review: &review,
            max_review: 2,
            seen: &seen,
        };
        let p = candidates();
        for seed in 0..20 {
            let got = sample(&p, &plan, &mut StdRng::seed_from_u64(seed));
            let keys: Vec<&str> = got.iter().map(|i| p[*i].key).collect();
            assert!(keys.contains(&"a2") && keys.contains(&"a3"), "{keys:?}");
        }
    }

    #[test]
    fn unseen_questions_go_first_and_small_pools_are_used_whole() {
        let p = candidates();
        let seen: HashSet<String> = ["a1", "a2", "b1", "c1", "d1", "e1"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let plan = Plan {
            count: 2,
            review: &[],
            max_review: 0,
            seen: &seen,
        };
        let got = sample(&p, &plan, &mut StdRng::seed_from_u64(3));
        let mut keys: Vec<&str> = got.iter().map(|i| p[*i].key).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["a3", "b2"]);
        let all = Plan { count: 50, ..plan };
        assert_eq!(sample(&p, &all, &mut StdRng::seed_from_u64(3)).len(), 8);
    }

    #[test]
    fn options_shuffle_and_map_back() {
        let order = shuffle_options(4, &mut StdRng::seed_from_u64(1));
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, [0, 1, 2, 3]);
        for shown in 0..4 {
            let option = option_at(&order, shown).unwrap();
            assert_eq!(shown_index(&order, option), shown);
        }
        assert_eq!(option_at(&order, 4), None);
    }

    #[test]
    fn pass_mark_is_inclusive() {
        assert!(passed(4, 5, 80));
        assert!(!passed(3, 5, 80));
        assert!(passed(5, 5, 100));
        assert!(!passed(0, 0, 1));
        assert_eq!(percent(2, 3), 66);
    }
}
