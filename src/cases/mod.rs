//! Cases: the inputs a jail is characterized with.
//!
//! A [`Cases`] collects inputs from several sources, in order:
//! - [`Cases::list`]: an explicit list;
//! - [`Cases::combinations`]: every combination of per-parameter values (1 to 6 parameters);
//! - [`Cases::pairwise`]: a reduction of those combinations in which every pair of values of
//!   every two parameters still appears at least once;
//! - [`Cases::proptest`]: N inputs drawn from any proptest `Strategy` under a fixed seed —
//!   the same on every run and machine, whatever `PROPTEST_*` variables say.
//!
//! The same input from several sources is recorded once (the first source wins).

#[cfg(feature = "harvest")]
pub mod feedback;
#[cfg(feature = "harvest")]
pub mod harvest;
mod list;
pub mod pairwise;
#[cfg(feature = "harvest")]
pub mod seeded;
pub mod shrink;

use std::fmt;
#[cfg(feature = "proptest")]
use std::sync::Arc;

#[cfg(feature = "proptest")]
use proptest::strategy::{Strategy, ValueTree};
#[cfg(feature = "proptest")]
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

pub use list::CaseList;
pub(crate) use list::Kind;
use shrink::Shrink;

/// Where a case came from, so a report can say how to reproduce it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The `index`-th (0-based) element of the `source`-th source, an explicit list.
    List {
        /// Position of the source in the [`Cases`].
        source: usize,
        /// Position in the list.
        index: usize,
    },
    /// Row `index` of an all-combinations source.
    Combination {
        /// Position of the source in the [`Cases`].
        source: usize,
        /// Row number.
        index: usize,
    },
    /// Row `index` of a pairwise source.
    Pairwise {
        /// Position of the source in the [`Cases`].
        source: usize,
        /// Row number.
        index: usize,
    },
    /// Draw `index` of a proptest source seeded with `seed`.
    Proptest {
        /// Position of the source in the [`Cases`].
        source: usize,
        /// Draw number.
        index: usize,
        /// The seed of that source's generator.
        seed: u64,
    },
    /// Case `index` (0-based) of a command jail's spec: its explicit cases, then its
    /// combinations.
    Spec {
        /// Position among the spec's cases.
        index: usize,
        /// Where it is written: `jail/NAME.yaml:LINE`, and for a combination which one
        /// (1-based) of how many.
        place: String,
    },
    /// An input found only in the recorded snapshot.
    Recorded,
    /// Entry `index` (0-based) of the jail's `NAME.strengthened.yaml`: an input
    /// `kaizen strength --strengthen` found to tell a mutant apart.
    Strengthened {
        /// Position in the file.
        index: usize,
    },
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::List { source, index } => write!(f, "list #{index} (source {source})"),
            Origin::Combination { source, index } => {
                write!(f, "combination #{index} (source {source})")
            }
            Origin::Pairwise { source, index } => write!(f, "pairwise #{index} (source {source})"),
            Origin::Proptest {
                source,
                index,
                seed,
            } => {
                write!(f, "proptest #{index}, seed {seed} (source {source})")
            }
            Origin::Spec { place, .. } => f.write_str(place),
            Origin::Recorded => f.write_str("recorded only"),
            Origin::Strengthened { index } => write!(f, "strengthened #{index}"),
        }
    }
}

/// One input and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Case<I> {
    /// The input.
    pub input: I,
    /// Its source.
    pub origin: Origin,
}

/// Per-parameter value lists whose combinations make inputs.
///
/// Implemented for `Vec<T>` (one parameter, the input is `T`) and for tuples of 1 to 6
/// `Vec`s (the input is the tuple of values).
pub trait Params {
    /// The input one combination makes.
    type Item;
    /// Number of values of each parameter.
    fn sizes(&self) -> Vec<usize>;
    /// The input for value indices `row` (one index per parameter).
    fn pick(&self, row: &[usize]) -> Self::Item;
}

impl<T: Clone> Params for Vec<T> {
    type Item = T;
    fn sizes(&self) -> Vec<usize> {
        vec![self.len()]
    }
    fn pick(&self, row: &[usize]) -> T {
        self[row[0]].clone()
    }
}

macro_rules! tuple_params {
    ($($t:ident $i:tt),+) => {
        impl<$($t: Clone),+> Params for ($(Vec<$t>,)+) {
            type Item = ($($t,)+);
            fn sizes(&self) -> Vec<usize> {
                vec![$(self.$i.len()),+]
            }
            fn pick(&self, row: &[usize]) -> Self::Item {
                ($(self.$i[row[$i]].clone(),)+)
            }
        }
    };
}
tuple_params!(A 0);
tuple_params!(A 0, B 1);
tuple_params!(A 0, B 1, C 2);
tuple_params!(A 0, B 1, C 2, D 3);
tuple_params!(A 0, B 1, C 2, D 3, E 4);
tuple_params!(A 0, B 1, C 2, D 3, E 4, F 5);

