//! Runs the real `kaizen` binary on a throwaway copy of a fixture project, with a
//! hermetic environment.
//!
//! Every [`Project`] lives in its own temp dir:
//!
//! ```text
//! <temp>/project/   a copy of tests/fixtures/<name>/ (jail/, maybe snapshots/); the cwd
//! <temp>/tmp/       TMPDIR of kaizen: case dirs are created here, so tests can check that
//!                   none is left behind
//! ```
//!
//! The child's environment is the test's, minus every variable in
//! [`kaizen::env::HERMETIC_STRIP`], every other `KAIZEN_*` variable and
//! `CARGO_MANIFEST_DIR` (a user's shell has none of them); a test sets what it needs.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The binary under test.
pub const KAIZEN: &str = env!("CARGO_BIN_EXE_kaizen");

/// No kaizen run in these tests may take longer than this; a hang fails the test.
const WATCHDOG: Duration = Duration::from_secs(60);

/// The folder of fixture projects.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A throwaway project for one test.
pub struct Project {
    temp: tempfile::TempDir,
}

impl Project {
    /// A copy of `tests/fixtures/<fixture>/`.
    pub fn new(fixture: &str) -> Project {
        let project = Project::empty();
        let source = fixtures().join(fixture);
        assert!(source.is_dir(), "no fixture at {}", source.display());
        copy_tree(&source, &project.root());
        project
    }

    /// An empty project folder.
    pub fn empty() -> Project {
        let temp = tempfile::Builder::new()
            .prefix("kaizen-cli-")
            .tempdir()
            .unwrap();
        std::fs::create_dir(temp.path().join("project")).unwrap();
        std::fs::create_dir(temp.path().join("tmp")).unwrap();
        Project { temp }
    }

    /// The project folder.
    pub fn root(&self) -> PathBuf {
        self.temp.path().join("project")
    }

    /// The TMPDIR that kaizen runs with.
    pub fn tmp(&self) -> PathBuf {
        self.temp.path().join("tmp")
    }

    /// A path inside the project.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    /// The text of a project file (panics when it is missing or not UTF-8).
    pub fn read(&self, relative: &str) -> String {
        let path = self.path(relative);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// The bytes of a project file, or None when it does not exist.
    pub fn bytes(&self, relative: &str) -> Option<Vec<u8>> {
        std::fs::read(self.path(relative)).ok()
    }

    /// Whether a project file exists.
    pub fn exists(&self, relative: &str) -> bool {
        self.path(relative).exists()
    }

    /// Writes a project file, creating its folder.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
    }

    /// Replaces `from` (which must occur) by `to` in a project file: an edit of the
    /// legacy program or its spec.
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} has no {from:?}:\n{text}");
        self.write(relative, text.replacen(from, to, 1));
    }

    /// The names of the files in a project folder, sorted (empty when it is missing).
    pub fn files(&self, relative: &str) -> Vec<String> {
        let mut names: Vec<String> = match std::fs::read_dir(self.path(relative)) {
            Ok(entries) => entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect(),
            Err(_) => Vec::new(),
        };
        names.sort();
        names
    }

    /// Anything kaizen left in its TMPDIR (case dirs must all be gone).
    pub fn left_in_tmp(&self) -> Vec<PathBuf> {
        std::fs::read_dir(self.tmp())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect()
    }

    /// `kaizen ARGS` in the project folder.
    pub fn kaizen<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut command = hermetic();
        command
            .args(args)
            .current_dir(self.root())
            .env("TMPDIR", self.tmp());
        Run {
            command,
            watchdog: WATCHDOG,
            stdout: None,
        }
    }
}

/// A `kaizen` command with a hermetic environment and no arguments yet.
pub fn hermetic() -> Command {
    let mut command = Command::new(KAIZEN);
    strip(&mut command);
    command
}

/// Removes from a command's environment every variable that would make a kaizen run
/// depend on the test's environment.
pub fn strip(command: &mut Command) {
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if kaizen::env::HERMETIC_STRIP.contains(&name.as_ref())
            || name.starts_with("KAIZEN_")
            || name == kaizen::env::CARGO_MANIFEST_DIR
        {
            command.env_remove(name.as_ref());
        }
    }
    // Also the names that the test's environment does not set.
    for name in kaizen::env::HERMETIC_STRIP {
        command.env_remove(name);
    }
}

/// A kaizen command line about to run.
pub struct Run {
    command: Command,
    watchdog: Duration,
    /// Where kaizen's standard output goes instead of a pipe the test reads.
    stdout: Option<Stdio>,
}

impl Run {
    /// Sets a variable for this run.
    pub fn env(mut self, name: &str, value: impl AsRef<std::ffi::OsStr>) -> Run {
        self.command.env(name, value);
        self
    }

