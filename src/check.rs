//! The `cargo test` front door: [`Jail::check`] and [`Jail::run`].

use std::collections::HashMap;
use std::io::IsTerminal;
use std::panic::Location;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::cases::{CaseList, Cases, Kind};
use crate::env::{Environment, UpdateMode};
use crate::jail::Jail;
use crate::verify::{self, Context, Verdict};
use crate::{Error, report, settings, snapshot};

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
        let name = self.name_str();
        if crate::jail::in_isolation_child() {
            // A child process running one case of an isolated jail: serve it if it is
            // this jail's; leave every other jail alone (no run, no file written).
            self.serve_if_child();
            let snapshot = settings::snapshot_path(&self.settings.resolved_snapshot_dir(), name);
            let baseline = verify::Baseline::Snapshot;
            return Ok(Verdict::new(name, snapshot, 0, &env, "", baseline));
        }
        snapshot::check_name(name)?;
        self.settings.redactions.check(name)?;
        let (step, named) = step_of(&self.settings, name)?;
        let ctx = Context::new(&self.settings, name, env)
            .step(step)
            .named(named)
            .source(
                own_name(
                    self.caller.file(),
                    &std::env::current_dir().unwrap_or_default(),
                ),
                Some(self.caller.line()),
            );
        register(&ctx.snapshot, self.caller)?;
        // A recording from scratch runs each case more than once and refuses unstable ones.
        let from_scratch = ctx.env.mode == UpdateMode::Always || !ctx.snapshot.exists();
        let ctx = if from_scratch && !ctx.env.ci {
            ctx.runs(self.settings.record_runs.max(1))
        } else {
            ctx
        };
        let mut generated = cases.case_list();
        let mut sources = cases.describe();
        add_strengthened(&mut generated, &mut sources, &ctx.snapshot)?;
        let (generated, minimized) = keep_minimized(generated, &ctx)?;
        if let Some(note) = &minimized {
            sources.push(format!(
                "minimized: {} of the cases kept by `kaizen strength --minimize` (from {})",
                generated.len(),
                note.from
            ));
        }
        let mut ctx = ctx;
        ctx.minimized = minimized;
        if let Some(dir) = crate::env::process(crate::env::STRENGTHEN) {
            let bases: Vec<String> = generated
                .inputs()
                .filter_map(|input| snapshot::format::encode_input(input).ok())
                .collect();
            crate::strengthen::probe::serve(self, &bases, &ctx.snapshot, dir.as_ref())?;
            let baseline = verify::Baseline::Snapshot;
            return Ok(Verdict::new(
                name,
                ctx.snapshot.clone(),
                0,
                &ctx.env,
                "",
                baseline,
            ));
        }
        let seed = generated.any_drawn().then(|| cases.base_seed());
        let ctx = ctx.sources(sources, seed);
        let started = std::time::Instant::now();
        let verdict = verify::verify(self, generated, &ctx)?;
        if crate::env::process(crate::env::LEDGER).is_some_and(|v| crate::env::is_truthy(&v)) {
            append_step(&self.settings, &verdict, started.elapsed())?;
        }
        Ok(verdict)
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
                let color = crate::env::use_color(std::io::stderr().is_terminal());
                eprintln!("{}", report::summary_line(&verdict, color));
            }
            Ok(verdict) => {
                let color = crate::env::use_color(std::io::stderr().is_terminal());
                panic!("{}", report::render(&verdict, color));
            }
            Err(e) => panic!("kaizen: {e}"),
        }
    }

    fn name_str(&self) -> &str {
        crate::jail::Jailed::name(self)
    }
}

/// Appends this jail's run to the step ledger beside its snapshot (`KAIZEN_LEDGER`).
fn append_step(
    settings: &crate::Settings,
    v: &Verdict,
    took: std::time::Duration,
) -> Result<(), Error> {
    let step = crate::ledger::Step {
        date: crate::ledger::now_utc(),
        commit: crate::ledger::git_commit(&crate::Settings::project_root())
            .unwrap_or_else(|| "-".into()),
        jails: 1,
        cases: v.total,
        same: v.same,
        changed: v.changed,
        new: v.new,
        millis: took.as_millis(),
    };
    crate::ledger::append_step(&settings.resolved_snapshot_dir(), &step)
}

