//! The JSON report of a run over several jails: `{"jails": [...], "exit_code": N}`, one
//! object per jail with its status, counts, what was written and the shown differences.
//! Each difference's texts are cut to [`MAX_TEXT_LINES`] lines; `left_out` counts the lines
//! cut from each (present only when something was cut).

use std::path::Path;

use serde::Serialize;

use super::{JailResult, relative, status};
use crate::diff::{bounded, first_lines};
use crate::distribution::Distribution;
use crate::verify::{Difference, Written};

/// The most lines of an input or behaviour text a JSON difference holds.
pub const MAX_TEXT_LINES: usize = 200;

#[derive(Serialize)]
struct JsonJail<'a> {
    jail: &'a str,
    spec: &'a str,
    status: &'static str,
    exit_code: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    snapshot: Option<String>,
    cases: usize,
    same: usize,
    changed: usize,
    new: usize,
    dropped: usize,
    written: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    behaviours: Option<JsonBehaviours>,
    differences: Vec<JsonDifference<'a>>,
}

/// The behaviour classes of a jail's cases: how many, the largest, and the warning when one
/// stop dominates.
#[derive(Serialize)]
struct JsonBehaviours {
    classes: usize,
    largest: String,
    largest_cases: usize,
    largest_examples: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warning: Option<String>,
}

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

#[derive(Serialize)]
struct JsonDifference<'a> {
    case: usize,
    line: usize,
    origin: Option<String>,
    /// Where a stateful case changed: `step 7 of 12: …` (absent for other jails).
    #[serde(skip_serializing_if = "Option::is_none")]
    headline: Option<&'a str>,
    input: String,
    expected: String,
    actual: String,
    expected_kind: &'a str,
    actual_kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    left_out: Option<LeftOut>,
}

/// Lines cut from each text of a difference.
#[derive(Serialize, Default, PartialEq)]
struct LeftOut {
    input: usize,
    expected: usize,
    actual: usize,
}

impl<'a> JsonDifference<'a> {
    fn new(d: &'a Difference) -> JsonDifference<'a> {
        let cut = |text: &str| {
            (
                bounded(text, MAX_TEXT_LINES),
                first_lines(text, MAX_TEXT_LINES).1,
            )
        };
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
            origin: d.origin.as_ref().map(ToString::to_string),
            headline: d.headline.as_deref(),
            input,
            expected,
            actual,
            expected_kind: &d.expected_label,
            actual_kind: &d.actual_label,
            left_out: (left_out != LeftOut::default()).then_some(left_out),
        }
    }
}

/// The JSON report, with paths relative to `root`.
pub fn render(root: &Path, results: &[JailResult]) -> String {
    let jails: Vec<JsonJail<'_>> = results
        .iter()
        .map(|r| {
            let mut j = JsonJail {
                jail: &r.name,
                spec: &r.spec,
                status: status(&r.result),
                exit_code: 0,
                error: None,
                snapshot: None,
                cases: 0,
                same: 0,
                changed: 0,
                new: 0,
                dropped: 0,
                written: None,
                behaviours: None,
                differences: Vec::new(),
            };
            match &r.result {
                Ok(v) => {
                    j.exit_code = v.exit_code().code();
                    j.snapshot = Some(relative(root, &v.snapshot));
                    (j.cases, j.same, j.changed, j.new, j.dropped) =
                        (v.total, v.same, v.changed, v.new, v.dropped);
                    j.written = match &v.written {
                        Written::Nothing => None,
                        Written::Recorded(p) | Written::Pending(p) | Written::Rerecorded(p) => {
                            Some(relative(root, p))
                        }
                    };
                    j.behaviours = JsonBehaviours::new(&v.behaviours);
                    j.differences = v.differences.iter().map(JsonDifference::new).collect();
                }
                Err(e) => {
                    j.exit_code = e.exit_code().code();
                    j.error = Some(e.to_string());
                }
            }
            j
        })
        .collect();
    let exit_code = results
        .iter()
        .map(|r| match &r.result {
            Ok(v) => v.exit_code().code(),
            Err(e) => e.exit_code().code(),
        })
        .max()
        .unwrap_or(0);
    #[derive(Serialize)]
    struct Doc<'a> {
        jails: Vec<JsonJail<'a>>,
        exit_code: i32,
    }
    serde_json::to_string_pretty(&Doc { jails, exit_code })
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
