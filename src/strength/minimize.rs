//! Minimizing: the fewest recorded cases that still kill every mutant the full set kills.
//!
//! cargo-mutants says which mutants the characterization catches, not which cases catch
//! them. kaizen builds the kill matrix itself: per caught mutant (applied as strengthening
//! applies a survivor, one build each), the test binary replays every recorded case of each
//! jail in matrix mode and marks each case that behaves otherwise than recorded; a case the
//! mutant hangs on kills it, and the replay goes on after it. Then, per jail, greedy set
//! cover: take the case that kills the most mutants not yet killed (the earliest on a tie)
//! until every mutant the jail's full set kills is killed — at most H(m) ≈ ln m + 1 times the
//! smallest such set for m mutants — and keep the first case of every behaviour class
//! (`distribution`) the cover left out. The reduced snapshot is written as a pending file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::outcomes::{Mutant, Outcome, Outcomes};
use super::probe_run::{build, run_probe};
use super::strengthen::{Mutated, Options, restore_backups};
use crate::Error;
use crate::snapshot::{self, MinimizedNote};
use crate::strengthen::probe::{self, Mode, Request, Times};

/// One jail's reduction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// The jail.
    pub jail: String,
    /// Cases before.
    pub before: usize,
    /// The kept cases (0-based, file order).
    pub kept: Vec<usize>,
    /// Mutants the jail's cases kill (the kept ones kill them all).
    pub mutants_killed: usize,
    /// Kept only to keep a behaviour class.
    pub for_classes: usize,
    /// Time of all cases, and of the kept ones, on the unmutated code (microseconds).
    pub micros: (u64, u64),
    /// The pending file written.
    pub pending: PathBuf,
}

/// What a minimizing run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Caught mutants replayed.
    pub mutants: usize,
    /// Of them, the ones that did not build here.
    pub unbuilt: usize,
    /// Per jail.
    pub cuts: Vec<Cut>,
    /// Caught mutants (by cargo-mutants' name) that no replayed case killed here.
    pub unkilled: Vec<String>,
    /// Wall time.
    pub wall: Duration,
}

/// Reduces every jail of the test targets to the cases that kill the caught mutants of `runs`.
pub fn minimize(
    opts: &Options,
    runs: &[Outcomes],
    note: &mut dyn FnMut(&str),
) -> Result<Report, Error> {
    let started = Instant::now();
    restore_backups(&opts.work, &opts.root)?;
    let caught = caught_mutants(runs);
    let mut report = Report {
        mutants: caught.len(),
        ..Report::default()
    };
    let mut killed: BTreeSet<usize> = BTreeSet::new();
    for test in &opts.tests {
        let dir = opts.work.join("matrix").join(test);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, "create", e))?;
        note(&format!("building {test} and timing its cases"));
        let exe = build(&opts.root, test, &opts.work)?;
        let jails = replay(opts, &exe, &dir, &BTreeMap::new())?;
        let kills = kill_matrix(opts, test, &dir, &jails, &caught, &mut report, note)?;
        for (jail, (times, _)) in &jails {
            report.cuts.push(cut(jail, times, &kills[jail])?);
        }
        for set in kills.values().flatten() {
            killed.extend(set.iter().copied());
        }
    }
    report.unkilled = (0..caught.len())
        .filter(|k| !killed.contains(k))
        .map(|k| caught[k].name.clone())
        .collect();
    report.wall = started.elapsed();
    Ok(report)
}

/// The mutants the runs caught (a timeout counts), each once.
fn caught_mutants(runs: &[Outcomes]) -> Vec<Mutant> {
    let mut caught: Vec<Mutant> = Vec::new();
    for t in runs.iter().flat_map(|r| &r.tested) {
        let kills = matches!(t.outcome, Outcome::Caught | Outcome::Timeout);
        if kills && !caught.iter().any(|m| m.name == t.mutant.name) {
            caught.push(t.mutant.clone());
        }
    }
    caught
}

