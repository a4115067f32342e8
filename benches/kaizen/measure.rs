//! Timing (medians of interleaved repetitions) and peak memory (in a child process).

use std::process::Command;
use std::time::{Duration, Instant};

/// Times `f` once.
pub fn time<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    (start.elapsed(), out)
}

/// Lets the file system settle before a section: flushes dirty pages (`sync`), so a section
/// does not pay for the writeback of the files the previous one wrote and deleted.
pub fn settle() {
    let _ = Command::new("sync").status();
    std::thread::sleep(Duration::from_millis(500));
}

/// Runs every task `reps` times, interleaved (rep 1 of each, then rep 2 of each, …, the
/// order rotating each round), and returns each task's median.
pub fn interleaved(reps: usize, tasks: &mut [&mut dyn FnMut() -> Duration]) -> Vec<Duration> {
    let mut samples = vec![Vec::with_capacity(reps); tasks.len()];
    for round in 0..reps {
        for k in 0..tasks.len() {
            let i = (k + round) % tasks.len();
            samples[i].push(tasks[i]());
        }
    }
    samples.into_iter().map(median).collect()
}

/// The median of some durations.
pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    match v.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2,
    }
}

/// A field of `/proc/self/status`, in kB.
pub fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Resets the peak resident size to the current one (Linux `clear_refs` 5).
pub fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Peak memory of one workload run in a fresh process.
#[derive(Debug, Clone, Copy)]
pub struct Peak {
    /// Peak resident size of the whole process, bytes.
    pub process: u64,
    /// Peak growth during the measured call over the resident size just before it, bytes.
    pub during: u64,
}

/// Runs this bench binary as `--child ARGS…`; the child prints `PEAK <process kB> <during kB>`.
pub fn child_peak(args: &[&str]) -> Peak {
    let exe = std::env::current_exe().expect("the bench binary's path");
    let out = Command::new(exe)
        .arg("--child")
        .args(args)
        .output()
        .expect("run the bench binary as a child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("PEAK "))
        .unwrap_or_else(|| {
            panic!(
                "child {args:?} printed no PEAK line:\n{stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let nums: Vec<u64> = line[5..]
        .split_whitespace()
        .map(|n| n.parse().unwrap_or(0))
        .collect();
    Peak {
        process: nums[0] * 1024,
        during: nums[1] * 1024,
    }
}

/// In the child: measures `f` and prints the PEAK line.
pub fn report_peak(f: impl FnOnce()) {
    let before = status_kb("VmRSS");
    let reset = reset_peak();
    f();
    let hwm = status_kb("VmHWM");
    let during = if reset {
        hwm.saturating_sub(before)
    } else {
        hwm
    };
    println!("PEAK {hwm} {during}");
}

/// `1.5 ms`, `230 ms`, `4.1 s`.
pub fn show(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 0.01 {
        format!("{:.0} ms", s * 1e3)
    } else {
        format!("{:.2} ms", s * 1e3)
    }
}

/// Bytes as MB.
pub fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// `a / b` as a ratio.
pub fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}
