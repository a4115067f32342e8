//! Crash safety: a recording process killed with SIGKILL at random moments leaves either the
//! old snapshot or the complete new one, never a fragment; its leftovers (a lock file,
//! temporary files) neither pass for a snapshot nor block the next recording.
//!
//! The test re-executes its own binary as the recording child (see `support`), so no
//! extra program is needed.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kaizen::env::UpdateMode;
use kaizen::snapshot::lock::{Lock, lock_path};
use kaizen::verify::Written;
use kaizen::{Cases, Error, Jail};

mod support;
use support::{Rng, child_role, env, spawn_child};

/// What a `record` child prints after each write.
const WROTE: &str = "[child wrote the snapshot]";
const MAX_CHILD_WRITES: u32 = 100;
/// What a `hold-lock` child prints once it holds the lock.
const LOCKED: &str = "child holds the lock";
const NAME: &str = "crashy";
const CASES: u32 = 1_000;
const TRIALS: usize = 100;

fn jail(version: u32, dir: &Path) -> Jail<u32, String> {
    Jail::new(NAME, move |n: u32| {
        format!(
            "version {version} of the legacy answer to {n}: {}",
            n * 7 + version
        )
    })
    .snapshot_dir(dir)
}

fn cases() -> Cases<u32> {
    Cases::new().list(0..CASES)
}

fn snap(dir: &Path) -> PathBuf {
    dir.join(format!("{NAME}.snap"))
}

/// In a child: records the jail again and again, alternating between its two versions so
/// every write changes the file, and prints [`WROTE`] after each write; or holds the lock.
/// In a normal run: nothing (the tests below start it).
#[test]
fn child_records_until_killed_when_started_by_the_crash_tests() {
    let Some((role, dir)) = child_role() else {
        return;
    };
    match role.as_str() {
        "record" => {
            // Bounded, so an orphaned child stops by itself.
            for write in 1..=MAX_CHILD_WRITES {
                let verdict = jail(write % 2, &dir)
                    .run_with(&cases(), env(UpdateMode::Always))
                    .unwrap_or_else(|e| panic!("child could not record: {e}"));
                assert!(matches!(verdict.written, Written::Rerecorded(_)));
                println!("{WROTE}");
            }
        }
        "hold-lock" => {
            let _lock = Lock::acquire(&snap(&dir)).unwrap();
            println!("{LOCKED}");
            std::thread::sleep(Duration::from_secs(60));
        }
        other => panic!("unknown child role {other}"),
    }
}

/// The complete file a jail version records, made in a scratch directory.
fn complete_version(version: u32) -> Vec<u8> {
    let scratch = tempfile::tempdir().unwrap();
    jail(version, scratch.path())
        .run_with(&cases(), env(UpdateMode::Always))
        .unwrap();
    fs::read(snap(scratch.path())).unwrap()
}

/// What the kill trials saw.
#[derive(Debug, Default, Clone, Copy)]
struct Outcomes {
    /// The file is what the last completed write left: the interrupted write never landed.
    old: usize,
    /// The file is what the interrupted write was writing (killed after its rename).
    new: usize,
    /// Anything else.
    fragment: usize,
    /// Writes the children completed before they were killed.
    completed_writes: usize,
    /// Trials after which the killed child's lock file was still there.
    lock_left: usize,
    /// Trials after which a temporary file of the killed child was still there.
    tmp_left: usize,
}

impl Outcomes {
    fn add(self, o: Outcomes) -> Outcomes {
        Outcomes {
            old: self.old + o.old,
            new: self.new + o.new,
            fragment: self.fragment + o.fragment,
            completed_writes: self.completed_writes + o.completed_writes,
            lock_left: self.lock_left + o.lock_left,
            tmp_left: self.tmp_left + o.tmp_left,
        }
    }
}

const CHILD_TEST: &str = "child_records_until_killed_when_started_by_the_crash_tests";

/// Kills a recording child after `delay`; returns how many writes it completed.
fn record_then_kill(dir: &Path, delay: Duration) -> usize {
    let mut child = spawn_child(CHILD_TEST, "record", dir);
    std::thread::sleep(delay);
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "the child failed on its own (blocked by a stale lock?):\n{stderr}"
    );
    stdout.matches(WROTE).count()
}

/// Runs `trials` kill trials in `dir`: each seeds version 0, starts a recording child and
/// kills it after a random delay below `max_delay`; classifies what each leaves on disk.
fn kill_trials(
    dir: &Path,
    seed: u64,
    trials: usize,
    max_delay: Duration,
    versions: &[Vec<u8>; 2],
) -> Outcomes {
    let path = snap(dir);
    let mut rng = Rng(seed);
    let mut seen = Outcomes::default();
    for trial in 0..trials {
        fs::write(&path, &versions[0]).unwrap();
        let delay = Duration::from_micros(rng.below(max_delay.as_micros() as u64));
        let writes = record_then_kill(dir, delay);
        seen.completed_writes += writes;

        // Write number n leaves version n % 2; the interrupted one is number writes + 1.
        let bytes = fs::read(&path).unwrap();
        if bytes == versions[writes % 2] {
            seen.old += 1;
        } else if bytes == versions[(writes + 1) % 2] {
            seen.new += 1;
        } else {
            seen.fragment += 1;
        }
        // Whatever is on disk loads completely, with every case.
        let loaded = kaizen::snapshot::load(&path).unwrap().unwrap();
        assert_eq!(loaded.cases().unwrap().len(), CASES as usize);

        for entry in fs::read_dir(dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name == format!(".{NAME}.snap.lock") {
                seen.lock_left += 1;
            } else if name.starts_with(&format!(".{NAME}.snap.tmp-")) {
                seen.tmp_left += 1;
            } else {
                assert_eq!(name, format!("{NAME}.snap"), "trial {trial}: stray file");
            }
        }
    }
    seen
}

