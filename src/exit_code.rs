//! The process exit codes of the `kaizen` command, so CI can tell "behaviour changed" from
//! "the tool broke".
//!
//! | code | meaning |
//! |------|---------|
//! | 0    | behaviour unchanged (or recorded / accepted as asked) |
//! | 1    | behaviour changed, or inputs not yet recorded |
//! | 2    | usage, jail spec or snapshot file error: fix the named file or command line |
//! | 3    | a snapshot is missing and this run may not record it (CI, or `KAIZEN_UPDATE=no`) |
//! | 4    | `kaizen strength`: the mutation score is below `--min-score` |
//! | 70   | internal failure of kaizen itself (a bug: please report it) |
//! | 74   | the command's output could not be written (disk full, an unwritable file): one line on stderr says why |
//! | 141  | the command's output was closed early (`kaizen verify \| head`): kaizen stopped quietly, as a program ended by SIGPIPE does |
//!
//! A run ended by a signal exits with 128 + the signal's number, as shells expect: 130 for
//! Ctrl-C (SIGINT), 143 for SIGTERM, 129 for SIGHUP, after stopping its running cases.

/// A documented process exit code. See the module docs for the table.
///
/// ```
/// use kaizen::ExitCode;
/// assert_eq!(ExitCode::Changed.code(), 1);
/// assert_eq!(ExitCode::MissingSnapshot.code(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(i32)]
pub enum ExitCode {
    /// Behaviour unchanged.
    Unchanged = 0,
    /// Behaviour changed, or new inputs are not yet recorded.
    Changed = 1,
    /// A usage, jail spec or snapshot file error.
    Usage = 2,
    /// A snapshot is missing and this run may not record it.
    MissingSnapshot = 3,
    /// `kaizen strength`: the mutation score is below `--min-score`.
    Weak = 4,
    /// kaizen itself failed.
    Internal = 70,
    /// The command's output could not be written (`EX_IOERR`).
    OutputFailed = 74,
    /// The command's output was closed before kaizen finished writing it: 128 + SIGPIPE.
    OutputClosed = 141,
}

impl ExitCode {
    /// The numeric code.
    pub fn code(self) -> i32 {
        self as i32
    }

    /// The worse of two outcomes: errors beat changes, changes beat success.
    ///
    /// ```
    /// use kaizen::ExitCode;
    /// assert_eq!(ExitCode::Unchanged.worst(ExitCode::Changed), ExitCode::Changed);
    /// assert_eq!(ExitCode::Changed.worst(ExitCode::Usage), ExitCode::Usage);
    /// ```
    pub fn worst(self, other: ExitCode) -> ExitCode {
        self.max(other)
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code.code() as u8)
    }
}
