//! Comparing along the recording, for the common case: the sources produce exactly the
//! recorded inputs, in the recorded order, once each.
//!
//! The snapshot is read as a stream (see [`stream`]), never held whole: a first pass checks
//! that source input `i` is written exactly as recorded case `i` (nothing runs yet); a
//! second runs each input and compares its behaviour with the recording as it goes. When a
//! pending file may be written, it is written along the second pass from the first changed
//! case on (see [`pending`](super::pending)); nothing of the cases is kept. Any
//! other shape — a missing or unusual file, another order, new, dropped or duplicate inputs,
//! an input that cannot be written, `KAIZEN_UPDATE=always`, `--runs` — returns `None` before
//! anything has run, and [`matched`](super::matched) compares instead; so does a file
//! replaced between the two passes (a recording beside a run that writes nothing). Both give the same
//! verdict and files (a property test in `verify::tests` compares them).

use crate::Error;
use crate::cases::CaseList;
use crate::env::UpdateMode;
use crate::jail::{Behaviour, Jailed};
use crate::record::{self, Observed};
use crate::snapshot::BehaviourNote;
use crate::snapshot::digest::{hash, mix};
use crate::snapshot::format::{self, RawCase, stream};

use super::compare::{Body, Comparison, Identity};
use super::pending::Streamed;
use super::verdict::{Difference, Tally};
use super::{Context, check_owner, label_of, plan, write};

/// Cases run at a time on several threads.
const BATCH: usize = 4096;

/// Compares along the recording; `Ok(None)` when the inputs do not line up with it
/// (having run nothing), or when the file was replaced between the two passes: then
/// [`matched`](super::matched) compares with the file now there, read whole.
pub(crate) fn compare<'c, J: Jailed>(
    jail: &J,
    cases: &'c CaseList<'c, J::Input>,
    ctx: &Context<'_>,
) -> Result<Option<Comparison<'c, J::Input>>, Error> {
    match lines_up(jail, cases, ctx) {
        Some((identity, digest)) => run(jail, cases, ctx, identity, digest),
        None => Ok(None),
    }
}

/// The first pass: does the recording hold exactly these inputs in this order? Returns the
/// file's identity and the digest of its inputs.
fn lines_up<J: Jailed>(
    jail: &J,
    cases: &CaseList<'_, J::Input>,
    ctx: &Context<'_>,
) -> Option<(Identity, u64)> {
    if ctx.env.mode == UpdateMode::Always || ctx.runs > 1 || ctx.shard.is_some() {
        return None;
    }
    let Ok(Some(reader)) = stream::open(&ctx.snapshot, ctx.max_snapshot_size) else {
        return None;
    };
    let may_write = plan::may_write(&ctx.env);
    if reader.header.info.cases != cases.len()
        || check_owner(jail.name(), &reader.header, ctx, may_write).is_err()
    {
        return None;
    }
    let identity = Identity::of_file(reader.file());
    let digest = inputs_match(reader, cases)?;
    Some((identity, digest))
}

/// The second pass: runs every case and compares it with the recording as it goes;
/// `Ok(None)` when the path no longer holds the file the first pass read (a recording
/// beside this run replaced it).
fn run<'c, J: Jailed>(
    jail: &J,
    cases: &'c CaseList<'c, J::Input>,
    ctx: &Context<'_>,
    identity: Identity,
    digest: u64,
) -> Result<Option<Comparison<'c, J::Input>>, Error> {
    // The file stays open from here on: a replacement written beside this run is a new
    // file, and this one reads the same bytes to the end.
    let reader = match stream::open(&ctx.snapshot, ctx.max_snapshot_size) {
        Ok(Some(r)) if r.header.info.cases == cases.len() => r,
        _ => return Ok(None),
    };
    if Identity::of_file(reader.file()) != identity {
        return Ok(None);
    }
    let recorded_redactions = Some(reader.header.info.redactions.clone());
    let recorded_note = reader.header.info.behaviours.clone();
    let mut run = Run::new(jail, cases, ctx, &identity, recorded_note);
    let count = reader.each_case(|case| run.case(case));
    match count {
        Ok(n) if n == cases.len() && run.digest == digest => {}
        Err(stream::Stop::Callback(e)) => return Err(e),
        // The same file, rewritten in place while it was read (kaizen never writes so):
        // compare again with what it holds now.
        _ => return Ok(None),
    }
    let (tally, pending) = (run.tally, run.pending);
    Ok(Some(Comparison {
        tally,
        snapshot: Some(identity),
        body: Body::Recording {
            pending,
            cases: cases.len(),
        },
        rerecording_differs: false,
        recorded_redactions,
    }))
}

