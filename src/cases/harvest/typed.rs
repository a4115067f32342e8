//! Typed views of [`Pools`] and the proptest strategy that mixes them into generated inputs.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::sync::Mutex;

use proptest::prelude::*;

use super::Pools;

/// A type whose values can be drawn from harvested [`Pools`].
///
/// ```
/// use kaizen::cases::harvest::{FromPool, harvest_str};
///
/// let pools = harvest_str("const LIMIT: i32 = 300;", "limit.rs")?;
/// assert!(!u8::pool(&pools).contains(&44)); // 300 does not fit in a u8: left out
/// assert_eq!(u8::type_min_max(), vec![0, 255]);
/// assert_eq!(bool::pool(&pools), vec![false, true]);
/// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
/// ```
pub trait FromPool: Sized {
    /// The harvested values that are valid for this type (out-of-range ones are left out).
    fn pool(p: &Pools) -> Vec<Self>;

    /// The type's extreme values (`MIN` and `MAX` for numbers; none for `String`).
    fn type_min_max() -> Vec<Self>;

    /// Puts values into a stable sorted order without duplicates; [`Pools::values`] calls
    /// it. The default keeps them as they are, for types without an order.
    fn arrange(values: &mut Vec<Self>) {
        let _ = values;
    }
}

macro_rules! integer_pools {
    ($($t:ty),*) => {$(
        impl FromPool for $t {
            fn pool(p: &Pools) -> Vec<Self> {
                p.ints().iter().filter_map(|&n| <$t>::try_from(n).ok()).collect()
            }
            fn type_min_max() -> Vec<Self> {
                vec![<$t>::MIN, <$t>::MAX]
            }
            fn arrange(values: &mut Vec<Self>) {
                values.sort_unstable();
                values.dedup();
            }
        }
    )*};
}

integer_pools!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

macro_rules! float_pools {
    ($($t:ty),*) => {$(
        impl FromPool for $t {
            /// Harvested floats converted to this type (rounded to nearest); finite only.
            fn pool(p: &Pools) -> Vec<Self> {
                p.floats().iter().map(|&f| f as $t).filter(|f| f.is_finite()).collect()
            }
            fn type_min_max() -> Vec<Self> {
                vec![<$t>::MIN, <$t>::MAX]
            }
            fn arrange(values: &mut Vec<Self>) {
                values.sort_by(<$t>::total_cmp);
                values.dedup_by(|a, b| a.to_bits() == b.to_bits());
            }
        }
    )*};
}

float_pools!(f32, f64);

impl FromPool for String {
    fn pool(p: &Pools) -> Vec<Self> {
        p.strings().iter().cloned().collect()
    }
    fn type_min_max() -> Vec<Self> {
        Vec::new()
    }
    fn arrange(values: &mut Vec<Self>) {
        values.sort_unstable();
        values.dedup();
    }
}

impl FromPool for char {
    fn pool(p: &Pools) -> Vec<Self> {
        p.chars().iter().copied().collect()
    }
    fn type_min_max() -> Vec<Self> {
        vec![char::MIN, char::MAX]
    }
    fn arrange(values: &mut Vec<Self>) {
        values.sort_unstable();
        values.dedup();
    }
}

impl FromPool for bool {
    fn pool(_: &Pools) -> Vec<Self> {
        vec![false, true]
    }
    fn type_min_max() -> Vec<Self> {
        vec![false, true]
    }
    fn arrange(values: &mut Vec<Self>) {
        values.sort_unstable();
        values.dedup();
    }
}

/// A strategy for `T` that draws from the harvested values (`pools.values::<T>()`) about
/// 80% of the time and from `any::<T>()` about 20% of the time.
///
/// If nothing was harvested for `T`, it is plain `any::<T>()`, and one line on stderr says
/// so (once per type for the whole process).
///
/// ```
/// use kaizen::cases::harvest::{harvest_str, seeded};
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
///
/// let pools = harvest_str("fn f(q: u32) -> bool { q == 50 }", "f.rs")?;
/// let strategy = seeded::<u32>(&pools);
/// let config = Config { failure_persistence: None, ..Config::default() };
/// let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[1; 32]));
/// let draws: Vec<u32> = (0..100).map(|_| strategy.new_tree(&mut runner).unwrap().current()).collect();
/// assert!(draws.iter().filter(|&&q| (49..=51).contains(&q)).count() > 20);
/// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
/// ```
pub fn seeded<T>(pools: &Pools) -> BoxedStrategy<T>
where
    T: FromPool + Arbitrary + Clone + Debug + 'static,
{
    if T::pool(pools).is_empty() {
        let name = std::any::type_name::<T>();
        if first_warning(name) {
            eprintln!(
                "kaizen: no {name} literals were harvested from the jailed source; {name} \
                 inputs are generated at random"
            );
        }
        return any::<T>().boxed();
    }
    prop_oneof![
        8 => proptest::sample::select(pools.values::<T>()),
        2 => any::<T>(),
    ]
    .boxed()
}

