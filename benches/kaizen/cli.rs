//! The command jail through the real `kaizen` binary, against a bare `std::process::Command`
//! loop doing the same spawns (spawn, write one line on stdin, read stdout and stderr, wait).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::measure;

/// The `kaizen` binary cargo built for this bench (release profile under `cargo bench`).
const KAIZEN: &str = env!("CARGO_BIN_EXE_kaizen");

/// Spawns `program args` `n` times on `jobs` threads, each run fed one line on stdin and its
/// stdout and stderr read to the end; returns the time taken.
fn spawn_loop(program: &Path, args: &[String], n: usize, jobs: usize) -> Duration {
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
                            let _ = writeln!(stdin, "{i}");
                        }
                        let out = child.wait_with_output().expect("wait for the program");
                        assert!(out.status.success());
                        assert!(!out.stdout.is_empty());
                    }
                });
            }
        });
    })
    .0
}

/// Runs `kaizen --root ROOT -jJOBS SUBCOMMAND JAIL…`, asserting exit code 0; returns the time.
pub fn kaizen(root: &Path, jobs: usize, subcommand: &[&str]) -> Duration {
    let (t, out) = measure::time(|| {
        Command::new(KAIZEN)
            .arg("--root")
            .arg(root)
            .arg(format!("-j{jobs}"))
            // `--color` is refused by the subcommands that print no report (`record`).
            .args(if subcommand.first() == Some(&"verify") {
                &["--color", "never"][..]
            } else {
                &[]
            })
            .args(subcommand)
            .env_remove("CI")
            .env_remove("KAIZEN_UPDATE")
            .env_remove("INSTA_UPDATE")
            .env_remove("INSTA_FORCE_PASS")
            .stdin(Stdio::null())
            .output()
            .expect("run the kaizen binary")
    });
    assert!(
        out.status.success(),
        "kaizen {subcommand:?} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    t
}

/// Writes `jail/NAME.yaml` under `root`: `command`, then `n` cases each with stdin `"i\n"`.
fn write_spec(root: &Path, name: &str, command: &[String], n: usize) {
    let mut spec = String::from("command: [");
    for (k, part) in command.iter().enumerate() {
        if k > 0 {
            spec.push_str(", ");
        }
        spec.push_str(&format!("{part:?}"));
    }
    spec.push_str("]\ntimeout: 10s\ncases:\n");
    for i in 0..n {
        spec.push_str(&format!("  - stdin: \"{i}\\n\"\n"));
    }
    std::fs::write(root.join("jail").join(format!("{name}.yaml")), spec).expect("write a spec");
}

/// One row of the CLI table.
pub struct Row {
    /// What runs in each case.
    pub program: &'static str,
    /// `-jN`.
    pub jobs: usize,
    /// Cases (spawns) per measured run.
    pub cases: usize,
    /// The bare spawn loop.
    pub bare: Duration,
    /// `kaizen verify` of the jail, all cases unchanged.
    pub verify: Duration,
    /// `kaizen record --runs 1` of the jail.
    pub record: Duration,
}

/// What the CLI section measured.
pub struct Measured {
    /// Per program and jobs.
    pub rows: Vec<Row>,
    /// `kaizen verify` of a one-case `cat` jail: kaizen's own start-up and snapshot handling.
    pub startup: Duration,
    /// Why the Python rows are missing, if they are.
    pub python_missing: Option<String>,
}

/// The real interpreter behind `python3` (not a version-manager shim), if there is one.
fn python() -> Result<PathBuf, String> {
    let out = Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .map_err(|e| format!("python3 cannot start: {e}"))?;
    if !out.status.success() {
        return Err("python3 failed".into());
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
    ))
}

/// Measures both sides for a trivial program (`cat`) and a Python script, at `-j1` and `-j2`.
pub fn measure(reps: usize, root: &Path, trivial_cases: usize, python_cases: usize) -> Measured {
    std::fs::create_dir_all(root.join("jail")).expect("create jail/");
    std::fs::create_dir_all(root.join("snapshots")).expect("create snapshots/");
    let script = root.join("jail").join("double.py");
    std::fs::write(
        &script,
        "import sys\nfor line in sys.stdin:\n    print(int(line) * 2)\n",
    )
    .expect("write the Python script");
    let cat = which("cat");
    let mut programs: Vec<(&'static str, &'static str, PathBuf, Vec<String>, usize)> = vec![(
        "trivial program (`cat`)",
        "trivial",
        cat.clone(),
        Vec::new(),
        trivial_cases,
    )];
    let python_missing = match python() {
        Ok(python) => {
            let args = vec![script.display().to_string()];
            programs.push(("Python script", "python", python, args, python_cases));
            None
        }
        Err(why) => Some(why),
    };
    for (_, name, program, args, n) in &programs {
        let mut command = vec![program.display().to_string()];
        command.extend(args.iter().cloned());
        write_spec(root, name, &command, *n);
    }
    write_spec(root, "one", &[cat.display().to_string()], 1);
    kaizen(root, 1, &["record", "--runs", "1"]);

    let mut startup = || kaizen(root, 1, &["verify", "one"]);
    let startup = measure::interleaved(5, &mut [&mut startup])[0];
    let mut rows = Vec::new();
    for (label, name, program, args, n) in &programs {
        for jobs in [1, 2] {
            let mut bare = || spawn_loop(program, args, *n, jobs);
            let mut verify = || kaizen(root, jobs, &["verify", name]);
            let mut record = || kaizen(root, jobs, &["record", "--runs", "1", name]);
            let t = measure::interleaved(reps, &mut [&mut bare, &mut verify, &mut record]);
            rows.push(Row {
                program: label,
                jobs,
                cases: *n,
                bare: t[0],
                verify: t[1],
                record: t[2],
            });
        }
    }
    Measured {
        rows,
        startup,
        python_missing,
    }
}

/// The absolute path of a program on PATH.
fn which(program: &str) -> PathBuf {
    std::env::var_os("PATH")
        .map(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(program))
                .find(|p| p.is_file())
        })
        .unwrap_or_default()
        .unwrap_or_else(|| PathBuf::from(program))
}