    /// Gives a run that starts hundreds of interpreters (the porting demo) longer than the
    /// usual watchdog before it counts as hung.
    pub fn watchdog(mut self, limit: Duration) -> Run {
        self.watchdog = limit;
        self
    }

    /// Sends kaizen's standard output there (a file, a pipe) instead of to the test;
    /// `Output::stdout` is then empty.
    pub fn stdout_to(mut self, stdout: impl Into<Stdio>) -> Run {
        self.stdout = Some(stdout.into());
        self
    }

    /// Runs on CI: `CI=true`.
    pub fn ci(self) -> Run {
        self.env("CI", "true")
    }

    /// Runs in another working directory.
    pub fn cwd(mut self, dir: &Path) -> Run {
        self.command.current_dir(dir);
        self
    }

    /// Runs it to the end (failing the test if it hangs).
    pub fn run(mut self) -> Output {
        let shown = format!("{:?}", self.command);
        let start = Instant::now();
        let mut child = self
            .command
            .stdin(Stdio::null())
            .stdout(self.stdout.take().unwrap_or_else(Stdio::piped))
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {KAIZEN}: {e}"));
        let reader = |mut pipe: Box<dyn Read + Send>| {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                pipe.read_to_end(&mut bytes).unwrap();
                bytes
            })
        };
        let stdout = match child.stdout.take() {
            Some(pipe) => reader(Box::new(pipe)),
            None => std::thread::spawn(Vec::new),
        };
        let stderr = reader(Box::new(child.stderr.take().unwrap()));
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > self.watchdog {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{shown} ran longer than {:?}", self.watchdog);
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        Output {
            command: shown,
            code: status.code(),
            stdout_bytes: stdout.join().unwrap(),
            stderr_bytes: stderr.join().unwrap(),
            elapsed: start.elapsed(),
        }
    }
}

/// What a kaizen run did.
pub struct Output {
    command: String,
    /// The exit code (None: killed by a signal).
    pub code: Option<i32>,
    /// Raw stdout.
    pub stdout_bytes: Vec<u8>,
    /// Raw stderr.
    pub stderr_bytes: Vec<u8>,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

impl Output {
    /// Stdout as text (kaizen's own output is always UTF-8).
    pub fn stdout(&self) -> &str {
        std::str::from_utf8(&self.stdout_bytes).expect("stdout is UTF-8")
    }

    /// Stderr as text.
    pub fn stderr(&self) -> &str {
        std::str::from_utf8(&self.stderr_bytes).expect("stderr is UTF-8")
    }

    /// Asserts the exit code, showing everything the run printed when it differs.
    #[track_caller]
    pub fn code(&self, expected: i32) -> &Output {
        assert_eq!(
            self.code,
            Some(expected),
            "{self}\nexpected exit code {expected}"
        );
        self
    }

    /// Asserts that stdout is exactly `expected`.
    #[track_caller]
    pub fn stdout_is(&self, expected: &str) -> &Output {
        assert_eq!(self.stdout(), expected, "{self}");
        self
    }

    /// Asserts that stdout contains `part`.
    #[track_caller]
    pub fn stdout_has(&self, part: &str) -> &Output {
        assert!(
            self.stdout().contains(part),
            "{self}\nstdout lacks {part:?}"
        );
        self
    }

    /// Asserts that stderr contains `part`.
    #[track_caller]
    pub fn stderr_has(&self, part: &str) -> &Output {
        assert!(
            self.stderr().contains(part),
            "{self}\nstderr lacks {part:?}"
        );
        self
    }

    /// Asserts that stderr is empty.
    #[track_caller]
    pub fn quiet(&self) -> &Output {
        assert_eq!(self.stderr(), "", "{self}\nstderr should be empty");
        self
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "$ {}\nexit code: {:?} after {:?}\n--- stdout\n{}--- stderr\n{}---",
            self.command,
            self.code,
            self.elapsed,
            String::from_utf8_lossy(&self.stdout_bytes),
            String::from_utf8_lossy(&self.stderr_bytes)
        )
    }
}

/// Copies a folder tree (files and folders only).
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The 1-based line of the `n`th (1-based) recorded case in a snapshot's text.
pub fn case_line(snapshot: &str, n: usize) -> usize {
    snapshot
        .lines()
        .enumerate()
        .filter(|(_, line)| line.starts_with("- input:"))
        .nth(n - 1)
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("the snapshot has no case {n}:\n{snapshot}"))
}

/// Whether the process is gone: no such pid, or a zombie nobody reaped yet (in a
/// container the reaper may be lazy; a zombie runs no code and holds no pipes).
pub fn is_gone(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state == "Z" || state == "X"),
    }
}
