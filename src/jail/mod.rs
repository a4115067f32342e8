//! The code jail: legacy code behind a stable interface, observed only through its behaviour.
//!
//! A jail takes an input and returns what the jailed code did — a [`Behaviour`]. For a Rust
//! function ([`Jail`]) that is an [`Outcome`]: the value it returned, the message it panicked
//! with, or the fact that it did not return in time. Panics never escape a jail and never
//! count as a failure of the harness: they are behaviour like any other.

#[cfg(feature = "command")]
pub mod command;
#[cfg(feature = "harvest")]
mod feedback;
#[cfg(feature = "isolate")]
mod isolate;
mod outcome_serde;
mod panic;
mod timeout;

pub(crate) use panic::catch_silently;

use std::borrow::Cow;
use std::panic::Location;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::settings::Settings;

/// What a jail observed for one input. Serialized as a YAML mapping beside the input.
pub trait Behaviour: Serialize + Send {
    /// A short name for the kind of behaviour: `returned`, `panicked`, `exit 2`, `timeout`.
    /// The report uses it to say that, say, a panic appeared.
    fn label(&self) -> Cow<'_, str>;
}

/// Something that runs jailed code on inputs: a Rust function or a legacy program.
pub trait Jailed: Sync {
    /// The recorded and replayed input.
    type Input: Serialize + DeserializeOwned + Send + Sync;
    /// What the jail observes.
    type Behaviour: Behaviour;

    /// The jail's name: the snapshot's file stem and the report's title.
    fn name(&self) -> &str;

    /// Runs the jailed code on one input. Never panics.
    fn run(&self, input: &Self::Input) -> Self::Behaviour;

    /// Runs the jailed code on one input, or says why the harness could not (for a jail
    /// whose cases run in child processes). The default is [`Jailed::run`], which cannot fail.
    fn try_run(&self, input: &Self::Input) -> Result<Self::Behaviour, crate::Error> {
        Ok(self.run(input))
    }

    /// A readable name of the input type, stored in the snapshot header.
    fn input_type(&self) -> Cow<'_, str> {
        Cow::Borrowed(std::any::type_name::<Self::Input>())
    }

    /// This jail's own reading of a difference, for the report: given the difference as the
    /// report would show it, a headline saying where behaviour changed and the texts cut to
    /// what matters. `None` (the default) shows the difference as it is. A stateful jail
    /// names the first step that changed and cuts long sequences around it.
    fn focus(&self, shown: &Shown<'_>) -> Option<Focus> {
        let _ = shown;
        None
    }

    /// What is replaced by placeholders in each behaviour before it is compared or written
    /// (see [`crate::redact`]). `None` (the default) redacts nothing.
    fn redactions(&self) -> Option<&crate::redact::Redactions> {
        None
    }

    /// Whether a recorded and a new behaviour whose texts differ count as the same (a float
    /// tolerance, a comparison of the jail's own; see [`crate::tolerance`]). Default: no,
    /// only equal texts are the same.
    fn same(&self, recorded: &str, now: &str) -> bool {
        let _ = (recorded, now);
        false
    }
}

/// A difference as the report would show it, for [`Jailed::focus`].
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    /// The input.
    pub input: &'a str,
    /// The input first drawn, when the input shown is a shrunk one.
    pub first_input: Option<&'a str>,
    /// The expected behaviour.
    pub expected: &'a str,
    /// The actual behaviour.
    pub actual: &'a str,
    /// The names of the two sides (`recorded`, `now`).
    pub sides: (&'a str, &'a str),
}

/// Where a difference lies, as a jail reads it ([`Jailed::focus`]): each text replaces the
/// one the report would show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Focus {
    /// One line naming the change: `step 7 of 12: WonPoint("player1") — recorded
    /// "Advantage player1", now "Deuce"`.
    pub headline: String,
    /// The input to show.
    pub input: String,
    /// The input first drawn to show, when the input was shrunk.
    pub first_input: Option<String>,
    /// The expected behaviour to show.
    pub expected: String,
    /// The actual behaviour to show.
    pub actual: String,
}

/// A jail's [`Jailed::focus`], kept as a plain function.
pub(crate) type FocusFn = fn(&Shown<'_>) -> Option<Focus>;

/// True in a child process that runs one case of an isolated jail ([`Jail::isolated`]):
/// there, every jail entry but the one the child serves returns at once.
pub(crate) fn in_isolation_child() -> bool {
    #[cfg(feature = "isolate")]
    return isolate::child_target().is_some();
    #[cfg(not(feature = "isolate"))]
    false
}

/// What a jailed Rust function did with one input.
///
/// ```
/// use kaizen::jail::{Behaviour, Outcome};
/// assert_eq!(Outcome::Returned(3).label(), "returned");
/// assert_eq!(Outcome::<u8>::Panicked("boom".into()).label(), "panicked");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome<O> {
    /// The function returned this value.
    Returned(O),
    /// The function panicked with this message.
    Panicked(String),
    /// The function did not return within the jail's timeout (shown as e.g. `2s`).
    Timeout(String),
    /// The function ended its process with `std::process::exit(code)`. Only an isolated jail
    /// ([`Jail::isolated`]) survives this to record it.
    Exited(i32),
    /// The function crashed its process: an abort, a stack overflow, a segmentation fault,
    /// e.g. `stack overflow (signal 6 (SIGABRT))`. Only an isolated jail records this.
    Crashed(String),
}

