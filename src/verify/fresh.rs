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
use crate::cases::{CaseList, Origin};
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
pub(crate) struct Fresh<'c, I> {
    /// Their texts in the snapshot (`- input: …\n`), the first of equal inputs only, in
    /// source order.
    pub(crate) inputs: Texts,
    /// The first input that does not read back exactly from its text, if any, with its
    /// origin and its position among the kept (the round-trip check of
    /// [`record::check_round_trip`], done as the texts are written: the shapes it needs are
    /// not kept). Refused when a file would be written.
    unprovable: Option<(&'c I, Origin, usize)>,
    /// What each did.
    pub(crate) behaviours: Texts,
}

impl<I: Serialize + DeserializeOwned> Fresh<'_, I> {
    /// How many cases a written file holds.
    pub(crate) fn len(&self) -> usize {
        self.inputs.ends.len()
    }

    /// (input text, behaviour text) of each case, in order.
    pub(crate) fn texts(&self) -> impl Iterator<Item = (&str, &str)> {
        self.inputs.iter().zip(self.behaviours.iter())
    }

    /// Refuses an input that does not read back exactly, before a file holds it.
    pub(crate) fn proof(&self, jail: &str) -> Result<(), Error> {
        let Some((input, origin, i)) = &self.unprovable else {
            return Ok(());
        };
        // Checked again, alone, for its error.
        let text = self.inputs.get(*i);
        record::check_round_trip_each(jail, std::iter::once((*input, text, None, origin)))
    }
}

/// Compares when no snapshot is there; `Ok(None)`, having run nothing, when there is one
/// (or something else at its path) or the run is a shard. With `runs` above 1 each batch
/// runs again that many times and a case that behaved differently is refused, as
/// [`record::check_stable`] does.
pub(crate) fn compare<'c, J: Jailed>(
    jail: &J,
    cases: &'c CaseList<'c, J::Input>,
    ctx: &Context<'_>,
) -> Result<Option<Comparison<'c, J::Input>>, Error> {
    // A shard verifies a part of the cases and never records: the matching comparison
    // picks the part.
    if ctx.shard.is_some() || ctx.snapshot.symlink_metadata().is_ok() {
        return Ok(None);
    }
    let (mut fresh, kept) = distinct(jail.name(), cases)?;
    let mut tally = ctx.tally(jail.name());
    tally.had_snapshot(false);
    let mut stability = record::Stability::default();
    let mut done = 0;
    for batch in kept.chunks(BATCH) {
        let inputs: Vec<&J::Input> = batch.iter().map(|&at| cases.input(at)).collect();
        let observed = record::run_all(jail, &inputs, ctx.jobs, ctx.tick)?;
        if ctx.runs > 1 {
            stability.rerun(jail, &inputs, done, &observed, ctx.runs, ctx.jobs, ctx.tick)?;
        }
        if done == 0 {
            // The first batch tells how long a behaviour's text is.
            let per_case = observed.iter().map(|o| o.text.len()).sum::<usize>() / batch.len();
            fresh.behaviours.text.reserve(per_case * kept.len());
            fresh.behaviours.ends.reserve(kept.len());
        }
        for (n, now) in observed.iter().enumerate() {
            let i = done + n;
            fresh.behaviours.text.push_str(&now.text);
            fresh.behaviours.close();
            let input = fresh.inputs.get(i);
            tally.behaviour(input, &now.text);
            tally.new_input(|| NewCase {
                origin: cases.origin(batch[n]),
                input: format::display_input(input),
                actual: format::display_behaviour(&now.text),
            });
        }
        done += batch.len();
    }
    stability.finish(jail.name(), ctx.runs)?;
    Ok(Some(Comparison {
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
/// Returns the texts and the positions of the kept cases; no input is copied.
fn distinct<'c, I: Serialize + DeserializeOwned>(
    jail: &str,
    cases: &'c CaseList<'c, I>,
) -> Result<(Fresh<'c, I>, Vec<usize>), Error> {
    let n = cases.len();
    let mut inputs = Texts::with_capacity(n, 0);
    let mut proof = record::RoundTrip::default();
    let mut unprovable = None;
    let mut kept = Vec::with_capacity(n);
    let mut seen = Seen::with_capacity(n);
    // Duplicates (earlier kept, this one), checked once the kept cases are known.
    let mut duplicates: Vec<(usize, usize)> = Vec::new();
    let mut failed: Option<Error> = None;
    for (at, input) in cases.inputs().enumerate() {
        let shape = match format::write_input_shaped(&mut inputs.text, input) {
            Ok(shape) => shape,
            Err(e) => {
                failed = Some(record::unrepresentable(jail, &cases.origin(at), &e));
                break;
            }
        };
        if at == 0 {
            // The first input tells how long an input's text is.
            inputs.text.reserve(inputs.text.len() * n);
        }
        let text = inputs.open();
        match seen.earlier(&inputs, text, kept.len()) {
            Some(i) => {
                inputs.discard();
                duplicates.push((i, at));
            }
            None => {
                if unprovable.is_none() && !proof.knows(shape) {
                    let origin = cases.origin(at);
                    if proof.check(jail, input, text, shape, &origin).is_err() {
                        unprovable = Some((input, origin, kept.len()));
                    }
                }
                inputs.close();
                kept.push(at);
            }
        }
    }
    // A duplicate comes before the case that failed, if one did: its refusal comes first.
    for &(i, at) in &duplicates {
        let (e, again) = (kept[i], cases.input(at));
        let earlier = (cases.input(e), inputs.get(i), &cases.origin(e));
        record::same_value_as(jail, earlier, (again, &cases.origin(at)))?;
    }
    if let Some(e) = failed {
        return Err(e);
    }
    let fresh = Fresh {
        inputs,
        unprovable,
        behaviours: Texts::default(),
    };
    Ok((fresh, kept))
}
