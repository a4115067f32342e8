//! The cases of one run, read where they are.

use super::{Case, Origin};

/// The inputs of one run, in order, each with its origin.
///
/// A [`Cases`](super::Cases)'s lists are borrowed, not copied ([`Cases::case_list`](super::Cases::case_list)),
/// and the origin of such an input follows from its position instead of being stored, so
/// running a million cases costs no second copy of their inputs. Inputs drawn by a
/// generator are held, and so are cases given with their own origins (`Vec<Case<I>>`).
///
/// ```
/// use kaizen::{Cases, cases::{CaseList, Origin}};
/// let cases = Cases::new().list([10, 20]).combinations(vec![30]);
/// let list = cases.case_list();
/// assert_eq!(list.len(), 3);
/// let owned = list.into_cases();
/// assert_eq!(owned, cases.generate());
/// assert_eq!(owned[2].origin, Origin::Combination { source: 1, index: 0 });
/// assert_eq!(CaseList::from(owned).len(), 3);
/// ```
pub struct CaseList<'a, I> {
    parts: Vec<Part<'a, I>>,
    /// The position of each part's first case.
    starts: Vec<usize>,
    len: usize,
}

/// Inputs lent by their owner or held.
enum Inputs<'a, I> {
    Lent(&'a [I]),
    Held(Vec<I>),
}

impl<I> Inputs<'_, I> {
    fn as_slice(&self) -> &[I] {
        match self {
            Inputs::Lent(inputs) => inputs,
            Inputs::Held(inputs) => inputs,
        }
    }
}

enum Part<'a, I> {
    /// Inputs whose origins follow from their positions.
    Placed { inputs: Inputs<'a, I>, kind: Kind },
    /// Cases with their own origins.
    Cases(Vec<Case<I>>),
}

impl<I> Part<'_, I> {
    fn len(&self) -> usize {
        match self {
            Part::Placed { inputs, .. } => inputs.as_slice().len(),
            Part::Cases(cases) => cases.len(),
        }
    }

    fn input(&self, i: usize) -> &I {
        match self {
            Part::Placed { inputs, .. } => &inputs.as_slice()[i],
            Part::Cases(cases) => &cases[i].input,
        }
    }

    fn origin(&self, i: usize) -> Origin {
        match self {
            Part::Placed { kind, .. } => kind.at(i),
            Part::Cases(cases) => cases[i].origin.clone(),
        }
    }
}

/// The origin of a placed input, but for its index. (`Proptest` is made only with the
/// `proptest` feature.)
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(feature = "proptest"), allow(dead_code))]
pub(crate) enum Kind {
    List { source: usize },
    Combination { source: usize },
    Pairwise { source: usize },
    Proptest { source: usize, seed: u64 },
    Strengthened,
}

impl Kind {
    fn at(self, index: usize) -> Origin {
        match self {
            Kind::List { source } => Origin::List { source, index },
            Kind::Combination { source } => Origin::Combination { source, index },
            Kind::Pairwise { source } => Origin::Pairwise { source, index },
            Kind::Proptest { source, seed } => Origin::Proptest {
                source,
                index,
                seed,
            },
            Kind::Strengthened => Origin::Strengthened { index },
        }
    }
}

impl<I> Default for CaseList<'_, I> {
    fn default() -> Self {
        CaseList {
            parts: Vec::new(),
            starts: Vec::new(),
            len: 0,
        }
    }
}

impl<I> From<Vec<Case<I>>> for CaseList<'_, I> {
    fn from(cases: Vec<Case<I>>) -> Self {
        let mut list = CaseList::default();
        list.push(Part::Cases(cases));
        list
    }
}