impl<O: Serialize + Send> Behaviour for Outcome<O> {
    fn label(&self) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            Outcome::Returned(_) => "returned",
            Outcome::Panicked(_) => "panicked",
            Outcome::Timeout(_) => "timeout",
            Outcome::Exited(_) => "exited",
            Outcome::Crashed(_) => "crashed",
        })
    }
}

type JailedFn<I, O> = Arc<dyn Fn(I) -> O + Send + Sync>;

/// A Rust function or closure in a jail.
///
/// The input must be serializable and deserializable (it is recorded and replayed), the
/// output serializable (it is recorded and compared). Configure the jail with the builder
/// methods, then characterize it with [`Jail::check`].
///
/// ```
/// use kaizen::{Cases, Jail};
/// # let dir = tempfile::tempdir().unwrap();
/// fn legacy_discount(qty: u32) -> u32 {
///     if qty > 10 { qty * 9 / 10 } else { qty }
/// }
/// let jail = Jail::new("discount", |qty: u32| legacy_discount(qty))
/// #   .snapshot_dir(dir.path())
///     ;
/// // `jail.run` reads KAIZEN_UPDATE and CI; here a local run is spelled out.
/// let local = kaizen::env::Environment::default();
/// let verdict = jail.run_with(&Cases::new().list([1, 10, 11, 100]), local).unwrap();
/// assert!(verdict.passed());
/// ```
pub struct Jail<I, O> {
    name: String,
    f: JailedFn<I, O>,
    workers: timeout::Pool<I, O>,
    #[cfg(feature = "isolate")]
    isolation: Option<isolate::Isolation<O>>,
    focus: Option<FocusFn>,
    comparison: Option<crate::tolerance::Comparison>,
    pub(crate) settings: Settings,
    pub(crate) caller: &'static Location<'static>,
}

