//! Comparing when there is nothing to compare with: no snapshot on disk, the first
//! recording of a jail. Every distinct input is new.
//!
//! The general path ([`matched`](super::matched)) would hold each input's text and each
//! behaviour in its own string, beside a copy of every input; here the texts go into two
//! buffers (inputs, behaviours) that the written file is streamed from, and the cases are
//! moved, not copied. The cases run in batches, so one batch's working strings are reused by
//! the next. Same verdict, same file: a test in `verify::tests` compares both paths.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::BuildHasherDefault;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::Error;
use crate::cases::Case;
use crate::jail::Jailed;
use crate::record;
use crate::snapshot::digest::{self, Prehashed};
use crate::snapshot::format;

use super::Context;
use super::compare::{Body, Comparison};
use super::verdict::NewCase;

/// Cases run at a time.
const BATCH: usize = 4096;

/// Texts one after another in one buffer.
#[derive(Debug, Default)]
pub(crate) struct Texts {
    text: String,
    ends: Vec<usize>,
}

impl Texts {
    fn with_capacity(texts: usize, bytes: usize) -> Texts {
        Texts {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(texts),
        }
    }

    /// Text `i`.
    pub(crate) fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// The texts in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|i| self.get(i))
    }

    /// Ends the text written since the last one.
    fn close(&mut self) {
        self.ends.push(self.text.len());
    }

    /// The text written since the last one.
    fn open(&self) -> &str {
        &self.text[self.ends.last().copied().unwrap_or(0)..]
    }

    /// Drops the text written since the last one.
    fn discard(&mut self) {
        self.text.truncate(self.ends.last().copied().unwrap_or(0));
    }
}

/// Every distinct input of a first recording with its behaviour, by the same position.
pub(crate) struct Fresh<I> {
    /// The cases, the first of equal inputs only, in source order.
    pub(crate) cases: Vec<Case<I>>,
    /// Their texts in the snapshot (`- input: …\n`).
    pub(crate) inputs: Texts,
    /// The first case whose input does not read back exactly from its text, if any (the
    /// round-trip check of [`record::check_round_trip`], done as the texts are written:
    /// the shapes it needs are not kept). Refused when a file would be written.
    pub(crate) unprovable: Option<usize>,
    /// What each did.
    pub(crate) behaviours: Texts,
}

impl<I> Fresh<I> {
    /// (input text, behaviour text) of each case, in order.
    pub(crate) fn texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.inputs.iter().zip(self.behaviours.iter())
    }
}

/// Compares when no snapshot is there; `Ok(Err(cases))`, having run nothing, when there is
/// one (or something else at its path) or the run is a shard. With `runs` above 1 each batch runs again that many
/// times and a case that behaved differently is refused, as [`record::check_stable`] does.
#[allow(clippy::type_complexity)]
pub(crate) fn compare<J: Jailed>(
    jail: &J,
    cases: Vec<Case<J::Input>>,
    ctx: &Context<'_>,
) -> Result<Result<Comparison<J::Input>, Vec<Case<J::Input>>>, Error> {
    // A shard verifies a part of the cases and never records: the matching comparison
    // picks the part.
    if ctx.shard.is_some() || ctx.snapshot.symlink_metadata().is_ok() {
        return Ok(Err(cases));
    }
    let mut fresh = distinct(jail.name(), cases)?;
    let mut tally = ctx.tally(jail.name());
    tally.had_snapshot(false);
    let mut stability = record::Stability::default();
    let mut done = 0;
    for batch in fresh.cases.chunks(BATCH) {
        let inputs: Vec<&J::Input> = batch.iter().map(|c| &c.input).collect();
        let observed = record::run_all(jail, &inputs, ctx.jobs, ctx.tick)?;
        if ctx.runs > 1 {
            stability.rerun(jail, &inputs, done, &observed, ctx.runs, ctx.jobs, ctx.tick)?;
        }
        if done == 0 {
            // The first batch tells how long a behaviour's text is.
            let per_case = observed.iter().map(|o| o.text.len()).sum::<usize>() / batch.len();
            fresh.behaviours.text.reserve(per_case * fresh.cases.len());
            fresh.behaviours.ends.reserve(fresh.cases.len());
        }
        for (n, now) in observed.iter().enumerate() {
            let i = done + n;
            fresh.behaviours.text.push_str(&now.text);
            fresh.behaviours.close();
            let input = fresh.inputs.get(i);
            tally.behaviour(input, &now.text);
            tally.new_input(|| NewCase {
                origin: batch[n].origin.clone(),
                input: format::display_input(input),
                actual: format::display_behaviour(&now.text),
            });
        }
        done += batch.len();
    }
    stability.finish(jail.name(), ctx.runs)?;
    Ok(Ok(Comparison {
        tally,
        snapshot: None,
        body: Body::Fresh(fresh),
        rerecording_differs: false,
        recorded_redactions: None,
    }))
}

