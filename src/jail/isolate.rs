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
//! code, failed.
//!
//! Values cross the boundary in postcard (no YAML involved, so `Some(None)` stays
//! `Some(None)`), each with the sender's [`fingerprint`] of it: the receiver decodes the
//! value, fingerprints it again and refuses it unless the two agree and no byte is left
//! over. Postcard is not self-describing, so a type whose encoding depends on the value
//! (`skip_serializing_if`) could otherwise decode as a different value without an error.
//! Fingerprints trace unordered collections in canonical order, so a `HashMap` that decodes
//! into another iteration order on the other side still passes.

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
use crate::snapshot::exact::fingerprint;
use crate::snapshot::format;
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

const TYPES_HINT: &str = "isolation sends inputs and outcomes between processes with serde, \
in a format that is not self-describing: types whose encoding depends on the value \
(`skip_serializing_if`, untagged or internally tagged enums, `#[serde(flatten)]`) cannot be \
sent; jail a wrapper whose input and output are plain derived types";

/// A value as it crosses the process boundary: the sender's fingerprint of it, then the
/// value.
type Envelope<T> = (String, T);

/// Decodes an envelope; also returns how many bytes were left over.
type Decode<O> = fn(&[u8]) -> postcard::Result<(Envelope<Outcome<O>>, usize)>;

/// How a jail's cases are run in child processes.
pub(crate) struct Isolation<O> {
    /// What the child looks for: the jail's name (and the oracle side).
    pub(crate) key: String,
    /// The arguments that make the test binary run the current test only, or why they
    /// are not known.
    args: Result<Vec<OsString>, String>,
    /// Decodes the child's answer. A function pointer, so that only turning isolation on
    /// needs the output type to be deserializable.
    decode: Decode<O>,
}

impl<O: DeserializeOwned> Isolation<O> {
    /// Isolation that re-runs the test running on this thread: libtest names each test's
    /// thread after the test. On the `main` thread of a plain program (an example, a
    /// binary) the program is re-run with its own arguments. A thread without a name is
    /// neither, so cases cannot run (the error says so when they are run).
    ///
    /// `key` is numbered by how many isolated jails this thread made with the same key
    /// before, so that jails made at one place in a loop or a helper function stay apart:
    /// the re-run test makes them in the same order.
    pub(crate) fn for_current_test(key: String) -> Self {
        let thread = std::thread::current();
        let args = match thread.name() {
            Some("main") => Ok(std::env::args_os().skip(1).collect()),
            Some(test) => Ok([test, "--exact", "--include-ignored", "--quiet"]
                .iter()
                .map(OsString::from)
                .chain([OsString::from("--test-threads=1")])
                .collect()),
            None => Err(
                "the jail was made on a thread without a name, so kaizen cannot tell \
                         which test to re-run (libtest names each test's thread after the test)"
                    .to_string(),
            ),
        };
        Isolation {
            key: numbered(key),
            args,
            decode: decode::<O>,
        }
    }
}

thread_local! {
    static MADE: std::cell::RefCell<std::collections::HashMap<String, usize>> =
        Default::default();
}

/// `key#n`: the n-th isolated jail with this key made on this thread.
fn numbered(key: String) -> String {
    let n = MADE.with(|made| {
        let mut made = made.borrow_mut();
        let n = made.entry(key.clone()).or_insert(0);
        *n += 1;
        *n
    });
    format!("{key}#{n}")
}

fn decode<O: DeserializeOwned>(bytes: &[u8]) -> postcard::Result<(Envelope<Outcome<O>>, usize)> {
    postcard::take_from_bytes(bytes).map(|(value, rest)| (value, rest.len()))
}

/// Encodes a value with its fingerprint.
fn seal<T: Serialize>(value: &T) -> Result<Vec<u8>, String> {
    let print = fingerprint(value).map_err(|e| e.problem)?;
    postcard::to_allocvec(&(print, value)).map_err(|e| e.to_string())
}

