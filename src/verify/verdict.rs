//! What a run found, and the one place that counts it.
//!
//! A [`Verdict`] is built by a [`Tally`]: the verifier and the live oracle observe each case
//! through it (same, changed, new, recorded only), and only the tally changes the counts and
//! decides which cases are kept in full for the report (`max_shown`). Two tallies of the same
//! jail's cases — the parts of a run split into shards — combine with [`Tally::merge`]; the
//! kind of each change (`expected_label → actual_label`) is counted as it is observed, so the
//! changes can be grouped by the way they changed ([`Verdict::change_kinds`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::ExitCode;
use crate::cases::Origin;
use crate::distribution::{self, Distribution};
use crate::env::{Environment, UpdateMode};
use crate::jail::{Jailed, Shown};
use crate::step::{Step, Unnamed};

use super::grouping::Grouping;
use super::groups::{Group, Key, key_of_shown, write_key};

/// One case whose behaviour differs from the recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// 1-based position of the case in the snapshot.
    pub number: usize,
    /// Line of the case in the snapshot file.
    pub line: usize,
    /// Where the input comes from now, if a source still produces it.
    pub origin: Option<Origin>,
    /// The input, as YAML for people.
    pub input: String,
    /// The recorded behaviour, as YAML for people.
    pub expected: String,
    /// The behaviour now, as YAML for people.
    pub actual: String,
    /// Label of the recorded behaviour (`returned`, `panicked`, `exit 0`, …).
    pub expected_label: String,
    /// Label of the behaviour now.
    pub actual_label: String,
    /// When the input was shrunk (oracle mode): the input first found to differ and how
    /// many shrink steps led from it to [`Difference::input`]. `None` otherwise.
    pub shrunk: Option<Shrunk>,
    /// Command lines that reproduce the case by hand, one per side: `(side, line)`. Empty
    /// unless a program port filled them in.
    pub reproduce: Vec<(String, String)>,
    /// The jail's one-line reading of where behaviour changed (a stateful jail names the
    /// first step that changed, see [`Jailed::focus`]); `None` for other jails.
    pub headline: Option<String>,
}

impl Difference {
    /// Lets `jail` read this difference: when it has a focus, the headline is set and the
    /// input and behaviours are replaced by the texts the jail cut to what matters.
    pub(crate) fn focus_with<J: Jailed + ?Sized>(&mut self, jail: &J, baseline: Baseline) {
        let shown = Shown {
            input: &self.input,
            first_input: self.shrunk.as_ref().map(|s| s.original_input.as_str()),
            expected: &self.expected,
            actual: &self.actual,
            sides: baseline.labels(),
        };
        let Some(focus) = jail.focus(&shown) else {
            return;
        };
        self.headline = Some(focus.headline);
        self.input = focus.input;
        self.expected = focus.expected;
        self.actual = focus.actual;
        if let (Some(shrunk), Some(first)) = (&mut self.shrunk, focus.first_input) {
            shrunk.original_input = first;
        }
    }
}

/// How a differing generated input was shrunk to the minimal one a report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shrunk {
    /// The input as first drawn, as YAML for people.
    pub original_input: String,
    /// Candidate inputs tried while shrinking.
    pub steps: usize,
}

/// What a verdict compares each case's behaviour against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Baseline {
    /// The behaviour recorded in a snapshot (`- recorded`, `+ now`).
    #[default]
    Snapshot,
    /// The jailed original run live beside the refactored code (`- original`,
    /// `+ refactored`); nothing is recorded.
    Oracle,
    /// A legacy program run live beside its port to another language (`- original`,
    /// `+ port`); nothing is recorded.
    Port,
}