/// For each jail of one test target, which of the `caught` mutants each recorded case kills:
/// one build of the target per mutant, every case judged against its recording.
fn kill_matrix(
    opts: &Options,
    test: &str,
    dir: &std::path::Path,
    jails: &BTreeMap<String, (Times, Vec<u8>)>,
    caught: &[Mutant],
    report: &mut Report,
    note: &mut dyn FnMut(&str),
) -> Result<BTreeMap<String, Vec<BTreeSet<usize>>>, Error> {
    let mut kills: BTreeMap<String, Vec<BTreeSet<usize>>> = BTreeMap::new();
    for (jail, (times, marks)) in jails {
        if marks.iter().any(|&m| m != b's') {
            return Err(Error::Config {
                message: format!(
                    "jail {jail}: the recorded cases do not pass on the unmutated code"
                ),
                hint: "run `cargo test` and make it pass (record or accept) first".into(),
            });
        }
        kills.insert(jail.clone(), vec![BTreeSet::new(); times.micros.len()]);
    }
    let slowest = jails.values().flat_map(|(t, _)| &t.micros).max().copied();
    let limit =
        Duration::from_micros(slowest.unwrap_or(0).saturating_mul(50)).max(Duration::from_secs(1));
    let cases: BTreeMap<String, usize> = jails
        .iter()
        .map(|(j, (t, _))| (j.clone(), t.micros.len()))
        .collect();
    for (k, mutant) in caught.iter().enumerate() {
        note(&format!(
            "mutant {} of {}: {}",
            k + 1,
            caught.len(),
            mutant.name
        ));
        let exe = {
            let _mutated = Mutated::apply(&opts.root, &opts.work, mutant)?;
            build(&opts.root, test, &opts.work)
        };
        let Ok(exe) = exe else {
            report.unbuilt += 1;
            continue;
        };
        for (jail, marks) in judge_all(opts, &exe, dir, &cases, limit)? {
            let Some(sets) = kills.get_mut(&jail) else {
                continue;
            };
            for (i, &m) in marks.iter().enumerate() {
                if (m == b'd' || m == b'h') && i < sets.len() {
                    sets[i].insert(k);
                }
            }
        }
    }
    Ok(kills)
}

/// Runs a test binary in matrix mode from the given cases on, and reads back each jail's
/// times and marks.
#[allow(clippy::type_complexity)]
fn replay(
    opts: &Options,
    exe: &std::path::Path,
    dir: &std::path::Path,
    from: &BTreeMap<String, usize>,
) -> Result<BTreeMap<String, (Times, Vec<u8>)>, Error> {
    write(dir, from)?;
    run_probe(exe, opts, dir, Duration::from_secs(20), &|_| false)?;
    let mut jails = BTreeMap::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, "list", e))? {
        let path = entry.map_err(|e| Error::io(dir, "list", e))?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let Some(jail) = name.as_deref().and_then(|n| n.strip_suffix(".times.json")) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, "read", e))?;
        let times: Times = serde_json::from_str(&text).map_err(|e| Error::Internal {
            message: format!("{}: {e}", path.display()),
        })?;
        let marks =
            std::fs::read(probe::progress_path(dir, jail, Mode::Matrix)).unwrap_or_default();
        jails.insert(jail.to_string(), (times, marks));
    }
    Ok(jails)
}

fn write(dir: &std::path::Path, from: &BTreeMap<String, usize>) -> Result<(), Error> {
    let request = Request {
        mode: Mode::Matrix,
        literals: Default::default(),
        budget: 0,
        seed: 0,
        skip: BTreeMap::new(),
        from: from.clone(),
    };
    let json = serde_json::to_vec(&request).map_err(|e| Error::Internal {
        message: e.to_string(),
    })?;
    snapshot::write_atomic(&probe::request_path(dir), &json)
}

/// Replays every case of every jail on one mutant build; a case it hangs on is marked `h`
/// and the replay goes on after it (at most five hangs).
fn judge_all(
    opts: &Options,
    exe: &std::path::Path,
    dir: &std::path::Path,
    cases: &BTreeMap<String, usize>,
    limit: Duration,
) -> Result<BTreeMap<String, Vec<u8>>, Error> {
    let marks_of = |jail: &str| {
        std::fs::read(probe::progress_path(dir, jail, Mode::Matrix)).unwrap_or_default()
    };
    let mut from: BTreeMap<String, usize> = cases.keys().map(|j| (j.clone(), 0)).collect();
    // The previous mutant's marks would read as this one's finished replay.
    for jail in cases.keys() {
        let _ = std::fs::remove_file(probe::progress_path(dir, jail, Mode::Matrix));
    }
    for _ in 0..6 {
        write(dir, &from)?;
        let done = |_: &std::path::Path| cases.iter().all(|(j, &n)| marks_of(j).len() >= n);
        let stalled = run_probe(exe, opts, dir, limit, &done)?;
        if !stalled {
            break;
        }
        for (jail, &n) in cases {
            let mut marks = marks_of(jail);
            if marks.len() < n && stalled {
                marks.push(b'h');
                let path = probe::progress_path(dir, jail, Mode::Matrix);
                std::fs::write(&path, &marks).map_err(|e| Error::io(&path, "write", e))?;
            }
            from.insert(jail.clone(), marks.len().min(n));
        }
    }
    Ok(cases.keys().map(|j| (j.clone(), marks_of(j))).collect())
}

