//! Shrinking a generated input to a minimal one, with proptest's value trees. It lives with
//! the sources because only they know how an input was drawn; the oracle and the port
//! decide when to shrink (`oracle::shrink` re-exports this module).
//!
//! A proptest source draws its inputs as value trees from a runner that depends on the seed
//! only, so the tree of draw `index` can be rebuilt at any time: make the runner again and
//! draw `index + 1` trees. Shrinking then follows proptest's own protocol: keep the last
//! value that still fails, call `simplify()` while the candidate still fails and
//! `complicate()` when it passes, and stop when neither can move. Every step is
//! deterministic, so the minimal input depends on the seed alone.

#[cfg(feature = "proptest")]
use proptest::strategy::{Strategy, ValueTree};

#[cfg(feature = "proptest")]
use super::deterministic_runner;

/// The most candidates tried while shrinking one input; beyond it the smallest failing
/// value found so far is reported.
pub const MAX_SHRINK_STEPS: usize = 4096;

/// The result of shrinking one input.
#[derive(Debug, Clone, PartialEq)]
pub struct Shrink<T> {
    /// The smallest input found that still fails.
    pub minimal: T,
    /// The input as first drawn.
    pub original: T,
    /// Candidates tried (each one a call of the predicate).
    pub steps: usize,
}

/// Rebuilds draw `index` of `strategy` under `seed` (as [`Cases::proptest`] drew it) and
/// shrinks it while `fails` holds, trying at most `max_steps` candidates.
///
/// Returns `None` when the strategy cannot rebuild the draw or the drawn value does not
/// fail in the first place.
///
/// ```
/// use kaizen::cases::shrink::shrink;
/// use proptest::prelude::*;
///
/// // Draw 0 of this source is some large number; everything from 1000 up "fails".
/// let strategy = 1000u32..1_000_000;
/// let found = shrink(&strategy, 7, 0, &mut |n: &u32| *n >= 1000, 100).unwrap();
/// assert_eq!(found.minimal, 1000);
/// assert!(found.steps > 0 && found.original >= 1000);
/// ```
///
/// [`Cases::proptest`]: crate::Cases::proptest
#[cfg(feature = "proptest")]
pub fn shrink<S: Strategy>(
    strategy: &S,
    seed: u64,
    index: usize,
    fails: &mut dyn FnMut(&S::Value) -> bool,
    max_steps: usize,
) -> Option<Shrink<S::Value>> {
    let mut runner = deterministic_runner(seed);
    let mut tree = None;
    for _ in 0..=index {
        tree = Some(strategy.new_tree(&mut runner).ok()?);
    }
    let mut tree = tree?;
    shrink_tree(&mut tree, &|value| value, fails, max_steps)
}

/// Shrinks the value of an already built `tree`, seen through `into`, while `fails`
/// holds, trying at most `max_steps` candidates: the protocol of [`shrink`] for a source
/// that rebuilds its draws itself (feedback-directed generation replays its learning to
/// reach a draw). `None` when the drawn value does not fail.
#[cfg(feature = "proptest")]
pub fn shrink_tree<V: std::fmt::Debug, I>(
    tree: &mut dyn ValueTree<Value = V>,
    into: &dyn Fn(V) -> I,
    fails: &mut dyn FnMut(&I) -> bool,
    max_steps: usize,
) -> Option<Shrink<I>> {
    let original = into(tree.current());
    if !fails(&original) {
        return None;
    }
    let mut minimal = into(tree.current());
    let mut steps = 0;
    let mut moved = tree.simplify();
    while moved && steps < max_steps {
        let candidate = into(tree.current());
        steps += 1;
        if fails(&candidate) {
            minimal = candidate;
            moved = tree.simplify();
        } else {
            moved = tree.complicate();
        }
    }
    Some(Shrink {
        minimal,
        original,
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Cases;
    use proptest::prelude::*;

    #[test]
    fn the_rebuilt_tree_gives_the_value_the_source_drew() {
        let cases = Cases::new().seed(11).proptest(any::<(u16, String)>(), 12);
        let drawn = cases.generate();
        for (index, case) in drawn.iter().enumerate() {
            let found = shrink(&any::<(u16, String)>(), 11, index, &mut |_| true, 0).unwrap();
            assert_eq!(found.original, case.input, "draw {index}");
            assert_eq!(found.steps, 0);
        }
    }

    #[test]
    fn shrinking_finds_the_boundary_of_a_failing_range() {
        let found = shrink(
            &any::<(u32, u32)>(),
            3,
            0,
            &mut |(a, b)| *a > 500 || *b > 70_000,
            MAX_SHRINK_STEPS,
        )
        .unwrap();
        let (a, b) = found.minimal;
        assert!((a, b) == (501, 0) || (a, b) == (0, 70_001), "{a}, {b}");
    }

    #[test]
    fn the_same_seed_shrinks_to_the_same_input_in_the_same_steps() {
        let fails = |s: &String| s.chars().filter(|c| c.is_alphabetic()).count() >= 2;
        let run = || {
            let found = (0..50).find_map(|index| {
                shrink(
                    &any::<String>(),
                    5,
                    index,
                    &mut |s| fails(s),
                    MAX_SHRINK_STEPS,
                )
            });
            found.unwrap()
        };
        let (first, second) = (run(), run());
        assert_eq!(first, second);
        assert_eq!(first.minimal.chars().count(), 2, "{:?}", first.minimal);
    }

    #[test]
    fn a_value_that_does_not_fail_is_not_shrunk() {
        assert_eq!(shrink(&(0u8..10), 1, 4, &mut |_| false, 10), None);
    }

    #[test]
    fn shrinking_stops_after_the_step_limit() {
        let found = shrink(&(0u64..u64::MAX), 9, 0, &mut |n| *n > 3, 5).unwrap();
        assert_eq!(found.steps, 5);
        assert!(found.minimal > 3);
    }
}