impl Baseline {
    /// The names of the two sides of a difference: expected, then actual.
    ///
    /// ```
    /// use kaizen::verify::Baseline;
    /// assert_eq!(Baseline::Snapshot.labels(), ("recorded", "now"));
    /// assert_eq!(Baseline::Oracle.labels(), ("original", "refactored"));
    /// assert_eq!(Baseline::Port.labels(), ("original", "port"));
    /// ```
    pub fn labels(self) -> (&'static str, &'static str) {
        match self {
            Baseline::Snapshot => ("recorded", "now"),
            Baseline::Oracle => ("original", "refactored"),
            Baseline::Port => ("original", "port"),
        }
    }

    /// True for the live comparisons, which record nothing.
    pub fn is_live(self) -> bool {
        self != Baseline::Snapshot
    }
}

/// An input that the sources produce but the snapshot does not hold yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase {
    /// Its source.
    pub origin: Origin,
    /// The input, as YAML for people.
    pub input: String,
    /// What the code does with it now, as YAML for people.
    pub actual: String,
}

/// Which file a run wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// Nothing was written.
    Nothing,
    /// A missing snapshot was recorded.
    Recorded(PathBuf),
    /// A pending `.snap.new` file waits for review.
    Pending(PathBuf),
    /// The snapshot was re-recorded (`KAIZEN_UPDATE=always`).
    Rerecorded(PathBuf),
}

/// The result of verifying one jail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The jail's name.
    pub jail: String,
    /// Its snapshot file.
    pub snapshot: PathBuf,
    /// Whether there was a snapshot to verify against.
    pub had_snapshot: bool,
    /// Recorded cases replayed.
    pub total: usize,
    /// Recorded cases that behave as recorded.
    pub same: usize,
    /// Recorded cases that behave differently.
    pub changed: usize,
    /// Of the `same` cases, those whose text changed but which the jail's float tolerance or
    /// comparison counts as the same.
    pub within_tolerance: usize,
    /// Inputs the sources produce that the snapshot does not hold.
    pub new: usize,
    /// Recorded inputs that no source produces any more (still verified).
    pub dropped: usize,
    /// Recorded cases whose input an earlier recorded case holds too (a hand-edited or
    /// merged file): replayed and counted, and kept once at the next recording.
    pub duplicates: usize,
    /// The first changed cases, in full.
    pub differences: Vec<Difference>,
    /// The first new inputs, in full.
    pub new_cases: Vec<NewCase>,
    /// What the run wrote.
    pub written: Written,
    /// Whether failures pass anyway (`INSTA_FORCE_PASS`).
    pub force_pass: bool,
    /// The mode the run used.
    pub mode: UpdateMode,
    /// Whether the run was on CI.
    pub ci: bool,
    /// The command that re-records this jail (for the report's last line).
    pub record_command: String,
    /// What the cases were compared against: a snapshot or the live original.
    pub baseline: Baseline,
    /// The behaviour classes of the cases as they behave now (empty when the run did not
    /// observe them, as in the live oracles).
    pub behaviours: Distribution,
    /// Every changed case, grouped by the way it changed: largest group first.
    pub groups: Vec<Group>,
    /// Changed cases in no group (beyond [`MAX_GROUPS`](super::MAX_GROUPS) distinct ways).
    pub ungrouped: usize,
    /// The part of the cases this run verified (`--shard K/N`), when it verified a part.
    pub shard: Option<crate::shard::Shard>,
    /// The kind of step the run checked (`--refactor`, `--feature`, `KAIZEN_STEP`).
    pub step: Step,
    /// In a feature step: the changed cases the ledger's entries of this step do not name.
    pub unnamed: Unnamed,
    /// Set when cases changed and the snapshot was recorded under other redactions than the
    /// jail has now: some changes may be the redactions' doing, not the code's.
    pub redactions_changed: Option<super::RedactionsChanged>,
}

