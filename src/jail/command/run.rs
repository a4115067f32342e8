//! Running one case of a command jail in a fresh, always-removed case directory.

use std::fs;
use std::io::Write;
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec};
use rustix::process::{Pid, PidfdFlags, Signal, WaitId, WaitIdOptions};

use super::bytes::Data;
use super::capture::{Drained, OutputPipe, Stream, capture_files};
use super::case::CommandCase;
use super::error::HINT_MARK;
use super::fields::check_relative;
use super::outcome::{CapturedFile, Ending, ProcessOutcome};
use super::scrub::{CASE_DIR_MARK, PathMark, scrub};
use super::spec::{Program, Settings};
use super::units::format_size;

/// `PATH` for the program when kaizen itself has none.
const FALLBACK_PATH: &str = "/usr/local/bin:/usr/bin:/bin";
/// How long to wait for the output pipes to close once the program's process
/// group is gone (only a process that left the group can hold them longer).
const PIPE_GRACE: Duration = Duration::from_secs(2);

/// The process groups and case directories of the cases running now in this process, so
/// that an interrupted run can stop them ([`stop_running`]).
struct Running {
    groups: Vec<Pid>,
    dirs: Vec<PathBuf>,
    stopping: bool,
}

static RUNNING: std::sync::Mutex<Running> = std::sync::Mutex::new(Running {
    groups: Vec::new(),
    dirs: Vec::new(),
    stopping: false,
});

fn running() -> std::sync::MutexGuard<'static, Running> {
    RUNNING.lock().unwrap_or_else(|p| p.into_inner())
}

/// Stops every case running now, for a process about to exit on a signal: kills each case's
/// whole process group, removes the case directories, and makes any case that starts from
/// now on stop at once. Returns how many cases were running.
pub(crate) fn stop_running() -> usize {
    let (groups, dirs) = {
        let mut running = running();
        running.stopping = true;
        (running.groups.clone(), running.dirs.clone())
    };
    for group in &groups {
        kill_group(*group);
    }
    // A case that was starting meanwhile kills itself when it registers; give the killed
    // programs a moment to let go of their directories.
    std::thread::sleep(Duration::from_millis(50));
    let late = running().groups.clone();
    for group in late {
        kill_group(group);
    }
    let later = running().dirs.clone();
    for dir in dirs.iter().chain(&later) {
        remove_case_dir(dir);
    }
    groups.len()
}

/// Runs one case; never panics (an internal panic becomes a `failed` outcome).
pub(crate) fn run_case(settings: &Settings, case: &CommandCase) -> ProcessOutcome {
    match panic::catch_unwind(AssertUnwindSafe(|| run_in_case_dir(settings, case))) {
        Ok(outcome) => outcome,
        Err(payload) => {
            let why = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            ProcessOutcome::failed(format!(
                "internal error in kaizen while running the case: {why}"
            ))
        }
    }
}

/// The case directory: removed on drop, also after a timeout or a panic,
/// even if the program took away its own write permissions.
///
/// It is made directly under the canonical temp folder, so its path needs no
/// resolving per case; and an empty one (the common case) is removed with one
/// `rmdir`. Both matter: on a disk-backed `/tmp` busy with writeback, these
/// metadata operations are most of kaizen's own cost per case.
struct CaseDir {
    path: PathBuf,
}

impl CaseDir {
    fn create(base: &Path) -> std::io::Result<CaseDir> {
        let dir = tempfile::Builder::new()
            .prefix("kaizen-case-")
            .tempdir_in(base)?;
        let path = dir.keep();
        running().dirs.push(path.clone());
        Ok(CaseDir { path })
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for CaseDir {
    fn drop(&mut self) {
        remove_case_dir(&self.path);
        running().dirs.retain(|dir| *dir != self.path);
    }
}

/// Removes a case directory: an empty one with one `rmdir`, else with everything in it,
/// even if the program took away its own write permissions.
fn remove_case_dir(dir: &Path) {
    if fs::remove_dir(dir).is_err() && fs::remove_dir_all(dir).is_err() {
        make_dirs_writable(dir);
        let _ = fs::remove_dir_all(dir);
    }
}

fn make_dirs_writable(dir: &Path) {
    let Ok(meta) = fs::symlink_metadata(dir) else {
        return;
    };
    if !meta.is_dir() {
        return;
    }
    let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            make_dirs_writable(&entry.path());
        }
    }
}

