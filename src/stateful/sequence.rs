//! The input of a stateful case — the constructor's input and a sequence of operations — and
//! the proptest strategy that generates such inputs.

#[cfg(feature = "proptest")]
use proptest::collection::{SizeRange, vec};
#[cfg(feature = "proptest")]
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// The input of one stateful case: how the object is built, then the operations applied to
/// it in order. In a snapshot:
///
/// ```yaml
/// - input:
///     new:
///     - player1
///     - player2
///     ops:
///     - won_point: player1
///     - score
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sequence<C, Op> {
    /// The constructor's input.
    pub new: C,
    /// The operations, one per method call, applied in this order.
    pub ops: Vec<Op>,
}

impl<C, Op> Sequence<C, Op> {
    /// A sequence of `ops` applied to the object built from `new`.
    pub fn new(new: C, ops: impl IntoIterator<Item = Op>) -> Self {
        Sequence {
            new,
            ops: ops.into_iter().collect(),
        }
    }
}

/// A strategy for sequences: the constructor input from `new`, then between the bounds of
/// `len` operations, each drawn from `op` (weigh operations with `prop_oneof![3 => …, 1 =>
/// …]`). Shrinking drops steps and simplifies the arguments of the steps that remain.
///
/// ```
/// use kaizen::Cases;
/// use kaizen::stateful::{Sequence, sequences};
/// use proptest::prelude::*;
///
/// #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
/// enum Op { Add(u8), Clear }
///
/// let op = prop_oneof![4 => any::<u8>().prop_map(Op::Add), 1 => Just(Op::Clear)];
/// let cases = Cases::new().proptest(sequences(Just(()), op, 1..=20), 50);
/// let drawn = cases.generate();
/// assert_eq!(drawn.len(), 50);
/// assert!(drawn.iter().all(|c| (1..=20).contains(&c.input.ops.len())));
/// ```
#[cfg(feature = "proptest")]
pub fn sequences<C, Op>(
    new: impl Strategy<Value = C> + Send + Sync + 'static,
    op: impl Strategy<Value = Op> + Send + Sync + 'static,
    len: impl Into<SizeRange>,
) -> impl Strategy<Value = Sequence<C, Op>> + Send + Sync + 'static
where
    C: std::fmt::Debug,
    Op: std::fmt::Debug,
{
    (new, vec(op, len)).prop_map(|(new, ops)| Sequence { new, ops })
}
