//! Input sources seeded from the jailed source: the literals the legacy code compares
//! against and computes with, harvested into [`Pools`], feed both combinations and proptest.
//!
//! ```
//! use kaizen::Cases;
//! use kaizen::cases::harvest::harvest_str;
//!
//! let pools = harvest_str(
//!     r#"fn bonus(qty: u32, code: &str) -> u32 { if qty == 50 && code == "VIP" { 10 } else { 0 } }"#,
//!     "bonus.rs",
//! )?;
//! let cases = Cases::<(u32, String)>::new()
//!     .seeded_combinations::<(u32, String)>(&pools) // every pool value with every other
//!     .seeded_proptest::<(u32, String)>(&pools, 100); // mostly pool values, some random
//! let inputs: Vec<_> = cases.generate().into_iter().map(|c| c.input).collect();
//! assert!(inputs.contains(&(50, "VIP".to_string())));
//! assert!(inputs.contains(&(u32::MAX, String::new())));
//! # Ok::<(), kaizen::cases::harvest::HarvestError>(())
//! ```

use std::fmt::Debug;
use std::marker::PhantomData;
use std::path::Path;

use proptest::prelude::*;
use proptest::strategy::{NewTree, ValueTree};
use proptest::test_runner::TestRunner;

use super::harvest::{FromPool, HarvestError, Pools, harvest_files, seeded};
use super::{Cases, Params};

/// Above this many combinations, [`Cases::seeded_combinations`] keeps a pairwise selection.
pub const MAX_SEEDED_COMBINATIONS: usize = 1024;

/// An input that can be drawn from harvested [`Pools`]: one value of a pooled type
/// (integers, floats, `String`, `char`, `bool`), or a tuple of 1 to 6 of them, one per
/// parameter of the jailed function.
///
/// ```
/// use kaizen::cases::{Params, harvest::harvest_str, seeded::Seeded};
/// let pools = harvest_str(r#"fn f(n: u8, s: &str) -> bool { n == 9 || s == "x" }"#, "f.rs")?;
/// let lists = <(u8, String)>::lists(&pools);
/// assert_eq!(lists.0, vec![0, 1, 8, 9, 10, 255]);
/// assert_eq!(lists.1, vec!["", "x"]);
/// assert_eq!(lists.sizes(), vec![6, 2]);
/// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
/// ```
pub trait Seeded: Sized + Clone + Debug + 'static {
    /// The per-parameter value lists ([`Pools::values`] of each parameter's type).
    type Lists: Params<Item = Self>;

    /// Each parameter's pool values, with its type's extremes.
    fn lists(pools: &Pools) -> Self::Lists;

    /// A strategy that draws each parameter from its pool most of the time and at random
    /// otherwise (see [`seeded`]).
    fn strategy(pools: &Pools) -> BoxedStrategy<Self>;
}

macro_rules! seeded_scalars {
    ($($t:ty),*) => {$(
        impl Seeded for $t {
            type Lists = Vec<$t>;
            fn lists(pools: &Pools) -> Vec<$t> {
                pools.values::<$t>()
            }
            fn strategy(pools: &Pools) -> BoxedStrategy<$t> {
                seeded::<$t>(pools)
            }
        }
    )*};
}

seeded_scalars!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64, String, char, bool
);

