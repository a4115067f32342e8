//! The command jail: a whole legacy program, in any language, run as a subprocess.
//!
//! A spec file `jail/NAME.yaml` says how to start the program and which
//! inputs (cases) to feed it. [`CommandJail::load`] reads and checks the
//! spec, [`CommandJail::cases`] lists the inputs, and [`CommandJail::run`]
//! runs one input and reports what the program did as a [`ProcessOutcome`].
//!
//! A spec, with every field but `command` optional:
//!
//! ```yaml
//! command: [python3, "{jail}/report.py", --currency, EUR]  # argv list, no shell
//! shell: false      # true: `command` is one script string run by `sh -c`;
//!                   #   case args then arrive as $1, $2, ...
//! cwd: null         # default: the case's fresh temp dir; relative paths are
//!                   #   against the project root
//! env: {}           # added over the cleared environment (PATH kept, LC_ALL=C, TZ=UTC)
//! inherit_env: []   # names copied from kaizen's own environment
//! timeout: 10s      # per case: "500ms", "10s", "2m"
//! capture:
//!   files: ["out/*.csv"]   # globs matched in the case dir; `*` stays in one folder, `**` crosses
//!   limit: 10MiB           # per stream and per file; a stream over it ends the case as `cut`
//!   total: 64MiB           # per case, streams and files added up (default: 64MiB or 4 × limit)
//! scrub:            # regex -> replacement on captured output, in order
//!   - regex: '\d{4}-\d{2}-\d{2}T[0-9:]+'
//!     replace: '[timestamp]'
//! cases:
//!   - args: [--month, "2024-03"]
//!     stdin: "widget,3,9.99\n"
//!     env: {DISCOUNT: "5"}
//!     files: {"orders.csv": "id,qty\n1,2\n"}   # written into the case dir
//!   - args: [--month, "2024-04"]
//!     stdin_file: data/orders.csv              # relative to the spec's folder
//! combinations:     # one case per combination of the values below, appended as args
//!   args: [[--csv, --text], ["0", "12", "-1"]]
//!   stdin: "..."    # also stdin_file, env, files: shared by every combination
//!   pairwise: false # true: only enough rows to cover every pair of values
//!   max_cases: 2000000  # more combinations than this is a spec error
//! ```
//!
//! Argument and `env` values are taken as the text written in the file (`0x1F`, `+5`,
//! `True` stay text).
//!
//! Placeholders `{jail}` (the spec's folder), `{root}` (the project root) and
//! `{case_dir}` (the case's temp dir) are filled in `command`, args, `env`
//! values and `cwd` when a case runs.
//!
//! Each case runs in a fresh temporary directory, `{case_dir}`, that is
//! removed afterwards whatever happens. `files` are written there and
//! `capture.files` globs are matched there, also when `cwd` points the
//! program elsewhere (write outputs to `{case_dir}` then). Every spelling
//! of the case directory's path in captured output becomes `[case_dir]`
//! before the spec's scrubbers run. The program runs in its own process
//! group; when it exits, times out or floods its output, the whole group is
//! killed, so no background process outlives the case. In the `kaizen`
//! command on Linux, the processes that left the group (`setsid`) are found
//! and killed too ([`adopt_orphans`]).

mod bytes;
mod capture;
mod captured;
mod case;
mod case_dir;
mod error;
mod fields;
pub mod generate;
mod outcome;
mod program_file;
mod reaper;
pub mod reproduce;
pub(crate) mod run;
mod running;
mod script;
mod scrub;
mod spec;
mod spec_extra;
mod supervise;
mod total;
mod units;

use std::borrow::Cow;
use std::path::Path;
use std::time::Duration;

use super::{Behaviour, Jailed};

pub use bytes::Data;
pub use case::CommandCase;
pub use error::SpecError;
pub use generate::Generated;
pub(crate) use outcome::signal_text;
pub use outcome::{CapturedFile, Ending, Failure, ProcessOutcome};
pub use reaper::adopt_orphans;
pub use running::stop_running;
pub use spec::rows;