#[cfg(feature = "proptest")]
pub(crate) type Generator<I> = Box<dyn Fn(u64) -> Vec<I> + Send + Sync>;

/// Rebuilds draw `index` under `seed` and shrinks it while the predicate holds.
#[cfg(feature = "proptest")]
pub(crate) type Shrinker<I> =
    Box<dyn Fn(u64, usize, &mut dyn FnMut(&I) -> bool, usize) -> Option<Shrink<I>> + Send + Sync>;

enum Source<I> {
    List(Vec<I>),
    Combinations {
        inputs: Vec<I>,
        pairwise: bool,
        sizes: Vec<usize>,
    },
    #[cfg(feature = "proptest")]
    Proptest {
        generate: Generator<I>,
        shrink: Shrinker<I>,
        count: usize,
        /// The header's line for it, given its seed: `proptest 100 (seed 12345)`.
        describe: Box<dyn Fn(u64) -> String + Send + Sync>,
    },
}

/// The default seed of proptest sources: the same on every machine.
pub const DEFAULT_SEED: u64 = 0x6b61_697a_656e;

/// Inputs for a jail, from one or more sources. See the module docs.
///
/// ```
/// use kaizen::Cases;
/// use proptest::prelude::*;
/// let cases = Cases::new()
///     .list([(0u8, false)])
///     .combinations((vec![1u8, 2, 3], vec![true, false]))
///     .proptest((any::<u8>(), any::<bool>()), 20);
/// let inputs = cases.generate();
/// assert!(inputs.len() <= 1 + 6 + 20);
/// assert_eq!(inputs[0].input, (0, false));
/// // The same seed gives the same inputs, on every run.
/// assert_eq!(inputs, cases.generate());
/// ```
pub struct Cases<I> {
    sources: Vec<Source<I>>,
    seed: u64,
}

impl<I> Default for Cases<I> {
    fn default() -> Self {
        Cases {
            sources: Vec::new(),
            seed: DEFAULT_SEED,
        }
    }
}

