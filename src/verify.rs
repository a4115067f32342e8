//! The verifier: replays every recorded input against the code as it is now, compares
//! behaviour case by case, and — as the update mode allows — records or writes pending
//! files. Its result is a [`Verdict`], which the report module renders.
//!
//! One path, in three steps:
//!
//! 1. **compare** ([`compare`]): replay and count every case with a [`Tally`], streaming the
//!    snapshot when the inputs line up with it ([`lockstep`]), matching inputs by text
//!    otherwise ([`matched`]);
//! 2. **plan** ([`plan`]): a pure function of what was found and the update mode decides
//!    what to write — nothing, record, pending, re-record;
//! 3. **write** ([`write`]): the one place that takes the snapshot's lock (only when the
//!    plan writes) and writes.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::cases::CaseList;
use crate::env::Environment;
use crate::jail::Jailed;
use crate::snapshot::{self, lock::Lock};
use crate::step::Step;
use crate::{Error, Settings, settings};

mod compare;
mod fresh;
mod grouping;
mod groups;
mod lockstep;
mod matched;
mod pending;
mod plan;
mod redaction_note;
mod seen;
#[cfg(test)]
mod tests;
mod verdict;
mod write;

pub use groups::{Group, MAX_GROUP_LINES, MAX_GROUPS, bounded_lines, change_key, groups_of};
pub use redaction_note::RedactionsChanged;
pub use verdict::{Baseline, Difference, NewCase, Shrunk, Tally, Verdict, Written};

/// What a verification run needs besides the jail and its cases.
pub struct Context<'a> {
    /// The snapshot file (`…/NAME.snap`).
    pub snapshot: PathBuf,
    /// The update mode and CI flag.
    pub env: Environment,
    /// The file that defines the jail (a test file or a jail spec), for the header.
    pub source: Option<String>,
    /// The line of the call, for pending files.
    pub line: Option<u32>,
    /// One line per input source, for the header.
    pub sources: Vec<String>,
    /// The seed of generated inputs, if any.
    pub seed: Option<u64>,
    /// The file a command jail's bare program name ran, for the header.
    pub program: Option<String>,
    /// The jail's redactions, one line each, for the header.
    pub redactions: Vec<String>,
    /// The reduced-case-set note the snapshot carries (kept when it is written again).
    pub minimized: Option<snapshot::MinimizedNote>,
    /// Threads that run cases.
    pub jobs: usize,
    /// How many changed cases to keep in full for the report.
    pub max_shown: usize,
    /// The command that records this jail, for messages.
    pub record_command: String,
    /// Called once per finished run of a case (progress bars).
    pub tick: &'a (dyn Fn() + Sync),
    /// Runs of each case before anything is written (`kaizen record --runs N`); cases
    /// whose behaviour differs between runs are refused. 1 runs each case once.
    pub runs: usize,
    /// The largest snapshot file read (`KAIZEN_MAX_SNAPSHOT_SIZE`, read at the front door).
    pub max_snapshot_size: u64,
    /// Only the cases of this shard are verified, and nothing is written.
    pub shard: Option<crate::shard::Shard>,
    /// The kind of step this run checks (see [`crate::step`]).
    pub step: Step,
    /// In a feature step, the cases the ledger's entries of this step name: the only ones
    /// that may change.
    pub named: BTreeSet<usize>,
}

impl Context<'static> {
    /// The context of jail `name` under `settings` in the environment `env`: its snapshot in
    /// the settings' folder, their jobs, `max_shown` and shard (the environment's
    /// `KAIZEN_MAX_SHOWN` and `KAIZEN_SHARD` win when set), the environment's size limit,
    /// re-recorded by `cargo test` with `KAIZEN_UPDATE=always`, one run per case, no
    /// progress. The builder methods change the rest.
    ///
    /// ```
    /// use kaizen::{Settings, env::Environment, verify::Context};
    /// let settings = Settings { snapshot_dir: Some("/tmp/snaps".into()), ..Settings::default() };
    /// let ctx = Context::new(&settings, "demo", Environment::default()).jobs(2);
    /// assert_eq!(ctx.snapshot, std::path::Path::new("/tmp/snaps/demo.snap"));
    /// assert_eq!((ctx.jobs, ctx.max_shown, ctx.runs), (2, 10, 1));
    /// ```
    pub fn new(settings: &Settings, name: &str, env: Environment) -> Context<'static> {
        // What the environment says wins over the settings (see `Environment`).
        let max_shown = env.max_shown.unwrap_or(settings.max_shown);
        let max_snapshot_size = env.snapshot_size_limit();
        let shard = settings.shard.or(env.shard);
        let ctx = Context {
            snapshot: settings::snapshot_path(&settings.resolved_snapshot_dir(), name),
            env,
            source: None,
            line: None,
            sources: Vec::new(),
            seed: None,
            program: None,
            redactions: settings.redactions.describe(),
            minimized: None,
            jobs: settings.jobs.max(1),
            max_shown,
            record_command: format!("{}=always cargo test", crate::env::UPDATE),
            tick: &|| {},
            runs: 1,
            max_snapshot_size,
            shard,
            step: Step::Any,
            named: BTreeSet::new(),
        };
        ctx.step(settings.step.unwrap_or_default())
    }
}

