//! Processes that leave their case's process group (`setsid`, `setpgid`) would outlive a
//! process-group kill. On Linux the `kaizen` command makes itself a *child subreaper*
//! ([`adopt_orphans`]): a process whose parent dies is then re-parented to kaizen instead
//! of to init, so every descendant of a case that outlives its parent becomes kaizen's own
//! child. When a case ends, [`kill_strays`] kills every child of kaizen that is not a
//! running case's program — with its own process group — and reaps it, until none is
//! left.
//!
//! Kaizen's children are read from the `children` file of each of its own threads (an
//! orphan goes to one of the subreaper's threads), a few small reads per case; only a
//! kernel without those files makes it read the parent of every process in `/proc`.
//!
//! Only the `kaizen` command adopts: in a `cargo test` process the test's own children
//! could not be told from adopted ones. Elsewhere (and on other systems) a case ends with
//! its process group killed, and a process that left the group is not found.

use std::io::Read;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use rustix::process::{Pid, Signal, WaitId, WaitIdOptions, WaitOptions};

/// Set once this process adopts orphans.
static ADOPTING: AtomicBool = AtomicBool::new(false);

/// Makes this process the child subreaper, so the processes a case leaves behind become
/// its children and [`kill_strays`] can find them. Returns whether that worked (Linux
/// only). For a process whose only children are case programs: the `kaizen` command.
pub fn adopt_orphans() -> bool {
    #[cfg(target_os = "linux")]
    {
        let on = Pid::from_raw(1).expect("1 is a valid pid");
        let adopted = rustix::process::set_child_subreaper(Some(on)).is_ok();
        ADOPTING.store(adopted, Ordering::SeqCst);
        adopted
    }
    #[cfg(not(target_os = "linux"))]
    false
}

/// True once this process adopts orphans: a case's processes are then all gone when the
/// case ends.
pub(crate) fn adopting() -> bool {
    ADOPTING.load(Ordering::SeqCst)
}

/// Kills and reaps every child of this process that is not the program of a running case
/// (`running` lists their process groups, whose leaders they are): the strays that left a
/// case's group and were adopted. Does nothing unless [`adopt_orphans`] succeeded.
///
/// The caller holds the registry with no case starting, so a child spawned a moment ago is
/// always among `running`.
pub(crate) fn kill_strays_except(running: &[Pid]) {
    if !ADOPTING.load(Ordering::SeqCst) || !has_children() {
        return;
    }
    // Killing a stray re-parents its own children to us: look again until none is left.
    for _ in 0..64 {
        let strays: Vec<Pid> = children()
            .into_iter()
            .filter(|pid| !running.contains(pid))
            .collect();
        if strays.is_empty() {
            return;
        }
        for stray in &strays {
            let _ = rustix::process::kill_process_group(*stray, Signal::KILL);
            let _ = rustix::process::kill_process(*stray, Signal::KILL);
        }
        for stray in strays {
            let _ = rustix::process::waitpid(Some(stray), WaitOptions::empty());
        }
    }
}

/// [`kill_strays_except`] the running cases' programs. A first look, which waits for no
/// case that is starting, usually finds only running programs and ends there.
pub(crate) fn kill_strays() {
    if !ADOPTING.load(Ordering::SeqCst) || !has_children() {
        return;
    }
    if super::running::all_running(&children()) {
        return;
    }
    super::running::with_running_groups(kill_strays_except);
}

/// False when this process has no child at all (the cheap common answer).
fn has_children() -> bool {
    let options = WaitIdOptions::EXITED | WaitIdOptions::NOHANG | WaitIdOptions::NOWAIT;
    !matches!(
        rustix::process::waitid(WaitId::All, options),
        Err(rustix::io::Errno::CHILD)
    )
}

/// The pids whose parent is this process.
fn children() -> Vec<Pid> {
    if !has_children_files() {
        return children_by_scan();
    }
    // A thread that ends hands its children to another one, maybe one already read: then
    // read them all again.
    for _ in 0..8 {
        if let Some(found) = children_of_threads() {
            return found;
        }
    }
    children_by_scan()
}

/// Whether the kernel lists a thread's children in `/proc/thread-self/children`.
fn has_children_files() -> bool {
    static HAS: OnceLock<bool> = OnceLock::new();
    *HAS.get_or_init(|| std::fs::metadata("/proc/thread-self/children").is_ok())
}

/// The children of every thread of this process; `None` when a thread ended meanwhile.
fn children_of_threads() -> Option<Vec<Pid>> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Some(children_by_scan());
    };
    let mut found = Vec::new();
    let mut text = String::new();
    for task in tasks.filter_map(Result::ok) {
        text.clear();
        let read = std::fs::File::open(task.path().join("children"))
            .and_then(|mut file| file.read_to_string(&mut text));
        if read.is_err() {
            return None;
        }
        found.extend(
            text.split_whitespace()
                .filter_map(|pid| pid.parse::<i32>().ok())
                .filter_map(Pid::from_raw),
        );
    }
    Some(found)
}

/// The pids whose parent is this process, from the parent of every process in `/proc`.
fn children_by_scan() -> Vec<Pid> {
    let me = rustix::process::getpid().as_raw_nonzero().get();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&pid| parent_of(pid) == Some(me))
        .filter_map(Pid::from_raw)
        .collect()
}

/// The parent pid in `/proc/PID/stat` (the field after the state, after the name in
/// parentheses, which may itself hold spaces and parentheses).
fn parent_of(pid: i32) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    rest.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_of_an_ended_thread_is_still_found_among_the_children() {
        let mut child = std::thread::spawn(|| {
            std::process::Command::new("sleep")
                .arg("30")
                .spawn()
                .expect("start sleep")
        })
        .join()
        .expect("the spawning thread");
        let pid = Pid::from_child(&child);
        let (listed, scanned) = (children(), children_by_scan());
        let _ = child.kill();
        let _ = child.wait();
        assert!(listed.contains(&pid), "{pid:?} not in {listed:?}");
        assert!(scanned.contains(&pid), "{pid:?} not in {scanned:?}");
    }
}
