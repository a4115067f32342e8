//! Supervising one started program: feeding its stdin, draining its stdout and stderr
//! within the capture limit, and ending it — at its exit, its time limit or its first byte
//! over the limit — with its whole process group killed and the program reaped.
//!
//! [`Watch`] is one `poll` loop, read one step at a time: notice why to stop
//! ([`Watch::notice_stop`]), wait for the pipes, the exit or the deadline
//! ([`Watch::wait_for_events`]), read ([`Watch::read_outputs`]), write
//! ([`Watch::feed_stdin`]), and at the end take what was read ([`Watch::finish`]).

use std::io::Write;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, ChildStderr, ChildStdin, ChildStdout, Command, ExitStatus};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec};
use rustix::process::{Pid, PidfdFlags, WaitId, WaitIdOptions};

use super::bytes::Data;
use super::capture::{Drained, OutputPipe, Stream};
use super::outcome::{Ending, Failure, ProcessOutcome};
use super::running::{self, INTERRUPTED, kill_group};
use super::units::format_size;

/// How long to wait for the output pipes to close once the program's process group is
/// gone (only a process that left the group, and was not found, can hold them longer).
const PIPE_GRACE: Duration = Duration::from_secs(2);
/// How much is read from a pipe at once.
const CHUNK: usize = 16 * 1024;

/// How long a program may run and how much of each output is kept.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// The time limit; the whole process group is killed when it passes.
    pub(crate) timeout: Duration,
    /// The most bytes kept of stdout and of stderr; the program is stopped beyond it.
    pub(crate) capture: u64,
}

/// Starts the program (which must be set up as its own process group, with piped or null
/// streams), feeds `stdin`, drains stdout/stderr within the limit, and ends with the whole
/// process group (and, where kaizen adopts them, the processes that left it) killed and
/// the program reaped.
///
/// A timed-out program's partial output is dropped: it depends on timing, so it is not
/// behaviour. An output over the limit ends the case as [`Ending::Cut`] with the first
/// `limit` bytes kept.
pub(crate) fn supervise(
    limits: Limits,
    stdin: Option<&[u8]>,
    command: &mut Command,
) -> Result<ProcessOutcome, String> {
    let (mut child, group) = spawn(command)?;
    let watched = Watch::new(limits, stdin, &mut child, group).and_then(Watch::run);
    // Whatever happened, nothing of the program's group may outlive the case.
    kill_group(group);
    let status = child.wait();
    let stopped = running::forget_group(group);
    super::reaper::kill_strays();
    if stopped {
        // Killed by an interrupted run: not the program's behaviour.
        return Err(INTERRUPTED.into());
    }
    let watched = watched?;
    let status =
        status.map_err(|err| format!("cannot collect the program's exit status: {err}"))?;
    Ok(outcome(limits, watched, status))
}

/// Spawns the program as a registered case, unless the run is being stopped.
fn spawn(command: &mut Command) -> Result<(Child, Pid), String> {
    let permit = running::start().ok_or(INTERRUPTED)?;
    let child = command.spawn().map_err(|err| spawn_error(command, &err))?;
    let group = Pid::from_child(&child);
    running::add_group(&permit, group);
    Ok((child, group))
}

/// Why a program did not start: a working directory that vanished is named as such, not
/// blamed on the program.
fn spawn_error(command: &Command, err: &std::io::Error) -> String {
    if let Some(dir) = command.get_current_dir()
        && !dir.is_dir()
    {
        return format!(
            "the working directory {} vanished before the program could start \
             (something removed it while kaizen ran)",
            dir.display()
        );
    }
    format!(
        "cannot start {}: {err}; check `command` in the spec (the program must be on PATH or given by path)",
        PathBuf::from(command.get_program()).display()
    )
}

fn outcome(limits: Limits, watched: Watched, status: ExitStatus) -> ProcessOutcome {
    let ending = match watched.stop {
        Stop::TimedOut => {
            return ProcessOutcome::ended(Ending::Timeout(limits.timeout));
        }
        Stop::Cut(stream) => Ending::Cut(format!(
            "{} over {}",
            stream.name(),
            format_size(limits.capture)
        )),
        Stop::Exited => ending_of(status),
    };
    ProcessOutcome {
        ending,
        stdout: Data::from(watched.stdout),
        stderr: Data::from(watched.stderr),
        files: Default::default(),
    }
}

