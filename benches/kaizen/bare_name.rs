//! Command jails as users write them: the program named bare (`printf`, `python3`) rather
//! than by absolute path, against `xargs` running the same processes, and the README
//! demo's own spec (`jail/report.yaml`) against a plain loop running its cases.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use kaizen::jail::command::{CommandCase, CommandJail};

use crate::cli::kaizen;
use crate::measure;

/// One configuration measured at `-j1` and `-j2`.
pub struct Pair {
    /// What runs.
    pub program: &'static str,
    /// What the baseline is.
    pub baseline: &'static str,
    /// Cases per measured run.
    pub cases: usize,
    /// Baseline at `-j1`, `-j2`.
    pub bare: [Duration; 2],
    /// `kaizen verify` at `-j1`, `-j2`.
    pub verify: [Duration; 2],
}

/// `printf '%s\n' I` named bare, `n` cases, against `seq | xargs -P J -n 1 printf '%s\n'`.
pub fn printf(reps: usize, root: &Path, n: usize) -> Pair {
    std::fs::create_dir_all(root.join("jail")).expect("create jail/");
    std::fs::create_dir_all(root.join("snapshots")).expect("create snapshots/");
    let mut spec = String::from("command: [printf, \"%s\\n\"]\ntimeout: 10s\ncases:\n");
    for i in 0..n {
        spec.push_str(&format!("  - args: [\"{i}\"]\n"));
    }
    std::fs::write(root.join("jail/bare.yaml"), spec).expect("write the spec");
    kaizen(root, 1, &["record", "--runs", "1", "bare"]);
    let numbers: String = (0..n).map(|i| format!("{i}\n")).collect();
    let mut times = Vec::new();
    for jobs in [1, 2] {
        let mut bare = || xargs(&numbers, jobs);
        let mut verify = || kaizen(root, jobs, &["verify", "bare"]);
        times.push(measure::interleaved(reps, &mut [&mut bare, &mut verify]));
    }
    Pair {
        program: "bare name (`printf`)",
        baseline: "`xargs -P J -n 1 printf`",
        cases: n,
        bare: [times[0][0], times[1][0]],
        verify: [times[0][1], times[1][1]],
    }
}

/// `xargs -P jobs -n 1 printf '%s\n'` over `numbers`, its output read to the end.
fn xargs(numbers: &str, jobs: usize) -> Duration {
    measure::time(|| {
        let mut child = Command::new("xargs")
            .args(["-P", &jobs.to_string(), "-n", "1", "printf", "%s\\n"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start xargs");
        let mut stdin = child.stdin.take().expect("xargs stdin");
        let numbers = numbers.to_string();
        let feeder = std::thread::spawn(move || stdin.write_all(numbers.as_bytes()));
        let out = child.wait_with_output().expect("wait for xargs");
        feeder.join().expect("feed xargs").expect("write to xargs");
        assert!(out.status.success(), "xargs failed");
        assert!(!out.stdout.is_empty());
    })
    .0
}

/// The README demo's spec, copied from this repository's `jail/` under `root`, against a
/// plain loop on J threads running the same cases: the same program file and arguments, the
/// case's stdin, a fresh directory per case, stdout and stderr read to the end.
/// `None` when `python3` is missing.
pub fn demo(reps: usize, root: &Path) -> Option<Pair> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = super_python()?;
    copy_dir(&repo.join("jail"), &root.join("jail"));
    std::fs::create_dir_all(root.join("snapshots")).expect("create snapshots/");
    kaizen(root, 1, &["record", "--runs", "1", "report"]);
    let jail = CommandJail::load(&root.join("jail/report.yaml"), root).expect("load the demo spec");
    let cases = jail.cases();
    let script = root.join("jail/report.py");
    let work = root.join("loop");
    let mut times = Vec::new();
    for jobs in [1, 2] {
        let mut bare = || run_cases(&python, &script, &cases, &work, jobs);
        let mut verify = || kaizen(root, jobs, &["verify", "report"]);
        times.push(measure::interleaved(reps, &mut [&mut bare, &mut verify]));
    }
    Some(Pair {
        program: "README demo (`jail/report.yaml`, `python3`)",
        baseline: "loop over the spec's cases",
        cases: cases.len(),
        bare: [times[0][0], times[1][0]],
        verify: [times[0][1], times[1][1]],
    })
}

/// The file `python3` names on PATH.
fn super_python() -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .map(|dir| dir.join("python3"))
        .find(|p| p.is_file())
}

fn run_cases(
    python: &Path,
    script: &Path,
    cases: &[CommandCase],
    work: &Path,
    jobs: usize,
) -> Duration {
    measure::time(|| {
        std::thread::scope(|scope| {
            for j in 0..jobs {
                scope.spawn(move || {
                    for i in (j..cases.len()).step_by(jobs) {
                        run_case(python, script, &cases[i], &work.join(i.to_string()));
                    }
                });
            }
        });
    })
    .0
}

fn run_case(python: &Path, script: &Path, case: &CommandCase, dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("create a case directory");
    for (name, data) in &case.files {
        let file = dir.join(name);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).expect("create a case folder");
        }
        std::fs::write(file, data.as_bytes()).expect("write a case file");
    }
    let mut child = Command::new(python)
        .arg(script)
        .args(&case.args)
        .current_dir(dir)
        .stdin(if case.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start python3");
    if let (Some(mut stdin), Some(data)) = (child.stdin.take(), &case.stdin) {
        let _ = stdin.write_all(data.as_bytes());
    }
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stderr.read_to_end(&mut text);
    });
    let mut stdout = Vec::new();
    child
        .stdout
        .take()
        .expect("stdout")
        .read_to_end(&mut stdout)
        .expect("read stdout");
    reader.join().expect("read stderr");
    child.wait().expect("wait for python3");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read a folder") {
        let entry = entry.expect("read a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy a file");
        }
    }
}
