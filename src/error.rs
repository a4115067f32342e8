//! The one error type of kaizen. Each variant maps to an [`ExitCode`], and each message names
//! the file (and line, where there is one) and says what to do.

use std::fmt;
use std::path::PathBuf;

use crate::ExitCode;

/// Everything that can stop kaizen from giving a verdict.
///
/// ```
/// let err = kaizen::Error::Config { message: "bad".into(), hint: "fix it".into() };
/// assert_eq!(err.exit_code(), kaizen::ExitCode::Usage);
/// assert!(err.to_string().contains("fix it"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A bad setting: an environment variable, a builder argument, a command line.
    Config {
        /// What is wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// A snapshot file that cannot be used as it is. The file is left untouched.
    Snapshot {
        /// The snapshot file.
        path: PathBuf,
        /// The 1-based line, where known.
        line: Option<usize>,
        /// What is wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// A case whose input or outcome the snapshot format cannot hold exactly.
    Unrepresentable {
        /// The jail.
        jail: String,
        /// Which case, e.g. `list #3` or `proptest #17 (seed 42)`.
        case: String,
        /// What cannot be represented and where.
        message: String,
        /// The workaround.
        hint: String,
    },
    /// A snapshot is missing and this run may not record it.
    MissingSnapshot {
        /// The jail.
        jail: String,
        /// Where the snapshot should be.
        path: PathBuf,
        /// The command that records it.
        command: String,
    },
    /// Another process holds the snapshot's lock.
    Locked {
        /// The lock file.
        path: PathBuf,
        /// What the lock file says about its holder.
        holder: String,
    },
    /// Reading or writing a file failed.
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done.
        action: &'static str,
        /// The cause.
        source: std::io::Error,
    },
    /// Cases whose behaviour differs between runs of the same input: recording them would
    /// make every later verification flaky.
    Unstable {
        /// The jail.
        jail: String,
        /// How many runs of each case were compared.
        runs: usize,
        /// For each unstable case (the first few): its input and the differing texts, as a
        /// diff.
        cases: Vec<String>,
        /// How many cases were unstable in all.
        count: usize,
        /// For a Rust jail: the redaction that would hide the first difference
        /// (`.redact(".created_at", "[placeholder]")`); `None` for a command jail, whose
        /// remedy is a `scrub:` rule.
        redaction: Option<String>,
    },
    /// A jail spec file (for a command jail) is invalid.
    Spec {
        /// The full message, naming file, line and field.
        message: String,
    },
    /// A jail isolated in child processes ([`Jail::isolated`](crate::Jail::isolated)) could
    /// not run a case: the child did not reach the jail, or a value could not cross the
    /// process boundary. Nothing was written.
    Isolation {
        /// The jail.
        jail: String,
        /// What went wrong.
        message: String,
        /// What to do about it.
        hint: String,
    },
    /// The command's output (standard output) could not be written: the reader went away,
    /// or the disk is full.
    Output {
        /// The cause; [`std::io::ErrorKind::BrokenPipe`] when the reader went away.
        source: std::io::Error,
    },
    /// kaizen itself went wrong; this is a bug.
    Internal {
        /// What went wrong.
        message: String,
    },
}

impl Error {
    /// The exit code the `kaizen` command uses for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Config { .. }
            | Error::Snapshot { .. }
            | Error::Unrepresentable { .. }
            | Error::Locked { .. }
            | Error::Unstable { .. }
            | Error::Spec { .. }
            | Error::Isolation { .. }
            | Error::Io { .. } => ExitCode::Usage,
            Error::MissingSnapshot { .. } => ExitCode::MissingSnapshot,
            Error::Internal { .. } => ExitCode::Internal,
            Error::Output { source } if source.kind() == std::io::ErrorKind::BrokenPipe => {
                ExitCode::OutputClosed
            }
            Error::Output { .. } => ExitCode::OutputFailed,
        }
    }

    /// A snapshot error with a line.
    pub(crate) fn snapshot(
        path: impl Into<PathBuf>,
        line: Option<usize>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Error {
        Error::Snapshot {
            path: path.into(),
            line,
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// An I/O error on a file.
    pub(crate) fn io(
        path: impl Into<PathBuf>,
        action: &'static str,
        source: std::io::Error,
    ) -> Error {
        Error::Io {
            path: path.into(),
            action,
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config { message, hint } => write!(f, "{message}\n  hint: {hint}"),
            Error::Snapshot {
                path,
                line,
                message,
                hint,
            } => {
                match line {
                    Some(line) => write!(f, "{}:{line}: {message}", path.display())?,
                    None => write!(f, "{}: {message}", path.display())?,
                }
                write!(f, "\n  the file was left untouched\n  hint: {hint}")
            }
            Error::Unrepresentable {
                jail,
                case,
                message,
                hint,
            } => {
                write!(
                    f,
                    "{jail}: case {case}: {message}\n  nothing was written\n  hint: {hint}"
                )
            }
            Error::MissingSnapshot {
                jail,
                path,
                command,
            } => write!(
                f,
                "{jail}: no snapshot at {} and this run may not record one\n  hint: record it locally with `{command}` and commit {}",
                path.display(),
                path.display()
            ),
            Error::Isolation {
                jail,
                message,
                hint,
            } => write!(
                f,
                "{jail}: isolated case: {message}\n  nothing was written\n  hint: {hint}"
            ),
            Error::Locked { path, holder } => write!(
                f,
                "{}: another kaizen run is recording this jail ({holder})\n  hint: wait for it to finish and run again (the lock is held only while a run records; the system releases it when that run ends, even if it crashed)",
                path.display()
            ),
            Error::Io {
                path,
                action,
                source,
            } => {
                write!(f, "{}: cannot {action}: {source}", path.display())
            }
            Error::Unstable {
                jail,
                runs,
                cases,
                count,
                redaction,
            } => unstable(f, jail, *runs, cases, *count, redaction.as_deref()),
            Error::Spec { message } => f.write_str(message),
            Error::Output { source } => write!(f, "cannot write to standard output: {source}"),
            Error::Internal { message } => {
                write!(
                    f,
                    "internal error in kaizen: {message}\n  this is a bug in kaizen; please report it"
                )
            }
        }
    }
}

/// The refusal of cases that behaved differently from run to run, with the hint that fits
/// the jail: a redaction for a Rust jail (`redaction` suggests one), a `scrub:` entry for
/// a command jail.
fn unstable(
    f: &mut fmt::Formatter<'_>,
    jail: &str,
    runs: usize,
    cases: &[String],
    count: usize,
    redaction: Option<&str>,
) -> fmt::Result {
    write!(
        f,
        "{jail}: {count} case(s) behaved differently in {runs} runs of the same input; nothing was recorded"
    )?;
    for case in cases {
        write!(f, "\n\n{case}")?;
    }
    if count > cases.len() {
        write!(f, "\n\n…and {} more unstable cases", count - cases.len())?;
    }
    if let Some(redaction) = redaction {
        return write!(
            f,
            "\n  hint: hide what changes between runs (times, ids) with a redaction on the jail, e.g. {redaction} (where the first of these cases differed), or record with .record_runs(1) to accept the risk of a flaky snapshot"
        );
    }
    write!(
        f,
        "\n  hint: hide what changes between runs (times, ids, temp paths) with a `scrub:` entry in the jail spec, e.g.\n    scrub:\n      - regex: '\\d{{4}}-\\d{{2}}-\\d{{2}}T[0-9:.]+'\n        replace: '[time]'"
    )
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } | Error::Output { source } => Some(source),
            _ => None,
        }
    }
}
