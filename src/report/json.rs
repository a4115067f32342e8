//! The JSON report of a run over several jails: `{"version": 1, "jails": [...],
//! "exit_code": N}`, one object per jail with its status, counts, what was written, the
//! groups of cases that changed the same way and the shown differences. Each difference's
//! texts are cut to [`MAX_TEXT_LINES`] lines; `left_out` counts the lines cut from each
//! (present only when something was cut). `kaizen merge` reads these reports back.

use std::path::Path;

use super::{JailResult, relative, status};
use crate::diff::{bounded, first_lines};
use crate::distribution::Distribution;
use crate::step::Step;
use crate::verify::{Difference, Group, MAX_GROUP_LINES, NewCase, Verdict, Written, bounded_lines};

/// The most lines of an input or behaviour text a JSON difference holds.
pub const MAX_TEXT_LINES: usize = 200;

/// The version of the JSON report's format (`"version"` at its top): raised when a field
/// changes meaning or goes away; new fields may appear in any version.
pub const VERSION: u32 = 1;

/// The JSON report, also read back by `kaizen merge`.
pub(crate) struct JsonDoc {
    pub version: u32,
    pub jails: Vec<JsonJail>,
    pub exit_code: i32,
}
crate::serde_fields::serde_fields!(JsonDoc { version = default, jails, exit_code });

/// One jail in the JSON report.
pub(crate) struct JsonJail {
    pub jail: String,
    pub spec: String,
    pub status: String,
    pub exit_code: i32,
    pub error: Option<String>,
    pub snapshot: Option<String>,
    /// The shard this report covers (`k/n`), when it covers one.
    pub shard: Option<String>,
    pub cases: usize,
    pub same: usize,
    pub changed: usize,
    pub new: usize,
    pub dropped: usize,
    /// Recorded cases whose input an earlier recorded case holds too.
    pub duplicates: usize,
    pub written: Option<String>,
    /// The kind of step checked (`refactor`, `feature`), when one was named.
    pub step: Option<String>,
    /// In a feature step: changed cases the ledger's entries of this step do not name.
    pub unnamed: usize,
    /// The first of them, by number.
    pub unnamed_cases: Vec<usize>,
    pub behaviours: Option<JsonBehaviours>,
    /// Of the `same` cases, those a float tolerance or comparison hook counted as same.
    pub within_tolerance: usize,
    /// The snapshot was recorded under other redactions than the jail has now (only when
    /// cases changed).
    pub redactions_changed: Option<JsonRedactionsChanged>,
    pub groups: Vec<JsonGroup>,
    pub ungrouped: usize,
    pub differences: Vec<JsonDifference>,
    pub new_inputs: Vec<JsonNew>,
}
crate::serde_fields::serde_fields!(JsonJail { jail, spec, status, exit_code, error = default if Option::is_none, snapshot = default if Option::is_none, shard = default if Option::is_none, cases, same, changed, new, dropped, duplicates = default if is_zero, written = default, step = default if Option::is_none, unnamed = default if is_zero, unnamed_cases = default if Vec::is_empty, behaviours = default if Option::is_none, within_tolerance = default if is_zero, redactions_changed = default if Option::is_none, groups = default, ungrouped = default, differences, new_inputs = default });

/// The behaviour classes of a jail's cases: how many, the largest, and the warning when one
/// stop dominates.
pub(crate) struct JsonBehaviours {
    pub classes: usize,
    pub largest: String,
    pub largest_cases: usize,
    pub largest_examples: Vec<String>,
    pub warning: Option<String>,
}
crate::serde_fields::serde_fields!(JsonBehaviours { classes, largest, largest_cases, largest_examples, warning = default if Option::is_none });

impl JsonBehaviours {
    fn new(d: &Distribution) -> Option<JsonBehaviours> {
        let largest = d.largest()?;
        Some(JsonBehaviours {
            classes: d.classes.len(),
            largest: largest.key.clone(),
            largest_cases: largest.count,
            largest_examples: largest.examples.clone(),
            warning: d.warning(),
        })
    }
}

/// The redactions a snapshot was recorded with, those of the jail now, and what to do.
pub(crate) struct JsonRedactionsChanged {
    pub recorded: Vec<String>,
    pub now: Vec<String>,
    pub note: String,
}
crate::serde_fields::serde_fields!(JsonRedactionsChanged { recorded, now, note = default });

/// A group of cases that changed the same way.
pub(crate) struct JsonGroup {
    pub group: usize,
    pub cases: usize,
    pub removed: Vec<String>,
    pub added: Vec<String>,
    pub examples: Vec<usize>,
}
crate::serde_fields::serde_fields!(JsonGroup {
    group,
    cases,
    removed,
    added,
    examples
});

/// One changed case.
pub(crate) struct JsonDifference {
    pub case: usize,
    pub line: usize,
    pub group: Option<usize>,
    pub origin: Option<String>,
    /// Where a stateful case changed: `step 7 of 12: …` (absent for other jails).
    pub headline: Option<String>,
    pub input: String,
    pub expected: String,
    pub actual: String,
    pub expected_kind: String,
    pub actual_kind: String,
    pub left_out: Option<LeftOut>,
}
crate::serde_fields::serde_fields!(JsonDifference { case, line, group = default if Option::is_none, origin = default, headline = default if Option::is_none, input, expected, actual, expected_kind, actual_kind, left_out = default if Option::is_none });

