//! Strengthening: for each mutant the recorded cases miss, search for an input that tells it
//! apart from the original, and add it to the jail's cases.
//!
//! cargo-mutants made the mutants; kaizen applies one survivor at a time itself (its span and
//! replacement from `outcomes.json`, in place, the file restored afterwards — also after a
//! crash, from a backup under the work folder), builds the characterization test target once,
//! and runs it in judge mode ([`crate::strengthen::probe`]): the test binary runs the whole
//! candidate pool on that one build and stops at the first candidate that behaves otherwise
//! than the original did — whose behaviour on the same pool was recorded once, in explore
//! mode. One build per survivor, not one per candidate. A candidate that makes no progress
//! within the per-case time limit (derived from the slowest candidate on the original) is a
//! hang: the mutant is caught by it in seconds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::outcomes::{Mutant, Outcome, Outcomes};
use super::probe_run::{build, run_probe, write_request};
use crate::Error;
use crate::env;
use crate::strengthen::values::Literals;
use crate::strengthen::{added, probe};

/// What to strengthen and with what budget.
#[derive(Debug, Clone)]
pub struct Options {
    /// The package folder.
    pub root: PathBuf,
    /// The characterization test targets.
    pub tests: Vec<String>,
    /// kaizen's work folder (requests, pools, logs, backups).
    pub work: PathBuf,
    /// The most candidates per jail.
    pub budget: usize,
    /// The seed of the random draws.
    pub seed: u64,
}

/// A survivor killed by a found input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kill {
    /// cargo-mutants' name of the mutant.
    pub mutant: String,
    /// The mutant in kaizen's words: `jail/band.rs:5:33: replace > with >= in price_band`.
    pub said: String,
    /// The jail whose candidate tells it apart.
    pub jail: String,
    /// The input text (`- input: …`).
    pub input: String,
    /// True when the mutant hung on the input (it ran past the time limit).
    pub hang: bool,
    /// The input the pool gave, when a smaller one was found below it.
    pub shrunk_from: Option<String>,
}

/// What a strengthening run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Survivors tried.
    pub survivors: usize,
    /// The ones a found input kills.
    pub killed: Vec<Kill>,
    /// The ones left, with why.
    pub left: Vec<(String, String)>,
    /// Candidates per jail, with the shapes whose every combination was tried.
    pub pools: BTreeMap<String, (usize, usize, usize)>,
    /// Inputs added per strengthened-inputs file.
    pub added: BTreeMap<PathBuf, usize>,
    /// The pending snapshot files holding the new cases, for review.
    pub pending: Vec<PathBuf>,
    /// Wall time of the whole run.
    pub wall: Duration,
}

/// Strengthens the characterization against the survivors of `runs`.
pub fn strengthen(
    opts: &Options,
    runs: &[Outcomes],
    note: &mut dyn FnMut(&str),
) -> Result<Report, Error> {
    let started = Instant::now();
    restore_backups(&opts.work, &opts.root)?;
    let mut survivors: Vec<Mutant> = Vec::new();
    for t in runs.iter().flat_map(|r| &r.tested) {
        if t.outcome == Outcome::Missed && !survivors.iter().any(|m| m.name == t.mutant.name) {
            survivors.push(t.mutant.clone());
        }
    }
    let mut report = Report {
        survivors: survivors.len(),
        ..Report::default()
    };
    let literals = super::literals::literals(&opts.root, &survivors);
    let mut pools: BTreeMap<String, probe::Pool> = BTreeMap::new();
    for test in &opts.tests {
        let dir = opts.work.join("requests").join(test);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, "create", e))?;
        note(&format!("building {test} and exploring its candidates"));
        let exe = build(&opts.root, test, &opts.work)?;
        let found = explore(opts, &exe, &dir, &literals)?;
        keep_original(&exe, &opts.work, test)?;
        for pool in found {
            let name = pool.jail.clone();
            report.pools.insert(
                name.clone(),
                (pool.inputs.len(), pool.shapes, pool.exhaustive),
            );
            pools.insert(format!("{test}/{name}"), pool);
        }
    }
    for (n, mutant) in survivors.iter().enumerate() {
        note(&format!(
            "survivor {} of {}: {}",
            n + 1,
            survivors.len(),
            mutant.name
        ));
        match judge_one(opts, mutant, &pools)? {
            Ok(kill) => report.killed.push(kill),
            Err(why) => report.left.push((mutant.name.clone(), why)),
        }
    }
    save_kills(opts, &pools, &mut report, note)?;
    report.wall = started.elapsed();
    Ok(report)
}

