//! The verifier's fast path, for the common case: the sources produce exactly the recorded
//! inputs, in the recorded order, once each.
//!
//! It reads the snapshot twice as a stream (see [`stream`]) and never holds the file, an
//! input's text or a behaviour's text longer than one case: the first pass checks that
//! source input `i` is written exactly as recorded case `i` (nothing runs yet); the second
//! runs each input and compares its behaviour with the recording as it goes. Anything else —
//! a missing or unusual file, another order, new, dropped or duplicate inputs, an input that
//! cannot be written, `KAIZEN_UPDATE=always` — returns `None` before anything has run or
//! been locked, and the general path takes over. Both paths give the same verdict (a
//! property test in `verify::tests` compares them).

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use crate::cases::Case;
use crate::env::UpdateMode;
use crate::jail::{Behaviour, Jailed};
use crate::record::{self, Observed};
use crate::snapshot::format::{self, RawCase, stream};
use crate::snapshot::lock::Lock;
use crate::{Error, Verdict};

use super::{Context, Difference, check_owner, label_of};

/// Cases run at a time on several threads.
const BATCH: usize = 4096;

/// What the fast path found.
pub(super) struct Found {
    pub(super) verdict: Verdict,
    /// The behaviour now of each changed case (by 0-based position), kept only when a
    /// pending file may be written.
    pub(super) changed: Vec<(usize, String)>,
    /// The snapshot lock, when the run may write.
    pub(super) lock: Option<Lock>,
}

/// Verifies along the recording; `Ok(None)` (having run and locked nothing) when the fast
/// path does not apply.
pub(super) fn verify<J: Jailed>(
    jail: &J,
    cases: &[Case<J::Input>],
    ctx: &Context<'_>,
) -> Result<Option<Found>, Error> {
    if ctx.env.mode == UpdateMode::Always || ctx.runs > 1 {
        return Ok(None);
    }
    let may_write =
        ctx.env.records_missing() || ctx.env.writes_pending() || ctx.env.mode == UpdateMode::Always;
    let Ok(Some(reader)) = stream::open(&ctx.snapshot) else {
        return Ok(None);
    };
    if reader.header.info.cases != cases.len()
        || check_owner(jail.name(), &reader.header, ctx, may_write).is_err()
    {
        return Ok(None);
    }
    let Some(digest) = inputs_match(reader, cases) else {
        return Ok(None);
    };

    let lock = if may_write {
        Some(Lock::acquire(&ctx.snapshot)?)
    } else {
        None
    };
    let changed_file = || {
        Error::snapshot(
            &ctx.snapshot,
            None,
            "the snapshot changed while it was being verified",
            "run again",
        )
    };
    let reader = match stream::open(&ctx.snapshot) {
        Ok(Some(r)) if r.header.info.cases == cases.len() => r,
        _ => return Err(changed_file()),
    };
    let mut run = Run::new(jail, cases, ctx);
    let mut digest_now = 0;
    let count = reader.each_case(|case| {
        digest_now = mix(digest_now, hash(case.input));
        run.case(case)
    });
    match count {
        Ok(n) if n == cases.len() && digest_now == digest => {}
        Err(stream::Stop::Callback(e)) => return Err(e),
        _ => return Err(changed_file()),
    }
    let (verdict, changed) = run.finish();
    Ok(Some(Found {
        verdict,
        changed,
        lock,
    }))
}

/// The first pass: true when every recorded input is the text of the source input at its
/// position, each input appears once, and the counts agree. Returns a digest of the inputs'
/// texts, to check that the second pass reads the same file.
fn inputs_match<I: serde::Serialize>(reader: stream::Reader, cases: &[Case<I>]) -> Option<u64> {
    let mut text = String::new();
    let mut seen: HashSet<u64, BuildHasherDefault<Prehashed>> =
        HashSet::with_capacity_and_hasher(cases.len(), Default::default());
    let mut digest = 0;
    let mut next = cases.iter();
    let count = reader.each_case(|case| {
        let source = next.next().ok_or(())?;
        text.clear();
        format::write_input(&mut text, &source.input).map_err(|_| ())?;
        if text != case.input {
            return Err(());
        }
        let h = hash(case.input);
        digest = mix(digest, h);
        // An input seen before (or, rarely, a collision): leave it to the general path,
        // which drops duplicates.
        if !seen.insert(h) {
            return Err(());
        }
        Ok(())
    });
    (count.ok()? == cases.len()).then_some(digest)
}