fn ending_of(status: ExitStatus) -> Ending {
    match (status.code(), status.signal()) {
        (Some(code), _) => Ending::Exit(code),
        (None, Some(signal)) => Ending::Signal(signal),
        (None, None) => Ending::Failed(Failure::new(format!(
            "the program ended in an unknown way ({status})"
        ))),
    }
}

/// Why the wait for the program ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    Exited,
    TimedOut,
    /// This stream went over the capture limit.
    Cut(Stream),
}

/// What a watched program left: why it stopped and what it wrote.
struct Watched {
    stop: Stop,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// One program being watched.
struct Watch<'a> {
    child: &'a mut Child,
    group: Pid,
    stdout: OutputPipe<ChildStdout>,
    stderr: OutputPipe<ChildStderr>,
    /// The stdin pipe and what is left to write, until it is all written or refused.
    stdin: Option<(ChildStdin, &'a [u8])>,
    /// Readable once the program exits (a pidfd); `None` before Linux 5.3.
    exit_fd: Option<OwnedFd>,
    deadline: Instant,
    stop: Option<Stop>,
    /// Once stopped: how long to wait for the pipes to close.
    give_up: Instant,
    /// Without a pidfd: the next polling interval.
    pause: Duration,
}

impl<'a> Watch<'a> {
    fn new(
        limits: Limits,
        input: Option<&'a [u8]>,
        child: &'a mut Child,
        group: Pid,
    ) -> Result<Watch<'a>, String> {
        let stdout = OutputPipe::new(child.stdout.take(), limits.capture);
        let stderr = OutputPipe::new(child.stderr.take(), limits.capture);
        for pipe in [
            stdout.pipe().map(AsFd::as_fd),
            stderr.pipe().map(AsFd::as_fd),
        ]
        .into_iter()
        .flatten()
        {
            nonblocking(pipe)?;
        }
        // A program that writes before it reads cannot deadlock against us: stdin is
        // written as the pipe takes it; a program that stops reading gives EPIPE.
        let stdin = match (child.stdin.take(), input) {
            (Some(pipe), Some(data)) if !data.is_empty() => {
                nonblocking(pipe.as_fd())?;
                Some((pipe, data))
            }
            _ => None,
        };
        let start = Instant::now();
        // A limit too far out to represent is no limit: a year stands in for it.
        let deadline = start
            .checked_add(limits.timeout)
            .unwrap_or_else(|| start + Duration::from_secs(365 * 24 * 3600));
        Ok(Watch {
            exit_fd: rustix::process::pidfd_open(group, PidfdFlags::empty()).ok(),
            child,
            group,
            stdout,
            stderr,
            stdin,
            deadline,
            stop: None,
            give_up: deadline,
            pause: Duration::from_millis(1),
        })
    }

    fn run(mut self) -> Result<Watched, String> {
        let mut chunk = vec![0u8; CHUNK];
        loop {
            self.notice_stop();
            if self.done() {
                break;
            }
            self.wait_for_events()?;
            self.read_outputs(&mut chunk);
            self.feed_stdin();
        }
        self.finish()
    }

    /// Sees whether the program exited, went over the limit or ran out of time; at the
    /// first of these kills its group at once, so background processes let go of the
    /// pipes.
    fn notice_stop(&mut self) {
        if self.stop.is_some() {
            return;
        }
        self.stop = if let Some(stream) = self.over_limit() {
            Some(Stop::Cut(stream))
        } else if has_exited(self.child, self.group) {
            Some(Stop::Exited)
        } else if Instant::now() >= self.deadline {
            Some(Stop::TimedOut)
        } else {
            None
        };
        if self.stop.is_some() {
            kill_group(self.group);
            super::reaper::kill_strays();
            self.stdin = None;
            self.give_up = Instant::now() + PIPE_GRACE;
        }
    }

    fn over_limit(&self) -> Option<Stream> {
        if self.stdout.over_limit() {
            Some(Stream::Stdout)
        } else if self.stderr.over_limit() {
            Some(Stream::Stderr)
        } else {
            None
        }
    }

    /// Stopped, and both pipes closed (or the grace time for them is over).
    fn done(&self) -> bool {
        self.stop.is_some()
            && ((self.stdout.finished() && self.stderr.finished())
                || Instant::now() >= self.give_up)
    }

    /// How long the next `poll` may sleep.
    fn next_wait(&mut self) -> Duration {
        let now = Instant::now();
        match (&self.stop, &self.exit_fd) {
            (Some(_), _) => self.give_up.saturating_duration_since(now),
            (None, Some(_)) => self.deadline.saturating_duration_since(now),
            (None, None) => {
                let wait = self.pause.min(self.deadline.saturating_duration_since(now));
                self.pause = (self.pause * 2).min(Duration::from_millis(20));
                wait
            }
        }
    }