#[test]
fn a_recorder_killed_at_random_moments_leaves_the_old_or_the_complete_new_snapshot() {
    if child_role().is_some() {
        return;
    }
    let versions = [complete_version(0), complete_version(1)];
    assert_ne!(versions[0], versions[1]);
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];

    // How long until a child's first write, on this machine and under its current load:
    // kills are spread over that time and half as long again.
    fs::write(snap(dirs[0].path()), &versions[0]).unwrap();
    let started = Instant::now();
    let mut child = spawn_child(CHILD_TEST, "record", dirs[0].path());
    let first_write = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .any(|line| line.unwrap().ends_with(WROTE));
    let until_first_write = started.elapsed();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(first_write, "the calibration child never wrote");
    let mut max_delay = (until_first_write * 3 / 2).min(Duration::from_millis(600));

    // Under a sudden load spike every kill may land before the first write; then the trials
    // proved less than they should, so they run again with longer delays (at most twice).
    let mut seen = Outcomes::default();
    for round in 0..3u64 {
        let started = Instant::now();
        let this_round = std::thread::scope(|s| {
            let runs: Vec<_> = dirs
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    let versions = &versions;
                    s.spawn(move || {
                        let seed = 0x6B61_697A_656E + i as u64 + 16 * round;
                        kill_trials(d.path(), seed, TRIALS / 2, max_delay, versions)
                    })
                })
                .collect();
            runs.into_iter()
                .map(|r| r.join().unwrap())
                .fold(Outcomes::default(), Outcomes::add)
        });
        eprintln!(
            "{TRIALS} kill trials in {:?} (delays below {max_delay:?}): {this_round:?}",
            started.elapsed()
        );
        seen = seen.add(this_round);
        if seen.completed_writes > 0 {
            break;
        }
        max_delay *= 2;
    }
    assert_eq!(seen.fragment, 0, "{seen:?}");
    assert!(
        seen.completed_writes > 0,
        "no kill came after a write: {seen:?}"
    );

    // A temporary file never passes for the snapshot: a verify-only run reads the snapshot
    // and nothing else, even beside a fragment named like a killed writer's temporary file.
    let dir = dirs[0].path();
    let path = snap(dir);
    let last = fs::read(&path).unwrap();
    let fragment = dir.join(format!(".{NAME}.snap.tmp-1-0"));
    fs::write(&fragment, &versions[1][..versions[1].len() / 2]).unwrap();
    let version = u32::from(last == versions[1]);
    let verdict = jail(version, dir)
        .run_with(&cases(), env(UpdateMode::No))
        .unwrap();
    assert!(verdict.passed() && verdict.total == CASES as usize);
    assert_eq!(fs::read(&path).unwrap(), last);

    // The next recording is not blocked by a lock file a killed child left, and it clears
    // the killed writers' temporary files.
    let verdict = jail(1 - version, dir)
        .run_with(&cases(), env(UpdateMode::Always))
        .unwrap();
    assert!(matches!(verdict.written, Written::Rerecorded(_)));
    let left: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec![format!("{NAME}.snap")]);
}

#[test]
fn a_lock_left_by_a_killed_recorder_does_not_block_the_next_recording() {
    if child_role().is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut child = spawn_child(CHILD_TEST, "hold-lock", dir.path());
    // The test harness prints its own lines first.
    let said_locked = BufReader::new(child.stdout.as_mut().unwrap())
        .lines()
        .any(|line| line.unwrap().ends_with(LOCKED));
    assert!(said_locked, "the child never took the lock");

    // While the child lives, a second recorder of the same jail is refused, clearly.
    let err = jail(0, dir.path())
        .run_with(&cases(), env(UpdateMode::Always))
        .unwrap_err();
    match &err {
        Error::Locked { path, holder } => {
            assert_eq!(path, &lock_path(&snap(dir.path())));
            assert_eq!(holder, &format!("pid {}", child.id()));
        }
        other => panic!("expected Error::Locked, got {other}"),
    }
    let message = err.to_string();
    assert!(
        message.contains("another kaizen run is recording this jail"),
        "{message}"
    );
    assert!(!snap(dir.path()).exists(), "the refused run wrote a file");

    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        lock_path(&snap(dir.path())).exists(),
        "the killed child's lock file should still be on disk for this test to mean anything"
    );
    let verdict = jail(0, dir.path())
        .run_with(&cases(), env(UpdateMode::Always))
        .unwrap();
    assert!(matches!(verdict.written, Written::Recorded(_)));
    assert!(!lock_path(&snap(dir.path())).exists());
}