/// The inputs written so far, by 32 bits of the hash of their text (half the memory of 64
/// bits); texts of equal key but different text are kept apart in `other`.
struct Seen {
    first: HashMap<u32, u32, BuildHasherDefault<Prehashed>>,
    other: HashMap<String, usize>,
}

impl Seen {
    fn with_capacity(n: usize) -> Seen {
        Seen {
            first: HashMap::with_capacity_and_hasher(n, Default::default()),
            other: HashMap::new(),
        }
    }

    /// The earlier input with this text, if any; else `text` is remembered as input `count`.
    fn earlier(&mut self, inputs: &Texts, text: &str, count: usize) -> Option<usize> {
        match self.first.entry(digest::hash(text) as u32) {
            Entry::Vacant(slot) => {
                slot.insert(count as u32);
                None
            }
            Entry::Occupied(slot) if inputs.get(*slot.get() as usize) == text => {
                Some(*slot.get() as usize)
            }
            Entry::Occupied(_) => match self.other.get(text) {
                Some(&i) => Some(i),
                None => {
                    self.other.insert(text.to_string(), count);
                    None
                }
            },
        }
    }
}

/// Writes each case's input text and keeps the first of equal inputs (as
/// [`record::prepare`] does, with the same refusal of different values written alike).
/// The kept cases stay in the vector they came in (an in-place collect), so no case is
/// copied.
fn distinct<I: Serialize + DeserializeOwned>(
    jail: &str,
    cases: Vec<Case<I>>,
) -> Result<Fresh<I>, Error> {
    let n = cases.len();
    let mut inputs = Texts::with_capacity(n, 0);
    let mut proof = record::RoundTrip::default();
    let mut unprovable = None;
    let mut count = 0;
    let mut seen = Seen::with_capacity(n);
    // Duplicates, checked against their first once the kept cases are known.
    let mut duplicates: Vec<(usize, Case<I>)> = Vec::new();
    let mut failed: Option<Error> = None;
    let kept: Vec<Case<I>> = cases
        .into_iter()
        .filter_map(|case| {
            if failed.is_some() {
                return None;
            }
            let shape = match format::write_input_shaped(&mut inputs.text, &case.input) {
                Ok(shape) => shape,
                Err(e) => {
                    failed = Some(record::unrepresentable(jail, &case.origin, &e));
                    return None;
                }
            };
            if count == 0 {
                // The first input tells how long an input's text is.
                inputs.text.reserve(inputs.text.len() * n);
            }
            let text = inputs.open();
            let earlier = seen.earlier(&inputs, text, count);
            match earlier {
                Some(i) => {
                    inputs.discard();
                    duplicates.push((i, case));
                    None
                }
                None => {
                    if unprovable.is_none()
                        && proof
                            .check(jail, &case.input, text, shape, &case.origin)
                            .is_err()
                    {
                        unprovable = Some(count);
                    }
                    inputs.close();
                    count += 1;
                    Some(case)
                }
            }
        })
        .collect();
    // A duplicate comes before the case that failed, if one did: its refusal comes first.
    for (i, case) in &duplicates {
        let e = &kept[*i];
        record::same_value_as(jail, (&e.input, inputs.get(*i), &e.origin), case)?;
    }
    if let Some(e) = failed {
        return Err(e);
    }
    Ok(Fresh {
        cases: kept,
        inputs,
        unprovable,
        behaviours: Texts::default(),
    })
}