impl<'a> Context<'a> {
    /// The file that defines the jail and the line of the call, for the header.
    pub fn source(mut self, file: impl Into<String>, line: Option<u32>) -> Self {
        self.source = Some(file.into());
        self.line = line;
        self
    }

    /// The input sources (one line each) and the seed of generated inputs, for the header.
    pub fn sources(mut self, sources: Vec<String>, seed: Option<u64>) -> Self {
        self.sources = sources;
        self.seed = seed;
        self
    }

    /// The file a command jail's bare program name runs (`python3 → /usr/bin/python3`),
    /// for the header.
    pub fn program(mut self, program: Option<String>) -> Self {
        self.program = program;
        self
    }

    /// Threads that run cases.
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.jobs = jobs.max(1);
        self
    }

    /// How many changed cases the verdict keeps in full.
    pub fn max_shown(mut self, max_shown: usize) -> Self {
        self.max_shown = max_shown;
        self
    }

    /// The command that records this jail, for messages.
    pub fn record_command(mut self, command: impl Into<String>) -> Self {
        self.record_command = command.into();
        self
    }

    /// Runs of each case before anything is written.
    pub fn runs(mut self, runs: usize) -> Self {
        self.runs = runs;
        self
    }

    /// The largest snapshot file read.
    pub fn max_snapshot_size(mut self, limit: u64) -> Self {
        self.max_snapshot_size = limit;
        self
    }

    /// Verifies only the cases of `shard` (none: all), writing nothing when sharded.
    pub fn shard(mut self, shard: Option<crate::shard::Shard>) -> Self {
        self.shard = shard;
        self
    }

    /// Checks the run as a step of this kind. A refactoring step writes nothing whatever the
    /// update mode says, and a change fails even under `INSTA_FORCE_PASS`.
    ///
    /// ```
    /// use kaizen::{Settings, env::{Environment, UpdateMode}, step::Step, verify::Context};
    /// let ctx = Context::new(&Settings::default(), "demo", Environment::default());
    /// assert_eq!(ctx.step(Step::Refactor).env.mode, UpdateMode::No);
    /// ```
    pub fn step(mut self, step: Step) -> Self {
        self.step = step;
        if step == Step::Refactor {
            self.env.mode = crate::env::UpdateMode::No;
            self.env.force_pass = false;
        }
        self
    }

    /// The cases a feature step lets change (those the ledger's entries of this step name,
    /// [`crate::ledger::named_in_step`]).
    pub fn named(mut self, cases: BTreeSet<usize>) -> Self {
        self.named = cases;
        self
    }

    /// Does this run verify the case whose input has this snapshot text?
    pub(crate) fn in_shard(&self, input_text: &str) -> bool {
        self.shard.is_none_or(|s| s.contains(input_text))
    }

    /// Calls `tick` once per finished run of a case, so `runs` times per case (progress
    /// bars).
    pub fn tick<'b>(self, tick: &'b (dyn Fn() + Sync)) -> Context<'b>
    where
        'a: 'b,
    {
        Context { tick, ..self }
    }

    /// An empty tally for this run's verdict.
    pub(crate) fn tally(&self, jail: &str) -> Tally {
        let mut tally = Tally::new(
            jail,
            self.snapshot.clone(),
            &self.env,
            &self.record_command,
            Baseline::Snapshot,
            self.max_shown,
        );
        tally.step(self.step, &self.named);
        tally
    }
}