/// The error for a snapshot that changed while this run read it.
pub(crate) fn changed_file(ctx: &Context<'_>) -> Error {
    Error::snapshot(
        &ctx.snapshot,
        None,
        "the snapshot changed while it was being verified",
        "run again",
    )
}

/// The first pass: true when every recorded input is the text of the source input at its
/// position, each input appears once, and the counts agree. Returns a digest of the inputs'
/// texts, to check that later passes read the same file.
fn inputs_match<I: serde::Serialize>(
    reader: stream::Reader,
    cases: &CaseList<'_, I>,
) -> Option<u64> {
    let mut text = String::new();
    // The hashes of the inputs, sorted afterwards to find one seen twice: 8 bytes per case,
    // where a hash set would take more than twice that and miss the cache on every insert.
    let mut hashes: Vec<u64> = Vec::with_capacity(cases.len());
    let mut digest = 0;
    let mut next = cases.inputs();
    let count = reader.each_case(|case| {
        let source = next.next().ok_or(())?;
        text.clear();
        format::write_input(&mut text, source).map_err(|_| ())?;
        if text != case.input {
            return Err(());
        }
        let h = hash(case.input);
        digest = mix(digest, h);
        hashes.push(h);
        Ok(())
    });
    if count.ok()? != cases.len() {
        return None;
    }
    // An input seen before (or, rarely, a collision): leave it to the matching path, which
    // drops duplicates.
    hashes.sort_unstable();
    if hashes.windows(2).any(|w| w[0] == w[1]) {
        return None;
    }
    Some(digest)
}

/// The second pass: runs each input and compares.
struct Run<'a, 'c, J: Jailed> {
    jail: &'a J,
    cases: &'a CaseList<'a, J::Input>,
    ctx: &'a Context<'c>,
    tally: Tally,
    /// The pending file, from the first changed case on, when one may be written.
    pending: Option<Streamed>,
    /// Whether a pending file may be written.
    keep_changes: bool,
    /// The file the first pass read, and the behaviour classes its header notes.
    identity: &'a Identity,
    recorded_note: Option<BehaviourNote>,
    /// Digest of the recorded inputs read so far.
    digest: u64,
    /// Position of the next case.
    next: usize,
    /// Text of the behaviour now (one thread).
    text: String,
    /// Behaviours now of the current batch (several threads).
    batch: Vec<Observed>,
}

impl<'a, 'c, J: Jailed> Run<'a, 'c, J> {
    fn new(
        jail: &'a J,
        cases: &'a CaseList<'a, J::Input>,
        ctx: &'a Context<'c>,
        identity: &'a Identity,
        recorded_note: Option<BehaviourNote>,
    ) -> Self {
        Run {
            jail,
            cases,
            ctx,
            tally: ctx.tally(jail.name()),
            pending: None,
            keep_changes: ctx.env.writes_pending(),
            identity,
            recorded_note,
            digest: 0,
            next: 0,
            text: String::new(),
            batch: Vec::new(),
        }
    }

