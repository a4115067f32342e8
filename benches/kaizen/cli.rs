//! The command jail through the CLI, against a bare `std::process::Command` loop.
//!
//! The command jail and its CLI are built on another branch. Until `src/jail/command`
//! exists here, only the baseline is measured and the kaizen side is reported as skipped.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::measure;

/// Whether this tree has the command jail.
pub fn has_command_jail() -> bool {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/jail/command")
        .exists()
}

/// Spawns `program args` `n` times on `jobs` threads, each run fed one line on stdin;
/// returns the time taken.
fn spawn_loop(program: &str, args: &[String], n: usize, jobs: usize) -> Duration {
    measure::time(|| {
        std::thread::scope(|scope| {
            for j in 0..jobs {
                scope.spawn(move || {
                    for i in (j..n).step_by(jobs) {
                        let mut child = Command::new(program)
                            .args(args)
                            .stdin(Stdio::piped())
                            .stdout(Stdio::piped())
                            .stderr(Stdio::piped())
                            .spawn()
                            .expect("spawn the program");
                        if let Some(mut stdin) = child.stdin.take() {
                            use std::io::Write;
                            let _ = writeln!(stdin, "{i}");
                        }
                        let out = child.wait_with_output().expect("wait for the program");
                        assert!(out.status.success());
                    }
                });
            }
        });
    })
    .0
}

/// One baseline row: program, jobs, spawns per second.
pub struct Row {
    pub program: &'static str,
    pub jobs: usize,
    pub per_second: f64,
}

/// Measures the bare spawn loop for a trivial program and a Python script.
pub fn baseline(reps: usize, dir: &Path) -> Vec<Row> {
    let script = dir.join("double.py");
    std::fs::write(
        &script,
        "import sys\nfor line in sys.stdin:\n    print(int(line) * 2)\n",
    )
    .expect("write the Python script");
    let python_ok = Command::new("python3")
        .arg("-c")
        .arg("pass")
        .status()
        .is_ok_and(|s| s.success());
    let mut programs: Vec<(&'static str, &str, Vec<String>, usize)> =
        vec![("trivial program (`cat`)", "cat", Vec::new(), 300)];
    if python_ok {
        let args = vec![script.display().to_string()];
        programs.push(("Python script", "python3", args, 40));
    }
    let mut rows = Vec::new();
    for (label, program, args, n) in &programs {
        for jobs in [1, 2] {
            let mut run = || spawn_loop(program, args, *n, jobs);
            let t = measure::interleaved(reps, &mut [&mut run])[0];
            rows.push(Row {
                program: label,
                jobs,
                per_second: *n as f64 / t.as_secs_f64(),
            });
        }
    }
    rows
}
