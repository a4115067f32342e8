//! Drawing seeded inputs with a weight on each pool value of each parameter, and telling
//! which pool values a draw used, so that feedback can learn which of them keep the code
//! running.

use std::any::Any;
use std::fmt::Debug;

use proptest::prelude::*;
use proptest::strategy::Union;

use crate::cases::harvest::{FromPool, Pools};
use crate::cases::seeded::Seeded;

/// One draw and the arms it used: `(parameter, arm)` for each drawn value, where arm `k`
/// is the `k`-th value of the parameter's pool and the last arm is its whole type.
pub type Drawn<T> = (T, Vec<(usize, usize)>);

/// A seeded input whose parameters can be drawn with learned weights (implemented for
/// every [`Seeded`] type: pooled scalars, tuples of up to six, `Vec`s).
///
/// ```
/// use kaizen::cases::feedback::Weighted;
/// use kaizen::cases::harvest::harvest_str;
/// let pools = harvest_str("fn f(a: u8, b: bool) -> bool { a == 9 && b }", "f.rs")?;
/// // u8: 0, 1, 8, 9, 10, 255 and any u8; bool: false, true and any bool.
/// assert_eq!(<(u8, bool)>::arms(&pools), vec![7, 3]);
/// assert_eq!(<(u8, bool)>::splice(&(1, false), &(9, true), 1), (1, true));
/// assert_eq!(<(u8, bool, u8)>::diagonal(&(3, false, 9)), (3, false, 3));
/// # Ok::<(), kaizen::cases::harvest::HarvestError>(())
/// ```
pub trait Weighted: Seeded {
    /// The number of arms of each parameter: its pool values, then one for its whole type.
    fn arms(pools: &Pools) -> Vec<usize>;

    /// A strategy that draws arm `k` of parameter `p` with weight `weights[p][k]` (each at
    /// least 1) and says which arms it drew.
    fn weighted(pools: &Pools, weights: &[Vec<u32>]) -> BoxedStrategy<Drawn<Self>>;

    /// `base` with parameter `param` taken from `fresh`.
    fn splice(base: &Self, fresh: &Self, param: usize) -> Self;

    /// `drawn` with the first parameter's value in every parameter of its type (a list:
    /// its first item everywhere), so that parameters sharing an implicit valid range can
    /// all be valid at once before anything has been learned.
    fn diagonal(drawn: &Self) -> Self;
}

/// One parameter drawn from its weighted arms, with the arm it came from.
fn weighted_one<U>(pools: &Pools, weights: &[u32]) -> BoxedStrategy<(U, usize)>
where
    U: FromPool + Arbitrary + Clone + Debug + 'static,
{
    let values = pools.values::<U>();
    let any_arm = values.len();
    let weight = |arm: usize| weights.get(arm).copied().unwrap_or(1).max(1);
    let mut arms: Vec<(u32, BoxedStrategy<(U, usize)>)> = values
        .into_iter()
        .enumerate()
        .map(|(arm, value)| (weight(arm), Just((value, arm)).boxed()))
        .collect();
    arms.push((
        weight(any_arm),
        any::<U>().prop_map(move |v| (v, any_arm)).boxed(),
    ));
    Union::new_weighted(arms).boxed()
}

macro_rules! weighted_scalars {
    ($($t:ty),*) => {$(
        impl Weighted for $t {
            fn arms(pools: &Pools) -> Vec<usize> {
                vec![pools.values::<$t>().len() + 1]
            }
            fn weighted(pools: &Pools, weights: &[Vec<u32>]) -> BoxedStrategy<Drawn<$t>> {
                weighted_one::<$t>(pools, &weights[0])
                    .prop_map(|(value, arm)| (value, vec![(0, arm)]))
                    .boxed()
            }
            fn splice(_: &$t, fresh: &$t, _: usize) -> $t {
                fresh.clone()
            }
            fn diagonal(drawn: &$t) -> $t {
                drawn.clone()
            }
        }
    )*};
}

