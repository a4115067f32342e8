//! Runs cargo-mutants on the jailed legacy files with only the characterization tests, and
//! reads its results.
//!
//! kaizen never mutates code itself: it finds `cargo-mutants` on `PATH`, restricts it to the
//! legacy files (`--file`), runs the characterization test targets only (`--cargo-test-arg
//! --test NAME`), with `KAIZEN_UPDATE=no` so no mutant run ever writes a snapshot, and writes
//! its results under kaizen's own output folder. cargo-mutants' text goes to a log file; the
//! results are read from its `outcomes.json`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::outcomes::{self, Outcomes};
use crate::Error;
use crate::env;

/// The cargo-mutants process running now, so an interrupted kaizen can stop it
/// ([`stop_running`]).
static RUNNING: std::sync::Mutex<Option<u32>> = std::sync::Mutex::new(None);

/// Stops a running cargo-mutants for a kaizen about to exit on a signal: sends it SIGINT (as
/// Ctrl-C would, so it removes its temporary copies and restores files it changed in place)
/// and waits up to five seconds for it to end. Returns whether one was running.
pub fn stop_running() -> bool {
    let pid = *RUNNING.lock().unwrap_or_else(|p| p.into_inner());
    let Some(pid) = pid.and_then(|p| rustix::process::Pid::from_raw(p as i32)) else {
        return false;
    };
    let _ = rustix::process::kill_process(pid, rustix::process::Signal::INT);
    for _ in 0..50 {
        // Signal 0 only asks whether the process is still there.
        if rustix::process::test_kill_process(pid).is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    true
}

/// The program kaizen looks for on `PATH`.
pub const TOOL: &str = "cargo-mutants";
/// What to run when it is missing.
pub const INSTALL: &str = "cargo install --locked cargo-mutants";

/// What to mutate and which tests judge the mutants.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The package folder (holding `Cargo.toml`).
    pub root: PathBuf,
    /// The legacy files to mutate, relative to `root`.
    pub files: Vec<String>,
    /// The test targets (`tests/NAME.rs`) that characterize them.
    pub tests: Vec<String>,
    /// `k/n`: this run tests the k-th of n shards of the mutants.
    pub shard: Option<String>,
    /// The folder cargo-mutants writes `mutants.out/` into.
    pub output: PathBuf,
    /// Further cargo-mutants options, passed as they are.
    pub extra: Vec<String>,
}

/// Finds `cargo-mutants` in the directories of `path` (the value of `PATH`).
pub fn find_tool(path: Option<OsString>) -> Result<PathBuf, Error> {
    let found = path.as_ref().and_then(|p| {
        std::env::split_paths(p)
            .map(|dir| dir.join(TOOL))
            .find(|candidate| is_executable(candidate))
    });
    found.ok_or_else(|| Error::Config {
        message: "cargo-mutants is not installed (no `cargo-mutants` on PATH): kaizen uses it \
                  to make the mutants"
            .into(),
        hint: format!("install it with `{INSTALL}`, then run `kaizen strength` again"),
    })
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The arguments that list every mutant cargo-mutants would make in the package, as JSON.
pub fn list_arguments(plan: &Plan) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec!["mutants".into(), "--list".into(), "--json".into()];
    args.push("--dir".into());
    args.push(plan.root.clone().into());
    args
}

/// Asks cargo-mutants which files it can mutate and returns the names it gives the plan's
/// legacy files (`jail/x.rs` included from `src/lib.rs` is `src/../jail/x.rs` to it). A
/// legacy file it cannot mutate is an error that says how to include it.
pub fn mutated_names(plan: &Plan, tool: &Path) -> Result<Vec<String>, Error> {
    let output = Command::new(tool)
        .args(list_arguments(plan))
        .current_dir(&plan.root)
        .env(env::UPDATE, "no")
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| Error::Config {
            message: format!("cannot start {}: {e}", tool.display()),
            hint: format!("reinstall it with `{INSTALL}`"),
        })?;
    if !output.status.success() {
        return Err(Error::Config {
            message: format!(
                "cargo-mutants could not list the mutants of {}:\n{}",
                plan.root.display(),
                String::from_utf8_lossy(&output.stderr).trim_end()
            ),
            hint: "run `cargo mutants --list` there to see why".into(),
        });
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let listed = outcomes::listed_files(&text, "cargo mutants --list --json")?;
    let mut names = Vec::new();
    for file in &plan.files {
        let wanted = outcomes::normalize(file);
        let before = names.len();
        names.extend(
            listed
                .iter()
                .filter(|l| outcomes::normalize(l) == wanted)
                .cloned(),
        );
        if names.len() == before {
            return Err(Error::Config {
                message: format!("cargo-mutants makes no mutants of {file}"),
                hint: format!(
                    "cargo-mutants mutates only code compiled into the library or a binary: \
                     include the legacy file there, e.g. `#[path = \"../{wanted}\"] pub mod \
                     legacy;` in src/lib.rs"
                ),
            });
        }
    }
    Ok(names)
}

