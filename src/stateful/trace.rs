//! The behaviour of one stateful case, step by step: what each operation returned or
//! panicked with, and the object's observed state after it.
//!
//! In a snapshot a trace is a list with one mapping per step, and one last entry when a
//! panic stopped the sequence early:
//!
//! ```yaml
//!   returned:
//!   - step: 1
//!     returned: null
//!     state: Fifteen-Love
//!   - step: 2
//!     panicked: no such player
//!   - not_run_after_panic: 10
//! ```
//!
//! Step `0` is the constructor: it appears only when building the object panicked.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

/// What one operation did.
#[derive(Debug, Clone, PartialEq)]
pub enum StepOutcome<R> {
    /// The operation returned this value.
    Returned(R),
    /// The operation panicked with this message; the later steps were not run.
    Panicked(String),
}

/// One step of a case: its 1-based number (`0` for the constructor), what it did and, when
/// the jail observes the object, its state afterwards.
#[derive(Debug, Clone, PartialEq)]
pub struct Step<R, S> {
    /// 1-based position in the sequence; `0` is the constructor.
    pub number: usize,
    /// What the operation did.
    pub outcome: StepOutcome<R>,
    /// The observed state after the step (`None` without an observer, or after a panic).
    pub state: Option<S>,
}

/// Everything one sequence of operations did, step by step.
#[derive(Debug, Clone, PartialEq)]
pub struct Trace<R, S> {
    /// The steps that ran, in order.
    pub steps: Vec<Step<R, S>>,
    /// Steps after a panicking one, which were not run.
    pub not_run: usize,
}

impl<R, S> Trace<R, S> {
    /// The step that panicked, if one did (it is always the last one run).
    pub fn panicked(&self) -> Option<&Step<R, S>> {
        self.steps
            .last()
            .filter(|s| matches!(s.outcome, StepOutcome::Panicked(_)))
    }
}

const STEP: &str = "step";
const RETURNED: &str = "returned";
const PANICKED: &str = "panicked";
const STATE: &str = "state";
const NOT_RUN: &str = "not_run_after_panic";

impl<R: Serialize, S: Serialize> Serialize for Step<R, S> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        let mut map = serializer.serialize_map(Some(2 + usize::from(self.state.is_some())))?;
        map.serialize_entry(STEP, &self.number)?;
        match &self.outcome {
            StepOutcome::Returned(value) => map.serialize_entry(RETURNED, value)?,
            StepOutcome::Panicked(message) => map.serialize_entry(PANICKED, message)?,
        }
        if let Some(state) = &self.state {
            map.serialize_entry(STATE, state)?;
        }
        map.end()
    }
}

/// The "later steps were not run" entry.
struct NotRun(usize);

impl Serialize for NotRun {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(NOT_RUN, &self.0)?;
        map.end()
    }
}

impl<R: Serialize, S: Serialize> Serialize for Trace<R, S> {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        let tail = usize::from(self.not_run > 0);
        let mut seq = serializer.serialize_seq(Some(self.steps.len() + tail))?;
        for step in &self.steps {
            seq.serialize_element(step)?;
        }
        if self.not_run > 0 {
            seq.serialize_element(&NotRun(self.not_run))?;
        }
        seq.end()
    }
}

/// One entry of a trace as read back: a step, or the count of steps not run.
enum Entry<R, S> {
    Step(Step<R, S>),
    NotRun(usize),
}

struct EntryVisitor<R, S>(PhantomData<fn() -> (R, S)>);

impl<'de, R: Deserialize<'de>, S: Deserialize<'de>> Visitor<'de> for EntryVisitor<R, S> {
    type Value = Entry<R, S>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a step (`step:` with `returned:` or `panicked:`) or `not_run_after_panic:`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut number, mut outcome, mut state) = (None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                STEP => number = Some(map.next_value()?),
                RETURNED => outcome = Some(StepOutcome::Returned(map.next_value()?)),
                PANICKED => outcome = Some(StepOutcome::Panicked(map.next_value()?)),
                STATE => state = Some(map.next_value()?),
                NOT_RUN => return Ok(Entry::NotRun(map.next_value()?)),
                other => {
                    let expected = &[STEP, RETURNED, PANICKED, STATE, NOT_RUN];
                    return Err(de::Error::unknown_field(other, expected));
                }
            }
        }
        let number = number.ok_or_else(|| de::Error::missing_field(STEP))?;
        let outcome = outcome.ok_or_else(|| de::Error::missing_field(RETURNED))?;
        Ok(Entry::Step(Step {
            number,
            outcome,
            state,
        }))
    }
}

impl<'de, R: Deserialize<'de>, S: Deserialize<'de>> Deserialize<'de> for Entry<R, S> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EntryVisitor(PhantomData))
    }
}

struct TraceVisitor<R, S>(PhantomData<fn() -> (R, S)>);

impl<'de, R: Deserialize<'de>, S: Deserialize<'de>> Visitor<'de> for TraceVisitor<R, S> {
    type Value = Trace<R, S>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of steps")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut trace = Trace {
            steps: Vec::new(),
            not_run: 0,
        };
        while let Some(entry) = seq.next_element::<Entry<R, S>>()? {
            match entry {
                Entry::Step(step) if trace.not_run == 0 => trace.steps.push(step),
                Entry::NotRun(n) if trace.not_run == 0 => trace.not_run = n,
                _ => return Err(de::Error::custom("a step after `not_run_after_panic`")),
            }
        }
        Ok(trace)
    }
}

impl<'de, R: Deserialize<'de>, S: Deserialize<'de>> Deserialize<'de> for Trace<R, S> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(TraceVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::format;

    fn sample() -> Trace<Option<u32>, String> {
        Trace {
            steps: vec![
                Step {
                    number: 1,
                    outcome: StepOutcome::Returned(Some(3)),
                    state: Some("one".into()),
                },
                Step {
                    number: 2,
                    outcome: StepOutcome::Panicked("no such player".into()),
                    state: None,
                },
            ],
            not_run: 4,
        }
    }

    #[test]
    fn a_trace_reads_as_one_mapping_per_step_and_says_what_was_not_run() {
        let text = format::to_yaml(&sample()).unwrap();
        assert_eq!(
            text,
            "- step: 1\n  returned: 3\n  state: one\n- step: 2\n  panicked: no such player\n\
             - not_run_after_panic: 4\n"
        );
    }

    #[test]
    fn a_trace_comes_back_exactly_from_yaml_and_from_postcard() {
        let text = format::to_yaml(&sample()).unwrap();
        let back: Trace<Option<u32>, String> = serde_yaml::from_str(&text).unwrap();
        assert_eq!(back, sample());
        let bytes = postcard::to_stdvec(&sample()).unwrap();
        let back: Trace<Option<u32>, String> = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, sample());
    }

    #[test]
    fn a_step_after_the_not_run_entry_is_refused() {
        let text = "- not_run_after_panic: 2\n- step: 1\n  returned: 3\n";
        let error = serde_yaml::from_str::<Trace<u32, ()>>(text).err().unwrap();
        assert!(error.to_string().contains("a step after"), "{error}");
    }
}