impl<I, O> Jail<I, O>
where
    I: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    O: Serialize + Send + 'static,
{
    /// Puts `f` in a jail called `name`. The name becomes the snapshot file `NAME.snap`.
    #[track_caller]
    pub fn new(name: impl Into<String>, f: impl Fn(I) -> O + Send + Sync + 'static) -> Self {
        Jail {
            name: name.into(),
            f: Arc::new(f),
            workers: Default::default(),
            #[cfg(feature = "isolate")]
            isolation: None,
            focus: None,
            comparison: None,
            settings: Settings::default(),
            caller: Location::caller(),
        }
    }

    /// Replaces all settings at once.
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = settings;
        self
    }

    /// Stores the snapshot in `dir` instead of `snapshots/` at the crate root. A relative
    /// path is taken from the crate root.
    pub fn snapshot_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.settings.snapshot_dir = Some(dir.into());
        self
    }

    /// Runs each call on a worker thread and records `timeout` for a call that takes longer
    /// than `limit`. The stuck call's thread is abandoned (Rust cannot stop it); see the
    /// README on what cannot be contained in process.
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.settings.timeout = Some(limit);
        self
    }

    /// Runs cases on `jobs` threads (default 1: `cargo test` already runs tests in parallel).
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.settings.jobs = jobs.max(1);
        self
    }

    /// Replaces the value at `selector` in each returned value by `placeholder` before
    /// comparing and writing: `.created_at`, `[].id`, `.items[].id`, `["a key"]`, `[0]`,
    /// `.*` (insta's selectors). The snapshot header lists every redaction. See
    /// [`crate::redact`].
    pub fn redact(mut self, selector: &str, placeholder: impl Into<String>) -> Self {
        self.settings.redactions =
            std::mem::take(&mut self.settings.redactions).at(selector, placeholder);
        self
    }

    /// Replaces every match of `pattern` in each encoded behaviour by `placeholder` (after
    /// the [`Jail::redact`] places). Needs the `redact` feature.
    #[cfg(feature = "redact")]
    pub fn redact_regex(mut self, pattern: &str, placeholder: impl Into<String>) -> Self {
        self.settings.redactions =
            std::mem::take(&mut self.settings.redactions).matching(pattern, placeholder);
        self
    }

    /// Counts a case as the same when its text changed only in floats within `tolerance` of
    /// the recorded ones (integers, strings and the shape must still be equal). The snapshot
    /// keeps the recorded values; the summary says how many cases passed this way. See
    /// [`crate::tolerance`].
    pub fn tolerance(mut self, tolerance: crate::tolerance::Tolerance) -> Self {
        self.settings.tolerance = Some(tolerance);
        self
    }

    /// Counts a case as the same when its text changed but `same(recorded, now)` says yes,
    /// given both behaviours as YAML values (`{returned: …}`, `{panicked: …}`). For what a
    /// tolerance cannot express; tried after the tolerance. Several comparisons (this one
    /// and [`Jail::compare_outputs_with`]) are asked in the order given; one yes is enough.
    pub fn compare_with(
        self,
        same: impl Fn(&serde_yaml::Value, &serde_yaml::Value) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.with_comparison(Arc::new(same))
    }

    /// Adds a comparison (see [`Jail::compare_with`]).
    pub(crate) fn with_comparison(mut self, same: crate::tolerance::Comparison) -> Self {
        self.comparison = Some(crate::tolerance::either(self.comparison.take(), same));
        self
    }

    /// Runs each case `runs` times when the jail records from scratch (no snapshot yet, or
    /// `KAIZEN_UPDATE=always`) and refuses a case that behaved differently, naming it and
    /// the redaction that would hide the difference. Default 2; 1 records each case once.
    /// Verifying an existing snapshot always runs each case once.
    pub fn record_runs(mut self, runs: usize) -> Self {
        self.settings.record_runs = runs.max(1);
        self
    }

    /// Verifies only part `shard` of the cases (`"2/4".parse()?`) and writes nothing; by
    /// default the shard `KAIZEN_SHARD` names, if any. See [`crate::shard`].
    pub fn shard(mut self, shard: crate::shard::Shard) -> Self {
        self.settings.shard = Some(shard);
        self
    }

    /// Checks the run as a step of this kind: [`Step::Refactor`](crate::step::Step) fails on
    /// any change and writes nothing; [`Step::Feature`](crate::step::Step) lets only the
    /// cases the ledger's entries of this step name change. By default the step
    /// `KAIZEN_STEP` names, if any. See [`crate::step`].
    pub fn step(mut self, step: crate::step::Step) -> Self {
        self.settings.step = Some(step);
        self
    }

    /// Calls the jailed function once, catching a panic as behaviour.
    ///
    /// ```
    /// use kaizen::{Jail, jail::Outcome};
    /// let jail = Jail::new("div", |(a, b): (i32, i32)| a / b);
    /// assert_eq!(jail.call(&(6, 3)), Outcome::Returned(2));
    /// assert_eq!(jail.call(&(1, 0)), Outcome::Panicked("attempt to divide by zero".into()));
    /// ```
    ///
    /// # Panics
    /// Only for an [isolated](Jail::isolated) jail whose child process could not run the
    /// case (see [`Jail::try_call`]); never because of the jailed code.
    pub fn call(&self, input: &I) -> Outcome<O> {
        self.try_call(input)
            .unwrap_or_else(|e| std::panic::panic_any(format!("kaizen: {e}")))
    }

    /// Calls the jailed function once, catching a panic as behaviour; in a child process if
    /// the jail is [isolated](Jail::isolated), where this fails if the child could not run
    /// the case (it never reached the jail, or a value could not cross to it).
    pub fn try_call(&self, input: &I) -> Result<Outcome<O>, crate::Error> {
        #[cfg(feature = "isolate")]
        if let Some(isolation) = &self.isolation {
            self.serve_if_child();
            return isolate::run_in_child(isolation, &self.name, input, self.settings.timeout);
        }
        Ok(self.call_in_process(input))
    }

    fn call_in_process(&self, input: &I) -> Outcome<O> {
        match self.settings.timeout {
            None => panic::call_silently(&*self.f, input.clone()),
            Some(limit) => timeout::call_with_timeout(&self.f, &self.workers, input.clone(), limit),
        }
    }

    /// In a child process started for this (isolated) jail: serves its one case and exits.
    /// Anywhere else: does nothing.
    pub(crate) fn serve_if_child(&self) {
        #[cfg(feature = "isolate")]
        if let (Some(isolation), Some(target)) = (&self.isolation, isolate::child_target())
            && isolation.key == target
        {
            isolate::serve(&*self.f);
        }
    }

    /// The same jail, reading its differences with `focus` (see [`Jailed::focus`]).
    pub(crate) fn with_focus(mut self, focus: FocusFn) -> Self {
        self.focus = Some(focus);
        self
    }

    /// The same function with a suffix on its isolation key (the sides of an oracle).
    #[cfg(feature = "isolate")]
    pub(crate) fn isolation_side(mut self, side: &str) -> Self {
        self.isolation = self
            .isolation
            .map(|i| i.with_key(format!("{}#{side}", i.key)));
        self
    }
}

