//! Comparing when there is nothing to compare with: no snapshot on disk, the first
//! recording of a jail. Every distinct input is new.
//!
//! The general path ([`matched`](super::matched)) would hold each input's text and each
//! behaviour in its own string; here the cases are read in place and run in batches: a
//! batch's input texts are written, its cases run, and its texts written to the file the
//! run's plan writes (the snapshot, or a pending file), as [`Streamed`] writes a pending
//! file along a recording: after room for the header, which the write puts in. So one
//! batch's working strings are reused by the next and no text of every case is held.
//! Duplicates are found by a hash of each input's text and the earlier input's position; on
//! a hash match the earlier input is written again to compare the texts. Same verdict,
//! same file: a test in `verify::tests` compares both paths.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::Error;
use crate::cases::{CaseList, Origin};
use crate::jail::Jailed;
use crate::record::{self, Stability};
use crate::snapshot::digest;
use crate::snapshot::{self, format, size};

use super::compare::{Body, Comparison};
use super::pending::Streamed;
use super::plan::{self, Found, Plan};
use super::seen::Seen;
use super::verdict::{NewCase, Tally};
use super::{Context, write};

/// Cases run at a time.
const BATCH: usize = 4096;

#[cfg(test)]
thread_local! {
    /// Tests run smaller batches, to hold several in a few cases.
    pub(crate) static BATCH_SIZE: std::cell::Cell<usize> = const { std::cell::Cell::new(BATCH) };
}

fn batch_size() -> usize {
    #[cfg(test)]
    return BATCH_SIZE.with(|b| b.get());
    #[cfg(not(test))]
    BATCH
}

/// A first recording: every distinct input in source order with its behaviour, as the
/// body of the file to write.
pub(crate) struct Fresh<'c, I> {
    /// Each case's input text (`- input: …\n`) and behaviour text, in order, written
    /// after room for the header; `None` when the plan writes no file.
    body: Option<Streamed>,
    /// How many cases the body holds.
    len: usize,
    /// The first input that does not read back exactly from its text, if any (the
    /// round-trip check of [`record::check_round_trip`], done as the texts are written: the
    /// shapes it needs are not kept). Refused when a file would be written.
    unprovable: Option<Unprovable<'c, I>>,
}

/// An input that does not read back exactly from its text.
struct Unprovable<'c, I> {
    input: &'c I,
    origin: Origin,
    text: String,
}

impl<I: Serialize + DeserializeOwned> Fresh<'_, I> {
    /// How many cases a written file holds.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Refuses an input that does not read back exactly, before a file holds it.
    pub(crate) fn proof(&self, jail: &str) -> Result<(), Error> {
        let Some(u) = &self.unprovable else {
            return Ok(());
        };
        // Checked again, alone, for its error.
        let one = std::iter::once((u.input, u.text.as_str(), None, &u.origin));
        record::check_round_trip_each(jail, one)
    }

    /// Puts `header` before the body and makes the file `path`, atomically; refused
    /// (nothing written) when the loader would refuse the file.
    pub(crate) fn write(
        self,
        jail: &str,
        ctx: &Context<'_>,
        path: &std::path::Path,
        header: &str,
    ) -> Result<(), Error> {
        match self.body {
            // As `snapshot::render`: a file ends with a line break, also with no case.
            _ if self.len == 0 => {
                let total = header.len() as u64 + 1;
                if total > ctx.max_snapshot_size {
                    let limit = ctx.max_snapshot_size;
                    return Err(size::too_big(jail, total, limit, Vec::new()));
                }
                snapshot::write_atomic(path, format!("{header}\n").as_bytes())
            }
            Some(body) => body.finish(header, jail),
            None => Err(Error::Internal {
                message: format!("jail {jail}: a first recording kept no file to write"),
            }),
        }
    }
}