    /// Sleeps until a pipe is ready, the program exits or the next deadline comes.
    fn wait_for_events(&mut self) -> Result<(), String> {
        let wait = self.next_wait();
        let mut fds = Vec::with_capacity(4);
        if let Some(pipe) = self.stdout.pipe() {
            fds.push(PollFd::new(pipe, PollFlags::IN));
        }
        if let Some(pipe) = self.stderr.pipe() {
            fds.push(PollFd::new(pipe, PollFlags::IN));
        }
        if let Some((pipe, _)) = &self.stdin {
            fds.push(PollFd::new(pipe, PollFlags::OUT));
        }
        if let (None, Some(fd)) = (&self.stop, &self.exit_fd) {
            fds.push(PollFd::new(fd, PollFlags::IN));
        }
        let timeout = Timespec::try_from(wait).unwrap_or(Timespec {
            tv_sec: i64::MAX,
            tv_nsec: 0,
        });
        match rustix::event::poll(&mut fds, Some(&timeout)) {
            Ok(_) | Err(rustix::io::Errno::INTR) => Ok(()),
            Err(err) => Err(format!("cannot wait for the program's output: {err}")),
        }
    }

    fn read_outputs(&mut self, chunk: &mut [u8]) {
        self.stdout.read_available(chunk);
        self.stderr.read_available(chunk);
    }

    /// Writes as much of stdin as the pipe takes; closes it once all is written (the
    /// program's end of input) or the program stopped reading.
    fn feed_stdin(&mut self) {
        let Some((pipe, rest)) = &mut self.stdin else {
            return;
        };
        let done = loop {
            match pipe.write(rest) {
                Ok(n) => {
                    *rest = &rest[n..];
                    if rest.is_empty() {
                        break true;
                    }
                }
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => break false,
                // EPIPE: the program stopped reading.
                Err(_) => break true,
            }
        };
        if done {
            self.stdin = None;
        }
    }

    /// What was read. An output that went over the limit cuts the case, even when the
    /// program had exited by the time it was noticed.
    fn finish(self) -> Result<Watched, String> {
        let stop = match (self.over_limit(), self.stop) {
            (Some(stream), _) => Stop::Cut(stream),
            (None, stop) => stop.unwrap_or(Stop::TimedOut),
        };
        let stdout = take(Stream::Stdout, self.stdout.into_result())?;
        let stderr = take(Stream::Stderr, self.stderr.into_result())?;
        Ok(Watched {
            stop,
            stdout,
            stderr,
        })
    }
}

fn take(stream: Stream, drained: Option<Drained>) -> Result<Vec<u8>, String> {
    match drained {
        Some(Drained::Done(kept)) => Ok(kept),
        Some(Drained::Error(err)) => Err(format!(
            "cannot read the program's {}: {err}",
            stream.name()
        )),
        None => Err(format!(
            "the program's {} stayed open after its process group was killed \
             (a process that left the group, e.g. via setsid, still holds it)",
            stream.name()
        )),
    }
}

fn nonblocking(fd: BorrowedFd<'_>) -> Result<(), String> {
    rustix::io::ioctl_fionbio(fd, true)
        .map_err(|err| format!("cannot set up the program's pipes: {err}"))
}

/// True once the program has exited. Uses `WNOWAIT` so the program stays a zombie: its
/// pid, which is also the group id, cannot be reused before we kill the group and reap it.
fn has_exited(child: &mut Child, group: Pid) -> bool {
    let options = WaitIdOptions::EXITED | WaitIdOptions::NOHANG | WaitIdOptions::NOWAIT;
    match rustix::process::waitid(WaitId::Pid(group), options) {
        Ok(status) => status.is_some(),
        Err(rustix::io::Errno::INTR) => false,
        Err(_) => !matches!(child.try_wait(), Ok(None)),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::CommandExt;

    use super::*;

    #[test]
    fn a_vanished_working_directory_is_named_not_the_program() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("case");
        let mut command = Command::new("sh");
        command.current_dir(&gone).process_group(0);
        let limits = Limits {
            timeout: Duration::from_secs(5),
            capture: 1000,
        };
        let err = supervise(limits, None, &mut command).unwrap_err();
        assert_eq!(
            err,
            format!(
                "the working directory {} vanished before the program could start \
                 (something removed it while kaizen ran)",
                gone.display()
            )
        );
    }
}
