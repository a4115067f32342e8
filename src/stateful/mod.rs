//! Stateful jails: a legacy object built once, then driven by a sequence of method calls.
//!
//! Most legacy code is not `fn(input) -> output` but a struct that is built, poked by
//! method calls and read back, and its bugs live in the *order* of the calls. A [`Stateful`]
//! says how to build the object (from a recorded constructor input), how to apply one
//! operation to it (a user enum, one variant per method call with its arguments) and,
//! optionally, how to observe its state. The input of one case is a [`Sequence`]: the
//! constructor input and the operations; the behaviour recorded is a [`Trace`], per step,
//! so a difference is found at the first step that changed.
//!
//! A panic is behaviour at its step: the trace keeps every step before it, and the later
//! steps are not run (the snapshot says how many). A stateful jail is a [`Jail`], so
//! `.isolated()`, `.timeout(..)` (per case: the whole sequence), `.jobs(..)` and
//! `.check(..)` work as for any function.
//!
//! ```
//! use kaizen::Cases;
//! use kaizen::stateful::{Sequence, Stateful, sequences};
//! use proptest::prelude::*;
//! use serde::{Deserialize, Serialize};
//! # let dir = tempfile::tempdir().unwrap();
//!
//! // The legacy object.
//! struct Counter { n: u32 }
//! impl Counter {
//!     fn add(&mut self, k: u32) { self.n += k }   // overflows past u32::MAX: a panic
//!     fn reset(&mut self) -> u32 { std::mem::take(&mut self.n) }
//! }
//!
//! // One variant per method call, with its arguments.
//! #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
//! enum Op { Add(u32), Reset }
//!
//! let counter = Stateful::new(
//!     |start: u32| Counter { n: start },
//!     |c: &mut Counter, op: Op| match op {
//!         Op::Add(k) => { c.add(k); None }
//!         Op::Reset => Some(c.reset()),
//!     },
//! )
//! .observe(|c: &Counter| c.n);
//!
//! let trace = counter.replay(Sequence::new(1, [Op::Add(2), Op::Reset, Op::Add(u32::MAX), Op::Add(1), Op::Reset]));
//! assert_eq!(trace.steps.len(), 4); // the fourth step overflowed…
//! assert_eq!(trace.not_run, 1); // …and the fifth was not run
//!
//! let jail = counter.jail("counter")
//! #   .snapshot_dir(dir.path())
//!     ;
//! let op = prop_oneof![3 => any::<u32>().prop_map(Op::Add), 1 => Just(Op::Reset)];
//! let cases = Cases::new().proptest(sequences(0u32..10, op, 1..=12), 100);
//! // In a test: `jail.check(&cases)`. Here, with the environment spelled out:
//! let local = kaizen::env::Environment::default();
//! assert!(jail.run_with(&cases, local).unwrap().passed()); // recorded
//! ```

mod focus;
mod sequence;
mod trace;

use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

pub use sequence::Sequence;
#[cfg(feature = "proptest")]
pub use sequence::sequences;
pub use trace::{Step, StepOutcome, Trace};

use crate::jail::{Jail, catch_silently};
use crate::oracle::Oracle;

type Construct<C, T> = Arc<dyn Fn(C) -> T + Send + Sync>;
type Apply<T, Op, R> = Arc<dyn Fn(&mut T, Op) -> R + Send + Sync>;
type Observe<T, S> = Arc<dyn Fn(&T) -> S + Send + Sync>;

/// How to drive a legacy object: build it from `C`, apply operations `Op` that return `R`,
/// and (optionally) observe its state as `S`. See the module docs.
pub struct Stateful<C, T, Op, R, S = ()> {
    construct: Construct<C, T>,
    apply: Apply<T, Op, R>,
    observe: Option<Observe<T, S>>,
}

impl<C, T, Op, R, S> Clone for Stateful<C, T, Op, R, S> {
    fn clone(&self) -> Self {
        Stateful {
            construct: Arc::clone(&self.construct),
            apply: Arc::clone(&self.apply),
            observe: self.observe.clone(),
        }
    }
}