impl<I: Clone + 'static> Cases<I> {
    /// No inputs yet.
    pub fn new() -> Self {
        Cases::default()
    }

    /// Adds an explicit list of inputs.
    pub fn list(mut self, inputs: impl IntoIterator<Item = I>) -> Self {
        self.sources
            .push(Source::List(inputs.into_iter().collect()));
        self
    }

    /// Adds every combination of the per-parameter values (the cartesian product), last
    /// parameter varying fastest. Each combination is a tuple, converted into the input type
    /// with `Into` — so the input can be the tuple itself or a struct with a
    /// `From<(A, B, …)>` impl.
    ///
    /// ```
    /// let cases = kaizen::Cases::<(i32, char)>::new().combinations((vec![1, 2], vec!['a', 'b', 'c']));
    /// assert_eq!(cases.len(), 6);
    /// ```
    pub fn combinations<P: Params<Item: Into<I>>>(mut self, params: P) -> Self {
        let sizes = params.sizes();
        let inputs = pairwise::cartesian(&sizes)
            .map(|row| params.pick(&row).into())
            .collect();
        self.sources.push(Source::Combinations {
            inputs,
            pairwise: false,
            sizes,
        });
        self
    }

    /// Adds a pairwise selection of the combinations: every pair of values of every two
    /// parameters appears in at least one input.
    ///
    /// ```
    /// let six = vec![0u8, 1, 2, 3, 4, 5];
    /// let params = (six.clone(), six.clone(), six.clone(), six.clone(), six.clone(), six);
    /// type Six = (u8, u8, u8, u8, u8, u8);
    /// let all = kaizen::Cases::<Six>::new().combinations(params.clone()).len();
    /// let pairs = kaizen::Cases::<Six>::new().pairwise(params).len();
    /// assert_eq!(all, 46_656);
    /// assert!(pairs <= 60);
    /// ```
    pub fn pairwise<P: Params<Item: Into<I>>>(mut self, params: P) -> Self {
        let sizes = params.sizes();
        let inputs = pairwise::pairwise(&sizes)
            .iter()
            .map(|row| params.pick(row).into())
            .collect();
        self.sources.push(Source::Combinations {
            inputs,
            pairwise: true,
            sizes,
        });
        self
    }

    /// Adds `count` inputs drawn from `strategy` with a fixed seed (see [`Cases::seed`]).
    /// Each proptest source draws from its own generator, derived from the seed and the
    /// source's position, so adding a source does not change the inputs of another.
    /// Needs the `proptest` feature.
    #[cfg(feature = "proptest")]
    pub fn proptest<S>(self, strategy: S, count: usize) -> Self
    where
        S: Strategy<Value = I> + Send + Sync + 'static,
    {
        let strategy = Arc::new(strategy);
        let shared = Arc::clone(&strategy);
        let generate: Generator<I> = Box::new(move |seed| draw(&*shared, seed, count));
        let shrink: Shrinker<I> = Box::new(move |seed, index, fails, max_steps| {
            shrink::shrink(&*strategy, seed, index, fails, max_steps)
        });
        let describe = Box::new(move |seed| format!("proptest {count} (seed {seed})"));
        self.drawn(generate, shrink, count, describe)
    }

    /// Adds a source that draws `count` inputs itself under the seed it is given, and can
    /// rebuild and shrink each draw (a proptest source, or feedback-directed generation).
    #[cfg(feature = "proptest")]
    pub(crate) fn drawn(
        mut self,
        generate: Generator<I>,
        shrink: Shrinker<I>,
        count: usize,
        describe: Box<dyn Fn(u64) -> String + Send + Sync>,
    ) -> Self {
        self.sources.push(Source::Proptest {
            generate,
            shrink,
            count,
            describe,
        });
        self
    }

    /// Sets the seed of the proptest sources (default [`DEFAULT_SEED`]).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The seed of the proptest sources.
    pub fn base_seed(&self) -> u64 {
        self.seed
    }

    /// Number of inputs the sources produce, before duplicates are removed.
    pub fn len(&self) -> usize {
        self.sources
            .iter()
            .map(|s| match s {
                Source::List(v) | Source::Combinations { inputs: v, .. } => v.len(),
                #[cfg(feature = "proptest")]
                Source::Proptest { count, .. } => *count,
            })
            .sum()
    }

    /// True when no source produces an input.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// All inputs of all sources, in order, each with its origin. Duplicates are kept here;
    /// the recorder drops them.
    pub fn generate(&self) -> Vec<Case<I>> {
        self.case_list().into_cases()
    }

    /// All inputs of all sources, in order, as [`Cases::generate`] gives them, with the lists
    /// borrowed rather than copied: what a run reads its cases from.
    ///
    /// ```
    /// let cases = kaizen::Cases::new().list(["a".to_string(), "b".to_string()]);
    /// assert_eq!(cases.case_list().into_cases(), cases.generate());
    /// ```
    pub fn case_list(&self) -> CaseList<'_, I> {
        let mut list = CaseList::default();
        for (source, s) in self.sources.iter().enumerate() {
            match s {
                Source::List(v) => list.lend(v, Kind::List { source }),
                Source::Combinations {
                    inputs, pairwise, ..
                } => {
                    let kind = if *pairwise {
                        Kind::Pairwise { source }
                    } else {
                        Kind::Combination { source }
                    };
                    list.lend(inputs, kind)
                }
                #[cfg(feature = "proptest")]
                Source::Proptest { generate, .. } => {
                    let seed = source_seed(self.seed, self.proptest_ordinal(source));
                    list.hold(generate(seed), Kind::Proptest { source, seed })
                }
            }
        }
        list
    }

    /// Shrinks a generated input that `fails`: rebuilds the value tree of the draw `origin`
    /// names and simplifies it while `fails` holds, trying at most `max_steps` candidates.
    /// `None` for inputs that no proptest source drew, or that do not fail.
    ///
    /// ```
    /// use kaizen::{Cases, cases::Origin};
    /// let cases = Cases::new().proptest(0u32..1_000_000, 10);
    /// let case = cases.generate().into_iter().find(|c| c.input >= 1000).unwrap();
    /// let found = cases.shrink(&case.origin, &mut |n| *n >= 1000, 1000).unwrap();
    /// assert_eq!((found.minimal, found.original), (1000, case.input));
    /// assert!(cases.shrink(&Origin::Recorded, &mut |_| true, 1000).is_none());
    /// ```
    pub fn shrink(
        &self,
        origin: &Origin,
        fails: &mut dyn FnMut(&I) -> bool,
        max_steps: usize,
    ) -> Option<Shrink<I>> {
        let Origin::Proptest {
            source,
            index,
            seed,
        } = origin
        else {
            return None;
        };
        match self.sources.get(*source)? {
            #[cfg(feature = "proptest")]
            Source::Proptest { shrink, .. } => shrink(*seed, *index, fails, max_steps),
            _ => {
                // Without the `proptest` feature no source draws inputs to shrink.
                let _ = (seed, index, fails, max_steps);
                None
            }
        }
    }

    /// How many proptest sources come before the source at `position`.
    #[cfg(feature = "proptest")]
    fn proptest_ordinal(&self, position: usize) -> usize {
        self.sources[..position]
            .iter()
            .filter(|s| matches!(s, Source::Proptest { .. }))
            .count()
    }

    /// One line per source, for the snapshot header: `list (3)`, `combinations 4×3 (12)`,
    /// `pairwise 6×6×6 (37)`, `proptest 100 (seed 12345)`.
    #[cfg_attr(not(feature = "proptest"), allow(unused_variables))]
    pub fn describe(&self) -> Vec<String> {
        self.sources
            .iter()
            .enumerate()
            .map(|(source, s)| match s {
                Source::List(v) => format!("list ({})", v.len()),
                Source::Combinations {
                    inputs,
                    pairwise,
                    sizes,
                } => {
                    let dims: Vec<String> = sizes.iter().map(usize::to_string).collect();
                    let kind = if *pairwise {
                        "pairwise"
                    } else {
                        "combinations"
                    };
                    format!("{kind} {} ({})", dims.join("×"), inputs.len())
                }
                #[cfg(feature = "proptest")]
                Source::Proptest { describe, .. } => {
                    describe(source_seed(self.seed, self.proptest_ordinal(source)))
                }
            })
            .collect()
    }
}

