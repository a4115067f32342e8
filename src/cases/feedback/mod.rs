//! Feedback-directed generation (Randoop's idea, on proptest): seeded generation that runs
//! the jail while it draws and learns from what it sees.
//!
//! Plain seeded generation draws each parameter from its harvested pool. When most pool
//! values are outside an implicit valid range (dice from 1 to 6 among literals up to 51),
//! almost every input stops at the same guard and the code behind it is never reached. With
//! feedback, each draw is run once as it is drawn, and:
//!
//! - a draw ending in a stop (a panic, a timeout) whose class — the panic message with its
//!   numbers as `#` — already holds an eighth of the cases asked for is skipped, and so is a
//!   draw equal to one already kept;
//! - half the draws, once some input ran to its end, take such an input and draw one
//!   parameter again; if that alone makes it stop, the new value is blamed and drawn a
//!   quarter as often; a value that keeps the code running is drawn 1.5 times as often;
//! - at most `budget` draws are made (default four per case); when the draws left are just
//!   enough to fill the cases asked for, every draw is kept.
//!
//! Every choice comes from the seed and the behaviours seen, so the same seed and the same
//! code give the same cases on every run. The cases depend on the code only through which
//! inputs stop and with which message, never on returned values. See
//! [`Cases::seeded_feedback`].

mod learn;
pub mod weighted;

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::{Arc, Mutex, PoisonError};

pub use learn::{GROW, SHRINK, STOP_SHARE};
pub use weighted::{Drawn, Weighted};

use super::harvest::Pools;
use super::shrink::{Shrink, shrink_tree};
use super::{Cases, Generator, Shrinker};
use learn::{Learning, learn};

/// Draws made per case asked for, by default.
pub const DRAWS_PER_CASE: usize = 4;

/// What feedback sees of one run: its class, and whether it is a stop (a panic, a timeout —
/// the code did not run to its end).
///
/// ```
/// use kaizen::cases::feedback::Observed;
/// let a = Observed::panicked("index out of bounds: the len is 6 but the index is 7");
/// let b = Observed::panicked("index out of bounds: the len is 6 but the index is 9");
/// assert_eq!(a, b);
/// assert!(a.is_stop() && !Observed::ran("returned").is_stop());
/// assert_eq!(a.class(), "panicked: index out of bounds: the len is # but the index is #");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observed {
    class: String,
    stop: bool,
}

impl Observed {
    /// The code ran to its end (returned).
    pub fn ran(class: impl Into<String>) -> Self {
        Observed {
            class: class.into(),
            stop: false,
        }
    }

    /// The code stopped (a timeout, an exit); `class` tells one stop from another.
    pub fn stopped(class: impl Into<String>) -> Self {
        Observed {
            class: class.into(),
            stop: true,
        }
    }

    /// The code panicked with `message`: its class is the message with each run of digits
    /// as `#`, so "the index is 7" and "the index is 9" are one class.
    pub fn panicked(message: &str) -> Self {
        let mut class = String::from("panicked: ");
        let mut in_digits = false;
        for c in message.chars() {
            if c.is_ascii_digit() {
                if !in_digits {
                    class.push('#');
                }
                in_digits = true;
            } else {
                class.push(c);
                in_digits = false;
            }
        }
        Observed::stopped(class)
    }

    /// The class.
    pub fn class(&self) -> &str {
        &self.class
    }

    /// Whether the code stopped before its end.
    pub fn is_stop(&self) -> bool {
        self.stop
    }
}

/// How seeded generation learns: a function that runs one input and says what it did,
/// and how many draws it may run. Usually [`crate::Jail::feedback`].
///
/// ```
/// use kaizen::cases::feedback::{Feedback, Observed};
/// let feedback = Feedback::new(|n: &i32| {
///     if (1..=6).contains(n) { Observed::ran("returned") } else { Observed::panicked("no such face") }
/// })
/// .budget(400);
/// # let _ = feedback;
/// ```
pub struct Feedback<I> {
    observe: Arc<dyn Fn(&I) -> Observed + Send + Sync>,
    budget: Option<usize>,
}

impl<I> Feedback<I> {
    /// Feedback from `observe`, which runs one input.
    pub fn new(observe: impl Fn(&I) -> Observed + Send + Sync + 'static) -> Self {
        Feedback {
            observe: Arc::new(observe),
            budget: None,
        }
    }

    /// Runs at most `draws` draws (default [`DRAWS_PER_CASE`] per case; never fewer than
    /// the cases asked for).
    pub fn budget(mut self, draws: usize) -> Self {
        self.budget = Some(draws);
        self
    }
}

/// What one feedback source needs to draw, and the generations it made, by seed.
struct Source<T, I> {
    pools: Pools,
    count: usize,
    budget: usize,
    observe: Arc<dyn Fn(&I) -> Observed + Send + Sync>,
    made: Mutex<HashMap<u64, Arc<Learning<T>>>>,
}

impl<T: Weighted + Into<I>, I> Source<T, I> {
    /// The generation under `seed`, made once (each draw run once, a repeated draw not
    /// run again).
    fn learning(&self, seed: u64) -> Arc<Learning<T>> {
        let mut made = self.made.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(learning) = made.get(&seed) {
            return Arc::clone(learning);
        }
        let mut seen: HashMap<String, Observed> = HashMap::new();
        let mut observe = |_: usize, value: &T| {
            let key = format!("{value:?}");
            seen.entry(key)
                .or_insert_with(|| (self.observe)(&value.clone().into()))
                .clone()
        };
        let (learning, _) = learn(
            &self.pools,
            self.count,
            self.budget,
            seed,
            &mut observe,
            None,
        );
        let learning = Arc::new(learning);
        made.insert(seed, Arc::clone(&learning));
        learning
    }