impl Verdict {
    /// A verdict with no case counted yet: `total` cases compared against `baseline`.
    pub fn new(
        jail: &str,
        snapshot: PathBuf,
        total: usize,
        env: &Environment,
        record_command: &str,
        baseline: Baseline,
    ) -> Verdict {
        Verdict {
            jail: jail.to_string(),
            snapshot,
            had_snapshot: true,
            total,
            same: 0,
            changed: 0,
            within_tolerance: 0,
            new: 0,
            dropped: 0,
            duplicates: 0,
            differences: Vec::new(),
            new_cases: Vec::new(),
            written: Written::Nothing,
            force_pass: env.force_pass,
            mode: env.mode,
            ci: env.ci,
            record_command: record_command.to_string(),
            baseline,
            behaviours: Distribution::default(),
            groups: Vec::new(),
            ungrouped: 0,
            shard: None,
            step: Step::Any,
            unnamed: Unnamed::default(),
            redactions_changed: None,
        }
    }

    /// The group of changed case `number`, if it is among its group's examples (every case
    /// shown in full is).
    pub fn group_of(&self, number: usize) -> Option<&Group> {
        self.groups
            .iter()
            .find(|g| g.examples.binary_search(&number).is_ok())
    }

    /// True when behaviour is unchanged, or the run recorded what it found as asked.
    pub fn passed(&self) -> bool {
        match self.written {
            Written::Recorded(_) | Written::Rerecorded(_) => true,
            _ => (self.failing_changes() == 0 && self.new == 0) || self.force_pass,
        }
    }

    /// The changed cases that fail the run: every one, except in a feature step, where the
    /// cases the ledger's entries of this step name may change.
    pub fn failing_changes(&self) -> usize {
        match self.step {
            Step::Feature => self.unnamed.count,
            Step::Any | Step::Refactor => self.changed,
        }
    }

    /// The exit code for this verdict.
    pub fn exit_code(&self) -> ExitCode {
        if self.passed() {
            ExitCode::Unchanged
        } else {
            ExitCode::Changed
        }
    }

    /// The shown changes grouped by the way they changed (`returned → panicked`), with how
    /// many shown cases changed that way, most first.
    ///
    /// ```
    /// use kaizen::verify::{Baseline, Tally};
    /// let env = kaizen::env::Environment::default();
    /// let mut tally = Tally::new("demo", "demo.snap".into(), &env, "cargo test", Baseline::Snapshot, 10);
    /// for n in 1..=3 {
    ///     let label = if n == 2 { "panicked" } else { "returned" };
    ///     tally.changed(|| kaizen::verify::Difference {
    ///         number: n, line: 0, origin: None, input: String::new(),
    ///         expected: String::new(), actual: String::new(),
    ///         expected_label: "returned".into(), actual_label: label.into(), shrunk: None,
    ///         reproduce: Vec::new(), headline: None,
    ///     });
    /// }
    /// let verdict = tally.finish();
    /// assert_eq!(
    ///     verdict.change_kinds(),
    ///     vec![(("returned".to_string(), "returned".to_string()), 2),
    ///          (("returned".to_string(), "panicked".to_string()), 1)]
    /// );
    /// ```
    pub fn change_kinds(&self) -> Vec<((String, String), usize)> {
        let mut kinds: BTreeMap<(String, String), usize> = BTreeMap::new();
        for d in &self.differences {
            *kinds
                .entry((d.expected_label.clone(), d.actual_label.clone()))
                .or_default() += 1;
        }
        let mut kinds: Vec<_> = kinds.into_iter().collect();
        kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        kinds
    }
}

/// Builds a [`Verdict`] case by case: the only place its counts change and where
/// `max_shown` decides which cases are kept in full.
#[derive(Debug, Clone)]
pub struct Tally {
    verdict: Verdict,
    max_shown: usize,
    behaviours: distribution::Tally,
    grouping: Grouping,
    /// In a feature step, the cases that may change.
    named: Option<BTreeSet<usize>>,
    /// Where the key of a changed case is written ([`Tally::changed_case`]).
    key: String,
}