/// Compares when no snapshot is there; `Ok(None)`, having run nothing, when there is one
/// (or something else at its path) or the run is a shard. With `runs` above 1 each batch
/// runs again that many times and a case that behaved differently is refused, as
/// [`record::check_stable`] does.
///
/// An input that cannot be written, or a duplicate of a different value, is refused before
/// what running found (as if every input were written before any ran).
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
    let mut admit = Admit::new(jail.name(), cases);
    let mut recording = Recording::new(jail, cases, ctx);
    let mut batch = Batch::default();
    loop {
        batch.clear();
        admit.fill(&mut batch)?;
        if batch.at.is_empty() {
            break;
        }
        if let Err(e) = recording.run(&batch) {
            admit.rest()?;
            return Err(e);
        }
    }
    let (tally, fresh) = recording.finish(admit.unprovable)?;
    Ok(Some(Comparison {
        tally,
        snapshot: None,
        body: Body::Fresh(fresh),
        rerecording_differs: false,
        recorded_redactions: None,
    }))
}

/// The kept inputs of one batch: their texts one after another, and their positions.
#[derive(Default)]
struct Batch {
    text: String,
    ends: Vec<usize>,
    at: Vec<usize>,
}

impl Batch {
    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.at.clear();
    }

    /// The text of input `i` of the batch.
    fn input(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// Where the text being written starts.
    fn open(&self) -> usize {
        self.ends.last().copied().unwrap_or(0)
    }
}

/// Writes each input's text and keeps the first of equal inputs (as [`record::prepare`]
/// does, with the same refusal of different values written alike), proving the kept ones
/// read back exactly.
struct Admit<'j, 'c, I> {
    jail: &'j str,
    cases: &'c CaseList<'c, I>,
    /// The position of the next input.
    next: usize,
    /// The next inputs written, before the duplicates among them are dropped.
    staged: Batch,
    /// The hash of each staged text.
    hashes: Vec<u64>,
    /// The shape of each staged input (see [`format::write_input_shaped`]).
    shapes: Vec<Option<u64>>,
    seen: Seen,
    proof: record::RoundTrip,
    unprovable: Option<Unprovable<'c, I>>,
}

impl<'j, 'c, I: Serialize + DeserializeOwned> Admit<'j, 'c, I> {
    fn new(jail: &'j str, cases: &'c CaseList<'c, I>) -> Self {
        Admit {
            jail,
            cases,
            next: 0,
            staged: Batch::default(),
            hashes: Vec::new(),
            shapes: Vec::new(),
            seen: Seen::with_capacity(cases.len()),
            proof: record::RoundTrip::default(),
            unprovable: None,
        }
    }

    /// Fills `batch` with the next distinct inputs, from up to a batch of inputs (more when
    /// all of those were duplicates).
    fn fill(&mut self, batch: &mut Batch) -> Result<(), Error> {
        while batch.at.is_empty() && self.next < self.cases.len() {
            let failed = self.stage();
            self.seen.touch(&self.hashes);
            // A duplicate before the input that could not be written is refused first.
            self.keep_distinct(batch)?;
            if let Some(e) = failed {
                return Err(e);
            }
        }
        Ok(())
    }

    /// Writes the next inputs' texts, up to a batch; stops at an input that cannot be
    /// written, and returns its refusal.
    fn stage(&mut self) -> Option<Error> {
        let (cases, size) = (self.cases, batch_size());
        let staged = &mut self.staged;
        staged.clear();
        self.hashes.clear();
        self.shapes.clear();
        while staged.at.len() < size && self.next < cases.len() {
            let at = self.next;
            self.next += 1;
            match format::write_input_shaped(&mut staged.text, cases.input(at)) {
                Ok(shape) => {
                    self.hashes
                        .push(digest::hash(&staged.text[staged.open()..]));
                    self.shapes.push(shape);
                    staged.ends.push(staged.text.len());
                    staged.at.push(at);
                }
                Err(e) => return Some(record::unrepresentable(self.jail, &cases.origin(at), &e)),
            }
        }
        None
    }

    /// Moves the staged inputs not seen before into `batch`; refuses a duplicate whose
    /// value differs from the first.
    fn keep_distinct(&mut self, batch: &mut Batch) -> Result<(), Error> {
        let cases = self.cases;
        for (i, &at) in self.staged.at.iter().enumerate() {
            let (text, input) = (self.staged.input(i), cases.input(at));
            if let Some(earlier) = self.seen.earlier(cases, text, self.hashes[i], at) {
                let first = (cases.input(earlier), text, &cases.origin(earlier));
                record::same_value_as(self.jail, first, (input, &cases.origin(at)))?;
                continue;
            }
            let shape = self.shapes[i];
            if self.unprovable.is_none() && !self.proof.knows(shape) {
                let origin = cases.origin(at);
                if self
                    .proof
                    .check(self.jail, input, text, shape, &origin)
                    .is_err()
                {
                    let text = text.to_string();
                    self.unprovable = Some(Unprovable {
                        input,
                        origin,
                        text,
                    });
                }
            }
            batch.text.push_str(text);
            batch.ends.push(batch.text.len());
            batch.at.push(at);
        }
        Ok(())
    }