impl<C, T, Op, R> Stateful<C, T, Op, R, ()> {
    /// An object built by `construct` from the recorded constructor input and driven by
    /// `apply`, which performs one operation (usually a `match` with one arm per variant,
    /// each calling one method) and returns what the call returned.
    pub fn new(
        construct: impl Fn(C) -> T + Send + Sync + 'static,
        apply: impl Fn(&mut T, Op) -> R + Send + Sync + 'static,
    ) -> Self {
        Stateful {
            construct: Arc::new(construct),
            apply: Arc::new(apply),
            observe: None,
        }
    }
}

impl<C, T, Op, R, S> Stateful<C, T, Op, R, S> {
    /// Records the object's state, as `observe` sees it, after every step (a score, a
    /// total, the fields that matter). Without an observer only what each call returns is
    /// recorded.
    pub fn observe<S2>(
        self,
        observe: impl Fn(&T) -> S2 + Send + Sync + 'static,
    ) -> Stateful<C, T, Op, R, S2> {
        Stateful {
            construct: self.construct,
            apply: self.apply,
            observe: Some(Arc::new(observe)),
        }
    }

    /// Builds the object and applies the operations in order, catching a panic as the
    /// behaviour of its step; the steps after a panic are not run.
    pub fn replay(&self, sequence: Sequence<C, Op>) -> Trace<R, S> {
        let total = sequence.ops.len();
        let mut trace = Trace {
            steps: Vec::with_capacity(total),
            not_run: 0,
        };
        let construct = &self.construct;
        let mut object = match catch_silently(|| construct(sequence.new)) {
            Ok(object) => object,
            Err(message) => {
                trace.steps.push(Step {
                    number: 0,
                    outcome: StepOutcome::Panicked(message),
                    state: None,
                });
                trace.not_run = total;
                return trace;
            }
        };
        for (i, op) in sequence.ops.into_iter().enumerate() {
            let apply = &self.apply;
            let outcome = catch_silently(|| apply(&mut object, op));
            let (outcome, state) = match outcome {
                Ok(value) => (StepOutcome::Returned(value), self.state_of(&object)),
                Err(message) => (StepOutcome::Panicked(message), None),
            };
            let panicked = matches!(outcome, StepOutcome::Panicked(_));
            trace.steps.push(Step {
                number: i + 1,
                outcome,
                state,
            });
            if panicked {
                trace.not_run = total - (i + 1);
                break;
            }
        }
        trace
    }

    /// The observed state, or `None` when there is no observer. An observer that panics
    /// is a bug in the jail, not behaviour of the legacy object.
    fn state_of(&self, object: &T) -> Option<S> {
        self.observe.as_ref().map(|observe| observe(object))
    }
}

impl<C, T, Op, R, S> Stateful<C, T, Op, R, S>
where
    C: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    T: 'static,
    Op: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    R: Serialize + Send + 'static,
    S: Serialize + Send + 'static,
{
    /// The jail of this object under `name` (the snapshot `NAME.snap`): its input is a
    /// [`Sequence`], its behaviour the [`Trace`]. Configure and check it like any [`Jail`].
    #[track_caller]
    pub fn jail(&self, name: impl Into<String>) -> Jail<Sequence<C, Op>, Trace<R, S>> {
        let driver = self.clone();
        Jail::new(name, move |sequence| driver.replay(sequence)).with_focus(focus::focus)
    }

    /// Drives this object (the original, kept in `jail/` as found) and `refactored` with the
    /// same sequences and compares their traces step by step; differing generated sequences
    /// shrink to the shortest, simplest one that still differs. See [`Oracle`].
    #[track_caller]
    pub fn oracle<T2: 'static>(
        &self,
        name: impl Into<String>,
        refactored: &Stateful<C, T2, Op, R, S>,
    ) -> Oracle<Sequence<C, Op>, Trace<R, S>> {
        let (original, refactored) = (self.clone(), refactored.clone());
        Oracle::new(
            name,
            move |sequence| original.replay(sequence),
            move |sequence| refactored.replay(sequence),
        )
        .with_focus(focus::focus)
    }
}