/// Appends each found input to its jail's `NAME.strengthened.yaml` and records the new
/// cases to pending files for review.
fn save_kills(
    opts: &Options,
    pools: &BTreeMap<String, probe::Pool>,
    report: &mut Report,
    note: &mut dyn FnMut(&str),
) -> Result<(), Error> {
    let mut by_file: BTreeMap<PathBuf, Vec<(String, String)>> = BTreeMap::new();
    for kill in &report.killed {
        if let Some(pool) = pools.values().find(|p| p.jail == kill.jail) {
            by_file
                .entry(added::path(&pool.snapshot))
                .or_default()
                .push((kill.said.clone(), kill.input.clone()));
        }
    }
    for (file, entries) in by_file {
        let n = added::append(&file, &entries)?;
        report.added.insert(file, n);
    }
    if !report.added.is_empty() {
        note("recording the new cases to pending files");
        for test in &opts.tests {
            record_pending(&opts.root, test, &opts.work)?;
        }
        for file in report.added.keys() {
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
            let stem = name
                .as_deref()
                .and_then(|n| n.strip_suffix(".strengthened.yaml"));
            if let Some(stem) = stem {
                let pending = file.with_file_name(format!("{stem}.snap.new"));
                if pending.exists() {
                    report.pending.push(pending);
                }
            }
        }
    }
    Ok(())
}

/// Runs a test target as `cargo test` does with `KAIZEN_UPDATE=new`: the jails with new
/// (strengthened) inputs write pending files; no snapshot is overwritten.
fn record_pending(root: &Path, test: &str, work: &Path) -> Result<(), Error> {
    let log = work.join("record.log");
    let file = std::fs::File::create(&log).map_err(|e| Error::io(&log, "create", e))?;
    let err = file.try_clone().map_err(|e| Error::io(&log, "open", e))?;
    Command::new("cargo")
        .args(["test", "--test", test])
        .current_dir(root)
        .env(env::UPDATE, "new")
        .env_remove(env::STRENGTHEN)
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(err)
        .status()
        .map_err(|e| Error::io(root, "run cargo test", e))?;
    Ok(())
}

/// Applies one survivor, builds, and judges the pools of every test target with it.
fn judge_one(
    opts: &Options,
    mutant: &Mutant,
    pools: &BTreeMap<String, probe::Pool>,
) -> Result<Result<Kill, String>, Error> {
    for test in &opts.tests {
        let ours: Vec<&probe::Pool> = pools
            .iter()
            .filter(|(k, _)| k.starts_with(&format!("{test}/")))
            .map(|(_, p)| p)
            .collect();
        if ours.is_empty() {
            continue;
        }
        let exe = {
            let _mutated = Mutated::apply(&opts.root, &opts.work, mutant)?;
            match build(&opts.root, test, &opts.work) {
                Ok(exe) => exe,
                Err(_) => return Ok(Err("the mutant does not build here".into())),
            }
        };
        let dir = opts.work.join("requests").join(test);
        if let Some(mut kill) = judge_built(opts, &exe, &dir, mutant, &ours)? {
            let original = original_path(&opts.work, test);
            let limit = case_limit(&ours);
            super::shrink::shrink_kill(opts, &original, &exe, &dir, limit, &mut kill)?;
            return Ok(Ok(kill));
        }
    }
    Ok(Err("no candidate tells it apart".into()))
}

