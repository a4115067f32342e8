//! Ctrl-C, `kill` and a closed terminal: the running cases are stopped with their process
//! groups and their case directories removed before `kaizen` exits, so an interrupted run
//! leaves no program running and nothing in `TMPDIR`. Snapshot files are written
//! atomically, so each one is as it was or complete.

use super::console::errln;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use signal_hook::consts::signal::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// Set once a signal arrived: the watcher is stopping the cases and will end the process.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Set when the command has returned (its locks released, its temporary files removed);
/// the watcher waits for it, briefly, before it ends the process.
static RETURNED: Mutex<bool> = Mutex::new(false);
static RETURNING: Condvar = Condvar::new();

/// How long the watcher waits for the command to return once its cases are stopped.
const RETURN_LIMIT: Duration = Duration::from_secs(2);

/// Watches for SIGINT, SIGTERM and SIGHUP on a thread of its own; on the first one, stops
/// the running cases and exits with 128 + the signal's number (130 for Ctrl-C).
pub(crate) fn install() {
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        // Without the watcher the signal's default action applies: kaizen ends at once, as
        // any program would.
        return;
    };
    let watcher = std::thread::Builder::new()
        .name("kaizen-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                INTERRUPTED.store(true, Ordering::SeqCst);
                crate::strength::run::stop_running();
                let stopped = crate::jail::command::stop_running();
                wait_for_return();
                errln!(
                    "kaizen: interrupted; {stopped} running case(s) stopped with their process groups; \
                     snapshots are as they were or complete"
                );
                std::process::exit(128 + signal);
            }
        });
    // If no thread can be started, the default action applies as above.
    drop(watcher);
}

/// Called when the command is done: if a signal arrived, the watcher is still stopping cases
/// and will end the process with the signal's exit code, so wait for it rather than exit
/// with the command's own code (whose cases were cut short).
pub(crate) fn wait_if_interrupted() {
    if INTERRUPTED.load(Ordering::SeqCst) {
        *RETURNED.lock().unwrap_or_else(|p| p.into_inner()) = true;
        RETURNING.notify_all();
        loop {
            std::thread::park();
        }
    }
}

/// Waits until the command returned (its cut-short cases fail at once, so it returns
/// quickly and releases its snapshot locks), or [`RETURN_LIMIT`] passed.
fn wait_for_return() {
    let returned = RETURNED.lock().unwrap_or_else(|p| p.into_inner());
    let _ = RETURNING.wait_timeout_while(returned, RETURN_LIMIT, |returned| !*returned);
}