/// The input type a command jail's snapshots name in their header.
pub const INPUT_TYPE: &str = "kaizen::jail::command::CommandCase";

/// A legacy program behind a spec: knows its cases and runs them.
///
/// `CommandJail` is `Send + Sync`: [`CommandJail::run`] may be called from
/// several threads at once; every call gets its own case directory.
#[derive(Debug)]
pub struct CommandJail {
    settings: spec::Settings,
    cases: spec::SpecCases,
    /// `port:` and `generate:`.
    extras: spec_extra::Extras,
    /// Case directories earlier cases left as they were made.
    spares: case_dir::SpareDirs,
}

impl CommandJail {
    /// Reads and checks the spec at `spec_path`. Relative `cwd` values are
    /// taken against `project_root`. The jail's name is the spec's file stem.
    ///
    /// Errors name the file, the line when known, the field, what is wrong
    /// and what to do about it.
    pub fn load(spec_path: &Path, project_root: &Path) -> Result<CommandJail, SpecError> {
        let (settings, cases) = spec::load(spec_path, project_root)?;
        let extras = load_extras(&settings)?;
        Ok(CommandJail {
            settings,
            cases,
            extras,
            spares: Default::default(),
        })
    }

    /// The port named by the spec's `port:`: a jail with the same name, settings and cases
    /// that runs the port's command instead of the original's.
    pub fn port(&self) -> Option<CommandJail> {
        let program = self.extras.port.clone()?;
        Some(CommandJail {
            settings: spec::Settings {
                program,
                ..self.settings.clone()
            },
            cases: self.cases.clone(),
            extras: spec_extra::Extras::default(),
            spares: Default::default(),
        })
    }

    /// The cases the spec's `generate:` draws, if it has one.
    pub fn generated(&self) -> Option<&Generated> {
        self.extras.generate.as_ref()
    }

    /// Every case with its origin: the spec's listed cases and combinations, then the
    /// generated ones (each with its seed and draw number).
    pub fn all_cases(&self) -> Vec<crate::cases::Case<CommandCase>> {
        let listed = self.cases.iter().enumerate();
        let mut all: Vec<_> = listed
            .map(|(index, input)| crate::cases::Case {
                input,
                origin: crate::cases::Origin::Spec {
                    index,
                    place: self.case_place(index),
                },
            })
            .collect();
        if let Some(generated) = self.generated() {
            all.extend(generated.cases.generate());
        }
        all
    }

    /// One line per source of cases for a snapshot header: `spec jail/x.yaml (18)`, then
    /// `generated 100 (seed 7)`. `shown` is the spec's path as people see it.
    pub fn describe_sources(&self, shown: &str) -> Vec<String> {
        let mut lines = vec![format!("spec {shown} ({})", self.cases.count())];
        lines.extend(self.generated().map(Generated::describe));
        lines
    }

    /// The file a bare program name runs (`python3 → /usr/bin/python3`, the home folder
    /// shown as `~`), found on the PATH the cases get; `None` when the spec names its
    /// program by path or sets its own `PATH`. Written in the snapshot header and shown by
    /// `kaizen record`, so a run on another machine can tell which file it ran.
    pub fn program_file(&self) -> Option<String> {
        run::program_file(&self.settings)
    }

    /// The seed of the generated cases, if any.
    pub fn seed(&self) -> Option<u64> {
        self.generated().map(|g| g.seed)
    }

    /// The command line of one case as a person pastes it into a shell from the project
    /// folder: stdin through `printf`, placeholders filled; see [`reproduce`].
    pub fn reproduce(&self, case: &CommandCase) -> String {
        reproduce::command_line(&self.settings, case)
    }

    /// The jail's name: the spec's file stem (`report` for `jail/report.yaml`).
    pub fn name(&self) -> &str {
        &self.settings.name
    }