/// Runs the test binary `exe`, built with `mutant` applied, in judge mode on the explored
/// `pools` of its jails (their request folder `dir`), and returns the kill its first
/// telling candidate makes, if any. A candidate that makes no progress within the per-case
/// limit — 50 times the slowest candidate on the original, at least 1 s — is a hang: the
/// binary is killed and the mutant counted caught by that candidate.
pub fn judge_built(
    opts: &Options,
    exe: &Path,
    dir: &Path,
    mutant: &Mutant,
    pools: &[&probe::Pool],
) -> Result<Option<Kill>, Error> {
    write_request(
        dir,
        probe::Mode::Judge,
        &Literals::default(),
        opts,
        &BTreeMap::new(),
    )?;
    for pool in pools {
        let _ = std::fs::remove_file(probe::progress_path(dir, &pool.jail, probe::Mode::Judge));
    }
    let limit = case_limit(pools);
    let stalled = run_probe(exe, opts, dir, limit, &|dir| judge_done(dir, pools))?;
    for pool in pools {
        let marks = std::fs::read(probe::progress_path(dir, &pool.jail, probe::Mode::Judge))
            .unwrap_or_default();
        let hang = stalled && marks.len() < pool.inputs.len() && marks.last() != Some(&b'd');
        let at = if marks.last() == Some(&b'd') {
            marks.len() - 1
        } else if hang {
            marks.len()
        } else {
            continue;
        };
        return Ok(Some(Kill {
            mutant: mutant.name.clone(),
            said: said(mutant),
            jail: pool.jail.clone(),
            input: pool.inputs[at].clone(),
            hang,
            shrunk_from: None,
        }));
    }
    Ok(None)
}

/// The per-case time limit on a mutant: 50 times the slowest candidate on the original, at
/// least 1 s.
pub fn case_limit(pools: &[&probe::Pool]) -> Duration {
    let slowest = pools.iter().map(|p| p.max_case_micros).max().unwrap_or(0);
    Duration::from_micros(slowest.saturating_mul(50)).max(Duration::from_secs(1))
}

/// Where the unmutated test binary of `test` is kept while mutants are built over it.
pub fn original_path(work: &Path, test: &str) -> PathBuf {
    work.join("original").join(test)
}

/// Keeps a copy of the unmutated test binary: cargo writes each mutant's build to the same
/// path, and shrinking a found input runs both.
fn keep_original(exe: &Path, work: &Path, test: &str) -> Result<(), Error> {
    let kept = original_path(work, test);
    if let Some(parent) = kept.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create", e))?;
    }
    std::fs::copy(exe, &kept).map_err(|e| Error::io(&kept, "keep the unmutated test binary", e))?;
    Ok(())
}

/// `jail/band.rs:5:33: replace > with >= in price_band`: cargo-mutants' words with the file
/// as kaizen names it.
fn said(mutant: &Mutant) -> String {
    let what = mutant
        .name
        .split_once(": ")
        .map_or(mutant.name.as_str(), |(_, w)| w);
    let at = mutant.span.start;
    format!("{}:{}:{}: {what}", mutant.file, at.line, at.column)
}

fn judge_done(dir: &Path, pools: &[&probe::Pool]) -> bool {
    pools.iter().all(|p| {
        let marks = std::fs::read(probe::progress_path(dir, &p.jail, probe::Mode::Judge))
            .unwrap_or_default();
        marks.last() == Some(&b'd') || marks.len() >= p.inputs.len()
    })
}

/// Explores the unmutated test binary; a candidate the original hangs on is left out and the
/// exploration restarted (at most five times).
fn explore(
    opts: &Options,
    exe: &Path,
    dir: &Path,
    literals: &Literals,
) -> Result<Vec<probe::Pool>, Error> {
    let mut skip: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for _ in 0..6 {
        write_request(dir, probe::Mode::Explore, literals, opts, &skip)?;
        let stalled = run_probe(exe, opts, dir, Duration::from_secs(5), &|_| false)?;
        let mut pools = Vec::new();
        let mut hung = None;
        for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, "list", e))? {
            let path = entry.map_err(|e| Error::io(dir, "list", e))?.path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let Some(jail) = name.as_deref().and_then(|n| n.strip_suffix(".explored")) else {
                continue;
            };
            let pool_file = probe::pool_path(dir, jail);
            match std::fs::read_to_string(&pool_file) {
                Ok(text) => {
                    pools.push(serde_json::from_str(&text).map_err(|e| Error::Internal {
                        message: format!("{}: {e}", pool_file.display()),
                    })?)
                }
                Err(_) if stalled => {
                    let marks = std::fs::read(&path).unwrap_or_default();
                    let done = marks.iter().filter(|&&b| b == b's' || b == b'x').count();
                    hung = Some((jail.to_string(), done));
                }
                Err(_) => {}
            }
        }
        match hung {
            Some((jail, at)) => skip.entry(jail).or_default().push(at),
            None => return Ok(pools),
        }
    }
    Err(Error::Config {
        message: "the unmutated code hangs on more than five candidate inputs".into(),
        hint: "give the jail a timeout (`Jail::timeout`) so a hang is recorded behaviour".into(),
    })
}