weighted_scalars!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64, String, char, bool
);

macro_rules! weighted_tuples {
    ($($t:ident $i:tt),+) => {
        impl<$($t),+> Weighted for ($($t,)+)
        where
            $($t: FromPool + Arbitrary + Clone + Debug + 'static),+
        {
            fn arms(pools: &Pools) -> Vec<usize> {
                vec![$(pools.values::<$t>().len() + 1),+]
            }
            fn weighted(pools: &Pools, weights: &[Vec<u32>]) -> BoxedStrategy<Drawn<Self>> {
                ($(weighted_one::<$t>(pools, &weights[$i]),)+)
                    .prop_map(|drawn| {
                        let arms = vec![$(($i, drawn.$i.1)),+];
                        (($(drawn.$i.0,)+), arms)
                    })
                    .boxed()
            }
            fn splice(base: &Self, fresh: &Self, param: usize) -> Self {
                let mut out = base.clone();
                match param {
                    $($i => out.$i = fresh.$i.clone(),)+
                    _ => {}
                }
                out
            }
            fn diagonal(drawn: &Self) -> Self {
                let mut out = drawn.clone();
                let first: &dyn Any = &drawn.0;
                $(
                    if let Some(value) = first.downcast_ref::<$t>() {
                        out.$i = value.clone();
                    }
                )+
                out
            }
        }
    };
}

weighted_tuples!(A 0);
weighted_tuples!(A 0, B 1);
weighted_tuples!(A 0, B 1, C 2);
weighted_tuples!(A 0, B 1, C 2, D 3);
weighted_tuples!(A 0, B 1, C 2, D 3, E 4);
weighted_tuples!(A 0, B 1, C 2, D 3, E 4, F 5);

/// A list is one parameter: each of its items is drawn from that parameter's arms.
impl<T> Weighted for Vec<T>
where
    T: FromPool + Arbitrary + Clone + Debug + 'static,
{
    fn arms(pools: &Pools) -> Vec<usize> {
        vec![pools.values::<T>().len() + 1]
    }
    fn weighted(pools: &Pools, weights: &[Vec<u32>]) -> BoxedStrategy<Drawn<Vec<T>>> {
        proptest::collection::vec(weighted_one::<T>(pools, &weights[0]), 0..=8)
            .prop_map(|items| {
                let arms = items.iter().map(|(_, arm)| (0, *arm)).collect();
                (items.into_iter().map(|(value, _)| value).collect(), arms)
            })
            .boxed()
    }
    fn splice(_: &Vec<T>, fresh: &Vec<T>, _: usize) -> Vec<T> {
        fresh.clone()
    }
    fn diagonal(drawn: &Vec<T>) -> Vec<T> {
        match drawn.first() {
            Some(first) => vec![first.clone(); drawn.len()],
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::deterministic_runner;
    use crate::cases::harvest::harvest_str;
    use proptest::strategy::ValueTree;

    #[test]
    fn a_heavy_arm_is_drawn_most_of_the_time_and_named() {
        let pools = harvest_str("fn f(n: i8) -> bool { n == 40 }", "f.rs").unwrap();
        let values = pools.values::<i8>();
        let forty = values.iter().position(|&v| v == 40).unwrap();
        let mut weights = vec![1; values.len() + 1];
        weights[forty] = 1000;
        let strategy = i8::weighted(&pools, &[weights]);
        let mut runner = deterministic_runner(3);
        let draws: Vec<Drawn<i8>> = (0..200)
            .map(|_| strategy.new_tree(&mut runner).unwrap().current())
            .collect();
        let forties = draws.iter().filter(|(v, _)| *v == 40).count();
        assert!(forties > 150, "{forties} of 200");
        assert!(
            draws.iter().all(|(v, arms)| arms.len() == 1
                && (arms[0].1 == values.len() || values[arms[0].1] == *v))
        );
    }
}