/// The seed of the `ordinal`-th proptest source of a [`Cases`]: the base seed for the
/// first, a mix of the base seed and the ordinal for the others.
pub fn source_seed(base: u64, ordinal: usize) -> u64 {
    if ordinal == 0 {
        return base;
    }
    let mut z = base ^ (ordinal as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A proptest runner that depends on `seed` only — never on `PROPTEST_*` variables.
#[cfg(feature = "proptest")]
pub fn deterministic_runner(seed: u64) -> TestRunner {
    let mut bytes = [0u8; 32];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(&source_seed(seed, i + 1).to_le_bytes());
    }
    let config = Config {
        cases: 256,
        max_local_rejects: 65_536,
        max_global_rejects: 1024,
        max_flat_map_regens: 1_000_000,
        max_shrink_iters: 1_000_000,
        max_shrink_time: 0,
        failure_persistence: None,
        // `fork` and `timeout` exist only with proptest's `fork` feature and only act in
        // `TestRunner::run`, which kaizen never calls: it draws value trees.
        verbose: 0,
        max_default_size_range: 100,
        rng_algorithm: RngAlgorithm::ChaCha,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

#[cfg(feature = "proptest")]
fn draw<S: Strategy>(strategy: &S, seed: u64, count: usize) -> Vec<S::Value> {
    let mut runner = deterministic_runner(seed);
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        match strategy.new_tree(&mut runner) {
            Ok(tree) => out.push(tree.current()),
            Err(reason) => panic!("kaizen: the proptest strategy rejected every input: {reason}"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn proptest_inputs_do_not_depend_on_proptest_environment_variables() {
        let cases = Cases::new().proptest(any::<(u32, String)>(), 30);
        let first = cases.generate();
        // Config::default() would read PROPTEST_CASES; the runner must not care.
        let runner_config = deterministic_runner(1).config().clone();
        assert_eq!(runner_config.cases, 256);
        assert_eq!(first, cases.generate());
        assert_eq!(first.len(), 30);
    }

    #[test]
    fn different_seeds_give_different_inputs() {
        let a = Cases::new().proptest(any::<u64>(), 10).generate();
        let b = Cases::new().seed(7).proptest(any::<u64>(), 10).generate();
        assert_ne!(a, b);
    }

    #[test]
    fn combinations_vary_the_last_parameter_fastest() {
        let inputs: Vec<(i32, char)> = Cases::new()
            .combinations((vec![1, 2], vec!['a', 'b']))
            .generate()
            .into_iter()
            .map(|c| c.input)
            .collect();
        assert_eq!(inputs, vec![(1, 'a'), (1, 'b'), (2, 'a'), (2, 'b')]);
    }

    #[test]
    fn a_proptest_source_keeps_its_inputs_when_another_source_is_added_after_it() {
        let alone = Cases::new().proptest(any::<u16>(), 5).generate();
        let with_more = Cases::new().proptest(any::<u16>(), 5).list([1]).generate();
        assert_eq!(alone[..], with_more[..5]);
    }
}
