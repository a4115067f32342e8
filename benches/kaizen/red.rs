//! A red run: every case changed, `KAIZEN_UPDATE=auto` (local), so the pending file is
//! written; against a green verify of the same snapshot in the same run.

use std::path::Path;
use std::time::Duration;

use kaizen::verify::Written;
use kaizen::{Cases, Jail};

use crate::jails::{cheap, cheap_inputs, local};
use crate::measure::{self, Peak};

/// The cheap function after a refactoring that changed every result.
fn changed(input: (u32, u32)) -> u64 {
    cheap(input) + 1
}

/// One row: green and red verify of `n` cases.
pub struct Row {
    pub green: Duration,
    pub red: Duration,
    pub snapshot_bytes: u64,
    pub pending_bytes: u64,
    pub green_peak: Peak,
    pub red_peak: Peak,
}

fn name(n: usize) -> String {
    format!("red_{n}")
}

/// Records the snapshot of `n` cases in `dir`, then times green and red verifies
/// interleaved and measures the peak memory of each in a fresh process.
pub fn measure(n: usize, reps: usize, dir: &Path) -> Row {
    let cases = Cases::new().list(cheap_inputs(n));
    let green_jail = Jail::new(name(n), cheap).snapshot_dir(dir);
    let red_jail = Jail::new(name(n), changed).snapshot_dir(dir);
    let snapshot = dir.join(format!("{}.snap", name(n)));
    let pending = dir.join(format!("{}.snap.new", name(n)));
    let _ = std::fs::remove_file(&snapshot);
    green_jail.run_with(&cases, local()).expect("record");
    let mut green = || {
        let _ = std::fs::remove_file(&pending);
        let (t, v) = measure::time(|| green_jail.run_with(&cases, local()).expect("verify"));
        assert!(v.passed() && v.same == n, "{v:?}");
        t
    };
    let mut red = || {
        let (t, v) = measure::time(|| red_jail.run_with(&cases, local()).expect("verify"));
        assert!(
            v.changed == n && matches!(v.written, Written::Pending(_)),
            "{v:?}"
        );
        t
    };
    let medians = measure::interleaved(reps, &mut [&mut green, &mut red]);
    let _ = red_jail.run_with(&cases, local());
    let pending_bytes = std::fs::metadata(&pending).map(|m| m.len()).unwrap_or(0);
    let _ = std::fs::remove_file(&pending);
    let dir_arg = dir.display().to_string();
    let n_arg = n.to_string();
    let peak = |phase: &str| measure::child_peak(&["red", phase, &n_arg, &dir_arg]);
    let green_peak = peak("green");
    let red_peak = peak("red");
    let _ = std::fs::remove_file(&pending);
    Row {
        green: medians[0],
        red: medians[1],
        snapshot_bytes: std::fs::metadata(&snapshot).map(|m| m.len()).unwrap_or(0),
        pending_bytes,
        green_peak,
        red_peak,
    }
}

/// In the child process: `PHASE N DIR`, the snapshot in DIR recorded.
pub fn child(args: &[String]) {
    let [phase, n, dir] = args else {
        panic!("child arguments: PHASE N DIR, got {args:?}");
    };
    let n: usize = n.parse().expect("a case count");
    let dir = Path::new(dir);
    let cases = Cases::new().list(cheap_inputs(n));
    let jail = match phase.as_str() {
        "green" => Jail::new(name(n), cheap).snapshot_dir(dir),
        _ => Jail::new(name(n), changed).snapshot_dir(dir),
    };
    measure::report_peak(|| {
        let verdict = jail.run_with(&cases, local()).expect("run");
        let expected = match phase.as_str() {
            "green" => verdict.passed(),
            _ => matches!(verdict.written, Written::Pending(_)),
        };
        assert!(expected, "{phase}: {verdict:?}");
    });
}