/// Greedy set cover of one jail's cases, plus one case per behaviour class; writes the pending
/// file.
fn cut(jail: &str, times: &Times, kills: &[BTreeSet<usize>]) -> Result<Cut, Error> {
    let loaded = snapshot::load(&times.snapshot)?.ok_or_else(|| Error::Config {
        message: format!("no snapshot {}", times.snapshot.display()),
        hint: "record the jail first".into(),
    })?;
    let cases = loaded.cases()?;
    let kept_cover = cover(kills);
    let universe: BTreeSet<usize> = kills.iter().flatten().copied().collect();
    let mut kept: BTreeSet<usize> = kept_cover.iter().copied().collect();
    let mut classes: BTreeSet<String> = kept
        .iter()
        .map(|&i| crate::distribution::classify(cases[i].behaviour).0)
        .collect();
    let mut for_classes = 0;
    for (i, case) in cases.iter().enumerate() {
        if classes.insert(crate::distribution::classify(case.behaviour).0) && kept.insert(i) {
            for_classes += 1;
        }
    }
    let mut header = loaded.header.clone();
    let mut body = String::new();
    for &i in &kept {
        body.push_str(cases[i].input);
        body.push_str(cases[i].behaviour);
    }
    header.description = Some(format!(
        "kaizen characterization of `{jail}`: {} of {} cases, kept by `kaizen strength \
         --minimize` because they kill the same {} mutants. Review before accepting.",
        kept.len(),
        cases.len(),
        universe.len()
    ));
    if let Some(info) = header.info.as_mut() {
        info.cases = kept.len();
        info.minimized = Some(MinimizedNote {
            from: cases.len(),
            mutants_killed: universe.len(),
        });
    }
    let pending = snapshot::pending_path(&times.snapshot);
    snapshot::write_atomic(&pending, snapshot::render(&header, &body).as_bytes())?;
    let sum = |ids: &mut dyn Iterator<Item = usize>| {
        ids.map(|i| times.micros.get(i).copied().unwrap_or(0)).sum()
    };
    Ok(Cut {
        jail: jail.to_string(),
        before: cases.len(),
        kept: kept.iter().copied().collect(),
        mutants_killed: universe.len(),
        for_classes,
        micros: (sum(&mut (0..cases.len())), sum(&mut kept.iter().copied())),
        pending,
    })
}

/// Greedy set cover: the case killing the most mutants not yet killed, earliest on a tie,
/// until every mutant any case kills is killed.
pub fn cover(kills: &[BTreeSet<usize>]) -> Vec<usize> {
    let mut left: BTreeSet<usize> = kills.iter().flatten().copied().collect();
    let mut chosen = Vec::new();
    while !left.is_empty() {
        let best = (0..kills.len())
            .max_by_key(|&i| (kills[i].intersection(&left).count(), std::cmp::Reverse(i)));
        let Some(best) = best else { break };
        if kills[best].intersection(&left).next().is_none() {
            break;
        }
        for m in &kills[best] {
            left.remove(m);
        }
        chosen.push(best);
    }
    chosen.sort_unstable();
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sets(rows: &[&[usize]]) -> Vec<BTreeSet<usize>> {
        rows.iter().map(|r| r.iter().copied().collect()).collect()
    }

    #[test]
    fn the_cover_kills_every_mutant_the_full_set_kills_with_fewer_cases() {
        let kills = sets(&[&[0], &[0, 1], &[2], &[1, 2, 3], &[], &[3]]);
        let kept = cover(&kills);
        assert_eq!(kept, vec![0, 3]);
        let killed: BTreeSet<usize> = kept.iter().flat_map(|&i| kills[i].clone()).collect();
        assert_eq!(killed, (0..4).collect());
    }

    #[test]
    fn with_no_mutant_killed_no_case_is_needed_and_a_tie_takes_the_earliest() {
        assert_eq!(cover(&sets(&[&[], &[]])), Vec::<usize>::new());
        assert_eq!(cover(&sets(&[&[5], &[5]])), vec![0]);
    }
}