macro_rules! seeded_tuples {
    ($($t:ident $i:tt),+) => {
        impl<$($t),+> Seeded for ($($t,)+)
        where
            $($t: FromPool + Arbitrary + Clone + Debug + 'static),+
        {
            type Lists = ($(Vec<$t>,)+);
            fn lists(pools: &Pools) -> Self::Lists {
                ($(pools.values::<$t>(),)+)
            }
            fn strategy(pools: &Pools) -> BoxedStrategy<Self> {
                ($(seeded::<$t>(pools),)+).boxed()
            }
        }
    };
}

seeded_tuples!(A 0);
seeded_tuples!(A 0, B 1);
seeded_tuples!(A 0, B 1, C 2);
seeded_tuples!(A 0, B 1, C 2, D 3);
seeded_tuples!(A 0, B 1, C 2, D 3, E 4);
seeded_tuples!(A 0, B 1, C 2, D 3, E 4, F 5);

/// A list of pooled values: each pool value alone, the empty list and the whole pool in
/// combinations; lists of up to eight values mostly drawn from the pool in proptest.
///
/// ```
/// use kaizen::Cases;
/// let cases = Cases::<Vec<String>>::from_source::<Vec<String>>(&["jail/loyalty.rs"], 20)?;
/// let inputs: Vec<_> = cases.generate().into_iter().map(|c| c.input).collect();
/// assert!(inputs.contains(&vec!["GOLD".to_string()]) && inputs.contains(&vec![]));
/// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
/// ```
impl<T> Seeded for Vec<T>
where
    T: FromPool + Arbitrary + Clone + Debug + 'static,
{
    type Lists = Vec<Vec<T>>;
    fn lists(pools: &Pools) -> Vec<Vec<T>> {
        let values = pools.values::<T>();
        let mut lists = vec![Vec::new()];
        lists.extend(values.iter().map(|v| vec![v.clone()]));
        if values.len() > 1 {
            lists.push(values);
        }
        lists
    }
    fn strategy(pools: &Pools) -> BoxedStrategy<Vec<T>> {
        proptest::collection::vec(seeded::<T>(pools), 0..=8).boxed()
    }
}

impl Pools {
    /// A strategy for one value of `T` (a pooled type, a tuple of them or a `Vec`), drawn
    /// from these pools as [`Cases::seeded_proptest`] draws it, that can be shared between
    /// threads: use it for the arguments of a stateful jail's operations.
    ///
    /// ```
    /// use kaizen::cases::harvest::harvest_str;
    /// use proptest::prelude::*;
    ///
    /// #[derive(Debug, Clone)]
    /// enum Op { WonPoint(String), Score }
    ///
    /// let pools = harvest_str(r#"fn won(p: &str) -> bool { p == "player1" }"#, "tennis.rs")?;
    /// let op = prop_oneof![4 => pools.strategy::<String>().prop_map(Op::WonPoint), 1 => Just(Op::Score)];
    /// let ops = kaizen::Cases::new().proptest(op, 100).generate();
    /// let named = ops.iter().filter(|c| matches!(&c.input, Op::WonPoint(p) if p == "player1"));
    /// assert!(named.count() > 10);
    /// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
    /// ```
    pub fn strategy<T: Seeded>(&self) -> impl Strategy<Value = T> + Clone + Send + Sync + use<T> {
        PoolStrategy::<T, T> {
            pools: self.clone(),
            into: PhantomData,
        }
    }
}

impl<I: Clone + 'static> Cases<I> {
    /// Adds combinations of the harvested values of each parameter, by type: `T` is the
    /// parameter type, or a tuple of them (`(u32, String, u8)`), converted into the input
    /// with `Into`. All combinations while there are at most [`MAX_SEEDED_COMBINATIONS`];
    /// beyond that a pairwise selection, in which every two values of every two parameters
    /// still meet.
    ///
    /// A type without harvested literals still contributes its extremes (`MIN`, `MAX`,
    /// `false`/`true`, the empty string).
    ///
    /// ```
    /// use kaizen::Cases;
    /// let pools = kaizen::cases::harvest::harvest_str("fn f(a: u8, b: i16) -> bool { a > 3 && b < -40 }", "f.rs")?;
    /// let small = Cases::<(u8, i16)>::new().seeded_combinations::<(u8, i16)>(&pools);
    /// assert_eq!(small.describe(), ["combinations 6×11 (66)"]);
    /// type Wide = (u8, u8, i16, i16, i16);
    /// let wide = Cases::<Wide>::new().seeded_combinations::<Wide>(&pools);
    /// assert!(wide.describe()[0].starts_with("pairwise 6×6×11×11×11"));
    /// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
    /// ```
    pub fn seeded_combinations<T: Seeded + Into<I>>(self, pools: &Pools) -> Self {
        let lists = T::lists(pools);
        let product = lists
            .sizes()
            .iter()
            .try_fold(1usize, |acc, &n| acc.checked_mul(n));
        match product {
            Some(n) if n <= MAX_SEEDED_COMBINATIONS => self.combinations(lists),
            _ => self.pairwise(lists),
        }
    }

    /// Adds `count` inputs from proptest, each parameter drawn from its harvested values
    /// about 80% of the time and from its type's whole range otherwise (see [`seeded`]), under
    /// the fixed seed of [`Cases::seed`]. Differing inputs from this source shrink in oracle
    /// mode like those of any proptest source.
    ///
    /// ```
    /// use kaizen::Cases;
    /// let pools = kaizen::cases::harvest::harvest_str("fn f(q: u32) -> bool { q == 777 }", "f.rs")?;
    /// let inputs = Cases::<u32>::new().seeded_proptest::<u32>(&pools, 200).generate();
    /// assert!(inputs.iter().filter(|c| c.input == 777).count() > 5);
    /// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
    /// ```
    pub fn seeded_proptest<T: Seeded + Into<I>>(self, pools: &Pools, count: usize) -> Self
    where
        I: Debug,
    {
        self.proptest(
            PoolStrategy::<T, I> {
                pools: pools.clone(),
                into: PhantomData,
            },
            count,
        )
    }

    /// Reads the jailed Rust source files, harvests their literals, and makes cases of
    /// them: [`Cases::seeded_combinations`] then `count` inputs of
    /// [`Cases::seeded_proptest`]. Paths are taken from the current directory (the crate
    /// root under `cargo test`).
    ///
    /// A file that does not exist or does not parse is an error that names it (and the line).
    ///
    /// ```
    /// use kaizen::Cases;
    /// let cases = Cases::<(u32, String)>::from_source::<(u32, String)>(&["jail/invoice.rs"], 100)?;
    /// let inputs: Vec<_> = cases.generate().into_iter().map(|c| c.input).collect();
    /// assert!(inputs.contains(&(100, "GOLD".to_string())));
    ///
    /// let missing = Cases::<u32>::from_source::<u32>(&["jail/nope.rs"], 10).err().unwrap();
    /// assert!(missing.to_string().starts_with("jail/nope.rs: no such file"));
    /// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
    /// ```
    pub fn from_source<T: Seeded + Into<I>>(
        paths: &[impl AsRef<Path>],
        count: usize,
    ) -> Result<Self, HarvestError>
    where
        I: Debug,
    {
        let pools = harvest_files(paths)?;
        Ok(Cases::new()
            .seeded_combinations::<T>(&pools)
            .seeded_proptest::<T>(&pools, count))
    }
}

