//! [`ProcessOutcome`]: what a jailed program did for one case.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::bytes::Data;
use super::units::{format_duration, parse_duration};

/// How a case ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ending {
    /// The program exited by itself with this code. YAML: `exit: 2`.
    Exit(i32),
    /// The program was ended by this signal number. YAML: `signal: 9 (SIGKILL)`.
    Signal(i32),
    /// The program ran past the case's time limit and was killed with its
    /// whole process group. YAML: `timeout: 2s`.
    Timeout(Duration),
    /// An output went over the capture limit (`capture.limit`): kaizen kept its first
    /// `limit` bytes and killed the program's process group. The text names the stream
    /// and the limit. YAML: `cut: stdout over 1 MiB`.
    Cut(String),
    /// kaizen could not run or capture the case (the program could not start,
    /// an output went over the capture limit, ...). [`CommandJail::run`] returns it;
    /// recording and verifying (through `Jailed::try_run`) stop with a spec error
    /// instead, so it never reaches a snapshot. YAML: `failed: <message>`.
    ///
    /// [`CommandJail::run`]: super::CommandJail::run
    Failed(Failure),
}

/// A case kaizen could not run or capture: what went wrong, what to do about it, and which
/// case it was. Shown as `MESSAGE; HINT` (the case is named by whoever reports it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Failure {
    /// What went wrong.
    pub message: String,
    /// What to do about it; empty when the message says it all.
    pub hint: String,
    /// The case, as [`super::CommandCase::summary`] shows it; empty until the jail that ran
    /// it fills it in.
    pub case: String,
}

impl Failure {
    /// A failure with this message, no hint, no case yet.
    pub fn new(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            ..Failure::default()
        }
    }

    /// The same failure with a hint.
    pub fn hint(self, hint: impl Into<String>) -> Failure {
        Failure {
            hint: hint.into(),
            ..self
        }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::new(message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if !self.hint.is_empty() {
            write!(f, "; {}", self.hint)?;
        }
        Ok(())
    }
}

impl Ending {
    /// Short readable form: "exit 0", "signal 9 (SIGKILL)", "timeout after 2s", "failed: ...".
    pub fn label(&self) -> String {
        match self {
            Ending::Exit(code) => format!("exit {code}"),
            Ending::Signal(number) => format!("signal {}", signal_text(*number)),
            Ending::Timeout(limit) => format!("timeout after {}", format_duration(*limit)),
            Ending::Cut(what) => format!("cut: {what}"),
            Ending::Failed(failure) => format!("failed: {failure}"),
        }
    }
}

/// "9 (SIGKILL)", or just "40" for a signal without a well-known name.
pub(crate) fn signal_text(number: i32) -> String {
    match signal_name(number) {
        Some(name) => format!("{number} ({name})"),
        None => number.to_string(),
    }
}

fn signal_name(number: i32) -> Option<&'static str> {
    use rustix::process::Signal;
    let known = [
        (Signal::HUP, "SIGHUP"),
        (Signal::INT, "SIGINT"),
        (Signal::QUIT, "SIGQUIT"),
        (Signal::ILL, "SIGILL"),
        (Signal::ABORT, "SIGABRT"),
        (Signal::BUS, "SIGBUS"),
        (Signal::FPE, "SIGFPE"),
        (Signal::KILL, "SIGKILL"),
        (Signal::USR1, "SIGUSR1"),
        (Signal::SEGV, "SIGSEGV"),
        (Signal::USR2, "SIGUSR2"),
        (Signal::PIPE, "SIGPIPE"),
        (Signal::ALARM, "SIGALRM"),
        (Signal::TERM, "SIGTERM"),
    ];
    known
        .iter()
        .find(|(signal, _)| signal.as_raw() == number)
        .map(|(_, name)| *name)
}

/// One captured file: its content, or what it was instead of a regular file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CapturedFile {
    /// A regular file's (scrubbed) content. YAML: the [`Data`] itself.
    Content(Data),
    /// A symbolic link; its target is recorded, never followed or read.
    /// YAML: `{symlink: <target>}`.
    Symlink(String),
    /// Something else that matched the glob: "fifo", "socket", "device".
    /// It is never opened. YAML: `{special: fifo}`.
    Special(String),
}

impl Serialize for CapturedFile {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (key, value) = match self {
            CapturedFile::Content(data) => return data.serialize(serializer),
            CapturedFile::Symlink(target) => ("symlink", target),
            CapturedFile::Special(kind) => ("special", kind),
        };
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(key, value)?;
        map.end()
    }
}

