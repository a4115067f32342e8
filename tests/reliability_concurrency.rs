//! Concurrency: recorders of different jails in parallel — threads of one process and
//! separate processes — lose nothing; recorders of the same jail take turns within a process
//! and are refused with [`Error::Locked`] across processes, never interleaving a file.

use std::fs;
use std::path::{Path, PathBuf};

use kaizen::env::UpdateMode;
use kaizen::snapshot::lock::{Lock, lock_path};
use kaizen::verify::Written;
use kaizen::{Cases, Error, Jail};

mod support;
use support::{child_role, env, spawn_child};

const CASES: u32 = 300;
const THREADS: usize = 16;
const PROCESSES: usize = 6;
const JAILS_PER_PROCESS: usize = 3;
const SAME_JAIL_ROUNDS: usize = 4;

fn jail(name: &str, version: u32, dir: &Path) -> Jail<u32, String> {
    let owner = name.to_string();
    Jail::new(name, move |n: u32| {
        format!("{owner} v{version}: {}", n * 3 + version)
    })
    .snapshot_dir(dir)
}

fn cases() -> Cases<u32> {
    Cases::new().list(0..CASES)
}

fn snap(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.snap"))
}

/// Every case of `name`'s snapshot is there and behaves as version `version` does.
fn assert_complete(dir: &Path, name: &str, version: u32) {
    let verdict = jail(name, version, dir)
        .run_with(&cases(), env(UpdateMode::No))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        verdict.passed() && verdict.total == CASES as usize,
        "{}",
        kaizen::report::render(&verdict, false)
    );
}

/// What a child that met the lock prints.
const REFUSED: &str = "[child was refused: locked]";
/// What a child that recorded prints.
const RECORDED: &str = "[child recorded]";

/// In a child: `many:DIR` records its own jails; `same-N:DIR` records the shared jail as
/// version N, reporting whether the lock refused it. Nothing in a normal run.
#[test]
fn child_records_jails_when_started_by_the_concurrency_tests() {
    let Some((role, dir)) = child_role() else {
        return;
    };
    if let Some(index) = role.strip_prefix("many-") {
        for j in 0..JAILS_PER_PROCESS {
            let name = format!("process_{index}_jail_{j}");
            let verdict = jail(&name, 0, &dir)
                .run_with(&cases(), env(UpdateMode::Auto))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(matches!(verdict.written, Written::Recorded(_)));
        }
    } else if let Some(version) = role.strip_prefix("same-") {
        let version: u32 = version.parse().unwrap();
        match jail("shared", version, &dir).run_with(&cases(), env(UpdateMode::Always)) {
            Ok(verdict) => {
                assert!(verdict.passed());
                println!("{RECORDED}");
            }
            Err(e @ Error::Locked { .. }) => println!("{REFUSED} {e}"),
            Err(e) => panic!("unexpected error: {e}"),
        }
    } else {
        panic!("unknown child role {role}");
    }
}

const CHILD_TEST: &str = "child_records_jails_when_started_by_the_concurrency_tests";

#[test]
fn many_threads_recording_different_jails_at_once_lose_nothing() {
    if child_role().is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let dir = dir.path();
            s.spawn(move || {
                let name = format!("thread_{t}");
                let verdict = jail(&name, 0, dir)
                    .run_with(&cases(), env(UpdateMode::Auto))
                    .unwrap();
                assert_eq!(verdict.written, Written::Recorded(snap(dir, &name)));
            });
        }
    });
    for t in 0..THREADS {
        assert_complete(dir.path(), &format!("thread_{t}"), 0);
    }
    let files = fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(files, THREADS, "only the snapshots are left");
}

#[test]
fn separate_processes_recording_different_jails_at_once_lose_nothing() {
    if child_role().is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<_> = (0..PROCESSES)
        .map(|p| spawn_child(CHILD_TEST, &format!("many-{p}"), dir.path()))
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for p in 0..PROCESSES {
        for j in 0..JAILS_PER_PROCESS {
            assert_complete(dir.path(), &format!("process_{p}_jail_{j}"), 0);
        }
    }
    let files = fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(files, PROCESSES * JAILS_PER_PROCESS);
}

#[test]
fn threads_recording_the_same_missing_jail_take_turns_and_exactly_one_records_it() {
    if child_role().is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let verdicts: Vec<_> = std::thread::scope(|s| {
        let runs: Vec<_> = (0..8)
            .map(|_| {
                let dir = dir.path();
                s.spawn(move || {
                    jail("together", 0, dir)
                        .run_with(&cases(), env(UpdateMode::Auto))
                        .unwrap()
                })
            })
            .collect();
        runs.into_iter().map(|r| r.join().unwrap()).collect()
    });
    // Each thread reads the snapshot under the lock: the first records it, the others
    // verify against what it recorded.
    let recorded = verdicts
        .iter()
        .filter(|v| matches!(v.written, Written::Recorded(_)))
        .count();
    assert_eq!(recorded, 1, "{verdicts:#?}");
    for v in &verdicts {
        assert!(v.passed());
        if v.written == Written::Nothing {
            assert_eq!((v.total, v.same), (CASES as usize, CASES as usize));
        }
    }
    assert_complete(dir.path(), "together", 0);
}

