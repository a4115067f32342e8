//! Live oracle mode: the jailed original, never edited, judges its refactored copy.
//!
//! An [`Oracle`] holds two functions with one signature: the original, kept in `jail/` as
//! it was found, and the refactored copy in `src/`. It runs both on the same inputs — the
//! inputs of any [`Cases`] plus, when there is one, every input recorded in the jail's
//! snapshot — and compares what they did (the value returned, the panic message, a
//! timeout) case by case. No snapshot is needed and none is written; the report is the one
//! of snapshot verification, with the sides named `original` and `refactored`.
//!
//! When an input drawn by a proptest source differs, the oracle shrinks it with proptest's
//! value tree to a minimal input that still differs; the report shows the minimal input,
//! the input first drawn, and the number of shrink steps. Shrinking depends on the seed
//! only, so a run is the same every time.
//!
//! ```
//! use kaizen::{Cases, Oracle};
//! use proptest::prelude::*;
//!
//! fn legacy_fee(amount: u32) -> u32 { if amount > 1000 { amount / 50 } else { 5 } }
//! // The refactoring rounds instead of truncating: a slip.
//! fn refactored_fee(amount: u32) -> u32 { if amount > 1000 { (amount + 25) / 50 } else { 5 } }
//!
//! let oracle = Oracle::new("fee", legacy_fee, refactored_fee);
//! let verdict = oracle.run(&Cases::new().proptest(0u32..50_000, 200)).unwrap();
//! assert!(!verdict.passed());
//! let report = kaizen::report::render(&verdict, false);
//! assert!(report.contains("behaviour (- original, + refactored)"));
//! // The smallest amount that differs, whatever amount was drawn first:
//! assert!(report.contains("minimal input (shrunk in"));
//! assert!(report.contains("    1025\n  original failing input:"));
//! ```
//!
//! The oracle honours the same environment as [`Jail::check`]: an unknown `KAIZEN_UPDATE`
//! is an error, `INSTA_FORCE_PASS` lets a failure pass, and on CI — as everywhere — it
//! writes nothing.
//!
//! [`Jail::check`]: crate::Jail::check

/// Shrinking generated inputs (it lives with the sources, in [`crate::cases::shrink`]).
pub use crate::cases::shrink;
pub(crate) mod sides;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::cases::{Cases, Origin};
use crate::env::Environment;
use crate::jail::Jail;
use crate::snapshot::{self, format};
use crate::tolerance::Tolerance;
use crate::verify::{Baseline, Difference, Shrunk, Verdict};
use crate::{Error, Settings, report, settings};

/// The original and the refactored version of one function, run side by side. See the
/// module docs.
pub struct Oracle<I, O> {
    name: String,
    original: Jail<I, O>,
    refactored: Jail<I, O>,
    settings: Settings,
    replay_recorded: bool,
    shrink: bool,
}