impl Tally {
    /// An empty tally for `jail`, keeping at most `max_shown` changed cases (and as many new
    /// inputs) in full.
    pub fn new(
        jail: &str,
        snapshot: PathBuf,
        env: &Environment,
        record_command: &str,
        baseline: Baseline,
        max_shown: usize,
    ) -> Tally {
        Tally {
            verdict: Verdict::new(jail, snapshot, 0, env, record_command, baseline),
            max_shown,
            behaviours: distribution::Tally::new(),
            grouping: Grouping::new(max_shown),
            named: None,
            key: String::new(),
        }
    }

    /// Checks the cases as a step of this kind; in a feature step only the cases in `named`
    /// may change, and every other changed case is listed in [`Verdict::unnamed`].
    pub fn step(&mut self, step: Step, named: &BTreeSet<usize>) {
        self.verdict.step = step;
        self.named = (step == Step::Feature).then(|| named.clone());
    }

    /// Notes changed case `number` against the cases a feature step may change.
    fn check_named(&mut self, number: usize) {
        if let Some(named) = &self.named
            && !named.contains(&number)
        {
            self.verdict.unnamed.add(number);
        }
    }

    /// Says whether there was a snapshot to compare with (default: yes).
    pub fn had_snapshot(&mut self, had: bool) {
        self.verdict.had_snapshot = had;
    }

    /// A recorded case that behaves as recorded.
    pub fn same(&mut self) {
        self.verdict.total += 1;
        self.verdict.same += 1;
    }

    /// A recorded case whose text changed but which the jail counts as the same (its float
    /// tolerance or its comparison, see [`crate::tolerance`]).
    pub fn same_within(&mut self) {
        self.same();
        self.verdict.within_tolerance += 1;
    }

    /// A recorded case that behaves differently; `show` builds its difference when the report
    /// keeps it in full. Returns the kept difference (to refine it, e.g. by shrinking).
    ///
    /// The case is grouped by its shown difference; a case not shown is counted as
    /// ungrouped. [`Tally::changed_as`] groups every case.
    pub fn changed(&mut self, show: impl FnOnce() -> Difference) -> Option<&mut Difference> {
        self.verdict.total += 1;
        self.verdict.changed += 1;
        let shown = self.verdict.differences.len() < self.max_shown;
        if !shown && self.named.is_none() {
            self.grouping.ungrouped += 1;
            return None;
        }
        let d = show();
        self.check_named(d.number);
        if !shown {
            self.grouping.ungrouped += 1;
            return None;
        }
        let key = key_of_shown(&d.input, &d.expected, &d.actual);
        self.grouping.add(d.number, key);
        self.verdict.differences.push(d);
        self.verdict.differences.last_mut()
    }

    /// Like [`Tally::changed`], for case `number` (1-based) whose change has the key
    /// [`change_key`](super::change_key) computed from its snapshot texts: grouped whether
    /// it is shown or not.
    pub fn changed_as(
        &mut self,
        number: usize,
        key: (Vec<String>, Vec<String>),
        show: impl FnOnce() -> Difference,
    ) -> Option<&mut Difference> {
        self.grouping.add(number, key as Key);
        self.count_change(number, show)
    }

    /// Like [`Tally::changed_as`], with the key computed here from the case's snapshot
    /// texts: its input, its recorded behaviour and its behaviour now.
    pub fn changed_case(
        &mut self,
        number: usize,
        texts: (&str, &str, &str),
        show: impl FnOnce() -> Difference,
    ) -> Option<&mut Difference> {
        let (input, expected, actual) = texts;
        write_key(input, expected, actual, &mut self.key);
        self.grouping.add_text(number, &self.key);
        self.count_change(number, show)
    }

    fn count_change(
        &mut self,
        number: usize,
        show: impl FnOnce() -> Difference,
    ) -> Option<&mut Difference> {
        self.check_named(number);
        self.verdict.total += 1;
        self.verdict.changed += 1;
        if self.verdict.differences.len() >= self.max_shown {
            return None;
        }
        self.verdict.differences.push(show());
        self.verdict.differences.last_mut()
    }