#[test]
fn threads_rerecording_the_same_jail_leave_one_complete_version() {
    if child_role().is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::thread::scope(|s| {
        for t in 0..8u32 {
            let dir = dir.path();
            s.spawn(move || {
                jail("alternating", t % 2, dir)
                    .run_with(&cases(), env(UpdateMode::Always))
                    .unwrap()
            });
        }
    });
    let last = fs::read_to_string(snap(dir.path(), "alternating")).unwrap();
    let version = u32::from(last.contains("alternating v1:"));
    assert_complete(dir.path(), "alternating", version);
    assert!(!lock_path(&snap(dir.path(), "alternating")).exists());
}

#[test]
fn a_second_process_recording_a_locked_jail_is_refused_with_a_clear_message() {
    if child_role().is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    jail("shared", 0, dir.path())
        .run_with(&cases(), env(UpdateMode::Auto))
        .unwrap();
    let before = fs::read(snap(dir.path(), "shared")).unwrap();

    let held = Lock::acquire(&snap(dir.path(), "shared")).unwrap();
    let out = spawn_child(CHILD_TEST, "same-1", dir.path())
        .wait_with_output()
        .unwrap();
    drop(held);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let message = stdout
        .lines()
        .find_map(|l| l.split_once(REFUSED).map(|(_, m)| m.trim().to_string()))
        .unwrap_or_else(|| panic!("the child was not refused:\n{stdout}"));
    let lock = lock_path(&snap(dir.path(), "shared"));
    assert!(
        message.starts_with(&format!(
            "{}: another kaizen run is recording this jail (pid {})",
            lock.display(),
            std::process::id()
        )),
        "{message}"
    );
    assert_eq!(fs::read(snap(dir.path(), "shared")).unwrap(), before);
}

#[test]
fn processes_racing_to_rerecord_one_jail_never_interleave_the_file() {
    if child_role().is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (mut recorded, mut refused) = (0, 0);
    for _ in 0..SAME_JAIL_ROUNDS {
        let children: Vec<_> = (0..2)
            .map(|v| spawn_child(CHILD_TEST, &format!("same-{v}"), dir.path()))
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "{stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            recorded += stdout.matches(RECORDED).count();
            refused += stdout.matches(REFUSED).count();
        }
        let last = fs::read_to_string(snap(dir.path(), "shared")).unwrap();
        let version = u32::from(last.contains("shared v1:"));
        assert_complete(dir.path(), "shared", version);
    }
    eprintln!(
        "{} racing recorders: {recorded} recorded, {refused} refused by the lock",
        2 * SAME_JAIL_ROUNDS
    );
    assert_eq!(recorded + refused, 2 * SAME_JAIL_ROUNDS);
    assert!(recorded >= SAME_JAIL_ROUNDS, "someone records every round");
}

#[test]
fn verify_only_readers_beside_a_rerecording_writer_read_the_old_or_the_new_file_never_a_mix() {
    if child_role().is_some() {
        return;
    }
    use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
    let dir = tempfile::tempdir().unwrap();
    let name = "read_while_written";
    jail(name, 0, dir.path())
        .run_with(&cases(), env(UpdateMode::Always))
        .unwrap();
    const WRITES: u32 = 40;
    let writing = AtomicBool::new(true);
    // What the readers saw: the old version whole or the new one whole. A file replaced
    // between a reader's two passes over it is verified as it is now, never an error.
    let seen = std::thread::scope(|s| {
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let (dir, writing) = (dir.path(), &writing);
                s.spawn(move || {
                    let mut seen = [0usize; 2];
                    // A run with nothing to write takes no lock: it reads beside the writer.
                    while writing.load(SeqCst) {
                        match jail(name, 0, dir).run_with(&cases(), env(UpdateMode::No)) {
                            Ok(v) if (v.same, v.changed) == (CASES as usize, 0) => seen[0] += 1,
                            Ok(v) if (v.same, v.changed) == (0, CASES as usize) => seen[1] += 1,
                            Ok(v) => panic!("a mix: {} same, {} changed", v.same, v.changed),
                            Err(e) => panic!("a verify-only run beside the writer failed: {e}"),
                        }
                    }
                    seen
                })
            })
            .collect();
        for write in 1..=WRITES {
            jail(name, write % 2, dir.path())
                .run_with(&cases(), env(UpdateMode::Always))
                .unwrap();
        }
        writing.store(false, SeqCst);
        readers
            .into_iter()
            .map(|r| r.join().unwrap())
            .fold([0; 2], |a, b| [a[0] + b[0], a[1] + b[1]])
    });
    eprintln!(
        "{WRITES} re-recordings of {CASES} cases; the verify-only runs beside them read {} old and {} new files whole; no mix, no error",
        seen[0], seen[1]
    );
    assert!(
        seen[0] + seen[1] > 0,
        "no reader finished while the writer wrote"
    );
    assert_complete(dir.path(), name, 0);
    let left: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, [format!("{name}.snap")]);
}