impl<I, O> Oracle<I, O>
where
    I: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    O: Serialize + Send + 'static,
{
    /// Compares `refactored` with `original` under the name `name` (the report's title, and
    /// the snapshot whose recorded inputs are replayed too: `snapshots/NAME.snap`).
    #[track_caller]
    pub fn new(
        name: impl Into<String>,
        original: impl Fn(I) -> O + Send + Sync + 'static,
        refactored: impl Fn(I) -> O + Send + Sync + 'static,
    ) -> Self {
        let name = name.into();
        Oracle {
            original: Jail::new(name.clone(), original),
            refactored: Jail::new(name.clone(), refactored),
            name,
            settings: Settings::default(),
            replay_recorded: true,
            shrink: true,
        }
    }

    /// Looks for recorded inputs in `dir` instead of `snapshots/` at the crate root.
    pub fn snapshot_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.settings.snapshot_dir = Some(dir.into());
        self
    }

    /// Whether to replay the inputs recorded in the jail's snapshot, if it exists, besides
    /// those of the cases (default: yes).
    pub fn replay_recorded(mut self, replay: bool) -> Self {
        self.replay_recorded = replay;
        self
    }

    /// Whether to shrink differing proptest inputs to minimal ones (default: yes).
    pub fn shrink(mut self, shrink: bool) -> Self {
        self.shrink = shrink;
        self
    }

    /// Redacts the value at `selector` in what either version returns; see [`Jail::redact`].
    pub fn redact(mut self, selector: &str, placeholder: impl Into<String>) -> Self {
        let placeholder = placeholder.into();
        self.original = self.original.redact(selector, placeholder.clone());
        self.refactored = self.refactored.redact(selector, placeholder.clone());
        self.settings.redactions =
            std::mem::take(&mut self.settings.redactions).at(selector, placeholder);
        self
    }

    /// Redacts every match of `pattern` in what either version does; see
    /// [`Jail::redact_regex`]. Needs the `redact` feature.
    #[cfg(feature = "redact")]
    pub fn redact_regex(mut self, pattern: &str, placeholder: impl Into<String>) -> Self {
        let placeholder = placeholder.into();
        self.original = self.original.redact_regex(pattern, placeholder.clone());
        self.refactored = self.refactored.redact_regex(pattern, placeholder.clone());
        self.settings.redactions =
            std::mem::take(&mut self.settings.redactions).matching(pattern, placeholder);
        self
    }

    /// Counts a case as the same when the two versions' behaviours differ only in floats
    /// within `tolerance` (integers, strings and the shape must still be equal); see
    /// [`Jail::tolerance`]. The report shows both exact values of a case outside it, the
    /// summary says how many cases were within it, and shrinking uses the same comparison:
    /// a case within the tolerance is no difference to shrink towards.
    pub fn tolerance(mut self, tolerance: Tolerance) -> Self {
        self.settings.tolerance = Some(tolerance);
        self.original = self.original.tolerance(tolerance);
        self.refactored = self.refactored.tolerance(tolerance);
        self
    }

    /// Counts a case as the same when the behaviours differ but `same(original, refactored)`
    /// says yes, given both as YAML values; see [`Jail::compare_with`]. Tried after the
    /// tolerance; shrinking uses it too.
    pub fn compare_with(
        mut self,
        same: impl Fn(&serde_yaml::Value, &serde_yaml::Value) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.original = self.original.with_comparison(Arc::new(same));
        self
    }

    /// Gives each call of either version `limit` to return; see [`Jail::timeout`].
    pub fn timeout(mut self, limit: Duration) -> Self {
        self.settings.timeout = Some(limit);
        self.original.settings.timeout = Some(limit);
        self.refactored.settings.timeout = Some(limit);
        self
    }

    /// Runs every call of either version in a child process; see [`Jail::isolated`]. The
    /// report then records an abort, a stack overflow or an `exit` of either version as
    /// behaviour, and a timeout leaves nothing running. Needs the `isolate` feature.
    #[cfg(feature = "isolate")]
    pub fn isolated(mut self) -> Self
    where
        O: DeserializeOwned,
    {
        self.original = self.original.isolated().isolation_side("original");
        self.refactored = self.refactored.isolated().isolation_side("refactored");
        self
    }

    /// Runs cases on `jobs` threads (default 1).
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.settings.jobs = jobs.max(1);
        self
    }

    /// How many differing cases the report shows in full — and shrinks (default 10).
    pub fn max_shown(mut self, max_shown: usize) -> Self {
        self.settings.max_shown = max_shown;
        self
    }

    /// Counts a case as the same when both versions returned and `same(&original,
    /// &refactored)` says yes, given both values as the output type; see
    /// [`Jail::compare_outputs_with`]. Shrinking uses it too.
    pub fn compare_outputs_with(
        mut self,
        same: impl Fn(&O, &O) -> bool + Send + Sync + 'static,
    ) -> Self
    where
        O: DeserializeOwned,
    {
        self.original = self.original.compare_outputs_with(same);
        self
    }

    /// The same oracle, reading its differences with `focus` (see `Jailed::focus`).
    pub(crate) fn with_focus(mut self, focus: crate::jail::FocusFn) -> Self {
        self.original = self.original.with_focus(focus);
        self.refactored = self.refactored.with_focus(focus);
        self
    }

    /// The snapshot whose recorded inputs are replayed, whether or not it exists.
    pub fn snapshot_path(&self) -> PathBuf {
        settings::snapshot_path(&self.settings.resolved_snapshot_dir(), &self.name)
    }

    /// Runs both versions on every input and compares them. Never panics because of the
    /// jailed code.
    pub fn run(&self, cases: &Cases<I>) -> Result<Verdict, Error> {
        self.run_with(cases, Environment::from_process()?)
    }

    /// Like [`Oracle::run`] with an explicit environment instead of the process's
    /// variables.
    pub fn run_with(&self, cases: &Cases<I>, env: Environment) -> Result<Verdict, Error> {
        snapshot::check_name(&self.name)?;
        self.settings.redactions.check(&self.name)?;
        let snapshot = self.snapshot_path();
        if crate::jail::in_isolation_child() {
            // A child process running one case of an isolated jail (see `Jail::isolated`).
            self.original.serve_if_child();
            self.refactored.serve_if_child();
            let (name, baseline) = (&self.name, Baseline::Oracle);
            return Ok(Verdict::new(name, snapshot, 0, &env, "", baseline));
        }
        let sides = sides::SideBySide {
            name: &self.name,
            original: &self.original,
            other: &self.refactored,
            snapshot,
            replay_recorded: self.replay_recorded,
            jobs: self.settings.jobs,
            max_shown: env.max_shown.unwrap_or(self.settings.max_shown),
            baseline: Baseline::Oracle,
            record_command: "cargo test",
            role: (
                "oracle",
                "give the oracle another name, or replay_recorded(false)",
            ),
            tick: &|| {},
        };
        sides.compare(cases.generate(), &env, &mut |_, origin, difference| {
            if self.shrink {
                self.shrink_into(cases, origin, difference);
            }
        })
    }

    /// Compares the versions and fails the test if they differ, with a report of every
    /// differing case. On success it prints one line.
    ///
    /// # Panics
    /// When the versions behave differently on some input, or the inputs cannot be used;
    /// the panic message is the report or the error.
    #[track_caller]
    pub fn check(&self, cases: &Cases<I>) {
        match self.run(cases) {
            Ok(verdict) if verdict.passed() => eprintln!("{}", report::summary(&verdict)),
            Ok(verdict) => {
                let color = crate::env::use_color(std::io::stderr().is_terminal());
                panic!("{}", report::render(&verdict, color));
            }
            Err(e) => panic!("kaizen: {e}"),
        }
    }

    /// What both versions do with `input`, as comparable snapshot text.
    fn outcomes(&self, input: &I) -> (Encoded, Encoded) {
        // Encoded as every comparison encodes (redactions applied).
        let encode = |jail: &Jail<I, O>| {
            let mut text = String::new();
            match crate::record::observe_into(jail, input, &mut text) {
                Ok(outcome) => Encoded {
                    label: crate::jail::Behaviour::label(&outcome).into_owned(),
                    text,
                },
                Err(e) => Encoded {
                    label: "error".into(),
                    text: e.to_string(),
                },
            }
        };
        (encode(&self.original), encode(&self.refactored))
    }

    /// Shrinks the input of a differing proptest case and makes `difference` show the
    /// minimal input; leaves it alone for inputs of other sources.
    fn shrink_into(&self, cases: &Cases<I>, origin: &Origin, difference: &mut Difference) {
        let mut differs = |input: &I| {
            let (b, a) = self.outcomes(input);
            b.text != a.text && !crate::jail::Jailed::same(&self.original, &b.text, &a.text)
        };
        let Some(found) = cases.shrink(origin, &mut differs, shrink::MAX_SHRINK_STEPS) else {
            return;
        };
        let Ok(text) = format::encode_input(&found.minimal) else {
            return;
        };
        let (b, a) = self.outcomes(&found.minimal);
        difference.shrunk = Some(Shrunk {
            original_input: std::mem::replace(&mut difference.input, format::display_input(&text)),
            steps: found.steps,
        });
        difference.expected = format::display_behaviour(&b.text);
        difference.actual = format::display_behaviour(&a.text);
        difference.expected_label = b.label;
        difference.actual_label = a.label;
    }
}

/// One version's behaviour as snapshot text, with its label.
struct Encoded {
    text: String,
    label: String,
}
