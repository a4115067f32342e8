//! Shrinking a found killer below the candidate pool: the pool's first killer is the
//! smallest the pool holds, but a pool of seeded draws can hold `[17, 3, 20, 9]` where
//! `[0, 0, 20, 0]` kills too. Each round lists the inputs one step simpler
//! ([`crate::strengthen::simplify`]: a number toward `0`, `±1`, a string toward empty),
//! runs them on the unmutated build (a copy of the test binary kept from exploring) and on
//! the mutated one in behave mode, and keeps the first that still behaves otherwise — or
//! that the mutant hangs on — until none does.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use super::probe_run::{run_probe, write_request};
use super::strengthen::{Kill, Options};
use crate::Error;
use crate::strengthen::{behave, probe, simplify};

/// The most shrinking rounds per found input.
pub const MAX_ROUNDS: usize = 64;

/// Shrinks `kill`'s input while a simpler one still kills; `original` and `mutant` are the
/// test binaries, `dir` their request folder, `limit` the per-case time limit. Returns the
/// rounds that found a smaller input.
pub fn shrink_kill(
    opts: &Options,
    original: &Path,
    mutant: &Path,
    dir: &Path,
    limit: Duration,
    kill: &mut Kill,
) -> Result<usize, Error> {
    let mut failure = None;
    let mut hang = kill.hang;
    let mut first = |options: &[String]| {
        let sides = Sides {
            opts,
            original,
            mutant,
            dir,
            limit,
            jail: &kill.jail,
        };
        match sides.first_killer(options) {
            Ok(found) => found.map(|(i, hung)| {
                hang = hung;
                i
            }),
            Err(e) => {
                failure = Some(e);
                None
            }
        }
    };
    let (smallest, steps) = simplify::shrink(&kill.input, MAX_ROUNDS, &mut first);
    if let Some(e) = failure {
        return Err(e);
    }
    if steps > 0 {
        kill.shrunk_from = Some(std::mem::replace(&mut kill.input, smallest));
        kill.hang = hang;
    }
    Ok(steps)
}

struct Sides<'a> {
    opts: &'a Options,
    original: &'a Path,
    mutant: &'a Path,
    dir: &'a Path,
    limit: Duration,
    jail: &'a str,
}

impl Sides<'_> {
    /// The first of `options` that behaves otherwise on the mutant (or hangs it), and
    /// whether it hangs it.
    fn first_killer(&self, options: &[String]) -> Result<Option<(usize, bool)>, Error> {
        let list = behave::inputs_path(self.dir, self.jail);
        let json = serde_json::to_vec(options).map_err(|e| Error::Internal {
            message: e.to_string(),
        })?;
        crate::snapshot::write_atomic(&list, &json)?;
        write_request(
            self.dir,
            probe::Mode::Behave,
            &Default::default(),
            self.opts,
            &BTreeMap::new(),
        )?;
        let before = self.behaviours(self.original, options.len())?;
        let after = self.behaviours(self.mutant, options.len())?;
        let _ = std::fs::remove_file(&list);
        for (i, was) in before.iter().enumerate() {
            let Some(was) = was else { continue };
            match after.get(i) {
                Some(Some(now)) if now != was => return Ok(Some((i, false))),
                Some(_) => {}
                None => return Ok(Some((i, true))),
            }
        }
        Ok(None)
    }

    /// The behaviours `exe` gives the listed inputs, up to the first it hangs on.
    fn behaviours(&self, exe: &Path, count: usize) -> Result<Vec<Option<String>>, Error> {
        let _ = std::fs::remove_file(behave::behaved_path(self.dir, self.jail));
        let jail = self.jail;
        let done = |dir: &Path| behave::read(dir, jail).len() >= count;
        run_probe(exe, self.opts, self.dir, self.limit, &done)?;
        let mut found = behave::read(self.dir, self.jail);
        found.truncate(count);
        Ok(found)
    }
}
