//! Isolated jails: each case runs in a child process, so legacy code that aborts, overflows
//! its stack, calls `exit` or hangs is recorded as behaviour instead of ending the tests.
//!
//! The child is the test itself, run again: kaizen re-executes the current test binary
//! filtered to the current test (`TEST --exact`), with [`env::ISOLATED`] naming the jail.
//! When the re-run test reaches that jail, the jail serves one case instead of verifying:
//! it reads the input from stdin, notes in the case folder that the call started, calls the
//! function (catching a panic as usual), writes the outcome to the case folder and exits.
//! Every other jail in the child returns at once without running or writing anything.
//!
//! The parent reads how the child ended: an answer file is the outcome; no answer after the
//! call started means the function ended the process — an exit code is
//! [`Outcome::Exited`], a signal [`Outcome::Crashed`]; the time limit kills the child's
//! whole process group and records [`Outcome::Timeout`], leaving nothing behind. A child
//! that never started the call is an [`Error::Isolation`]: the harness, not the legacy
//! code, failed. Values cross the boundary in postcard, which round-trips every type serde
//! can derive exactly (no YAML involved, so `Some(None)` stays `Some(None)`).

use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Outcome;
use super::command::run::{Limits, supervise};
use super::command::{Ending, signal_text};
use super::panic::call_silently;
use super::timeout::show_duration;
use crate::{Error, env};

/// The child writes this file just before it calls the function.
const STARTED: &str = "started";
/// The outcome, postcard-encoded; written under a temporary name, then renamed.
const ANSWER: &str = "answer";
/// What went wrong in the child outside the function (the input could not be read, the
/// outcome could not be encoded).
const FAILURE: &str = "failure";
/// The child's stdout and stderr, together (the test harness reports a failing test's panic
/// on stdout).
const OUTPUT: &str = "output";
/// How much of the child's output an error message quotes.
const OUTPUT_TAIL: usize = 1500;
/// The exit code of a child that could not serve its case (see [`FAILURE`]).
const SERVE_FAILED: i32 = 97;

const TYPES_HINT: &str = "isolation sends inputs and outcomes between processes with serde; \
types that need `deserialize_any` (untagged enums, `#[serde(flatten)]`) cannot be sent: \
jail a wrapper whose input and output are plain derived types";

/// How a jail's cases are run in child processes.
pub(crate) struct Isolation<O> {
    /// What the child looks for: the jail's name (and the oracle side).
    pub(crate) key: String,
    /// The arguments that make the test binary run the current test only.
    args: Vec<OsString>,
    /// Decodes the child's answer. A function pointer, so that only turning isolation on
    /// needs the output type to be deserializable.
    decode: fn(&[u8]) -> postcard::Result<Outcome<O>>,
}

impl<O: DeserializeOwned> Isolation<O> {
    /// Isolation that re-runs the test running on this thread: libtest names each test's
    /// thread after the test. On a thread without a test name (`main` of a plain program,
    /// such as an example) the program is re-run with its own arguments.
    pub(crate) fn for_current_test(key: String) -> Self {
        let thread = std::thread::current();
        let args = match thread.name() {
            Some(test) if test != "main" => [test, "--exact", "--include-ignored", "--quiet"]
                .iter()
                .map(OsString::from)
                .chain([OsString::from("--test-threads=1")])
                .collect(),
            _ => std::env::args_os().skip(1).collect(),
        };
        Isolation {
            key,
            args,
            decode: decode::<O>,
        }
    }
}

fn decode<O: DeserializeOwned>(bytes: &[u8]) -> postcard::Result<Outcome<O>> {
    postcard::from_bytes(bytes)
}

impl<O> Isolation<O> {
    /// The same isolation under another key (the two sides of an oracle).
    pub(crate) fn with_key(&self, key: String) -> Self {
        Isolation {
            key,
            args: self.args.clone(),
            decode: self.decode,
        }
    }
}

/// The jail a child process serves, when this process is one.
pub(crate) fn child_target() -> Option<String> {
    std::env::var(env::ISOLATED).ok()
}

