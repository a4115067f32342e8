//! Two versions of one jail run side by side on the same inputs — the comparison behind
//! both live modes: [`super::Oracle`] (a Rust function and its refactored copy) and
//! `kaizen port` (a legacy program and its port). Builds the same [`Verdict`] snapshot
//! verification builds, so one report renders all three.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::Error;
use crate::cases::{Case, Origin};
use crate::env::Environment;
use crate::jail::Jailed;
use crate::record;
use crate::snapshot::{self, format};
use crate::verify::{Baseline, Difference, Tally, Verdict};

/// What a side-by-side comparison needs besides the inputs.
pub(crate) struct SideBySide<'a, J> {
    /// The report's title, and the name of the snapshot whose inputs are replayed.
    pub(crate) name: &'a str,
    /// The reference.
    pub(crate) original: &'a J,
    /// The version compared with it.
    pub(crate) other: &'a J,
    /// The snapshot whose recorded inputs are replayed too, when `replay_recorded`.
    pub(crate) snapshot: PathBuf,
    pub(crate) replay_recorded: bool,
    /// Threads that run cases.
    pub(crate) jobs: usize,
    /// Differing cases kept in full (and shrunk).
    pub(crate) max_shown: usize,
    pub(crate) baseline: Baseline,
    /// For the verdict's `record_command`.
    pub(crate) record_command: &'a str,
    /// What the comparison is called in errors (`oracle`), and what to do when a recorded
    /// input does not fit.
    pub(crate) role: (&'a str, &'a str),
    /// Called once per case run on either side.
    pub(crate) tick: &'a (dyn Fn() + Sync),
}

impl<J: Jailed> SideBySide<'_, J> {
    /// Runs both versions on `cases` (and on the recorded inputs) and compares what they
    /// did, case by case. `detail` is called with the input of each difference kept in
    /// full, to shrink it or add to it.
    pub(crate) fn compare(
        &self,
        cases: Vec<Case<J::Input>>,
        env: &Environment,
        detail: &mut dyn FnMut(&J::Input, &Origin, &mut Difference),
    ) -> Result<Verdict, Error> {
        let mut prepared = record::prepare(self.name, cases)?;
        let mut lines = vec![0; prepared.len()];
        let loaded = if self.replay_recorded {
            snapshot::load_with_limit(&self.snapshot, env.snapshot_size_limit())?
        } else {
            None
        };
        if let Some(loaded) = &loaded {
            let known: HashSet<&str> = prepared.iter().map(|p| p.text.as_str()).collect();
            let (extra, extra_lines) = self.recorded_only(loaded, &known)?;
            lines.extend(extra_lines);
            prepared.extend(record::prepare(self.name, extra)?);
        }

        let inputs: Vec<&J::Input> = prepared.iter().map(|p| &p.input).collect();
        let before = record::run_all(self.original, &inputs, self.jobs, self.tick)?;
        let after = record::run_all(self.other, &inputs, self.jobs, self.tick)?;

        let mut tally = Tally::new(
            self.name,
            self.snapshot.clone(),
            env,
            self.record_command,
            self.baseline,
            self.max_shown,
        );
        tally.had_snapshot(loaded.is_some());
        for (n, ((p, b), a)) in prepared.iter().zip(&before).zip(&after).enumerate() {
            if b.text == a.text {
                tally.same();
                continue;
            }
            if self.original.same(&b.text, &a.text) {
                tally.same_within();
                continue;
            }
            let texts = (p.text.as_str(), b.text.as_str(), a.text.as_str());
            let shown = tally.changed_case(n + 1, texts, || Difference {
                number: n + 1,
                line: lines[n],
                origin: Some(p.origin.clone()),
                input: format::display_input(&p.text),
                expected: format::display_behaviour(&b.text),
                actual: format::display_behaviour(&a.text),
                expected_label: b.label.clone(),
                actual_label: a.label.clone(),
                shrunk: None,
                reproduce: Vec::new(),
                headline: None,
            });
            if let Some(difference) = shown {
                detail(&p.input, &p.origin, difference);
                difference.focus_with(self.original, self.baseline);
            }
        }
        Ok(tally.finish())
    }

    /// The recorded inputs that are not among the `known` ones, as cases, with the snapshot
    /// line of each.
    #[allow(clippy::type_complexity)]
    fn recorded_only(
        &self,
        loaded: &snapshot::Loaded,
        known: &HashSet<&str>,
    ) -> Result<(Vec<Case<J::Input>>, Vec<usize>), Error> {
        let (mut extra, mut lines) = (Vec::new(), Vec::new());
        for (n, case) in loaded.cases()?.iter().enumerate() {
            if known.contains(case.input) {
                continue;
            }
            let input = format::decode_input::<J::Input>(case.input).map_err(|e| {
                Error::snapshot(
                    &self.snapshot,
                    Some(case.line),
                    format!(
                        "recorded case {} does not fit the {}'s input type {}: {e}",
                        n + 1,
                        self.role.0,
                        self.original.input_type()
                    ),
                    self.role.1,
                )
            })?;
            extra.push(Case {
                input,
                origin: Origin::Recorded,
            });
            lines.push(case.line);
        }
        Ok((extra, lines))
    }
}
