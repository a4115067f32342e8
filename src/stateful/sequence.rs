//! The input of a stateful case — the constructor's input and a sequence of operations — and
//! the proptest strategy that generates such inputs.

#[cfg(feature = "proptest")]
use proptest::collection::{SizeRange, vec};
#[cfg(feature = "proptest")]
use proptest::prelude::*;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
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
#[derive(Debug, Clone, PartialEq)]
pub struct Sequence<C, Op> {
    /// The constructor's input.
    pub new: C,
    /// The operations, one per method call, applied in this order.
    pub ops: Vec<Op>,
}

// What serde's derive would write, written out (see `serde_fields.rs` for why): a struct
// of `new` and `ops`, read from a map (text formats) or by position (the isolation channel).
impl<C: Serialize, Op: Serialize> Serialize for Sequence<C, Op> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut st = serializer.serialize_struct("Sequence", 2)?;
        st.serialize_field("new", &self.new)?;
        st.serialize_field("ops", &self.ops)?;
        st.end()
    }
}

impl<'de, C: Deserialize<'de>, Op: Deserialize<'de>> Deserialize<'de> for Sequence<C, Op> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SequenceVisitor<C, Op>(std::marker::PhantomData<(C, Op)>);
        impl<'de, C: Deserialize<'de>, Op: Deserialize<'de>> Visitor<'de> for SequenceVisitor<C, Op> {
            type Value = Sequence<C, Op>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("struct Sequence")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut new, mut ops) = (None, None);
                while let Some(key) = map.next_key::<crate::serde_fields::Tag>()? {
                    match key.name() {
                        "new" if new.is_some() => return Err(de::Error::duplicate_field("new")),
                        "new" => new = Some(map.next_value()?),
                        "ops" if ops.is_some() => return Err(de::Error::duplicate_field("ops")),
                        "ops" => ops = Some(map.next_value()?),
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                let new = new.ok_or_else(|| de::Error::missing_field("new"))?;
                let ops = ops.ok_or_else(|| de::Error::missing_field("ops"))?;
                Ok(Sequence { new, ops })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let new = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let ops = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(1, &self))?;
                Ok(Sequence { new, ops })
            }
        }
        let visitor = SequenceVisitor(std::marker::PhantomData);
        deserializer.deserialize_struct("Sequence", &["new", "ops"], visitor)
    }
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