/// Checks a decoded envelope: nothing left over, and the value fingerprints as sent.
fn unseal<T: Serialize>(
    decoded: postcard::Result<(Envelope<T>, usize)>,
    what: &str,
) -> Result<T, String> {
    let ((sent, value), rest) =
        decoded.map_err(|e| format!("the {what} could not be decoded: {e}"))?;
    let now = fingerprint(&value).map_err(|e| e.problem)?;
    if rest != 0 || now != sent {
        return Err(format!(
            "the {what} did not cross the process boundary exactly (it decoded as another value)"
        ));
    }
    Ok(value)
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
pub(crate) fn run_in_child<I: Serialize, O: Serialize>(
    isolation: &Isolation<O>,
    jail: &str,
    input: &I,
    timeout: Option<Duration>,
) -> Result<Outcome<O>, Error> {
    let fail = |message: String, hint: &str| Error::Isolation {
        jail: jail.to_string(),
        message: format!("input {}: {message}", one_line(input)),
        hint: hint.to_string(),
    };
    let args = isolation.args.as_ref().map_err(|why| {
        fail(
            why.clone(),
            "make the isolated jail in the test function itself, not on a thread it starts",
        )
    })?;
    let bytes = seal(input).map_err(|e| {
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
        .args(args)
        .env(env::ISOLATED, &isolation.key)
        .env(env::ISOLATED_DIR, dir.path())
        .env(env::ISOLATED_PARENT, std::process::id().to_string())
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

    what_the_child_left(isolation, dir.path(), ended, (&exe, args), &fail)
}

/// The outcome the child wrote, else what its ending says: a timeout, an exit or a crash of
/// a child that reached the jailed function is behaviour; any other ending is an error.
fn what_the_child_left<O: Serialize>(
    isolation: &Isolation<O>,
    dir: &Path,
    ended: Ending,
    (exe, args): (&Path, &[OsString]),
    fail: &dyn Fn(String, &str) -> Error,
) -> Result<Outcome<O>, Error> {
    let output_path = dir.join(OUTPUT);
    if let Ok(answer) = fs::read(dir.join(ANSWER)) {
        return unseal((isolation.decode)(&answer), "outcome").map_err(|e| fail(e, TYPES_HINT));
    }
    if let Ok(message) = fs::read_to_string(dir.join(FAILURE)) {
        return Err(fail(message, TYPES_HINT));
    }
    let started = dir.join(STARTED).exists();
    match (ended, started) {
        (Ending::Timeout(limit), true) => Ok(Outcome::Timeout(show_duration(limit))),
        (Ending::Exit(code), true) => Ok(Outcome::Exited(code)),
        (Ending::Signal(signal), true) => Ok(Outcome::Crashed(crash(signal, &output_path))),
        (ending, _) => Err(fail(
            format!(
                "the child process ({} {}) ended with {} before it called the jailed function{}",
                exe.display(),
                shown_args(args),
                ending.label(),
                output_tail(&output_path)
            ),
            "the re-run test must reach this jail's check, run or call every time it runs \
             (build the jail inside the test function; keep set-up that differs between runs \
             out of it); a time limit counts the child's start-up too",
        )),
    }
}

/// An input on one line, for an error message: as in the snapshot when it fits, else as JSON.
fn one_line<I: Serialize>(input: &I) -> String {
    format::encode_input(input)
        .map(|text| format::display_input(&text))
        .ok()
        .filter(|text| !text.contains('\n'))
        .or_else(|| serde_json::to_string(input).ok())
        .unwrap_or_else(|| "(an input)".to_string())
}

fn shown_args(args: &[OsString]) -> String {
    args.iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `stack overflow (signal 6 (SIGABRT))`, or just `signal 11 (SIGSEGV)`. The Rust runtime's
/// last words on a stack overflow tell it from another abort.
fn crash(signal: i32, output: &Path) -> String {
    let text = read_tail(output, 64 * 1024);
    let overflow = b"fatal runtime error: stack overflow";
    if signal == rustix::process::Signal::ABORT.as_raw()
        && memchr::memmem::rfind(&text, overflow).is_some()
    {
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
    // The last whole lines that fit.
    let start = text
        .char_indices()
        .map(|(i, _)| i)
        .find(|&i| text.len() - i <= OUTPUT_TAIL)
        .unwrap_or(0);
    let start = if start > 0 && !text[..start].ends_with('\n') {
        text[start..].find('\n').map_or(start, |n| start + n + 1)
    } else {
        start
    };
    format!("; its output ends with:\n{}", &text[start..])
}

/// In a child process: runs the one case this process was started for and exits.
pub(crate) fn serve<I: Serialize + DeserializeOwned, O: Serialize>(
    f: &(dyn Fn(I) -> O + Send + Sync),
) -> ! {
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
    // Die with the parent (a test run stopped with Ctrl-C, say), unless it is gone already.
    let _ = rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL));
    let parent = std::env::var(env::ISOLATED_PARENT).ok();
    let parent_now = rustix::process::getppid().map(|p| p.as_raw_nonzero().to_string());
    if parent.is_some() && parent != parent_now {
        std::process::exit(SERVE_FAILED);
    }
    let decoded = postcard::take_from_bytes::<Envelope<I>>(&bytes).map(|(v, rest)| (v, rest.len()));
    let input: I = match unseal(decoded, "input") {
        Ok(input) => input,
        Err(e) => give_up(&dir, format!("in the child: {e}")),
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
    let answer = match seal(&outcome) {
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
