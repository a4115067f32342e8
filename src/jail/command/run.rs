//! Running one case of a command jail in a case directory of its own (`case_dir.rs`).

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::process::{Command, Stdio};

use super::bytes::Data;
use super::captured::capture_files;
use super::case::CommandCase;
use super::case_dir::{CaseDir, SpareDirs};
use super::error::HINT_MARK;
use super::fields::check_relative;
use super::outcome::{CapturedFile, Failure, ProcessOutcome};
use super::program_file::{child_path, resolve};
use super::script::fill_script;
use super::scrub::{CASE_DIR_MARK, PathMark, scrub};
use super::spec::{Program, Settings};
pub(crate) use super::supervise::{Limits, supervise};
use super::total::CaseTotal;

/// Runs one case; never panics (an internal panic becomes a `failed` outcome).
pub(crate) fn run_case(
    settings: &Settings,
    spares: &SpareDirs,
    case: &CommandCase,
) -> ProcessOutcome {
    match panic::catch_unwind(AssertUnwindSafe(|| run_in_case_dir(settings, spares, case))) {
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

fn run_in_case_dir(settings: &Settings, spares: &SpareDirs, case: &CommandCase) -> ProcessOutcome {
    try_run_in_case_dir(settings, spares, case).unwrap_or_else(ProcessOutcome::failed)
}

/// The steps of a case: a fresh directory with the case's files, the program run in it,
/// the files it wrote captured, everything scrubbed, the directory removed (or, left as it
/// was made, kept for the jail's next case).
fn try_run_in_case_dir(
    settings: &Settings,
    spares: &SpareDirs,
    case: &CommandCase,
) -> Result<ProcessOutcome, Failure> {
    let case_dir = CaseDir::create(&settings.temp.canonical, spares)?;
    let dir = case_dir.path();
    place_files(dir, case)?;
    let mut command = build_command(settings, case, dir)?;
    let limits = Limits {
        timeout: settings.timeout,
        capture: settings.limit,
    };
    let stdin = case.stdin.as_ref().map(Data::as_bytes);
    let mut outcome = supervise(limits, stdin, &mut command)?;
    // A timed-out case is recorded without what it left: that depends on timing.
    if !is_timeout(&outcome) {
        let mut total = CaseTotal::new(settings.total);
        total.add("stdout", outcome.stdout.as_bytes().len() as u64);
        total.add("stderr", outcome.stderr.as_bytes().len() as u64);
        let files = match &settings.capture {
            Some(globs) => capture_files(dir, globs, settings.limit, &mut total),
            None => Ok(Default::default()),
        };
        match files.and_then(|files| total.check().map(|()| files)) {
            Ok(files) => outcome.files = files,
            Err(message) => {
                let ended = outcome.label();
                return Err(format!("{message} (the program ended with {ended})").into());
            }
        }
    }
    scrub_outcome(&mut outcome, &path_marks(settings, dir), settings);
    if is_timeout(&outcome) {
        drop(case_dir);
    } else {
        case_dir.done(spares);
    }
    Ok(outcome)
}

fn is_timeout(outcome: &ProcessOutcome) -> bool {
    matches!(outcome.ending, super::outcome::Ending::Timeout(_))
}

/// The paths scrubbed from output: the case directory as created and as it reads under
/// the temp folder's other spelling (`TMPDIR` through a symlink), longest first, then the
/// spec's folder and the project's.
fn path_marks(settings: &Settings, dir: &Path) -> Vec<PathMark> {
    let mut case_dirs: Vec<Vec<u8>> = vec![dir.as_os_str().as_bytes().to_vec()];
    if let (Some(raw), Some(name)) = (&settings.temp.raw, dir.file_name()) {
        case_dirs.push(raw.join(name).as_os_str().as_bytes().to_vec());
    }
    case_dirs.sort_by_key(|s| std::cmp::Reverse(s.len()));
    case_dirs
        .into_iter()
        .map(|path| (path, CASE_DIR_MARK))
        .chain(settings.path_marks.iter().cloned())
        .collect()
}

/// Scrubs stdout, stderr, captured files and link targets.
fn scrub_outcome(outcome: &mut ProcessOutcome, marks: &[PathMark], settings: &Settings) {
    let clean = |data: &Data| Data::from(scrub(data.as_bytes(), marks, &settings.scrubs));
    outcome.stdout = clean(&outcome.stdout);
    outcome.stderr = clean(&outcome.stderr);
    for file in outcome.files.values_mut() {
        *file = match file {
            CapturedFile::Content(data) => CapturedFile::Content(clean(data)),
            CapturedFile::Symlink(target) => CapturedFile::Symlink(
                String::from_utf8_lossy(&scrub(target.as_bytes(), marks, &settings.scrubs))
                    .into_owned(),
            ),
            CapturedFile::Special(kind) => CapturedFile::Special(kind.clone()),
        };
    }
}

/// Writes the case's `files` into the case directory.
fn place_files(dir: &Path, case: &CommandCase) -> Result<(), Failure> {
    for (relative, data) in &case.files {
        check_relative(relative).map_err(|text| {
            let (message, hint) = text.split_once(HINT_MARK).unwrap_or((&text, ""));
            Failure::new(format!("case file {relative:?}: {message}")).hint(hint)
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

/// A command for `program`: a bare name found on the PATH is spawned by its file, with
/// `argv[0]` still the name as written.
fn spawned_by_file(program: &str, own_path: bool) -> Command {
    match resolve(program).filter(|_| own_path) {
        Some(file) => {
            let mut command = Command::new(file);
            command.arg0(program);
            command
        }
        None => Command::new(program),
    }
}

/// The file a bare program name runs, as `NAME → FILE` with the home folder shown as `~`;
/// `None` for a program given by path, one whose name holds a placeholder, one that is not
/// found, or a spec that sets its own `PATH` (the child then searches it).
pub(crate) fn program_file(settings: &Settings) -> Option<String> {
    if settings.env.contains_key("PATH") {
        return None;
    }
    let name = match &settings.program {
        Program::Argv(argv) => argv.first()?.as_str(),
        Program::Shell(_) => "sh",
    };
    if name.contains('{') {
        return None;
    }
    let file = resolve(name)?;
    let mut shown = file.to_string_lossy().into_owned();
    if let Some(home) = std::env::var_os("HOME").filter(|h| h.len() > 1) {
        let home = home.to_string_lossy().trim_end_matches('/').to_string();
        if let Some(rest) = shown.strip_prefix(&format!("{home}/")) {
            shown = format!("~/{rest}");
        }
    }
    Some(format!("{name} → {shown}"))
}

fn build_command(settings: &Settings, case: &CommandCase, dir: &Path) -> Result<Command, String> {
    let args = case.args.iter().map(|arg| fill(arg, settings, dir));
    // The program's own PATH, unless the spec sets another: then the child searches it.
    let own_path = !settings.env.contains_key("PATH") && !case.env.contains_key("PATH");
    let mut command = match &settings.program {
        Program::Argv(argv) => {
            let mut command = spawned_by_file(&fill(&argv[0], settings, dir), own_path);
            command.args(argv[1..].iter().map(|arg| fill(arg, settings, dir)));
            command.args(args);
            command
        }
        Program::Shell(script) => {
            let mut command = spawned_by_file("sh", own_path);
            let (jail, root, case_dir) = (
                settings.jail_dir.to_string_lossy(),
                settings.root.to_string_lossy(),
                dir.to_string_lossy(),
            );
            let values = [
                ("{jail}", &*jail),
                ("{root}", &*root),
                ("{case_dir}", &*case_dir),
            ];
            command
                .arg("-c")
                .arg(fill_script(script, &values))
                .arg("kaizen-jail")
                .args(args);
            command
        }
    };
    command.env_clear();
    command.env("PATH", child_path());
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