/// Verifies `jail` against its snapshot with the given cases: compare, plan, write (see the
/// module docs).
///
/// When the sources produce exactly the recorded inputs in the recorded order (the common
/// case), the snapshot is streamed rather than loaded and a pending file is written as the
/// cases run, so a million cases verify in little memory, whether they pass or not. The cases are read
/// where they are: a [`CaseList`] borrowed from the user's [`Cases`](crate::Cases)
/// ([`Cases::case_list`](crate::Cases::case_list)) is never copied, and a `Vec<Case<_>>`
/// converts into one.
pub fn verify<'a, J: Jailed>(
    jail: &J,
    cases: impl Into<CaseList<'a, J::Input>>,
    ctx: &Context<'_>,
) -> Result<Verdict, Error>
where
    J::Input: 'a,
{
    snapshot::check_name(jail.name())?;
    let cases = cases.into();
    let mut comparison = compare::compare(jail, &cases, ctx)?;
    let mut plan = decide(&comparison, ctx);
    let lock = if write::needs_lock(plan, ctx) {
        let lock = Lock::acquire(&ctx.snapshot)?;
        if !write::still_current(&comparison, ctx) {
            // Another run wrote the snapshot since it was read: compare again, under the lock.
            comparison = compare::compare(jail, &cases, ctx)?;
            plan = decide(&comparison, ctx);
        }
        Some(lock)
    } else {
        None
    };
    let recorded_redactions = comparison.recorded_redactions.take();
    let mut verdict = write::carry_out(jail, ctx, comparison, plan, lock.as_ref())?;
    drop(lock);
    if verdict.changed > 0 {
        verdict.redactions_changed = RedactionsChanged::between(recorded_redactions, ctx);
    }
    // The jail's own reading of each shown difference (a stateful jail names the step).
    let baseline = verdict.baseline;
    for difference in &mut verdict.differences {
        difference.focus_with(jail, baseline);
    }
    verdict.shard = ctx.shard;
    Ok(verdict)
}

/// The write plan for what `comparison` found. A shard sees part of the cases: it never
/// writes (a missing snapshot is still refused).
pub(crate) fn decide<I>(comparison: &compare::Comparison<'_, I>, ctx: &Context<'_>) -> plan::Plan {
    let found = comparison.found();
    let plan = plan::plan(&found, &ctx.env);
    if ctx.shard.is_some() && plan != plan::Plan::RefuseMissing {
        return plan::Plan::Nothing;
    }
    // A feature step accepts (re-records) only changes the ledger names; a refactoring step
    // runs with writing turned off (`Context::step`).
    if ctx.step == Step::Feature && found.counts.unnamed > 0 && plan == plan::Plan::Rerecord {
        return plan::Plan::Nothing;
    }
    plan
}

/// The label of a recorded behaviour: its first key (`returned`, `panicked`, `exit`), with
/// a scalar value where it is short (`exit 2`).
fn label_of(behaviour: &str) -> String {
    let first = behaviour.lines().next().unwrap_or("").trim();
    match first.split_once(':') {
        Some((key, value)) if key == "exit" || key == "signal" => format!("{key} {}", value.trim()),
        Some((key, _)) => key.to_string(),
        None => first.to_string(),
    }
}

/// Whether two `source:` paths name one test file: the same text, or the same file once
/// `this` is resolved from the current folder (the crate's, under `cargo test`) and
/// `recorded` from it or one of its parents — a crate whose test target is another crate's
/// file (`path = "../../tests/x.rs"`) names it with `../`.
fn same_source(recorded: &str, this: &str) -> bool {
    if recorded == this {
        return true;
    }
    let Ok(cwd) = std::env::current_dir() else {
        return false;
    };
    let Ok(here) = cwd.join(this).canonicalize() else {
        return false;
    };
    cwd.ancestors()
        .any(|dir| dir.join(recorded).canonicalize().is_ok_and(|p| p == here))
}

/// Refuses to use a snapshot that belongs to another jail (two jails with one name). A
/// snapshot recorded from another source file is an error only when this run may write
/// it; verifying another implementation against it (nothing written) is allowed.
fn check_owner(
    name: &str,
    loaded: &snapshot::Loaded,
    ctx: &Context<'_>,
    may_write: bool,
) -> Result<(), Error> {
    if loaded.info.jail != name {
        return Err(Error::snapshot(
            &loaded.path,
            None,
            format!(
                "the snapshot belongs to jail `{}`, not `{name}`",
                loaded.info.jail
            ),
            "give each jail its own name (the name is the snapshot's file name)",
        ));
    }
    if let (Some(recorded_by), Some(this)) = (&loaded.header.source, &ctx.source)
        && may_write
        && !same_source(recorded_by, this)
    {
        {
            return Err(Error::Config {
                message: format!(
                    "two jails are named `{name}`: one in {this}, and the one in {recorded_by} recorded {}",
                    loaded.path.display()
                ),
                hint: "rename one of them; if you moved the test to another file, delete the `source:` line of the snapshot".into(),
            });
        }
    }
    Ok(())
}