/// Adds the inputs `kaizen strength --strengthen` found for this jail (its
/// `NAME.strengthened.yaml` beside the snapshot), each as a `strengthened` case, and names
/// the file among the sources.
fn add_strengthened<I: DeserializeOwned>(
    generated: &mut CaseList<'_, I>,
    sources: &mut Vec<String>,
    snapshot: &std::path::Path,
) -> Result<(), Error> {
    let added_file = crate::strengthen::added::path(snapshot);
    let added: Vec<I> = crate::strengthen::added::read(&added_file)?;
    if !added.is_empty() {
        sources.push(format!(
            "strengthened ({}) from {}",
            added.len(),
            added_file
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
    }
    generated.hold(added, Kind::Strengthened);
    Ok(())
}

/// The kind of step the run checks (the setting, else `KAIZEN_STEP`) and, in a feature step,
/// the cases of jail `name` that the ledger's entries of this step name.
fn step_of(
    settings: &crate::Settings,
    name: &str,
) -> Result<(crate::step::Step, std::collections::BTreeSet<usize>), Error> {
    let step = match settings.step {
        Some(step) => step,
        None => crate::env::step(crate::env::process)?.unwrap_or_default(),
    };
    let named = if step == crate::step::Step::Feature {
        crate::ledger::read_named_in_step(&settings.resolved_snapshot_dir(), name)?
    } else {
        Default::default()
    };
    Ok((step, named))
}

/// When the snapshot holds a reduced case set (`info.minimized`), only the inputs it holds
/// are replayed: the sources' other inputs were left out on purpose, after review.
fn keep_minimized<'a, I: Serialize + Clone>(
    cases: CaseList<'a, I>,
    ctx: &Context<'_>,
) -> Result<(CaseList<'a, I>, Option<snapshot::MinimizedNote>), Error> {
    let note = match snapshot::format::stream::open(&ctx.snapshot, ctx.max_snapshot_size) {
        Ok(Some(reader)) => reader.header.info.minimized.clone(),
        _ => None,
    };
    let Some(note) = note else {
        return Ok((cases, None));
    };
    let Some(loaded) = snapshot::load_with_limit(&ctx.snapshot, ctx.max_snapshot_size)? else {
        return Ok((cases, None));
    };
    let kept: std::collections::HashSet<&str> = loaded.cases()?.iter().map(|c| c.input).collect();
    let cases = cases.filter(|input| {
        snapshot::format::encode_input(input).is_ok_and(|t| kept.contains(t.as_str()))
    });
    Ok((cases, Some(note)))
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

/// The test file as its own crate names it, for the snapshot's `source:`. A crate whose test
/// target is another crate's file (`path = "../../tests/x.rs"`) compiles it under a name
/// leaving the crate; resolved from `cwd` (the crate's folder under `cargo test`), it is
/// named from the nearest folder above it holding a `Cargo.toml`, so both crates write the
/// same header and neither takes the other for a second jail of the same name.
fn own_name(file: &str, cwd: &std::path::Path) -> String {
    let file = file.replace('\\', "/");
    if !file.starts_with("../") {
        return file;
    }
    let Ok(path) = cwd.join(&file).canonicalize() else {
        return file;
    };
    path.ancestors()
        .skip(1)
        .find(|dir| dir.join("Cargo.toml").is_file())
        .and_then(|root| path.strip_prefix(root).ok())
        .map(|name| name.to_string_lossy().replace('\\', "/"))
        .unwrap_or(file)
}

#[cfg(test)]
mod tests {
    use super::own_name;

    #[test]
    fn a_test_file_borrowed_from_a_crate_above_is_named_from_its_own_crate() {
        let root = tempfile::tempdir().unwrap();
        let root = root.path();
        std::fs::create_dir_all(root.join("tests")).unwrap();
        std::fs::create_dir_all(root.join("demo/strength")).unwrap();
        std::fs::write(root.join("Cargo.toml"), "").unwrap();
        std::fs::write(root.join("demo/strength/Cargo.toml"), "").unwrap();
        std::fs::write(root.join("tests/x.rs"), "").unwrap();
        let borrower = root.join("demo/strength");
        assert_eq!(own_name("../../tests/x.rs", &borrower), "tests/x.rs");
        assert_eq!(own_name("tests/x.rs", root), "tests/x.rs");
        assert_eq!(own_name("tests\\x.rs", root), "tests/x.rs");
        // A name that does not resolve is kept as compiled.
        assert_eq!(
            own_name("../../tests/gone.rs", &borrower),
            "../../tests/gone.rs"
        );
    }
}