    fn case(&mut self, case: RawCase<'_>) -> Result<(), Error> {
        let before = self.digest;
        self.digest = mix(self.digest, hash(case.input));
        let n = self.next;
        if n >= self.cases.len() {
            // More cases than the first pass saw: the caller reports the changed file.
            return Ok(());
        }
        self.next += 1;
        if self.ctx.jobs <= 1 {
            let mut now = std::mem::take(&mut self.text);
            now.clear();
            let input = self.cases.input(n);
            let behaviour = record::observe_into(self.jail, input, &mut now)?;
            (self.ctx.tick)();
            self.judge(n, case, &now, || behaviour.label().into_owned(), before);
            self.text = now;
        } else {
            if n.is_multiple_of(BATCH) {
                let end = (n + BATCH).min(self.cases.len());
                let inputs: Vec<&J::Input> = (n..end).map(|i| self.cases.input(i)).collect();
                self.batch = record::run_all(self.jail, &inputs, self.ctx.jobs, self.ctx.tick)?;
            }
            let Observed { text, label } = std::mem::take(&mut self.batch[n % BATCH]);
            self.judge(n, case, &text, || label, before);
        }
        Ok(())
    }

    /// Counts case `n` (0-based), which behaves as `now`, and writes it to the pending file
    /// (started at the first change; `digest` is that of the inputs before this case).
    fn judge(
        &mut self,
        n: usize,
        case: RawCase<'_>,
        now: &str,
        label: impl FnOnce() -> String,
        digest: u64,
    ) {
        self.tally.behaviour(case.input, now);
        let changed = if now == case.behaviour {
            self.tally.same();
            false
        } else if self.jail.same(case.behaviour, now) {
            self.tally.same_within();
            false
        } else {
            self.differ(n, case, now, label);
            true
        };
        if changed && self.keep_changes && self.pending.is_none() {
            self.pending = Some(self.start_pending(n, digest));
        }
        if let Some(pending) = &mut self.pending {
            pending.case(case.input, if changed { now } else { case.behaviour });
        }
    }

    /// Starts the pending file at case `n` (0-based), the first that changed: the cases
    /// before it are copied from the recording, read again (`digest` is that of their
    /// inputs).
    fn start_pending(&self, n: usize, digest: u64) -> Streamed {
        let ctx = self.ctx;
        let room = write::header_text(
            self.jail,
            ctx,
            self.cases.len(),
            true,
            self.recorded_note.clone(),
        );
        let path = crate::snapshot::pending_path(&ctx.snapshot);
        let mut pending = Streamed::start(&path, &room, ctx.max_snapshot_size);
        if n == 0 {
            return pending;
        }
        let reader = match stream::open(&ctx.snapshot, ctx.max_snapshot_size) {
            Ok(Some(r)) if Identity::of_file(r.file()) == *self.identity => r,
            // Replaced since the first pass: the write finds the file changed and this
            // comparison is done again.
            _ => {
                pending.fail(changed_file(ctx));
                return pending;
            }
        };
        let (mut copied, mut digest_now) = (0, 0);
        let _ = reader.each_case(|case| {
            if copied == n {
                return Err(());
            }
            digest_now = mix(digest_now, hash(case.input));
            pending.case(case.input, case.behaviour);
            copied += 1;
            Ok(())
        });
        if copied != n || digest_now != digest {
            pending.fail(changed_file(ctx));
        }
        pending
    }

    /// Counts that case `n` (0-based) behaves as `now` instead of as recorded.
    fn differ(&mut self, n: usize, case: RawCase<'_>, now: &str, label: impl FnOnce() -> String) {
        let cases = self.cases;
        let texts = (case.input, case.behaviour, now);
        self.tally.changed_case(n + 1, texts, || Difference {
            number: n + 1,
            line: case.line,
            origin: Some(cases.origin(n)),
            input: format::display_input(case.input),
            expected: format::display_behaviour(case.behaviour),
            actual: format::display_behaviour(now),
            expected_label: label_of(case.behaviour),
            actual_label: label(),
            shrunk: None,
            reproduce: Vec::new(),
            headline: None,
        });
    }
}