/// [`Seeded::strategy`] converted into the input type, shareable between threads: it keeps
/// the pools and builds the (single-threaded) seeded strategy for each draw.
struct PoolStrategy<T, I> {
    pools: Pools,
    into: PhantomData<fn(T) -> I>,
}

impl<T, I> Clone for PoolStrategy<T, I> {
    fn clone(&self) -> Self {
        PoolStrategy {
            pools: self.pools.clone(),
            into: PhantomData,
        }
    }
}

impl<T, I> Debug for PoolStrategy<T, I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "seeded::<{}>", std::any::type_name::<T>())
    }
}

impl<T: Seeded + Into<I>, I: Debug + 'static> Strategy for PoolStrategy<T, I> {
    type Tree = Box<dyn ValueTree<Value = I>>;
    type Value = I;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let tree = T::strategy(&self.pools)
            .prop_map(Into::into)
            .new_tree(runner)?;
        Ok(Box::new(tree))
    }
}

#[cfg(test)]
mod tests {
    use super::super::harvest::harvest_str;
    use super::*;

    fn pools(source: &str) -> Pools {
        harvest_str(source, "legacy.rs").unwrap()
    }

    #[test]
    fn small_pools_give_every_combination() {
        let pools = pools(r#"fn f(n: u8, s: &str) -> bool { n == 9 || s == "x" }"#);
        let inputs: Vec<(u8, String)> = Cases::new()
            .seeded_combinations::<(u8, String)>(&pools)
            .generate()
            .into_iter()
            .map(|c| c.input)
            .collect();
        assert_eq!(inputs.len(), 12);
        assert!(inputs.contains(&(9, "x".into())) && inputs.contains(&(255, String::new())));
    }

    #[test]
    fn large_pools_are_reduced_to_pairwise_and_keep_every_pair() {
        let pools = pools("fn f(a: u16) -> bool { a == 10 || a == 20 || a == 30 || a == 40 }");
        type Four = (u16, u16, u16, u16);
        let lists = Four::lists(&pools);
        let n = lists.0.len();
        assert!(n.pow(4) > MAX_SEEDED_COMBINATIONS);
        let inputs: Vec<Four> = Cases::new()
            .seeded_combinations::<Four>(&pools)
            .generate()
            .into_iter()
            .map(|c| c.input)
            .collect();
        assert!(inputs.len() < n.pow(3), "{} inputs", inputs.len());
        for x in &lists.0 {
            for y in &lists.3 {
                assert!(
                    inputs.iter().any(|i| i.0 == *x && i.3 == *y),
                    "pair {x}, {y} missing"
                );
            }
        }
    }

    #[test]
    fn seeded_inputs_convert_into_a_struct_input() {
        #[derive(Debug, Clone, PartialEq)]
        struct Order {
            qty: u32,
            code: String,
        }
        impl From<(u32, String)> for Order {
            fn from((qty, code): (u32, String)) -> Self {
                Order { qty, code }
            }
        }
        let pools = pools(r#"fn f(q: u32, c: &str) -> bool { q > 5 && c == "A" }"#);
        let cases = Cases::<Order>::new()
            .seeded_combinations::<(u32, String)>(&pools)
            .seeded_proptest::<(u32, String)>(&pools, 50);
        let inputs = cases.generate();
        assert!(
            inputs
                .iter()
                .any(|c| c.input.qty == 6 && c.input.code == "A")
        );
        assert_eq!(inputs, cases.generate(), "same seed, same inputs");
    }

    #[test]
    fn a_type_without_harvested_literals_falls_back_to_its_whole_range() {
        let pools = pools("fn f(n: u8) -> bool { n == 3 }");
        let cases = Cases::<(u8, char)>::new()
            .seeded_combinations::<(u8, char)>(&pools)
            .seeded_proptest::<(u8, char)>(&pools, 100);
        let inputs = cases.generate();
        let combined: Vec<char> = inputs[..12].iter().map(|c| c.input.1).collect();
        assert!(
            combined.iter().all(|c| *c == '\0' || *c == char::MAX),
            "{combined:?}"
        );
        let drawn: std::collections::BTreeSet<char> =
            inputs[12..].iter().map(|c| c.input.1).collect();
        assert!(drawn.len() > 50, "{} distinct chars", drawn.len());
    }

    #[test]
    fn a_jailed_file_that_does_not_parse_is_named_with_its_line() {
        let dir = std::env::temp_dir().join(format!("kaizen-seeded-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("broken.rs");
        std::fs::write(&file, "fn ok() {}\nfn broken( {\n").unwrap();
        let error = Cases::<u8>::from_source::<u8>(&[&file], 10)
            .err()
            .unwrap()
            .to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            error.starts_with(&format!("{}:2:", file.display())),
            "{error}"
        );
    }
}