/// Type names already warned about by [`seeded`].
static WARNED: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

/// Whether this is the first warning about `type_name` in this process.
fn first_warning(type_name: &'static str) -> bool {
    let mut warned = WARNED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    warned.insert(type_name)
}

#[cfg(test)]
mod tests {
    use super::super::harvest_str;
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

    fn pools(source: &str) -> Pools {
        harvest_str(source, "test.rs").unwrap()
    }

    fn draw<T: FromPool + Arbitrary + Clone + Debug + 'static>(
        pools: &Pools,
        seed: u8,
        count: usize,
    ) -> Vec<T> {
        let config = Config {
            cases: 256,
            failure_persistence: None,
            ..Config::default()
        };
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]);
        let mut runner = TestRunner::new_with_rng(config, rng);
        let strategy = seeded::<T>(pools);
        (0..count)
            .map(|_| strategy.new_tree(&mut runner).unwrap().current())
            .collect()
    }

    #[test]
    fn typed_views_leave_out_values_that_do_not_fit() {
        let pools = pools("fn f(x: u32) -> bool { x == 300 || x == 255 }");
        let bytes = pools.values::<u8>();
        assert!(!bytes.contains(&44), "300 wrapped around: {bytes:?}");
        assert_eq!(bytes, vec![0, 1, 254, 255]);
        assert_eq!(pools.values::<i8>(), vec![i8::MIN, -1, 0, 1, i8::MAX]);
        assert!(pools.values::<u16>().contains(&300));
    }

    #[test]
    fn unsigned_views_drop_negative_numbers() {
        let pools = pools("const A: i64 = -5;");
        assert_eq!(pools.values::<u32>(), vec![0, 1, u32::MAX]);
        assert_eq!(
            pools.values::<i64>(),
            vec![i64::MIN, -6, -5, -4, -1, 0, 1, i64::MAX]
        );
    }

    #[test]
    fn wide_types_get_their_own_extremes() {
        let pools = pools("");
        assert_eq!(pools.values::<u128>(), vec![0, 1, u128::MAX]);
        assert_eq!(
            pools.values::<isize>(),
            vec![isize::MIN, -1, 0, 1, isize::MAX]
        );
        assert_eq!(pools.values::<usize>(), vec![0, 1, usize::MAX]);
    }

    #[test]
    fn float_views_are_sorted_and_include_the_extremes() {
        let pools = pools("const R: f64 = 1.5;");
        let values = pools.values::<f64>();
        assert_eq!(values.first(), Some(&f64::MIN));
        assert_eq!(values.last(), Some(&f64::MAX));
        assert!(values.windows(2).all(|w| w[0] < w[1]));
        assert!(values.contains(&1.5) && values.contains(&1.485) && values.contains(&0.0));
        let singles = pools.values::<f32>();
        assert!(singles.contains(&1.5f32) && singles.contains(&f32::MAX));
    }

    #[test]
    fn text_views_hold_strings_chars_and_both_booleans() {
        let pools = pools(r#"fn f(c: char, s: &str) -> bool { c == 'x' && s != "b" && s != "a" }"#);
        assert_eq!(pools.values::<String>(), vec!["", "a", "b"]);
        assert_eq!(pools.values::<char>(), vec!['\0', 'x', char::MAX]);
        assert_eq!(pools.values::<bool>(), vec![false, true]);
    }

    #[test]
    fn the_strategy_gives_the_same_values_under_the_same_seed() {
        let pools = pools("fn f(q: i32) -> bool { q == 50 || q == -7 }");
        let first = draw::<i32>(&pools, 9, 200);
        assert_eq!(first, draw::<i32>(&pools, 9, 200));
        assert_ne!(first, draw::<i32>(&pools, 10, 200));
    }

    #[test]
    fn the_strategy_draws_mostly_from_the_pool() {
        let pools = pools("fn f(q: i32) -> bool { q == 50 || q == -7 }");
        let pool = pools.values::<i32>();
        let draws = draw::<i32>(&pools, 3, 1000);
        let from_pool = draws.iter().filter(|v| pool.contains(v)).count();
        assert!(
            (700..=900).contains(&from_pool),
            "{from_pool} of 1000 from the pool"
        );
        assert!(
            pool.iter().all(|v| draws.contains(v)),
            "every pooled value is drawn"
        );
    }

    #[test]
    fn an_empty_pool_falls_back_to_any_value() {
        let pools = pools("fn f() {}");
        let chars = draw::<char>(&pools, 5, 50);
        let distinct: BTreeSet<char> = chars.iter().copied().collect();
        assert!(distinct.len() > 10, "{distinct:?}");
    }

    #[test]
    fn the_fallback_warning_is_given_once_per_type() {
        assert!(first_warning("kaizen::test::OnlyHere"));
        assert!(!first_warning("kaizen::test::OnlyHere"));
        assert!(first_warning("kaizen::test::AlsoHere"));
    }
}