/// Lines cut from each text of a difference.
#[derive(Default, PartialEq)]
pub(crate) struct LeftOut {
    pub input: usize,
    pub expected: usize,
    pub actual: usize,
}
crate::serde_fields::serde_fields!(LeftOut {
    input,
    expected,
    actual
});

/// One input not yet recorded.
pub(crate) struct JsonNew {
    pub origin: String,
    pub input: String,
    pub actual: String,
}
crate::serde_fields::serde_fields!(JsonNew {
    origin,
    input,
    actual
});

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// A text cut to [`MAX_TEXT_LINES`], and how many lines were cut.
fn cut(text: &str) -> (String, usize) {
    (
        bounded(text, MAX_TEXT_LINES),
        first_lines(text, MAX_TEXT_LINES).1,
    )
}

impl JsonDifference {
    fn new(v: &Verdict, d: &Difference) -> JsonDifference {
        let (input, input_cut) = cut(&d.input);
        let (expected, expected_cut) = cut(&d.expected);
        let (actual, actual_cut) = cut(&d.actual);
        let left_out = LeftOut {
            input: input_cut,
            expected: expected_cut,
            actual: actual_cut,
        };
        JsonDifference {
            case: d.number,
            line: d.line,
            group: v.group_of(d.number).map(|g| g.number),
            origin: d.origin.as_ref().map(ToString::to_string),
            headline: d.headline.clone(),
            input,
            expected,
            actual,
            expected_kind: d.expected_label.clone(),
            actual_kind: d.actual_label.clone(),
            left_out: (left_out != LeftOut::default()).then_some(left_out),
        }
    }
}

impl JsonGroup {
    fn new(g: &Group) -> JsonGroup {
        JsonGroup {
            group: g.number,
            cases: g.cases,
            removed: bounded_lines(&g.removed, MAX_GROUP_LINES),
            added: bounded_lines(&g.added, MAX_GROUP_LINES),
            examples: g.examples.clone(),
        }
    }
}

impl JsonNew {
    fn new(n: &NewCase) -> JsonNew {
        JsonNew {
            origin: n.origin.to_string(),
            input: cut(&n.input).0,
            actual: cut(&n.actual).0,
        }
    }
}

/// One jail's part of the report.
fn jail(root: &Path, r: &JailResult) -> JsonJail {
    let mut j = JsonJail {
        jail: r.name.clone(),
        spec: r.spec.clone(),
        status: status(&r.result).to_string(),
        exit_code: 0,
        error: None,
        snapshot: None,
        shard: None,
        cases: 0,
        same: 0,
        changed: 0,
        new: 0,
        dropped: 0,
        duplicates: 0,
        written: None,
        step: None,
        unnamed: 0,
        unnamed_cases: Vec::new(),
        behaviours: None,
        within_tolerance: 0,
        redactions_changed: None,
        groups: Vec::new(),
        ungrouped: 0,
        differences: Vec::new(),
        new_inputs: Vec::new(),
    };
    match &r.result {
        Ok(v) => {
            j.exit_code = v.exit_code().code();
            j.snapshot = Some(relative(root, &v.snapshot));
            j.shard = v.shard.map(|s| s.to_string());
            (j.cases, j.same, j.changed, j.new, j.dropped, j.duplicates) =
                (v.total, v.same, v.changed, v.new, v.dropped, v.duplicates);
            j.written = match &v.written {
                Written::Nothing => None,
                Written::Recorded(p) | Written::Pending(p) | Written::Rerecorded(p) => {
                    Some(relative(root, p))
                }
            };
            j.step = (v.step != Step::Any).then(|| v.step.to_string());
            j.unnamed = v.unnamed.count;
            j.unnamed_cases = v.unnamed.cases.clone();
            j.behaviours = JsonBehaviours::new(&v.behaviours);
            j.within_tolerance = v.within_tolerance;
            j.redactions_changed = v
                .redactions_changed
                .as_ref()
                .map(|c| JsonRedactionsChanged {
                    recorded: c.recorded.clone(),
                    now: c.now.clone(),
                    note: c.note(&v.record_command),
                });
            j.groups = v.groups.iter().map(JsonGroup::new).collect();
            j.ungrouped = v.ungrouped;
            j.differences = v
                .differences
                .iter()
                .map(|d| JsonDifference::new(v, d))
                .collect();
            j.new_inputs = v.new_cases.iter().map(JsonNew::new).collect();
        }
        Err(e) => {
            j.exit_code = e.exit_code().code();
            j.error = Some(e.to_string());
        }
    }
    j
}

/// The document of a run, with paths relative to `root`.
pub(crate) fn document(root: &Path, results: &[JailResult]) -> JsonDoc {
    let exit_code = results
        .iter()
        .map(|r| match &r.result {
            Ok(v) => v.exit_code().code(),
            Err(e) => e.exit_code().code(),
        })
        .max()
        .unwrap_or(0);
    JsonDoc {
        version: VERSION,
        jails: results.iter().map(|r| jail(root, r)).collect(),
        exit_code,
    }
}

/// The JSON report, with paths relative to `root`.
pub fn render(root: &Path, results: &[JailResult]) -> String {
    serde_json::to_string_pretty(&document(root, results))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
