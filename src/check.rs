//! The `cargo test` front door: [`Jail::check`] and [`Jail::run`].

use std::collections::HashMap;
use std::io::IsTerminal;
use std::panic::Location;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::cases::{Cases, Origin};
use crate::env::Environment;
use crate::jail::Jail;
use crate::verify::{self, Context, Verdict};
use crate::{Error, report, settings};

impl<I, O> Jail<I, O>
where
    I: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    O: Serialize + Send + 'static,
{
    /// Characterizes the jail with `cases`: the first run records a snapshot, later runs
    /// verify the code against it. Returns the [`Verdict`]; never panics because of the
    /// jailed code or a changed behaviour.
    pub fn run(&self, cases: &Cases<I>) -> Result<Verdict, Error> {
        let env = Environment::from_process()?;
        self.run_with(cases, env)
    }

    /// Like [`Jail::run`] with an explicit environment instead of the process's variables.
    pub fn run_with(&self, cases: &Cases<I>, env: Environment) -> Result<Verdict, Error> {
        let dir = self.settings.resolved_snapshot_dir();
        let snapshot = settings::snapshot_path(&dir, self.name_str());
        if crate::jail::in_isolation_child() {
            // A child process running one case of an isolated jail: serve it if it is
            // this jail's; leave every other jail alone (no run, no file written).
            self.serve_if_child();
            let baseline = verify::Baseline::Snapshot;
            return Ok(Verdict::new(
                self.name_str(),
                snapshot,
                0,
                &env,
                "",
                baseline,
            ));
        }
        check_name(self.name_str())?;
        register(&snapshot, self.caller)?;
        let generated = cases.generate();
        let seed = generated
            .iter()
            .any(|c| matches!(c.origin, Origin::Proptest { .. }))
            .then(|| cases.base_seed());
        let ctx = Context {
            snapshot,
            env,
            source: Some(self.caller.file().replace('\\', "/")),
            line: Some(self.caller.line()),
            sources: cases.describe(),
            seed,
            jobs: self.settings.jobs,
            max_shown: self.settings.max_shown,
            record_command: format!("{}=always cargo test", crate::env::UPDATE),
            tick: &|| {},
            runs: 1,
        };
        verify::verify(self, generated, &ctx)
    }

    /// Characterizes the jail and fails the test if behaviour changed, with a report of
    /// every changed case. On success it prints one line.
    ///
    /// # Panics
    /// When behaviour changed, inputs are not yet recorded, or the snapshot cannot be used;
    /// the panic message is the report or the error.
    #[track_caller]
    pub fn check(&self, cases: &Cases<I>) {
        match self.run(cases) {
            Ok(verdict) if verdict.passed() => {
                eprintln!("{}", report::summary(&verdict));
            }
            Ok(verdict) => {
                let color = report::use_color(std::io::stderr().is_terminal());
                panic!("{}", report::render(&verdict, color));
            }
            Err(e) => panic!("kaizen: {e}"),
        }
    }

    fn name_str(&self) -> &str {
        crate::jail::Jailed::name(self)
    }
}

/// A jail name becomes a file name: it must not leave the snapshot directory, and the file
/// must be portable (a snapshot recorded on Linux is checked out on Windows too).
pub(crate) fn check_name(name: &str) -> Result<(), Error> {
    const LONGEST: usize = 200;
    let problem = if name.is_empty() {
        Some("it is empty".to_string())
    } else if name == "." || name == ".." || name.starts_with('.') {
        Some("it starts with `.` (a hidden file, or a step out of the snapshot directory)".into())
    } else if let Some(c) = name.chars().find(|c| matches!(c, '/' | '\\' | ':')) {
        Some(format!(
            "it contains {c:?}, which would make it a path instead of a file name"
        ))
    } else if let Some(c) = name
        .chars()
        .find(|c| c.is_control() || matches!(c, '*' | '?' | '"' | '<' | '>' | '|'))
    {
        Some(format!(
            "it contains {c:?}, which is not allowed in file names on every system"
        ))
    } else if name.ends_with([' ', '.']) {
        Some("it ends with a space or `.`, which Windows drops from file names".into())
    } else if name.len() > LONGEST {
        Some(format!(
            "it is {} bytes long, more than {LONGEST}",
            name.len()
        ))
    } else {
        None
    };
    match problem {
        Some(problem) => Err(Error::Config {
            message: format!("{name:?} cannot be a jail name: {problem}"),
            hint: "name the jail with letters, digits, `_` and `-`; the name becomes the file snapshots/NAME.snap".into(),
        }),
        None => Ok(()),
    }
}

type Registry = Mutex<HashMap<PathBuf, &'static Location<'static>>>;

/// A jail name belongs to one source file: jails with one name made in two files would
/// overwrite each other's snapshot. (Within one file, several jails may share a name — for
/// example the original and a refactored version checked against one snapshot.)
fn register(snapshot: &std::path::Path, caller: &'static Location<'static>) -> Result<(), Error> {
    static SEEN: OnceLock<Registry> = OnceLock::new();
    let mut seen = SEEN
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    match seen.get(snapshot) {
        Some(first) if first.file() != caller.file() => Err(Error::Config {
            message: format!(
                "two jails are named after the snapshot {}: one made at {}:{}, one at {}:{}",
                snapshot.display(),
                first.file(),
                first.line(),
                caller.file(),
                caller.line()
            ),
            hint: "give each jail its own name".into(),
        }),
        Some(_) => Ok(()),
        None => {
            seen.insert(snapshot.to_path_buf(), caller);
            Ok(())
        }
    }
}
