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
            record_command: "KAIZEN_UPDATE=always cargo test".into(),
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

/// A jail name becomes a file name: it must not leave the snapshot directory.
pub(crate) fn check_name(name: &str) -> Result<(), Error> {
    let bad = name.is_empty()
        || name == "."
        || name == ".."
        || name.contains(['/', '\\', '\0'])
        || name.starts_with('.');
    if bad {
        return Err(Error::Config {
            message: format!("{name:?} cannot be a jail name: it must be a plain file name"),
            hint: "use letters, digits, `_` and `-` (no `/`, `\\`, leading `.` or `..`)".into(),
        });
    }
    Ok(())
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