impl<'de> Deserialize<'de> for CapturedFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FileVisitor;
        impl<'de> Visitor<'de> for FileVisitor {
            type Value = CapturedFile;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("file content, {bytes: ...}, {symlink: ...} or {special: ...}")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<CapturedFile, E> {
                Ok(CapturedFile::Content(Data::from(text)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CapturedFile, A::Error> {
                let key: String = map
                    .next_key()?
                    .ok_or_else(|| de::Error::custom("empty mapping for a captured file"))?;
                let value: String = map.next_value()?;
                let file = match key.as_str() {
                    "bytes" => {
                        CapturedFile::Content(Data::unescape(&value).map_err(de::Error::custom)?)
                    }
                    "symlink" => CapturedFile::Symlink(value),
                    "special" => CapturedFile::Special(value),
                    other => {
                        return Err(de::Error::custom(format!(
                            "unknown key `{other}` for a captured file; expected bytes, symlink or special"
                        )));
                    }
                };
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(de::Error::custom(format!(
                        "unexpected second key `{extra}` for a captured file"
                    )));
                }
                Ok(file)
            }
        }
        deserializer.deserialize_any(FileVisitor)
    }
}

/// What a jailed program did for one case, after scrubbing.
///
/// Serializes as a YAML mapping (so it can sit beside `input:` in a record):
/// one of `exit`, `signal`, `timeout`, `cut` or `failed`, then `stdout`, `stderr`
/// and `files`, each left out when empty.
///
/// ```yaml
/// exit: 0
/// stdout: "total 12.00 EUR\n"
/// files:
///   out/summary.txt: "lines=3\n"
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessOutcome {
    /// How the case ended.
    pub ending: Ending,
    /// Everything the program wrote to standard output (scrubbed).
    pub stdout: Data,
    /// Everything the program wrote to standard error (scrubbed).
    pub stderr: Data,
    /// Files matched by `capture.files`, keyed by path relative to the case
    /// directory with `/` separators.
    pub files: BTreeMap<String, CapturedFile>,
}

impl ProcessOutcome {
    /// An outcome where kaizen could not run the case; nothing was captured.
    pub fn failed(failure: impl Into<Failure>) -> Self {
        ProcessOutcome::ended(Ending::Failed(failure.into()))
    }

    /// An outcome with this ending and nothing captured.
    pub fn ended(ending: Ending) -> Self {
        ProcessOutcome {
            ending,
            stdout: Data::default(),
            stderr: Data::default(),
            files: BTreeMap::new(),
        }
    }

    /// How the case ended, shortly: "exit 0", "exit 2", "signal 9 (SIGKILL)",
    /// "timeout after 2s" or "failed: WHY".
    pub fn label(&self) -> String {
        self.ending.label()
    }
}

impl Serialize for ProcessOutcome {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match &self.ending {
            Ending::Exit(code) => map.serialize_entry("exit", code)?,
            Ending::Signal(number) => map.serialize_entry("signal", &signal_text(*number))?,
            Ending::Timeout(limit) => map.serialize_entry("timeout", &format_duration(*limit))?,
            Ending::Cut(what) => map.serialize_entry("cut", what)?,
            Ending::Failed(failure) => map.serialize_entry("failed", &failure.to_string())?,
        }
        if !self.stdout.is_empty() {
            map.serialize_entry("stdout", &self.stdout)?;
        }
        if !self.stderr.is_empty() {
            map.serialize_entry("stderr", &self.stderr)?;
        }
        if !self.files.is_empty() {
            map.serialize_entry("files", &self.files)?;
        }
        map.end()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutcome {
    exit: Option<i32>,
    signal: Option<String>,
    timeout: Option<String>,
    cut: Option<String>,
    failed: Option<String>,
    #[serde(default)]
    stdout: Data,
    #[serde(default)]
    stderr: Data,
    #[serde(default)]
    files: BTreeMap<String, CapturedFile>,
}

impl<'de> Deserialize<'de> for ProcessOutcome {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawOutcome::deserialize(deserializer)?;
        let mut endings = Vec::new();
        if let Some(code) = raw.exit {
            endings.push(Ending::Exit(code));
        }
        if let Some(text) = raw.signal {
            let number = text
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| de::Error::custom(format!("signal `{text}` has no number")))?;
            endings.push(Ending::Signal(number));
        }
        if let Some(text) = raw.timeout {
            let limit = parse_duration(&text)
                .ok_or_else(|| de::Error::custom(format!("timeout `{text}` is not a duration")))?;
            endings.push(Ending::Timeout(limit));
        }
        if let Some(what) = raw.cut {
            endings.push(Ending::Cut(what));
        }
        if let Some(message) = raw.failed {
            endings.push(Ending::Failed(Failure::new(message)));
        }
        if endings.len() != 1 {
            return Err(de::Error::custom(
                "an outcome needs exactly one of exit, signal, timeout, cut or failed",
            ));
        }
        Ok(ProcessOutcome {
            ending: endings.remove(0),
            stdout: raw.stdout,
            stderr: raw.stderr,
            files: raw.files,
        })
    }
}