/// Why the wait for the program ended.
enum Stop {
    Exited,
    TimedOut,
    OverLimit,
}

fn run_in_case_dir(settings: &Settings, case: &CommandCase) -> ProcessOutcome {
    let case_dir = match CaseDir::create(&settings.temp.canonical) {
        Ok(dir) => dir,
        Err(err) => {
            return ProcessOutcome::failed(format!(
                "cannot create a temporary case directory: {err}"
            ));
        }
    };
    let dir = case_dir.path().to_path_buf();
    // The path as created, and as it reads under the temp folder's other spelling
    // (`TMPDIR` through a symlink), longest first.
    let mut case_dirs: Vec<Vec<u8>> = vec![dir.as_os_str().as_bytes().to_vec()];
    if let (Some(raw), Some(name)) = (&settings.temp.raw, dir.file_name()) {
        case_dirs.push(raw.join(name).as_os_str().as_bytes().to_vec());
    }
    case_dirs.sort_by_key(|s| std::cmp::Reverse(s.len()));
    let spellings: Vec<PathMark> = case_dirs
        .into_iter()
        .map(|path| (path, CASE_DIR_MARK))
        .chain(settings.path_marks.iter().cloned())
        .collect();

    if let Err(message) = place_files(&dir, case) {
        return ProcessOutcome::failed(message);
    }
    let mut command = match build_command(settings, case, &dir) {
        Ok(command) => command,
        Err(message) => return ProcessOutcome::failed(message),
    };
    let limits = Limits {
        timeout: settings.timeout,
        capture: settings.limit,
    };
    let stdin = case.stdin.as_ref().map(Data::as_bytes);
    let mut outcome = match supervise(limits, stdin, &mut command) {
        Ok(outcome) => outcome,
        Err(message) => return ProcessOutcome::failed(message),
    };
    if let Some(globs) = &settings.capture {
        match capture_files(&dir, globs, settings.limit) {
            Ok(files) => outcome.files = files,
            Err(message) => {
                return ProcessOutcome::failed(format!(
                    "{message} (the program ended with {})",
                    outcome.label()
                ));
            }
        }
    }
    let clean = |data: &Data| Data::from(scrub(data.as_bytes(), &spellings, &settings.scrubs));
    outcome.stdout = clean(&outcome.stdout);
    outcome.stderr = clean(&outcome.stderr);
    for file in outcome.files.values_mut() {
        *file = match file {
            CapturedFile::Content(data) => CapturedFile::Content(clean(data)),
            CapturedFile::Symlink(target) => CapturedFile::Symlink(
                String::from_utf8_lossy(&scrub(target.as_bytes(), &spellings, &settings.scrubs))
                    .into_owned(),
            ),
            CapturedFile::Special(kind) => CapturedFile::Special(kind.clone()),
        };
    }
    drop(case_dir);
    outcome
}

/// Writes the case's `files` into the case directory.
fn place_files(dir: &Path, case: &CommandCase) -> Result<(), String> {
    for (relative, data) in &case.files {
        check_relative(relative).map_err(|message| {
            format!(
                "case file {relative:?}: {}",
                message.replace(HINT_MARK, "; ")
            )
        })?;
        let target = dir.join(relative);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(|err| {
                format!("cannot create the folder for case file {relative}: {err}")
            })?;
        }
        fs::write(&target, data.as_bytes())
            .map_err(|err| format!("cannot write case file {relative}: {err}"))?;
    }
    Ok(())
}

/// Fills `{jail}`, `{root}` and `{case_dir}` in a template.
fn fill(template: &str, settings: &Settings, dir: &Path) -> String {
    template
        .replace("{jail}", &settings.jail_dir.to_string_lossy())
        .replace("{root}", &settings.root.to_string_lossy())
        .replace("{case_dir}", &dir.to_string_lossy())
}