/// A fast, non-cryptographic hash of a text (word at a time, FxHash's mixing).
fn hash(text: &str) -> u64 {
    let b = text.as_bytes();
    let mut h = b.len() as u64;
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        h = mix(
            h,
            u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]),
        );
    }
    let mut last = [0u8; 8];
    last[..words.remainder().len()].copy_from_slice(words.remainder());
    mix(h, u64::from_le_bytes(last))
}

fn mix(h: u64, word: u64) -> u64 {
    (h.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// The hasher of a set of hashes: takes them as they are.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = mix(self.0, u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The second pass: runs each input and compares.
struct Run<'a, 'c, J: Jailed> {
    jail: &'a J,
    cases: &'a [Case<J::Input>],
    ctx: &'a Context<'c>,
    verdict: Verdict,
    changed: Vec<(usize, String)>,
    /// Position of the next case.
    next: usize,
    /// Text of the behaviour now (one thread).
    text: String,
    /// Behaviours now of the current batch (several threads).
    batch: Vec<Observed>,
}

impl<'a, 'c, J: Jailed> Run<'a, 'c, J> {
    fn new(jail: &'a J, cases: &'a [Case<J::Input>], ctx: &'a Context<'c>) -> Self {
        let verdict = Verdict::new(
            jail.name(),
            ctx.snapshot.clone(),
            cases.len(),
            &ctx.env,
            &ctx.record_command,
            super::Baseline::Snapshot,
        );
        Run {
            jail,
            cases,
            ctx,
            verdict,
            changed: Vec::new(),
            next: 0,
            text: String::new(),
            batch: Vec::new(),
        }
    }

    fn case(&mut self, case: RawCase<'_>) -> Result<(), Error> {
        let n = self.next;
        let Some(source) = self.cases.get(n) else {
            // More cases than the first pass saw: the caller reports the changed file.
            return Ok(());
        };
        self.next += 1;
        if self.ctx.jobs <= 1 {
            self.text.clear();
            let behaviour = record::observe_into(self.jail, &source.input, &mut self.text)?;
            (self.ctx.tick)();
            if self.text != case.behaviour {
                let now = std::mem::take(&mut self.text);
                self.differ(n, case, &now, &behaviour.label());
                self.text = now;
            }
        } else {
            if n.is_multiple_of(BATCH) {
                let end = (n + BATCH).min(self.cases.len());
                let inputs: Vec<&J::Input> = self.cases[n..end].iter().map(|c| &c.input).collect();
                self.batch = record::run_all(self.jail, &inputs, self.ctx.jobs, self.ctx.tick)?;
            }
            let now = std::mem::take(&mut self.batch[n % BATCH]);
            if now.text != case.behaviour {
                self.differ(n, case, &now.text, &now.label);
            }
        }
        Ok(())
    }

    fn finish(mut self) -> (Verdict, Vec<(usize, String)>) {
        self.verdict.same = self.next - self.verdict.changed;
        (self.verdict, self.changed)
    }

    /// Records that case `n` (0-based) behaves as `now` instead of as recorded.
    fn differ(&mut self, n: usize, case: RawCase<'_>, now: &str, label: &str) {
        self.verdict.changed += 1;
        if self.verdict.differences.len() < self.ctx.max_shown {
            self.verdict.differences.push(Difference {
                number: n + 1,
                line: case.line,
                origin: Some(self.cases[n].origin.clone()),
                input: format::display_input(case.input),
                expected: format::display_behaviour(case.behaviour),
                actual: format::display_behaviour(now),
                expected_label: label_of(case.behaviour),
                actual_label: label.to_string(),
                shrunk: None,
            });
        }
        if self.ctx.env.writes_pending() {
            self.changed.push((n, now.to_string()));
        }
    }
}