impl<I, O> Jail<I, O>
where
    I: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    O: Serialize + DeserializeOwned + Send + 'static,
{
    /// Counts a case as the same when its text changed but both versions returned and
    /// `same(&recorded, &now)` says yes, given both returned values as the jail's output
    /// type. The recorded value is read back from the snapshot text (as inputs are); a case
    /// where either side panicked or timed out, or whose recorded value no longer reads as
    /// an `O` (a redaction's placeholder where `O` holds a number), is left to the other
    /// comparisons. Tried after the tolerance, with [`Jail::compare_with`]'s hooks in the
    /// order given.
    ///
    /// ```
    /// use kaizen::{Cases, Jail};
    /// let dir = tempfile::tempdir().unwrap();
    /// let local = kaizen::env::Environment::default();
    /// let cases = Cases::new().list(["Ada".to_string(), "bob".into()]);
    /// Jail::new("greet", |n: String| format!("Hello {n}"))
    ///     .snapshot_dir(dir.path())
    ///     .run_with(&cases, local.clone())
    ///     .unwrap();
    /// // The refactoring shouts; for this jail, case does not matter.
    /// let verdict = Jail::new("greet", |n: String| format!("HELLO {}", n.to_uppercase()))
    ///     .snapshot_dir(dir.path())
    ///     .compare_outputs_with(|recorded: &String, now: &String| {
    ///         recorded.to_lowercase() == now.to_lowercase()
    ///     })
    ///     .run_with(&cases, local)
    ///     .unwrap();
    /// assert!(verdict.passed());
    /// assert_eq!(verdict.within_tolerance, 2);
    /// ```
    pub fn compare_outputs_with(
        self,
        same: impl Fn(&O, &O) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.with_comparison(crate::tolerance::on_outputs(same))
    }
}

#[cfg(feature = "isolate")]
impl<I, O> Jail<I, O>
where
    I: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    O: Serialize + DeserializeOwned + Send + 'static,
{
    /// Runs every case in a child process, so that legacy code which aborts, overflows its
    /// stack, calls `std::process::exit` or hangs is recorded as behaviour — `crashed:`,
    /// `exited:`, `timeout:` — instead of ending the test process.
    ///
    /// The child is the current test, run again (the test binary re-executed with
    /// `TEST --exact`); when it reaches this jail it runs one case and exits. So the test
    /// must reach the jail every time it runs, and each case costs a start of the test
    /// binary: isolate the jails that need it. With [`Jail::timeout`], a case past
    /// the limit is killed with its whole process group, so nothing is left running. The
    /// output type must be deserializable, to come back from the child. Needs the `isolate`
    /// feature.
    ///
    /// ```no_run
    /// use kaizen::{Cases, Jail};
    /// use std::time::Duration;
    ///
    /// fn legacy_depth(n: u64) -> u64 {
    ///     if n == 0 { 0 } else { 1 + legacy_depth(n - 1) } // overflows the stack for large n
    /// }
    ///
    /// #[test]
    /// fn depth_is_characterized() {
    ///     Jail::new("depth", legacy_depth)
    ///         .isolated()
    ///         .timeout(Duration::from_secs(10))
    ///         .check(&Cases::new().list([0, 10, 100_000_000]));
    /// }
    /// ```
    pub fn isolated(mut self) -> Self {
        // The key names where the jail was made too: two jails of one name in one test
        // (the legacy code and its refactoring, say) must not serve each other's cases.
        let at = self.caller;
        let key = format!("{}@{}:{}:{}", self.name, at.file(), at.line(), at.column());
        self.isolation = Some(isolate::Isolation::for_current_test(key));
        self
    }
}

impl<I, O> Jailed for Jail<I, O>
where
    I: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    O: Serialize + Send + 'static,
{
    type Input = I;
    type Behaviour = Outcome<O>;

    fn name(&self) -> &str {
        &self.name
    }

    fn run(&self, input: &I) -> Outcome<O> {
        self.call(input)
    }

    fn try_run(&self, input: &I) -> Result<Outcome<O>, crate::Error> {
        self.try_call(input)
    }

    fn focus(&self, shown: &Shown<'_>) -> Option<Focus> {
        self.focus.and_then(|focus| focus(shown))
    }

    fn redactions(&self) -> Option<&crate::redact::Redactions> {
        let redactions = &self.settings.redactions;
        (!redactions.is_empty()).then_some(redactions)
    }

    fn same(&self, recorded: &str, now: &str) -> bool {
        let sameness = crate::tolerance::Sameness {
            tolerance: self.settings.tolerance,
            comparison: self.comparison.clone(),
        };
        sameness.same(recorded, now)
    }
}