/// A legacy file with one mutant applied; the original text is put back when dropped, and a
/// backup under the work folder brings it back after a crash ([`restore_backups`]).
pub(super) struct Mutated {
    path: PathBuf,
    backup: PathBuf,
    original: String,
}

impl Mutated {
    pub(super) fn apply(root: &Path, work: &Path, mutant: &Mutant) -> Result<Mutated, Error> {
        let path = root.join(&mutant.file);
        let original = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, "read", e))?;
        let mutated = replace_span(&original, mutant).ok_or_else(|| Error::Config {
            message: format!(
                "{}: the mutant `{}` is not where cargo-mutants said",
                path.display(),
                mutant.name
            ),
            hint: "the file changed since cargo-mutants ran: run `kaizen strength` again".into(),
        })?;
        let backup = work.join("backup").join(&mutant.file);
        if let Some(parent) = backup.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, "create", e))?;
        }
        std::fs::write(&backup, &original).map_err(|e| Error::io(&backup, "write", e))?;
        std::fs::write(&path, mutated).map_err(|e| Error::io(&path, "write the mutant", e))?;
        Ok(Mutated {
            path,
            backup,
            original,
        })
    }
}

impl Drop for Mutated {
    fn drop(&mut self) {
        if std::fs::write(&self.path, &self.original).is_ok() {
            let _ = std::fs::remove_file(&self.backup);
        }
    }
}

/// Puts back every legacy file a killed run left mutated.
pub(super) fn restore_backups(work: &Path, root: &Path) -> Result<(), Error> {
    let backups = work.join("backup");
    let mut stack = vec![backups.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
        {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(&backups) {
                let target = root.join(relative);
                std::fs::copy(&path, &target).map_err(|e| Error::io(&target, "restore", e))?;
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    Ok(())
}

/// `source` with the mutant's span replaced (lines and columns 1-based, in characters, the
/// end exclusive).
pub fn replace_span(source: &str, mutant: &Mutant) -> Option<String> {
    let offset = |line: usize, column: usize| -> Option<usize> {
        let mut at = 0;
        for (n, text) in source.split_inclusive('\n').enumerate() {
            if n + 1 == line {
                let chars = text.char_indices().map(|(i, _)| i).chain([text.len()]);
                return chars.clone().nth(column - 1).map(|i| at + i);
            }
            at += text.len();
        }
        None
    };
    let start = offset(mutant.span.start.line, mutant.span.start.column)?;
    let end = offset(mutant.span.end.line, mutant.span.end.column)?;
    (start <= end).then(|| {
        format!(
            "{}{}{}",
            &source[..start],
            mutant.replacement,
            &source[end..]
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strength::outcomes;

    #[test]
    fn each_captured_mutant_applies_where_cargo_mutants_put_it() {
        let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/strength");
        let run = outcomes::read(&fixture.join("captured")).unwrap();
        let source = std::fs::read_to_string(fixture.join("jail/band.rs")).unwrap();
        let survivor = run
            .tested
            .iter()
            .find(|t| t.outcome == Outcome::Missed)
            .unwrap();
        let mutated = replace_span(&source, &survivor.mutant).unwrap();
        assert!(
            mutated.contains("let mut band = if weight_kg >= 20 {"),
            "{mutated}"
        );
        let body = run
            .tested
            .iter()
            .find(|t| t.mutant.genre == "FnValue" && t.mutant.replacement == "0")
            .unwrap();
        let replaced = replace_span(&source, &body.mutant).unwrap();
        assert!(replaced.contains("-> u32 {\n    0\n}"), "{replaced}");
        let found =
            crate::strength::literals::literals(&fixture, std::slice::from_ref(&survivor.mutant));
        assert_eq!(found.ints, vec![20]);
    }
}
