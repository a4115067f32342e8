//! The learning loop of feedback-directed generation: draw, run, keep or skip, and move the
//! weights of the pool values. Every choice comes from the seeded runner and the observed
//! behaviours, so the same seed and the same behaviours give the same draws — which is how
//! a draw is rebuilt for shrinking: the loop is replayed with the behaviours it logged.

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;
use proptest::strategy::ValueTree;

use super::Observed;
use super::weighted::{Drawn, Weighted};
use crate::cases::deterministic_runner;
use crate::cases::harvest::Pools;

/// A stop (panic, timeout) class is over-represented once it holds this share of the cases
/// asked for: further draws ending in it are skipped while the budget lasts.
pub const STOP_SHARE: f64 = 0.125;
/// A pool value that kept the code running is drawn this much more often afterwards.
pub const GROW: f64 = 1.5;
/// A pool value that alone turned a running input into a stop is drawn this much as often.
pub const SHRINK: f64 = 0.25;
/// Bounds of a weight (a pool value starts at 1), so no value is ever ruled out.
const WEIGHT_RANGE: (f64, f64) = (0.01, 16.0);
/// The whole type's arm starts with this share of the pool values' weight (about 20%, as
/// in plain seeded generation).
const ANY_SHARE: f64 = 0.25;

/// What one generation did: the kept draws (with the attempt that drew each) and the
/// behaviour observed at every attempt.
pub(crate) struct Learning<T> {
    pub kept: Vec<(usize, T)>,
    pub log: Vec<Observed>,
}

/// How an attempt draws: afresh; afresh with one value in every parameter of its type
/// (while no input has run to its end); or from a kept input that ran, with one parameter
/// drawn again (Randoop's extension of a sequence that ran: a stop is then blamed on that
/// one parameter's value).
#[derive(Debug, Clone, Copy)]
enum Plan {
    Fresh,
    Diagonal,
    Change { base: usize, param: usize },
}

struct Learner<'p, T> {
    pools: &'p Pools,
    weights: Vec<Vec<f64>>,
    bases: Vec<T>,
    stops: HashMap<String, usize>,
    keys: HashSet<String>,
    cap: usize,
}

type Tree<T> = Box<dyn ValueTree<Value = Drawn<T>>>;

/// Runs the loop: at most `budget` attempts, until `count` draws are kept. `observe` gives
/// the behaviour of attempt `n`'s value. With `target`, stops at that attempt and returns
/// its value tree (for shrinking) instead of observing it.
pub(crate) fn learn<T: Weighted>(
    pools: &Pools,
    count: usize,
    budget: usize,
    seed: u64,
    observe: &mut dyn FnMut(usize, &T) -> Observed,
    target: Option<usize>,
) -> (Learning<T>, Option<Tree<T>>) {
    let mut runner = deterministic_runner(seed);
    let mut learner = Learner::new(pools, count);
    let mut learning = Learning {
        kept: Vec::with_capacity(count),
        log: Vec::new(),
    };
    let budget = budget.max(count);
    for attempt in 0..budget {
        if learning.kept.len() >= count {
            break;
        }
        let plan = learner.plan(&mut runner);
        let tree = learner
            .strategy(plan)
            .new_tree(&mut runner)
            .unwrap_or_else(|reason| panic!("kaizen: a weighted draw was rejected: {reason}"));
        if target == Some(attempt) {
            return (learning, Some(tree));
        }
        let (value, arms) = tree.current();
        let seen = observe(attempt, &value);
        let must_keep = budget - attempt <= count - learning.kept.len();
        let kept = learner.keep(&value, &seen, must_keep);
        learner.learn(plan, &arms, &seen);
        if kept {
            if !seen.stop {
                learner.bases.push(value.clone());
            }
            learning.kept.push((attempt, value));
        }
        learning.log.push(seen);
    }
    (learning, None)
}

impl<'p, T: Weighted> Learner<'p, T> {
    fn new(pools: &'p Pools, count: usize) -> Self {
        let weights = T::arms(pools)
            .into_iter()
            .map(|arms| {
                let pooled = arms - 1;
                let mut w = vec![1.0; pooled];
                w.push((ANY_SHARE * pooled as f64).max(1.0));
                w
            })
            .collect();
        Learner {
            pools,
            weights,
            bases: Vec::new(),
            stops: HashMap::new(),
            keys: HashSet::new(),
            cap: ((count as f64 * STOP_SHARE).ceil() as usize).max(1),
        }
    }

    /// Half the attempts change one parameter of an input that ran, once there is one;
    /// until then, half are diagonal.
    fn plan(&self, runner: &mut proptest::test_runner::TestRunner) -> Plan {
        let rng = runner.rng();
        let half = rng.next_u32().is_multiple_of(2);
        if half {
            return Plan::Fresh;
        }
        if self.bases.is_empty() {
            return Plan::Diagonal;
        }
        let base = rng.next_u32() as usize % self.bases.len();
        let param = rng.next_u32() as usize % self.weights.len();
        Plan::Change { base, param }
    }

    fn strategy(&self, plan: Plan) -> BoxedStrategy<Drawn<T>> {
        let weights: Vec<Vec<u32>> = self
            .weights
            .iter()
            .map(|arms| arms.iter().map(|w| (w * 100.0).round() as u32).collect())
            .collect();
        let drawn = T::weighted(self.pools, &weights);
        match plan {
            Plan::Fresh => drawn,
            Plan::Diagonal => drawn
                .prop_map(|(fresh, arms)| (T::diagonal(&fresh), arms))
                .boxed(),
            Plan::Change { base, param } => {
                let base = self.bases[base].clone();
                drawn
                    .prop_map(move |(fresh, arms)| (T::splice(&base, &fresh, param), arms))
                    .boxed()
            }
        }
    }

    /// Whether to keep a draw: not a repeat of a kept one, and not a stop whose class
    /// already holds its share — unless the budget left must fill the cases asked for.
    fn keep(&mut self, value: &T, seen: &Observed, must_keep: bool) -> bool {
        let key = format!("{value:?}");
        if !must_keep && self.keys.contains(&key) {
            return false;
        }
        if seen.stop {
            let held = self.stops.entry(seen.class.clone()).or_default();
            if !must_keep && *held >= self.cap {
                return false;
            }
            *held += 1;
        }
        self.keys.insert(key);
        true
    }

    /// Moves the weights of the arms an attempt is credited with: the changed parameter's
    /// for a change, every parameter's for a fresh draw that ran. A fresh draw that
    /// stopped says nothing about which value stopped it; a diagonal one, whose values
    /// are not the arms it drew, teaches nothing (one that ran becomes a base).
    fn learn(&mut self, plan: Plan, arms: &[(usize, usize)], seen: &Observed) {
        let factor = match (plan, seen.stop) {
            (Plan::Diagonal, _) | (Plan::Fresh, true) => return,
            (_, false) => GROW,
            (Plan::Change { .. }, true) => SHRINK,
        };
        for &(param, arm) in arms {
            if let Plan::Change { param: changed, .. } = plan
                && changed != param
            {
                continue;
            }
            let w = &mut self.weights[param][arm];
            *w = (*w * factor).clamp(WEIGHT_RANGE.0, WEIGHT_RANGE.1);
        }
    }
}