/// The arguments given to `cargo-mutants` (after the program name) to test the mutants of
/// `files` (as cargo-mutants names them).
pub fn arguments(plan: &Plan, files: &[String]) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec!["mutants".into(), "--dir".into()];
    args.push(plan.root.clone().into());
    args.push("--output".into());
    args.push(plan.output.clone().into());
    for file in files {
        args.push("--file".into());
        args.push(file.into());
    }
    for test in &plan.tests {
        args.push("--cargo-test-arg=--test".into());
        args.push(format!("--cargo-test-arg={test}").into());
    }
    if let Some(shard) = &plan.shard {
        args.push("--shard".into());
        args.push(shard.into());
    }
    args.extend(plan.extra.iter().map(OsString::from));
    args
}

/// The `mutants.out` folder of a plan.
pub fn results_dir(plan: &Plan) -> PathBuf {
    plan.output.join("mutants.out")
}

/// Runs cargo-mutants and reads its outcomes. `progress(done, total)` is called while it runs
/// (`total` is 0 until cargo-mutants has listed the mutants).
pub fn run(
    plan: &Plan,
    tool: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Outcomes, Error> {
    let files = mutated_names(plan, tool)?;
    let results = results_dir(plan);
    std::fs::create_dir_all(&plan.output).map_err(|source| Error::Io {
        path: plan.output.clone(),
        action: "create the folder for cargo-mutants' results",
        source,
    })?;
    // A previous run's results would be read as progress before cargo-mutants moves them.
    let _ = std::fs::remove_dir_all(&results);
    let log_path = plan.output.join("cargo-mutants.log");
    let log = std::fs::File::create(&log_path).map_err(|source| Error::Io {
        path: log_path.clone(),
        action: "create the log of cargo-mutants",
        source,
    })?;
    let err_log = log.try_clone().map_err(|source| Error::Io {
        path: log_path.clone(),
        action: "open the log of cargo-mutants",
        source,
    })?;
    let mut child = Command::new(tool)
        .args(arguments(plan, &files))
        .current_dir(&plan.root)
        .env(env::UPDATE, "no")
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(err_log)
        .spawn()
        .map_err(|e| Error::Config {
            message: format!("cannot start {}: {e}", tool.display()),
            hint: format!("reinstall it with `{INSTALL}`"),
        })?;
    *RUNNING.lock().unwrap_or_else(|p| p.into_inner()) = Some(child.id());
    let waited = wait(&mut child, tool, &results, progress);
    *RUNNING.lock().unwrap_or_else(|p| p.into_inner()) = None;
    let code = waited?.code();
    // cargo-mutants: 0 all caught, 2 some missed, 3 some timed out, 4 the baseline failed.
    match code {
        Some(0 | 2 | 3) => outcomes::read(&results),
        Some(4) => Err(Error::Config {
            message: format!(
                "the characterization tests fail on the unmutated code, so no mutant can be \
                 judged (see {})",
                results.join("log").join("baseline.log").display()
            ),
            hint: "run `cargo test` and make it pass (record or accept the snapshots) first".into(),
        }),
        _ => Err(Error::Config {
            message: format!(
                "cargo-mutants failed ({}); its last words:\n{}",
                code.map_or("killed by a signal".to_string(), |c| format!(
                    "exit code {c}"
                )),
                tail(&log_path, 15)
            ),
            hint: format!("the whole log is {}", log_path.display()),
        }),
    }
}

fn wait(
    child: &mut std::process::Child,
    tool: &Path,
    results: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<std::process::ExitStatus, Error> {
    loop {
        let polled = child.try_wait().map_err(|source| Error::Io {
            path: tool.to_path_buf(),
            action: "wait for cargo-mutants",
            source,
        })?;
        if let Some(status) = polled {
            return Ok(status);
        }
        progress(count_done(results), count_listed(results));
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn count_listed(results: &Path) -> usize {
    std::fs::read_to_string(results.join("mutants.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<Vec<serde::de::IgnoredAny>>(&t).ok())
        .map_or(0, |v| v.len())
}

fn count_done(results: &Path) -> usize {
    let path = results.join("outcomes.json");
    std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| outcomes::parse(&t, &path).ok())
        .map_or(0, |o| o.tested.len())
}

fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// The legacy Rust files under `jail/` (sorted, relative to `root`, `/`-separated).
pub fn jail_files(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    collect_rs(&root.join("jail"), root, &mut found);
    found.sort();
    found
}

fn collect_rs(dir: &Path, root: &Path, found: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        if path.is_dir() {
            collect_rs(&path, root, found);
        } else if path.extension().is_some_and(|e| e == "rs")
            && let Ok(relative) = path.strip_prefix(root)
        {
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            found.push(parts.join("/"));
        }
    }
}

/// The characterization test targets: `tests/NAME.rs` (or `tests/NAME/main.rs`) files that
/// use kaizen, by name.
pub fn characterization_tests(root: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root.join("tests")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter_map(|path| {
            let (name, file) = if path.is_dir() {
                (
                    path.file_name()?.to_str()?.to_string(),
                    path.join("main.rs"),
                )
            } else if path.extension().is_some_and(|e| e == "rs") {
                (path.file_stem()?.to_str()?.to_string(), path.clone())
            } else {
                return None;
            };
            let text = std::fs::read_to_string(file).ok()?;
            text.contains("kaizen").then_some(name)
        })
        .collect();
    names.sort();
    names
}