    /// Goes through the inputs not admitted yet, for a refusal of one of them.
    fn rest(&mut self) -> Result<(), Error> {
        let mut batch = Batch::default();
        while self.next < self.cases.len() {
            batch.clear();
            self.fill(&mut batch)?;
        }
        Ok(())
    }
}

/// Runs the batches and counts and keeps what they did.
struct Recording<'a, 'c, J: Jailed> {
    jail: &'a J,
    cases: &'c CaseList<'c, J::Input>,
    ctx: &'a Context<'a>,
    tally: Tally,
    stability: Stability,
    /// The behaviours of the batch being run, by the same position.
    behaviours: Batch,
    /// The file being written, when the plan writes one.
    body: Option<Streamed>,
    /// Cases done.
    done: usize,
}

impl<'a, 'c, J: Jailed> Recording<'a, 'c, J> {
    fn new(jail: &'a J, cases: &'c CaseList<'c, J::Input>, ctx: &'a Context<'a>) -> Self {
        let mut tally = ctx.tally(jail.name());
        tally.had_snapshot(false);
        Recording {
            jail,
            cases,
            ctx,
            tally,
            stability: Stability::default(),
            behaviours: Batch::default(),
            body: start(jail, cases.len(), ctx),
            done: 0,
        }
    }

    /// Runs one batch (`runs` times) and appends its cases to the body.
    fn run(&mut self, batch: &Batch) -> Result<(), Error> {
        let (jail, ctx, cases) = (self.jail, self.ctx, self.cases);
        let inputs: Vec<&J::Input> = batch.at.iter().map(|&at| cases.input(at)).collect();
        let now = &mut self.behaviours;
        now.clear();
        let out = (&mut now.text, &mut now.ends);
        record::run_into(jail, &inputs, ctx.jobs, ctx.tick, out)?;
        if ctx.runs > 1 {
            let first: Vec<&str> = (0..inputs.len()).map(|n| now.input(n)).collect();
            let (done, runs) = (self.done, ctx.runs);
            let stability = &mut self.stability;
            stability.rerun(jail, &inputs, done, &first, runs, ctx.jobs, ctx.tick)?;
        }
        for n in 0..inputs.len() {
            let (input, now) = (batch.input(n), now.input(n));
            self.tally.behaviour(input, now);
            self.tally.new_input(|| NewCase {
                origin: cases.origin(batch.at[n]),
                input: format::display_input(input),
                actual: format::display_behaviour(now),
            });
            if let Some(body) = &mut self.body {
                body.case(input, now);
            }
        }
        self.done += inputs.len();
        Ok(())
    }

    /// The count, and the body to write once every case ran.
    fn finish(
        self,
        unprovable: Option<Unprovable<'c, J::Input>>,
    ) -> Result<(Tally, Fresh<'c, J::Input>), Error> {
        self.stability.finish(self.jail.name(), self.ctx.runs)?;
        let fresh = Fresh {
            body: self.body,
            len: self.done,
            unprovable,
        };
        Ok((self.tally, fresh))
    }
}

/// Starts the file a first recording's plan writes (the plan of a missing snapshot depends
/// on the update mode alone): room for its header as it will be when every input is
/// distinct and no stop dominates, then the cases as they run.
fn start<J: Jailed>(jail: &J, cases: usize, ctx: &Context<'_>) -> Option<Streamed> {
    let found = Found {
        snapshot: false,
        counts: Default::default(),
        rerecording_differs: false,
    };
    let (path, pending) = match plan::plan(&found, &ctx.env) {
        Plan::Record => (ctx.snapshot.clone(), false),
        Plan::Pending => (snapshot::pending_path(&ctx.snapshot), true),
        _ => return None,
    };
    let room = write::header_text(jail, ctx, cases, pending, None);
    Some(Streamed::start(&path, &room, ctx.max_snapshot_size))
}