    /// Rebuilds kept draw `index` by replaying the logged behaviours, and shrinks it.
    fn shrink(
        &self,
        seed: u64,
        index: usize,
        fails: &mut dyn FnMut(&I) -> bool,
        max_steps: usize,
    ) -> Option<Shrink<I>> {
        let learning = self.learning(seed);
        let (attempt, _) = learning.kept.get(index)?;
        let mut replay = |n: usize, _: &T| learning.log[n].clone();
        let (_, tree) = learn(
            &self.pools,
            self.count,
            self.budget,
            seed,
            &mut replay,
            Some(*attempt),
        );
        shrink_tree(&mut *tree?, &|(value, _)| value.into(), fails, max_steps)
    }
}

impl<I: Clone + Debug + 'static> Cases<I> {
    /// Adds `count` seeded inputs drawn with feedback: each draw is run through
    /// `feedback` as it is drawn; draws ending in an over-represented stop are skipped and
    /// pool values that keep the code running are preferred (see [the module
    /// docs](crate::cases::feedback)). Reproducible: the same seed and the same code give
    /// the same inputs. The header names it `feedback COUNT (seed S, at most B draws)`.
    ///
    /// ```
    /// use kaizen::{Cases, Jail};
    /// use kaizen::cases::harvest::harvest_str;
    ///
    /// fn face_name(n: i32) -> &'static str {
    ///     ["one", "two", "three", "four", "five", "six"][(n - 1) as usize]
    /// }
    /// let pools = harvest_str("fn f(n: i32) -> bool { n == 50 || n == -20 || n == 7 }", "f.rs")?;
    /// let jail = Jail::new("face", face_name);
    /// let plain = Cases::<i32>::new().seeded_proptest::<i32>(&pools, 100).generate();
    /// let fed = Cases::<i32>::new().seeded_feedback::<i32>(&pools, 100, jail.feedback());
    /// let ran = |cases: &[kaizen::cases::Case<i32>]| cases.iter().filter(|c| (1..=6).contains(&c.input)).count();
    /// assert!(ran(&fed.generate()) > ran(&plain));
    /// assert_eq!(fed.generate(), fed.generate());
    /// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
    /// ```
    pub fn seeded_feedback<T>(self, pools: &Pools, count: usize, feedback: Feedback<I>) -> Self
    where
        T: Weighted + Into<I> + Send + Sync,
    {
        let budget = feedback
            .budget
            .unwrap_or(count.saturating_mul(DRAWS_PER_CASE))
            .max(count);
        let source = Arc::new(Source::<T, I> {
            pools: pools.clone(),
            count,
            budget,
            observe: feedback.observe,
            made: Mutex::new(HashMap::new()),
        });
        let drawing = Arc::clone(&source);
        let generate: Generator<I> = Box::new(move |seed| {
            let learning = drawing.learning(seed);
            let kept = learning.kept.iter();
            kept.map(|(_, value)| value.clone().into()).collect()
        });
        let shrink: Shrinker<I> = Box::new(move |seed, index, fails, max_steps| {
            source.shrink(seed, index, fails, max_steps)
        });
        let describe =
            Box::new(move |seed| format!("feedback {count} (seed {seed}, at most {budget} draws)"));
        self.drawn(generate, shrink, count, describe)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::harvest::harvest_str;

    fn pools() -> Pools {
        harvest_str(
            "fn f(n: i16) -> bool { n == 40 || n == -30 || n == 900 }",
            "f.rs",
        )
        .unwrap()
    }

    #[test]
    fn a_budget_spent_on_one_stop_still_gives_the_cases_asked_for() {
        let always = Feedback::new(|_: &(i16, i16)| Observed::panicked("guard 1"));
        let cases = Cases::new().seeded_feedback::<(i16, i16)>(&pools(), 40, always.budget(60));
        let drawn = cases.generate();
        assert_eq!(drawn.len(), 40);
        let seed = crate::cases::DEFAULT_SEED;
        let described = format!("feedback 40 (seed {seed}, at most 60 draws)");
        assert_eq!(cases.describe(), [described]);
    }

    #[test]
    fn a_value_that_alone_stops_a_running_input_is_kept_less_and_less() {
        // Any value above 100 stops; the pool holds 899, 900, 901 and MAX in each parameter
        // (and ten values that run).
        let high = Feedback::new(|(a, b): &(i16, i16)| {
            if *a > 100 || *b > 100 {
                Observed::panicked("too high")
            } else {
                Observed::ran("returned")
            }
        });
        let cases = Cases::new().seeded_feedback::<(i16, i16)>(&pools(), 80, high.budget(400));
        let drawn: Vec<(i16, i16)> = cases.generate().into_iter().map(|c| c.input).collect();
        let (first, last) = drawn.split_at(40);
        let high = |part: &[(i16, i16)]| part.iter().filter(|(a, b)| *a > 100 || *b > 100).count();
        assert!(
            high(last) < high(first),
            "{} then {}",
            high(first),
            high(last)
        );
        assert!(high(&drawn) <= 10, "{} of 80 stop", high(&drawn));
    }
}
