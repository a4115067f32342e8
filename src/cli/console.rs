//! What the command prints, and what happens when it cannot: reports and messages go to
//! standard output, errors to standard error, and a write that fails never panics.
//!
//! The first failed write to standard output is kept and every later one is dropped; the
//! subcommands stop at the next jail ([`closed`]), and [`finish`] turns the failure into the
//! command's result: a reader that went away (`kaizen verify | head`) ends kaizen quietly with
//! [`ExitCode::OutputClosed`] (141, as a program ended by SIGPIPE); any other write error (a
//! full disk) is one line on standard error and [`ExitCode::OutputFailed`] (74). A failed write
//! to standard error is ignored: there is nowhere left to say anything.

use std::fmt;
use std::io::{self, Write};
use std::sync::Mutex;

use crate::{Error, ExitCode};

/// The first write to standard output that failed.
static FAILED: Mutex<Option<io::Error>> = Mutex::new(None);

fn failed() -> std::sync::MutexGuard<'static, Option<io::Error>> {
    FAILED.lock().unwrap_or_else(|p| p.into_inner())
}

/// Writes to standard output, flushed at once so that a failure is seen here.
pub(crate) fn write_out(args: fmt::Arguments<'_>) {
    let mut failed = failed();
    if failed.is_some() {
        return;
    }
    let mut stdout = io::stdout().lock();
    if let Err(e) = stdout.write_fmt(args).and_then(|()| stdout.flush()) {
        *failed = Some(e);
    }
}

/// Writes to standard error; a failure is ignored.
pub(crate) fn write_err(args: fmt::Arguments<'_>) {
    let mut stderr = io::stderr().lock();
    let _ = stderr.write_fmt(args).and_then(|()| stderr.flush());
}

/// Whether standard output failed: nothing more the command prints would arrive.
pub(crate) fn closed() -> bool {
    failed().is_some()
}

/// The command's exit code, given what it would have been: an output failure replaces it
/// (a closed pipe quietly; any other failure with one line on standard error).
pub(crate) fn finish(code: ExitCode) -> ExitCode {
    let flushed = io::stdout().lock().flush();
    if let Err(e) = flushed {
        failed().get_or_insert(e);
    }
    let Some(source) = failed().take() else {
        return code;
    };
    let error = Error::Output { source };
    if error.exit_code() != ExitCode::OutputClosed {
        write_err(format_args!("error: {error}\n"));
    }
    error.exit_code()
}

/// `println!` for the command's output: see [`write_out`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::cli::console::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` for the command's output: see [`write_out`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::console::write_out(format_args!($($arg)*))
    };
}

/// `eprintln!` that never panics: see [`write_err`].
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::console::write_err(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {errln, out, outln};