/// Runs one case in a child process and reads what it did.
pub(crate) fn run_in_child<I: Serialize, O>(
    isolation: &Isolation<O>,
    jail: &str,
    input: &I,
    timeout: Option<Duration>,
) -> Result<Outcome<O>, Error> {
    let fail = |message: String, hint: &str| Error::Isolation {
        jail: jail.to_string(),
        message,
        hint: hint.to_string(),
    };
    let bytes = postcard::to_allocvec(input).map_err(|e| {
        fail(
            format!("the input cannot be sent to the child: {e}"),
            TYPES_HINT,
        )
    })?;
    let exe = std::env::current_exe().map_err(|e| {
        fail(
            format!("cannot find the running test binary to re-run it: {e}"),
            "run the test through cargo test or cargo nextest",
        )
    })?;
    let dir = tempfile::Builder::new()
        .prefix("kaizen-isolated-")
        .tempdir()
        .map_err(|e| {
            fail(
                format!("cannot create a temporary folder: {e}"),
                "check TMPDIR",
            )
        })?;
    let output_path = dir.path().join(OUTPUT);
    let (stdout, stderr) = fs::File::create(&output_path)
        .and_then(|file| Ok((file.try_clone()?, file)))
        .map_err(|e| {
            fail(
                format!("cannot create {}: {e}", output_path.display()),
                "check TMPDIR",
            )
        })?;
    let mut command = Command::new(&exe);
    command
        .args(&isolation.args)
        .env(env::ISOLATED, &isolation.key)
        .env(env::ISOLATED_DIR, dir.path())
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(stderr)
        .process_group(0);
    let limits = Limits {
        timeout: timeout.unwrap_or(Duration::MAX),
        capture: 0,
    };
    let ended = supervise(limits, Some(&bytes), &mut command)
        .map_err(|m| fail(m, "check that the test binary can be run again"))?
        .ending;

    if let Ok(answer) = fs::read(dir.path().join(ANSWER)) {
        return (isolation.decode)(&answer).map_err(|e| {
            fail(
                format!("the outcome could not be read back from the child: {e}"),
                TYPES_HINT,
            )
        });
    }
    if let Ok(message) = fs::read_to_string(dir.path().join(FAILURE)) {
        return Err(fail(message, TYPES_HINT));
    }
    let started = dir.path().join(STARTED).exists();
    match (ended, started) {
        (Ending::Timeout(limit), true) => Ok(Outcome::Timeout(show_duration(limit))),
        (Ending::Exit(code), true) => Ok(Outcome::Exited(code)),
        (Ending::Signal(signal), true) => Ok(Outcome::Crashed(crash(signal, &output_path))),
        (ending, _) => Err(fail(
            format!(
                "the child process ({} {}) ended with {} before it called the jailed function{}",
                exe.display(),
                shown_args(&isolation.args),
                ending.label(),
                output_tail(&output_path)
            ),
            "the re-run test must reach this jail's check, run or call every time it runs \
             (build the jail inside the test function; keep set-up that differs between runs \
             out of it); a time limit counts the child's start-up too",
        )),
    }
}

fn shown_args(args: &[OsString]) -> String {
    args.iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `stack overflow (signal 6 (SIGABRT))`, or just `signal 11 (SIGSEGV)`.
fn crash(signal: i32, output: &Path) -> String {
    let text = read_tail(output, 64 * 1024);
    let overflow = b"has overflowed its stack";
    if text.windows(overflow.len()).any(|w| w == overflow) {
        format!("stack overflow (signal {})", signal_text(signal))
    } else {
        format!("signal {}", signal_text(signal))
    }
}

/// The last `n` bytes of a file (all of it if shorter; nothing if unreadable).
fn read_tail(path: &Path, n: u64) -> Vec<u8> {
    use std::io::{Seek, SeekFrom};
    let Ok(mut file) = fs::File::open(path) else {
        return Vec::new();
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = file.seek(SeekFrom::Start(len.saturating_sub(n)));
    let mut tail = Vec::new();
    let _ = file.read_to_end(&mut tail);
    tail
}

fn output_tail(path: &Path) -> String {
    let text = read_tail(path, 4 * OUTPUT_TAIL as u64);
    let text = String::from_utf8_lossy(&text);
    let text = text.trim_end();
    if text.is_empty() {
        return String::new();
    }
    let start = text
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| text.len() - i <= OUTPUT_TAIL)
        .unwrap_or(0);
    format!("; its output ends with:\n{}", &text[start..])
}

/// In a child process: runs the one case this process was started for and exits.
pub(crate) fn serve<I: DeserializeOwned, O: Serialize>(f: &(dyn Fn(I) -> O + Send + Sync)) -> ! {
    let Some(dir) = std::env::var_os(env::ISOLATED_DIR).map(PathBuf::from) else {
        eprintln!(
            "kaizen: {} is set but {} is not; these variables are set by kaizen only",
            env::ISOLATED,
            env::ISOLATED_DIR
        );
        std::process::exit(SERVE_FAILED);
    };
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        give_up(&dir, format!("the child could not read its input: {e}"));
    }
    let input: I = match postcard::from_bytes(&bytes) {
        Ok(input) => input,
        Err(e) => give_up(&dir, format!("the child could not decode its input: {e}")),
    };
    // A crash is behaviour here, not something to debug: no core file in the user's
    // working directory for each aborting case. (Lowering a soft limit cannot fail for
    // lack of permission; if it fails anyway, a core file is the only cost.)
    let core = rustix::process::getrlimit(rustix::process::Resource::Core);
    let _ = rustix::process::setrlimit(
        rustix::process::Resource::Core,
        rustix::process::Rlimit {
            current: Some(0),
            maximum: core.maximum,
        },
    );
    if let Err(e) = fs::write(dir.join(STARTED), b"") {
        give_up(
            &dir,
            format!("the child could not write to its folder: {e}"),
        );
    }
    let outcome = call_silently(f, input);
    let answer = match postcard::to_allocvec(&outcome) {
        Ok(answer) => answer,
        Err(e) => give_up(&dir, format!("the outcome cannot be sent back: {e}")),
    };
    let partial = dir.join(format!("{ANSWER}.partial"));
    if let Err(e) =
        fs::write(&partial, answer).and_then(|()| fs::rename(&partial, dir.join(ANSWER)))
    {
        give_up(&dir, format!("the child could not write the outcome: {e}"));
    }
    std::process::exit(0);
}

fn give_up(dir: &Path, message: String) -> ! {
    let _ = fs::write(dir.join(FAILURE), &message);
    eprintln!("kaizen: {message}");
    std::process::exit(SERVE_FAILED);
}