    /// The behaviour now of a case (its input and behaviour texts), for the distribution of
    /// behaviour classes.
    pub fn behaviour(&mut self, input: &str, behaviour: &str) {
        self.behaviours.observe(input, behaviour);
    }

    /// The behaviour classes observed so far.
    pub fn behaviours(&self) -> Distribution {
        self.behaviours.current()
    }

    /// Would the next changed case be kept in full? (Lets a caller skip work for the rest.)
    pub fn shows_next_change(&self) -> bool {
        self.verdict.differences.len() < self.max_shown
    }

    /// An input the sources produce that the snapshot does not hold yet.
    pub fn new_input(&mut self, show: impl FnOnce() -> NewCase) {
        self.verdict.new += 1;
        if self.verdict.new_cases.len() < self.max_shown {
            self.verdict.new_cases.push(show());
        }
    }

    /// A recorded input that no source produces any more (it is replayed and counted as
    /// same or changed too).
    pub fn recorded_only(&mut self) {
        self.verdict.dropped += 1;
    }

    /// A recorded case whose input an earlier recorded case holds too (it is replayed and
    /// counted as same or changed too).
    pub fn recorded_again(&mut self) {
        self.verdict.duplicates += 1;
    }

    /// Adds the cases of `part`, a verdict of another part of the same jail's cases (a
    /// shard): counts add up, and the shown cases stay the first `max_shown` by number.
    ///
    /// ```
    /// use kaizen::verify::{Baseline, Tally};
    /// let env = kaizen::env::Environment::default();
    /// let tally = |same| {
    ///     let mut t = Tally::new("demo", "demo.snap".into(), &env, "cargo test", Baseline::Snapshot, 10);
    ///     (0..same).for_each(|_| t.same());
    ///     t
    /// };
    /// let mut whole = tally(3);
    /// whole.merge(tally(4).finish());
    /// let verdict = whole.finish();
    /// assert_eq!((verdict.total, verdict.same), (7, 7));
    /// ```
    pub fn merge(&mut self, part: Verdict) {
        let v = &mut self.verdict;
        v.total += part.total;
        v.same += part.same;
        v.changed += part.changed;
        v.within_tolerance += part.within_tolerance;
        v.new += part.new;
        v.dropped += part.dropped;
        v.duplicates += part.duplicates;
        v.had_snapshot &= part.had_snapshot;
        if part.step != Step::Any {
            v.step = part.step;
        }
        v.unnamed.merge(part.unnamed);
        if v.redactions_changed.is_none() {
            v.redactions_changed = part.redactions_changed;
        }
        v.differences.extend(part.differences);
        v.differences.sort_by_key(|d| d.number);
        v.differences.truncate(self.max_shown);
        v.new_cases.extend(part.new_cases);
        v.new_cases.truncate(self.max_shown);
        self.behaviours.absorb(part.behaviours);
        self.grouping.merge(part.groups, part.ungrouped);
    }

    /// The verdict so far (nothing written).
    pub fn finish(self) -> Verdict {
        let ungrouped = self.grouping.ungrouped;
        Verdict {
            behaviours: self.behaviours.finish(),
            groups: self.grouping.finish(),
            ungrouped,
            ..self.verdict
        }
    }

    /// The verdict, with what the run wrote.
    pub(crate) fn finish_with(self, written: Written) -> Verdict {
        Verdict {
            written,
            ..self.finish()
        }
    }

    /// Counts so far: changed and new.
    pub(crate) fn counts(&self) -> Counts {
        Counts {
            changed: self.verdict.changed,
            new: self.verdict.new,
            dropped: self.verdict.dropped + self.verdict.duplicates,
            unnamed: self.verdict.unnamed.count,
        }
    }
}

/// The counts a write plan depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Counts {
    pub(crate) changed: usize,
    pub(crate) new: usize,
    /// Recorded cases a re-recording leaves out: inputs no source makes, second copies.
    pub(crate) dropped: usize,
    /// In a feature step, changed cases the ledger's entries of this step do not name.
    pub(crate) unnamed: usize,
}
