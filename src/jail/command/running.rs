//! The cases running now in this process — their process groups and case directories — so
//! that an interrupted run can stop every one of them ([`stop_running`]).
//!
//! Starting a case takes a [`Start`] permit while it makes its directory and while it
//! spawns its program, and gives it back once the directory or the process group is
//! registered. [`stop_running`] first refuses new permits, then waits for the ones out, so
//! it sees every directory and every group: no case starts after the stop, and none that
//! was starting is missed.

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal};

struct Registry {
    groups: Vec<Pid>,
    dirs: Vec<PathBuf>,
    /// Permits out: cases between "may I start" and "registered".
    starting: usize,
    stopping: bool,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    groups: Vec::new(),
    dirs: Vec::new(),
    starting: 0,
    stopping: false,
});

/// Signalled whenever a permit is given back.
static SETTLED: Condvar = Condvar::new();

/// How long [`stop_running`] waits for cases that are starting (spawning takes
/// milliseconds; this only bounds a stuck file system).
const SETTLE_LIMIT: Duration = Duration::from_secs(5);

fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|p| p.into_inner())
}

/// What a case that may not start says.
pub(crate) const INTERRUPTED: &str = "kaizen was interrupted; the case was stopped";

/// Leave to start a case (make its directory or spawn its program); given back on drop.
pub(crate) struct Start(());

/// A permit to start, or `None` once the run is being stopped.
pub(crate) fn start() -> Option<Start> {
    let mut registry = registry();
    if registry.stopping {
        return None;
    }
    registry.starting += 1;
    Some(Start(()))
}

impl Drop for Start {
    fn drop(&mut self) {
        registry().starting -= 1;
        SETTLED.notify_all();
    }
}

/// Registers a case directory, to be removed if the run is stopped.
pub(crate) fn add_dir(_permit: &Start, dir: &Path) {
    registry().dirs.push(dir.to_path_buf());
}

/// Forgets a case directory that its case removed.
pub(crate) fn forget_dir(dir: &Path) {
    registry().dirs.retain(|d| d != dir);
}

/// Registers a case's process group, to be killed if the run is stopped.
pub(crate) fn add_group(_permit: &Start, group: Pid) {
    registry().groups.push(group);
}

/// Forgets a process group whose case ended; true if the run is being stopped (so what
/// the case did was cut short by kaizen, not the program's behaviour).
pub(crate) fn forget_group(group: Pid) -> bool {
    let mut registry = registry();
    registry.groups.retain(|g| *g != group);
    registry.stopping
}

/// Kills a whole process group; a group already gone is fine.
pub(crate) fn kill_group(group: Pid) {
    let _ = rustix::process::kill_process_group(group, Signal::KILL);
}

/// Stops every case running now, for a process about to exit on a signal: no case starts
/// from now on, the cases that were starting finish registering, then every case's process
/// group is killed (with the processes that left it, where kaizen can find them) and every
/// case directory removed. Returns how many cases were running.
pub fn stop_running() -> usize {
    let (groups, dirs) = {
        let mut registry = registry();
        registry.stopping = true;
        let until = Instant::now() + SETTLE_LIMIT;
        while registry.starting > 0 {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            registry = SETTLED
                .wait_timeout(registry, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        (registry.groups.clone(), registry.dirs.clone())
    };
    for group in &groups {
        kill_group(*group);
    }
    super::reaper::kill_strays();
    for dir in &dirs {
        super::case_dir::remove_case_dir(dir);
    }
    groups.len()
}

/// True when every pid in `pids` is the program of a running case (the leader of its
/// process group); waits for no case that is starting.
pub(crate) fn all_running(pids: &[Pid]) -> bool {
    let registry = registry();
    pids.iter().all(|pid| registry.groups.contains(pid))
}

/// Calls `f` with the process groups of the running cases, while no case is starting (so a
/// program spawned a moment ago is among them) and none can start.
pub(crate) fn with_running_groups(f: impl FnOnce(&[Pid])) {
    let mut registry = registry();
    let until = Instant::now() + SETTLE_LIMIT;
    while registry.starting > 0 && Instant::now() < until {
        let left = until.saturating_duration_since(Instant::now());
        registry = SETTLED
            .wait_timeout(registry, left)
            .unwrap_or_else(|p| p.into_inner())
            .0;
    }
    f(&registry.groups);
}