impl<'a, I> CaseList<'a, I> {
    /// Number of cases.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is no case.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn push(&mut self, part: Part<'a, I>) {
        if part.len() == 0 {
            return;
        }
        self.starts.push(self.len);
        self.len += part.len();
        self.parts.push(part);
    }

    /// Adds inputs lent by their owner, the origin of each following from its index.
    pub(crate) fn lend(&mut self, inputs: &'a [I], kind: Kind) {
        let inputs = Inputs::Lent(inputs);
        self.push(Part::Placed { inputs, kind });
    }

    /// Adds inputs this list holds, the origin of each following from its index.
    pub(crate) fn hold(&mut self, inputs: Vec<I>, kind: Kind) {
        let inputs = Inputs::Held(inputs);
        self.push(Part::Placed { inputs, kind });
    }

    /// The part holding case `i`, and `i` within it.
    fn locate(&self, i: usize) -> (&Part<'a, I>, usize) {
        let p = if self.parts.len() == 1 {
            0
        } else {
            self.starts.partition_point(|&s| s <= i) - 1
        };
        (&self.parts[p], i - self.starts[p])
    }

    /// The input of case `i` (0-based, below [`CaseList::len`]).
    pub(crate) fn input(&self, i: usize) -> &I {
        let (part, i) = self.locate(i);
        part.input(i)
    }

    /// Where case `i` (0-based, below [`CaseList::len`]) came from.
    pub(crate) fn origin(&self, i: usize) -> Origin {
        let (part, i) = self.locate(i);
        part.origin(i)
    }

    /// Every input, in order.
    pub(crate) fn inputs(&self) -> impl Iterator<Item = &I> {
        self.parts
            .iter()
            .flat_map(|part| (0..part.len()).map(move |i| part.input(i)))
    }

    /// Does a proptest source draw any of the cases?
    pub(crate) fn any_drawn(&self) -> bool {
        self.parts.iter().any(|part| match part {
            Part::Placed { kind, .. } => matches!(kind, Kind::Proptest { .. }),
            Part::Cases(cases) => cases
                .iter()
                .any(|c| matches!(c.origin, Origin::Proptest { .. })),
        })
    }
}

impl<I: Clone> CaseList<'_, I> {
    /// Every case with its input and origin, in order, the lent inputs copied.
    pub fn into_cases(self) -> Vec<Case<I>> {
        let mut out = Vec::with_capacity(self.len);
        for part in self.parts {
            match part {
                Part::Placed { inputs, kind } => {
                    let inputs = match inputs {
                        Inputs::Lent(inputs) => inputs.to_vec(),
                        Inputs::Held(inputs) => inputs,
                    };
                    out.extend(inputs.into_iter().enumerate().map(|(index, input)| Case {
                        input,
                        origin: kind.at(index),
                    }))
                }
                Part::Cases(cases) => out.extend(cases),
            }
        }
        out
    }

    /// Only the cases whose input `keep` accepts, in order, copied.
    pub(crate) fn filter(self, mut keep: impl FnMut(&I) -> bool) -> Self {
        let kept: Vec<Case<I>> = (0..self.len)
            .filter(|&i| keep(self.input(i)))
            .map(|i| Case {
                input: self.input(i).clone(),
                origin: self.origin(i),
            })
            .collect();
        CaseList::from(kept)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::cases::Cases;

    /// Sources of every kind, some of them empty, in the order given.
    fn cases(layout: &[(u8, Vec<u8>)]) -> Cases<u8> {
        layout
            .iter()
            .fold(Cases::new(), |cases, (kind, values)| match kind % 4 {
                0 => cases.list(values.clone()),
                1 => cases.combinations(values.clone()),
                2 => cases.pairwise(values.clone()),
                _ => cases.proptest(any::<u8>(), values.len()),
            })
    }

    proptest! {
        #[test]
        fn a_list_read_in_place_gives_each_case_as_the_copied_cases_do(
            layout in prop::collection::vec((0u8..4, prop::collection::vec(any::<u8>(), 0..5)), 0..5),
            added in prop::collection::vec(any::<u8>(), 0..3),
        ) {
            let cases = cases(&layout);
            let mut list = cases.case_list();
            list.hold(added.clone(), Kind::Strengthened);
            let mut copies = cases.generate();
            copies.extend(added.iter().enumerate().map(|(index, &input)| Case {
                input,
                origin: Origin::Strengthened { index },
            }));
            prop_assert_eq!(list.len(), copies.len());
            prop_assert_eq!(list.is_empty(), copies.is_empty());
            for (i, case) in copies.iter().enumerate() {
                prop_assert_eq!(list.input(i), &case.input);
                prop_assert_eq!(&list.origin(i), &case.origin);
            }
            let inputs: Vec<u8> = list.inputs().copied().collect();
            let expected: Vec<u8> = copies.iter().map(|c| c.input).collect();
            prop_assert_eq!(inputs, expected);
            let drawn = copies.iter().any(|c| matches!(c.origin, Origin::Proptest { .. }));
            prop_assert_eq!(list.any_drawn(), drawn);
            let odd = list.filter(|x| x % 2 == 1).into_cases();
            copies.retain(|c| c.input % 2 == 1);
            prop_assert_eq!(odd, copies);
        }
    }
}
