//! Machine-readable reports of `kaizen verify`: JSON, and JUnit XML for CI systems.

use std::fmt::Write as _;

use serde::Serialize;

use super::{Project, shown};
use crate::verify::{Verdict, Written};
use crate::{Error, report};

/// One jail's outcome in a `kaizen verify` run.
pub(crate) struct JailResult {
    pub name: String,
    pub spec: String,
    pub result: Result<Verdict, Error>,
}

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
    differences: Vec<JsonDifference<'a>>,
}

#[derive(Serialize)]
struct JsonDifference<'a> {
    case: usize,
    line: usize,
    origin: Option<String>,
    input: &'a str,
    expected: &'a str,
    actual: &'a str,
    expected_kind: &'a str,
    actual_kind: &'a str,
}

fn status(result: &Result<Verdict, Error>) -> &'static str {
    match result {
        Ok(v) if v.passed() => "unchanged",
        Ok(_) => "changed",
        Err(Error::MissingSnapshot { .. }) => "missing",
        Err(_) => "error",
    }
}

/// The JSON report: `{"jails": [...], "exit_code": N}`.
pub(crate) fn json(project: &Project, results: &[JailResult]) -> String {
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
                differences: Vec::new(),
            };
            match &r.result {
                Ok(v) => {
                    j.exit_code = v.exit_code().code();
                    j.snapshot = Some(shown(project, &v.snapshot));
                    (j.cases, j.same, j.changed, j.new, j.dropped) =
                        (v.total, v.same, v.changed, v.new, v.dropped);
                    j.written = match &v.written {
                        Written::Nothing => None,
                        Written::Recorded(p) | Written::Pending(p) | Written::Rerecorded(p) => {
                            Some(shown(project, p))
                        }
                    };
                    j.differences = v
                        .differences
                        .iter()
                        .map(|d| JsonDifference {
                            case: d.number,
                            line: d.line,
                            origin: d.origin.as_ref().map(ToString::to_string),
                            input: &d.input,
                            expected: &d.expected,
                            actual: &d.actual,
                            expected_kind: &d.expected_label,
                            actual_kind: &d.actual_label,
                        })
                        .collect();
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

/// Escapes text for XML attributes and content. Characters XML 1.0 cannot hold at all
/// (most control characters) are written as `\u{..}`.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The JUnit XML report: one test suite per jail; each changed case is a failed test
/// case with its diff, the unchanged cases are one passing test case, an error is an
/// errored test case.
pub(crate) fn junit(project: &Project, results: &[JailResult]) -> String {
    let mut suites = String::new();
    let (mut total_tests, mut total_failures, mut total_errors) = (0, 0, 0);
    for r in results {
        let mut cases = String::new();
        let (mut tests, mut failures, mut errors) = (0, 0, 0);
        let class = xml(&format!("kaizen.{}", r.name));
        match &r.result {
            Ok(v) => {
                for d in &v.differences {
                    tests += 1;
                    failures += 1;
                    let body = format!(
                        "input:\n{}\n\nbehaviour (- recorded, + now):\n{}",
                        d.input,
                        report::diff(&d.expected, &d.actual, false)
                    );
                    let _ = writeln!(
                        cases,
                        "    <testcase classname=\"{class}\" name=\"case {}\" file=\"{}\" line=\"{}\">\n      <failure message=\"{}\" type=\"behaviour changed\">{}</failure>\n    </testcase>",
                        d.number,
                        xml(&shown(project, &v.snapshot)),
                        d.line,
                        xml(&format!(
                            "{} changed",
                            d.origin
                                .as_ref()
                                .map_or("a recorded case".to_string(), ToString::to_string)
                        )),
                        xml(&body)
                    );
                }
                let hidden = v.changed - v.differences.len();
                if hidden > 0 {
                    tests += 1;
                    failures += 1;
                    let _ = writeln!(
                        cases,
                        "    <testcase classname=\"{class}\" name=\"{hidden} more changed cases\">\n      <failure message=\"{hidden} more cases changed\" type=\"behaviour changed\">run `kaizen verify {}` for the full report</failure>\n    </testcase>",
                        xml(&r.name)
                    );
                }
                if v.new > 0 {
                    tests += 1;
                    failures += 1;
                    let _ = writeln!(
                        cases,
                        "    <testcase classname=\"{class}\" name=\"new inputs\">\n      <failure message=\"{} not yet recorded\" type=\"not recorded\">record them with `kaizen record {}`</failure>\n    </testcase>",
                        if v.new == 1 {
                            "1 input".to_string()
                        } else {
                            format!("{} inputs", report::thousands(v.new))
                        },
                        xml(&r.name)
                    );
                }
                tests += 1;
                let _ = writeln!(
                    cases,
                    "    <testcase classname=\"{class}\" name=\"{} unchanged cases\"/>",
                    v.same
                );
            }
            Err(e) => {
                tests += 1;
                errors += 1;
                let _ = writeln!(
                    cases,
                    "    <testcase classname=\"{class}\" name=\"{}\">\n      <error message=\"{}\" type=\"{}\">{}</error>\n    </testcase>",
                    xml(&r.spec),
                    xml(e.to_string().lines().next().unwrap_or("")),
                    status(&r.result),
                    xml(&e.to_string())
                );
            }
        }
        let _ = write!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{cases}  </testsuite>\n",
            xml(&r.name)
        );
        total_tests += tests;
        total_failures += failures;
        total_errors += errors;
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kaizen\" tests=\"{total_tests}\" failures=\"{total_failures}\" errors=\"{total_errors}\">\n{suites}</testsuites>\n"
    )
}