    /// The cases of the spec: explicit `cases` first, then `combinations`,
    /// in file order. `stdin_file` contents are already read in.
    pub fn cases(&self) -> Vec<CommandCase> {
        self.cases.iter().collect()
    }

    /// How many cases the spec makes, counted without making them.
    pub fn case_count(&self) -> usize {
        self.cases.count()
    }

    /// Where case `index` (0-based, in the order of [`CommandJail::cases`]) is written:
    /// `jail/NAME.yaml:LINE`, and for a combination which one (1-based) of how many.
    pub fn case_place(&self, index: usize) -> String {
        self.cases.place(index)
    }

    /// The per-case time limit.
    pub fn timeout(&self) -> Duration {
        self.settings.timeout
    }

    /// Runs the program on one case and reports what it did, scrubbed.
    ///
    /// Never panics: problems on kaizen's side (the program cannot start, an
    /// output is over the capture limit, ...) come back as [`Ending::Failed`].
    pub fn run(&self, case: &CommandCase) -> ProcessOutcome {
        let mut outcome = run::run_case(&self.settings, &self.spares, case);
        if let Ending::Failed(failure) = &mut outcome.ending {
            failure.case = case.summary();
        }
        outcome
    }
}

/// Reads the spec's `port:` and `generate:` (a pass of their own over the spec's text).
fn load_extras(settings: &spec::Settings) -> Result<spec_extra::Extras, SpecError> {
    let absolute = settings
        .spec_path
        .canonicalize()
        .unwrap_or_else(|_| settings.spec_path.clone());
    let shown = absolute
        .strip_prefix(&settings.root)
        .map_or_else(|_| settings.spec_path.clone(), Path::to_path_buf);
    let text = std::fs::read_to_string(&absolute).map_err(|err| {
        SpecError::new(
            &shown,
            None,
            "",
            format!("cannot read the spec: {err}"),
            "save it as UTF-8 text",
        )
    })?;
    let shell = matches!(settings.program, spec::Program::Shell(_));
    spec_extra::load(&shown, &text, shell, &settings.jail_dir)
}

impl Jailed for CommandJail {
    type Input = CommandCase;
    type Behaviour = ProcessOutcome;

    fn name(&self) -> &str {
        CommandJail::name(self)
    }

    fn run(&self, input: &CommandCase) -> ProcessOutcome {
        CommandJail::run(self, input)
    }

    /// A case kaizen could not run (the program cannot start, an output is over the capture
    /// limit, the `cwd` is missing) is not behaviour to record or compare: it stops the run
    /// with a spec error that names the spec and the case, and nothing is written.
    fn try_run(&self, input: &CommandCase) -> Result<ProcessOutcome, crate::Error> {
        let outcome = CommandJail::run(self, input);
        match &outcome.ending {
            Ending::Failed(failure) => Err(crate::Error::Spec {
                message: format!(
                    "{}: the case {} could not be run: {failure}",
                    self.settings.spec_path.display(),
                    failure.case
                ),
            }),
            _ => Ok(outcome),
        }
    }

    fn input_type(&self) -> Cow<'_, str> {
        Cow::Borrowed(INPUT_TYPE)
    }
}

impl Behaviour for ProcessOutcome {
    /// `exit 2`, `signal 9 (SIGKILL)`, `timeout` or `failed`: the first key of the
    /// recorded mapping and, for exits and signals, its value.
    fn label(&self) -> Cow<'_, str> {
        Cow::Owned(match &self.ending {
            Ending::Exit(code) => format!("exit {code}"),
            Ending::Signal(number) => format!("signal {}", signal_text(*number)),
            Ending::Timeout(_) => "timeout".to_string(),
            Ending::Cut(_) => "cut".to_string(),
            Ending::Failed(_) => "failed".to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_jail_can_be_shared_between_threads() {
        fn assert_sync<T: Send + Sync>() {}
        assert_sync::<CommandJail>();
    }
}