fn build_command(settings: &Settings, case: &CommandCase, dir: &Path) -> Result<Command, String> {
    let args = case.args.iter().map(|arg| fill(arg, settings, dir));
    let mut command = match &settings.program {
        Program::Argv(argv) => {
            let mut command = Command::new(fill(&argv[0], settings, dir));
            command.args(argv[1..].iter().map(|arg| fill(arg, settings, dir)));
            command.args(args);
            command
        }
        Program::Shell(script) => {
            let mut command = Command::new("sh");
            command
                .arg("-c")
                .arg(fill(script, settings, dir))
                .arg("kaizen-jail")
                .args(args);
            command
        }
    };
    command.env_clear();
    command.env(
        "PATH",
        std::env::var_os("PATH").unwrap_or_else(|| FALLBACK_PATH.into()),
    );
    command.env("LC_ALL", "C").env("TZ", "UTC");
    for name in &settings.inherit_env {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    for (name, value) in settings.env.iter().chain(&case.env) {
        command.env(name, fill(value, settings, dir));
    }
    let cwd = match &settings.cwd {
        None => dir.to_path_buf(),
        Some(cwd) => settings.root.join(fill(cwd, settings, dir)),
    };
    if !cwd.is_dir() {
        return Err(format!(
            "the working directory {} does not exist; fix `cwd` in the spec",
            cwd.display()
        ));
    }
    command.current_dir(cwd);
    command.stdin(if case.stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    command.process_group(0);
    Ok(command)
}

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
/// process group killed and the program reaped.
pub(crate) fn supervise(
    limits: Limits,
    stdin: Option<&[u8]>,
    command: &mut Command,
) -> Result<ProcessOutcome, String> {
    let program = PathBuf::from(command.get_program());
    let mut child = command.spawn().map_err(|err| {
        format!(
            "cannot start {}: {err}; check `command` in the spec (the program must be on PATH or given by path)",
            program.display()
        )
    })?;
    let group = Pid::from_child(&child);
    {
        let mut running = running();
        if running.stopping {
            kill_group(group);
        }
        running.groups.push(group);
    }
    let result = feed_and_wait(limits, stdin, &mut child, group);
    // Whatever happened, nothing of the program's group may outlive the case.
    kill_group(group);
    let status = child.wait();
    let stopped = {
        let mut running = running();
        running.groups.retain(|g| *g != group);
        running.stopping
    };
    if stopped {
        // Killed by an interrupted run: not the program's behaviour.
        return Err("kaizen was interrupted; the case was stopped".into());
    }
    let (stop, stdout, stderr) = result?;
    let status =
        status.map_err(|err| format!("cannot collect the program's exit status: {err}"))?;
    let ending = match stop {
        Stop::TimedOut => Ending::Timeout(limits.timeout),
        Stop::Exited | Stop::OverLimit => ending_of(status),
    };
    Ok(ProcessOutcome {
        ending,
        stdout: Data::from(stdout),
        stderr: Data::from(stderr),
        files: Default::default(),
    })
}

fn ending_of(status: ExitStatus) -> Ending {
    match (status.code(), status.signal()) {
        (Some(code), _) => Ending::Exit(code),
        (None, Some(signal)) => Ending::Signal(signal),
        (None, None) => Ending::Failed(format!("the program ended in an unknown way ({status})")),
    }
}

fn kill_group(group: Pid) {
    // ESRCH (group already gone) is fine.
    let _ = rustix::process::kill_process_group(group, Signal::KILL);
}

type Waited = (Stop, Vec<u8>, Vec<u8>);

/// Feeds stdin and drains stdout/stderr on this thread, in one `poll` loop
/// that also wakes when the program exits (through a pidfd) or the timeout
/// comes, so no helper threads and no sleeping are needed. Without pidfds
/// (Linux before 5.3) the loop wakes on a short, growing interval instead.
fn feed_and_wait(
    limits: Limits,
    input: Option<&[u8]>,
    child: &mut Child,
    group: Pid,
) -> Result<Waited, String> {
    let nonblocking = |fd: BorrowedFd<'_>| {
        rustix::io::ioctl_fionbio(fd, true)
            .map_err(|err| format!("cannot set up the program's pipes: {err}"))
    };
    let mut stdout = OutputPipe::new(child.stdout.take(), limits.capture);
    let mut stderr = OutputPipe::new(child.stderr.take(), limits.capture);
    for pipe in [
        stdout.pipe().map(AsFd::as_fd),
        stderr.pipe().map(AsFd::as_fd),
    ]
    .into_iter()
    .flatten()
    {
        nonblocking(pipe)?;
    }
    // A program that writes before it reads cannot deadlock against us: stdin
    // is written as the pipe takes it; a program that stops reading gives EPIPE.
    let mut stdin = match (child.stdin.take(), input) {
        (Some(pipe), Some(data)) if !data.is_empty() => {
            nonblocking(pipe.as_fd())?;
            Some((pipe, data))
        }
        _ => None,
    };
    let exit_fd = rustix::process::pidfd_open(group, PidfdFlags::empty()).ok();

    let start = Instant::now();
    // A limit too far out to represent is no limit: a year stands in for it.
    let deadline = start
        .checked_add(limits.timeout)
        .unwrap_or_else(|| start + Duration::from_secs(365 * 24 * 3600));
    let mut pause = Duration::from_millis(1);
    let mut stop = None;
    let mut give_up = deadline;
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        if stop.is_none() {
            let now = Instant::now();
            stop = if has_exited(child, group) {
                Some(Stop::Exited)
            } else if stdout.over_limit() || stderr.over_limit() {
                Some(Stop::OverLimit)
            } else if now >= deadline {
                Some(Stop::TimedOut)
            } else {
                None
            };
            if stop.is_some() {
                // The program (or its group) is done or is about to be killed:
                // kill now so background grandchildren release the pipes.
                kill_group(group);
                stdin = None;
                give_up = Instant::now() + PIPE_GRACE;
            }
        }
        if stop.is_some() && stdout.finished() && stderr.finished() {
            break;
        }
        let now = Instant::now();
        if stop.is_some() && now >= give_up {
            break;
        }
        let wait = match (&stop, &exit_fd) {
            (Some(_), _) => give_up - now,
            (None, Some(_)) => deadline.saturating_duration_since(now),
            (None, None) => {
                let wait = pause.min(deadline.saturating_duration_since(now));
                pause = (pause * 2).min(Duration::from_millis(20));
                wait
            }
        };
        let mut fds = Vec::with_capacity(4);
        if let Some(pipe) = stdout.pipe() {
            fds.push(PollFd::new(pipe, PollFlags::IN));
        }
        if let Some(pipe) = stderr.pipe() {
            fds.push(PollFd::new(pipe, PollFlags::IN));
        }
        if let Some((pipe, _)) = &stdin {
            fds.push(PollFd::new(pipe, PollFlags::OUT));
        }
        if let (None, Some(fd)) = (&stop, &exit_fd) {
            fds.push(PollFd::new(fd, PollFlags::IN));
        }
        let timeout = Timespec::try_from(wait).unwrap_or(Timespec {
            tv_sec: i64::MAX,
            tv_nsec: 0,
        });
        match rustix::event::poll(&mut fds, Some(&timeout)) {
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(err) => return Err(format!("cannot wait for the program's output: {err}")),
        }
        drop(fds);
        stdout.read_available(&mut chunk);
        stderr.read_available(&mut chunk);
        if let Some((pipe, rest)) = &mut stdin {
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
                // Closing the pipe is the program's end of input.
                stdin = None;
            }
        }
    }
    drop(stdin);
    let stop = stop.unwrap_or(Stop::TimedOut);

    let take = |stream: Stream, drained: Option<Drained>| match drained {
        Some(Drained::Done(bytes)) => Ok(bytes),
        Some(Drained::OverLimit) => Err(format!(
            "{} went over the capture limit of {}, so the program was stopped; \
             raise `capture.limit` in the spec or make the case print less",
            stream.name(),
            format_size(limits.capture)
        )),
        Some(Drained::Error(err)) => Err(format!(
            "cannot read the program's {}: {err}",
            stream.name()
        )),
        None => Err(format!(
            "the program's {} stayed open after its process group was killed \
             (a process that left the group, e.g. via setsid, still holds it)",
            stream.name()
        )),
    };
    let stdout = take(Stream::Stdout, stdout.into_result())?;
    let stderr = take(Stream::Stderr, stderr.into_result())?;
    Ok((stop, stdout, stderr))
}

/// True once the program has exited. Uses `WNOWAIT` so the program stays a
/// zombie: its pid, which is also the group id, cannot be reused before we
/// kill the group and reap it.
fn has_exited(child: &mut Child, group: Pid) -> bool {
    let options = WaitIdOptions::EXITED | WaitIdOptions::NOHANG | WaitIdOptions::NOWAIT;
    match rustix::process::waitid(WaitId::Pid(group), options) {
        Ok(status) => status.is_some(),
        Err(rustix::io::Errno::INTR) => false,
        Err(_) => !matches!(child.try_wait(), Ok(None)),
    }
}
